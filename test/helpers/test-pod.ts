/**
 * A raw GATT peripheral for transport tests: the retrostep service with RX
 * and TX and nothing behind them, so a test sees each ATT write as it
 * arrived and can notify any bytes. Used under the BLE transport (through
 * noble's fake bindings) and under the Web Bluetooth transport (through the
 * fake navigator.bluetooth).
 */
import type { GattAdvertisement, GattCharacteristic, GattPeripheral, GattProperty, GattService } from '../../host/src/sim/gatt.js';
import { RETROSTEP_RX_UUID_NOBLE, RETROSTEP_SERVICE_UUID_NOBLE, RETROSTEP_TX_UUID_NOBLE, RSC_SERVICE_UUID } from '../../shared/protocol/uuids.js';

/** Records writes to RX; notifies TX in MTU-sized pieces; can walk out of range. */
export class TestPod implements GattPeripheral {
  readonly rssi: number;
  readonly mtu: number;
  advertising = true;
  /** Walk out of range right after receiving this many writes (for mid-write loss). */
  dropAfterWrites = Infinity;
  /** Every value written to RX since the last connect, one entry per ATT write. */
  writes: Uint8Array[] = [];
  private central: { onDisconnect(reason: string): void } | null = null;
  private txListener: ((value: Uint8Array) => void) | null = null;
  private readonly serviceList: GattService[];
  /** What it advertises (a test may change them: a pod restarting out of update mode). */
  adName: string;
  adServiceUuids: string[];

  constructor(
    readonly address: string,
    readonly name: string,
    opts: { mtu?: number; rssi?: number; serviceUuids?: string[]; rxProperties?: GattProperty[] } = {},
  ) {
    this.mtu = opts.mtu ?? 23;
    this.rssi = opts.rssi ?? -60;
    this.adName = name;
    this.adServiceUuids = opts.serviceUuids ?? [RSC_SERVICE_UUID, RETROSTEP_SERVICE_UUID_NOBLE];
    const pod = this;
    const rx: GattCharacteristic = {
      uuid: RETROSTEP_RX_UUID_NOBLE,
      properties: opts.rxProperties ?? ['write', 'writeWithoutResponse'],
      read: () => new Uint8Array(0),
      write: (value) => {
        pod.writes.push(new Uint8Array(value));
        if (pod.writes.length >= pod.dropAfterWrites) pod.drop();
      },
      subscribe: () => undefined,
      unsubscribe: () => undefined,
    };
    const tx: GattCharacteristic = {
      uuid: RETROSTEP_TX_UUID_NOBLE,
      properties: ['notify'],
      read: () => new Uint8Array(0),
      write: () => {
        throw new Error('TX is not writable');
      },
      subscribe: (listener) => void (pod.txListener = listener),
      unsubscribe: () => void (pod.txListener = null),
    };
    this.serviceList = [{ uuid: RETROSTEP_SERVICE_UUID_NOBLE, characteristics: [rx, tx] }];
  }

  get connected(): boolean {
    return this.central !== null;
  }

  get subscribed(): boolean {
    return this.txListener !== null;
  }

  advertisement(): GattAdvertisement | null {
    return this.advertising && !this.central ? { localName: this.adName, serviceUuids: this.adServiceUuids } : null;
  }

  connect(central: { onDisconnect(reason: string): void }): void {
    if (this.central) throw new Error('already connected');
    this.central = central;
    this.writes = [];
  }

  disconnect(): void {
    this.central = null;
    this.txListener = null;
  }

  services(): GattService[] {
    return this.serviceList;
  }

  /** Bonds only with this passkey. */
  passkey = '123456';
  bonded = false;

  pair(passkey: string): boolean {
    this.bonded = passkey === this.passkey;
    return this.bonded;
  }

  /** Pod to host, split to what one notification carries. */
  notify(bytes: Uint8Array): void {
    const size = this.mtu - 3;
    for (let at = 0; at < bytes.length; at += size) this.txListener?.(bytes.slice(at, at + size));
  }

  /** Out of range: the link ends from the pod's side. */
  drop(): void {
    const c = this.central;
    this.disconnect();
    c?.onDisconnect('out of range');
  }
}