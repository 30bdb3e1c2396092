/**
 * A BLE peripheral as a central sees it over GATT: what the virtual pod's
 * NRF shim exposes, and what the fake noble bindings connect noble to.
 * UUIDs are lower-case hex without dashes (noble's form): '1814', or 32 hex
 * digits for 128-bit UUIDs.
 */
export type GattProperty = 'read' | 'write' | 'writeWithoutResponse' | 'notify' | 'indicate';

export interface GattCharacteristic {
  uuid: string;
  properties: GattProperty[];
  /** Current value (read). Throws GattAuthError when the link is not bonded and the characteristic needs it. */
  read(): Uint8Array;
  /** A central wrote value. Throws GattAuthError when not allowed on this link. */
  write(value: Uint8Array): void;
  /** Central enables notifications: listener gets each notified value. */
  subscribe(listener: (value: Uint8Array) => void): void;
  unsubscribe(): void;
}

export interface GattService {
  uuid: string;
  characteristics: GattCharacteristic[];
}

export interface GattAdvertisement {
  localName: string;
  /** service UUIDs in the advertising packet */
  serviceUuids: string[];
  txPowerLevel?: number;
  manufacturerData?: Uint8Array;
}

export class GattAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GattAuthError';
  }
}

export interface GattPeripheral {
  /** MAC, "aa:bb:cc:dd:ee:ff" */
  readonly address: string;
  readonly rssi: number;
  /** Current advertisement; null while not advertising (e.g. connected). */
  advertisement(): GattAdvertisement | null;
  /** A central connects (one at a time): throws if already connected. */
  connect(central: { onDisconnect(reason: string): void }): void;
  /** Central disconnects. */
  disconnect(): void;
  /** GATT database, valid while connected. */
  services(): GattService[];
  /** ATT MTU negotiated for this link (23 default: 20-byte values). */
  readonly mtu: number;
  /** Pair with a passkey; true when bonded. */
  pair(passkey: string): boolean;
}
