/**
 * What passes between the fake navigator.bluetooth (the browser's half,
 * fake-web-bluetooth.ts) and the pod's half (peripheral-wire.ts): one
 * request per GATT procedure with one reply each, and the events the air
 * brings unasked (notifications, a lost link). Plain JSON, so the same
 * messages go through a function call in Node, or through Playwright's
 * bindings into a page without any network connection (test/browser/
 * gatt-bridge.ts).
 */

export type WireRequest =
  | { op: 'scan' }
  | { op: 'connect' }
  | { op: 'disconnect' }
  | { op: 'subscribe' | 'unsubscribe' | 'read'; service: string; char: string }
  | { op: 'write'; service: string; char: string; data: number[]; withResponse: boolean };

/** Failures carry the DOMException name and message Chrome would reject with. */
export type WireReply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string } };

export type WireEvent = { event: 'notify'; service: string; char: string; data: number[] } | { event: 'disconnected' };

export interface ScanResult {
  localName: string;
  address: string;
  serviceUuids: string[];
}

export interface ConnectResult {
  /** ATT MTU of the link: a notification or a write carries at most mtu - 3 bytes */
  mtu: number;
  services: { uuid: string; characteristics: { uuid: string; properties: string[] }[] }[];
}

export interface GattWire {
  request(r: WireRequest): Promise<WireReply>;
  /** Set by the browser's half: the air's events, in the order they happened. */
  onEvent: (e: WireEvent) => void;
}

/** Bluetooth base UUID tail: 16- and 32-bit UUIDs are short forms of 0000xxxx-0000-1000-8000-00805f9b34fb. */
const BASE_TAIL = '00001000800000805f9b34fb';

/** Any spelling (number, '1814', dashed, noble form) to 32 lower-case hex digits, to compare. */
export function canonUuid(u: string | number): string {
  if (typeof u === 'number') return u.toString(16).padStart(8, '0') + BASE_TAIL;
  const s = u.toLowerCase().replace(/-/g, '').replace(/^0x/, '');
  if (s.length === 4) return '0000' + s + BASE_TAIL;
  if (s.length === 8) return s + BASE_TAIL;
  return s;
}

/** The dashed 128-bit form Web Bluetooth reports in `uuid` properties. */
export function dashedUuid(u: string | number): string {
  const s = canonUuid(u);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
