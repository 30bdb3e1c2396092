/**
 * The pod over Web Bluetooth: the Transport contract (host/src/transports/
 * transport.ts) in the browser. Frames go to the retrostep RX
 * characteristic, TX notifications come back as data. The browser connects,
 * pairs (its own passkey dialog) and keeps the bond.
 *
 * Web Bluetooth facts this is built around (the fake in host/web/sim
 * behaves the same, and the transport contract suite runs over it):
 * - Chrome runs one read or write at a time per characteristic and rejects
 *   a second one started meanwhile ("GATT operation already in progress"):
 *   writes are serialised here.
 * - The page cannot see the ATT MTU: writes are cut to 20 bytes, what a
 *   link without an MTU exchange carries (23 - 3 bytes of ATT header).
 * - A lost link fires `gattserverdisconnected` on the device, once; but a
 *   write may be rejected with NetworkError before that event arrives, so a
 *   NetworkError on a write closes the link here too.
 */
import { RETROSTEP_RX_UUID, RETROSTEP_SERVICE_UUID, RETROSTEP_TX_UUID } from '../../../shared/protocol/uuids.js';
import { type Transport, TransportError, type TransportEvents } from '../../src/transports/transport-types.js';
import type { BluetoothDeviceLike, GattCharacteristicLike } from './web-bluetooth-api.js';

/** ATT_MTU 23 less the 3-byte write header (Core spec Vol 3 Part F 3.4.5.1). */
const WRITE_CHUNK_BYTES = 20;

type Listener<E extends keyof TransportEvents> = (...args: TransportEvents[E]) => void;

/** DOMException names Web Bluetooth rejects with, in words a person can act on. */
function bluetoothError(e: unknown, what: string): TransportError {
  const name = (e as { name?: string })?.name ?? '';
  const message = (e as { message?: string })?.message ?? String(e);
  if (name === 'NotFoundError') return new TransportError('not_found', `${what}: the pod has no retrostep service (is it running retrostep firmware?)`);
  if (name === 'SecurityError' || name === 'NotAllowedError') return new TransportError('io', `${what}: the browser did not allow it (${message}); pair the pod when the browser asks, with the passkey on its label`);
  // the one NetworkError that is not about the link: two GATT operations at once (this transport serialises its writes)
  if (name === 'NetworkError' && /already in progress/.test(message)) return new TransportError('busy', `${what}: ${message}`);
  if (name === 'NetworkError') return new TransportError('lost', `${what}: the pod is out of range or switched off (${message})`);
  return new TransportError('io', `${what}: ${message}`);
}

export class WebBluetoothTransport implements Transport {
  readonly description: string;
  private opened = false;
  private rx: GattCharacteristicLike | null = null;
  private tx: GattCharacteristicLike | null = null;
  /** the last write in the queue: each waits for the one before (one GATT operation at a time) */
  private writing: Promise<void> = Promise.resolve();
  private readonly listeners: { [E in keyof TransportEvents]: Listener<E>[] } = { data: [], close: [] };

  constructor(private readonly device: BluetoothDeviceLike) {
    this.description = `Web Bluetooth ${device.name ?? device.id}`;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  private readonly onValue = (ev: Event): void => {
    const v = (ev.target as GattCharacteristicLike).value;
    if (!v || !this.opened) return;
    // copy: the browser may reuse the DataView's buffer for the next notification
    this.emit('data', new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
  };

  private readonly onDisconnected = (): void => {
    this.markClosed(new TransportError('lost', `${this.description}: the link was lost`));
  };

  /** The link is gone though the browser has not said so yet: close as lost, and drop what is left of it. */
  private lose(error: TransportError): void {
    this.markClosed(error);
    if (this.device.gatt?.connected) this.device.gatt.disconnect();
  }

  async open(): Promise<void> {
    if (this.opened) throw new TransportError('busy', `${this.description} is already open`);
    if (!this.device.gatt) throw new TransportError('not_found', `${this.description} has no GATT server`);
    try {
      const server = await this.device.gatt.connect();
      const service = await server.getPrimaryService(RETROSTEP_SERVICE_UUID);
      this.rx = await service.getCharacteristic(RETROSTEP_RX_UUID);
      this.tx = await service.getCharacteristic(RETROSTEP_TX_UUID);
      this.tx.addEventListener('characteristicvaluechanged', this.onValue);
      await this.tx.startNotifications();
    } catch (e) {
      this.tx?.removeEventListener('characteristicvaluechanged', this.onValue);
      this.rx = this.tx = null;
      if (this.device.gatt.connected) this.device.gatt.disconnect();
      throw bluetoothError(e, `cannot open ${this.description}`);
    }
    this.device.addEventListener('gattserverdisconnected', this.onDisconnected);
    this.opened = true;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.opened || !this.rx) return Promise.reject(new TransportError('closed', `${this.description} is not open`));
    const rx = this.rx;
    const run = async () => {
      for (let at = 0; at < bytes.length; at += WRITE_CHUNK_BYTES) {
        if (!this.opened) throw new TransportError('lost', `${this.description}: the link was lost during a write`);
        try {
          // with response: the pod's link layer acknowledges each piece, so none is dropped on a busy link
          await rx.writeValueWithResponse(bytes.slice(at, at + WRITE_CHUNK_BYTES));
        } catch (e) {
          if (!this.opened) throw new TransportError('lost', `${this.description}: the link was lost during a write`);
          const error = bluetoothError(e, `writing to ${this.description}`);
          if (error.code === 'lost') this.lose(error);
          throw error;
        }
      }
    };
    const done = this.writing.then(run, run);
    this.writing = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    if (!this.opened) return;
    this.markClosed();
    if (this.device.gatt?.connected) this.device.gatt.disconnect();
  }

  private markClosed(error?: TransportError): void {
    if (!this.opened) return;
    this.opened = false;
    this.device.removeEventListener('gattserverdisconnected', this.onDisconnected);
    this.tx?.removeEventListener('characteristicvaluechanged', this.onValue);
    this.rx = this.tx = null;
    this.emit('close', error);
  }

  private emit<E extends keyof TransportEvents>(event: E, ...args: TransportEvents[E]): void {
    for (const l of [...this.listeners[event]]) (l as (...a: TransportEvents[E]) => void)(...args);
  }

  on<E extends keyof TransportEvents>(event: E, listener: Listener<E>): this {
    (this.listeners[event] as Listener<E>[]).push(listener);
    return this;
  }

  off<E extends keyof TransportEvents>(event: E, listener: Listener<E>): this {
    const list = this.listeners[event] as Listener<E>[];
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    return this;
  }

  once<E extends keyof TransportEvents>(event: E, listener: Listener<E>): this {
    const wrapper = ((...args: TransportEvents[E]) => {
      this.off(event, wrapper);
      listener(...args);
    }) as Listener<E>;
    return this.on(event, wrapper);
  }
}
