/**
 * The Transport contract's types, without Node: the `retrostep web` page's
 * Web Bluetooth link implements them in the browser. See transport.ts for
 * the contract itself.
 */
export type TransportErrorCode = 'not_found' | 'busy' | 'no_adapter' | 'timeout' | 'closed' | 'lost' | 'io';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface TransportEvents {
  data: [bytes: Uint8Array];
  close: [error?: TransportError];
}

export interface Transport {
  /** For messages: "ble retrostep-1a2b", "serial /dev/ttyACM0", "memory". */
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  on<E extends keyof TransportEvents>(event: E, listener: (...args: TransportEvents[E]) => void): this;
  off<E extends keyof TransportEvents>(event: E, listener: (...args: TransportEvents[E]) => void): this;
  once<E extends keyof TransportEvents>(event: E, listener: (...args: TransportEvents[E]) => void): this;
}
