/**
 * In-process link: a host-side Transport joined to a device-side endpoint.
 * Bytes are delivered asynchronously (next macrotask), in order, as a real
 * link would; the device side can drop the link to simulate loss of range.
 */
import { BaseTransport, TransportError } from './transport.js';

/** The far end of a memory link, as a device (the virtual pod) sees it. */
export interface MemoryDeviceEnd {
  /** Device to host. Ignored while the host side is not open. */
  send(bytes: Uint8Array): void;
  /** Host to device: set by the device. */
  onReceive: ((bytes: Uint8Array) => void) | null;
  /** Host opened / closed the link. */
  onConnect: (() => void) | null;
  onDisconnect: (() => void) | null;
  /** The link is lost (out of range): the host gets close with code 'lost'. */
  drop(): void;
  readonly connected: boolean;
}

export class MemoryTransport extends BaseTransport {
  readonly description = 'memory';
  readonly device: MemoryDeviceEnd;
  /** Largest chunk handed over at once, like a link's packet size. */
  private readonly chunkBytes: number;

  constructor(options: { chunkBytes?: number } = {}) {
    super();
    this.chunkBytes = options.chunkBytes ?? 244;
    const self = this;
    this.device = {
      onReceive: null,
      onConnect: null,
      onDisconnect: null,
      get connected() {
        return self.isOpen;
      },
      send(bytes: Uint8Array) {
        if (!self.isOpen) return;
        const copy = new Uint8Array(bytes);
        setImmediate(() => {
          if (self.isOpen) self.emit('data', copy);
        });
      },
      drop() {
        if (!self.isOpen) return;
        self.markClosed(new TransportError('lost', 'memory link lost'));
        self.device.onDisconnect?.();
      },
    };
  }

  async open(): Promise<void> {
    if (this.isOpen) throw new TransportError('busy', 'memory link is already open');
    // the device side may refuse (throw): then the link never opened and no close event follows
    this.device.onConnect?.();
    this.markOpen();
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen();
    for (let at = 0; at < bytes.length; at += this.chunkBytes) {
      const chunk = bytes.slice(at, at + this.chunkBytes);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!this.isOpen) throw new TransportError('lost', 'memory link lost during write');
      this.device.onReceive?.(chunk);
    }
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.markClosed();
    this.device.onDisconnect?.();
  }
}
