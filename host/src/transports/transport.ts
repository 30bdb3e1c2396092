/**
 * The one interface every link to a pod implements (BLE, serial, memory).
 * Transports move bytes only: framing lives in shared/protocol. The contract
 * every implementation must meet is test/contract/transport-contract.ts.
 *
 * Contract, in short:
 * - open() resolves once bytes can flow; it rejects with a TransportError
 *   (code says why: not_found, busy, no_adapter, timeout, closed).
 * - write() resolves when the bytes were handed to the link, in order; it
 *   splits them to the link's packet size itself. Rejects with code 'closed'
 *   when not open.
 * - 'data' events carry received bytes in order, in chunks of any size.
 * - 'close' fires exactly once per successful open, whether close() was
 *   called (no error) or the link was lost (with a TransportError 'lost').
 */
import { EventEmitter } from 'node:events';
import { type Transport, TransportError, type TransportEvents } from './transport-types.js';

export { type Transport, TransportError, type TransportEvents } from './transport-types.js';

/** Shared bookkeeping for implementations: open state, one close event per open. */
export abstract class BaseTransport extends EventEmitter<TransportEvents> implements Transport {
  abstract readonly description: string;
  private opened = false;

  get isOpen(): boolean {
    return this.opened;
  }

  protected markOpen(): void {
    this.opened = true;
  }

  /** Call when the link ends for any reason; emits 'close' once. */
  protected markClosed(error?: TransportError): void {
    if (!this.opened) return;
    this.opened = false;
    this.emit('close', error);
  }

  protected assertOpen(): void {
    if (!this.opened) throw new TransportError('closed', `${this.description} is not open`);
  }

  abstract open(): Promise<void>;
  abstract write(bytes: Uint8Array): Promise<void>;
  abstract close(): Promise<void>;
}
