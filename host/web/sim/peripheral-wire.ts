/**
 * The pod's half of the fake Web Bluetooth link: GATT requests from the
 * fake navigator.bluetooth become calls on a GattPeripheral (the virtual pod
 * running the real firmware bundle, or a test's raw pod), and the pod's
 * notifications and lost links become events. It pairs with the passkey at
 * each connect, as a browser holding the bond does, and can cut the link
 * once a given number of notified bytes went through (a pod walking out of
 * range mid-sync).
 *
 * Failures are answered with the DOMException Chrome rejects with for the
 * ATT error the pod gives (names and messages from Blink's bluetooth_error.cc).
 */
import { GattAuthError, type GattCharacteristic, type GattPeripheral } from '../../src/sim/gatt.js';
import { canonUuid, type ConnectResult, type GattWire, type ScanResult, type WireEvent, type WireReply, type WireRequest } from './gatt-wire.js';

/** ATT header bytes: a notification or a write carries MTU - 3 bytes of value. */
const ATT_HEADER_BYTES = 3;

export interface PeripheralWire extends GattWire {
  /** Cut the link once this many more notified bytes have gone through (one-shot each; several may be queued). */
  cutAfterBytes(bytes: number): void;
  /** links cut so far */
  readonly cuts: number;
  /** notified bytes delivered so far */
  readonly bytesNotified: number;
  /** connects made (reconnects included) */
  readonly connects: number;
  /** end the link, if any (the test is over) */
  close(): void;
}

class Refusal extends Error {
  constructor(
    readonly domName: string,
    message: string,
  ) {
    super(message);
  }
}

const NOT_CONNECTED = 'GATT Server is disconnected. Cannot perform GATT operations. (Re)connect first with `device.gatt.connect`.';

/** What Chrome reports for what the pod (or the virtual pod's shim) throws. */
function asRefusal(e: unknown): Refusal {
  if (e instanceof Refusal) return e;
  // ATT "insufficient authentication": the write needs the bonded, encrypted link
  if (e instanceof GattAuthError) return new Refusal('SecurityError', 'GATT operation not authorized.');
  const message = (e as Error)?.message ?? String(e);
  if (/ATT error 0x0d/.test(message)) return new Refusal('InvalidModificationError', 'GATT Error: invalid attribute length.');
  if (/ATT error 0x03/.test(message)) return new Refusal('NotSupportedError', 'GATT operation not permitted.');
  return new Refusal('NotSupportedError', 'GATT operation failed for unknown reason.');
}

export function peripheralWire(peripheral: GattPeripheral, options: { passkey: string }): PeripheralWire {
  let cuts = 0;
  let bytesNotified = 0;
  let connects = 0;
  const cutPoints: number[] = [];
  let connected = false;
  const subscribed = new Set<GattCharacteristic>();

  const emit = (e: WireEvent) => wire.onEvent(e);

  function findChar(service: string, char: string): GattCharacteristic {
    for (const s of peripheral.services()) {
      if (canonUuid(s.uuid) !== canonUuid(service)) continue;
      for (const c of s.characteristics) if (canonUuid(c.uuid) === canonUuid(char)) return c;
    }
    throw new Refusal('InvalidStateError', 'GATT Characteristic no longer exists.');
  }

  function endLink(): void {
    if (!connected) return;
    connected = false;
    for (const c of subscribed) c.unsubscribe();
    subscribed.clear();
    peripheral.disconnect();
  }

  function cut(): void {
    cuts++;
    endLink();
    emit({ event: 'disconnected' });
  }

  function connect(): ConnectResult {
    if (connected) return describe();
    try {
      peripheral.connect({
        // the pod ended the link (out of range, reset): the browser hears of it as gattserverdisconnected
        onDisconnect: () => {
          if (!connected) return;
          connected = false;
          subscribed.clear();
          emit({ event: 'disconnected' });
        },
      });
    } catch {
      throw new Refusal('NetworkError', 'Connection Error: Connection attempt failed.');
    }
    connected = true;
    connects++;
    peripheral.pair(options.passkey);
    return describe();
  }

  function describe(): ConnectResult {
    return {
      mtu: peripheral.mtu,
      services: peripheral.services().map((s) => ({ uuid: s.uuid, characteristics: s.characteristics.map((c) => ({ uuid: c.uuid, properties: [...c.properties] })) })),
    };
  }

  function subscribe(service: string, char: string): void {
    const c = findChar(service, char);
    if (!c.properties.includes('notify') && !c.properties.includes('indicate')) throw new Refusal('NotSupportedError', 'GATT Error: Not supported.');
    c.subscribe((value) => {
      if (!connected) return;
      if (value.length > peripheral.mtu - ATT_HEADER_BYTES) throw new Error(`a notification of ${value.length} bytes does not fit MTU ${peripheral.mtu}`);
      // a cut point reached: this notification and everything after it never arrive
      if (cutPoints.length && bytesNotified + value.length > cutPoints[0]) {
        cutPoints.shift();
        cut();
        return;
      }
      bytesNotified += value.length;
      emit({ event: 'notify', service, char, data: Array.from(value) });
    });
    subscribed.add(c);
  }

  function write(service: string, char: string, data: number[], withResponse: boolean): void {
    const c = findChar(service, char);
    const needed = withResponse ? 'write' : 'writeWithoutResponse';
    if (!c.properties.includes(needed)) throw new Refusal('NotSupportedError', 'GATT operation not permitted.');
    // one ATT packet: the pod (Espruino) takes no long (prepared) writes
    if (data.length > peripheral.mtu - ATT_HEADER_BYTES) throw new Refusal('InvalidModificationError', 'GATT Error: invalid attribute length.');
    c.write(Uint8Array.from(data));
  }

  function handle(r: WireRequest): unknown {
    if (r.op === 'scan') {
      const adv = peripheral.advertisement();
      const found: ScanResult | null = adv && { localName: adv.localName, address: peripheral.address, serviceUuids: adv.serviceUuids };
      return found;
    }
    if (r.op === 'connect') return connect();
    if (r.op === 'disconnect') return endLink();
    if (!connected) throw new Refusal('NetworkError', NOT_CONNECTED);
    switch (r.op) {
      case 'subscribe':
        return subscribe(r.service, r.char);
      case 'unsubscribe': {
        const c = findChar(r.service, r.char);
        c.unsubscribe();
        subscribed.delete(c);
        return null;
      }
      case 'read':
        return Array.from(findChar(r.service, r.char).read());
      case 'write':
        return write(r.service, r.char, r.data, r.withResponse);
    }
  }

  const wire: PeripheralWire = {
    onEvent: () => {},
    async request(r: WireRequest): Promise<WireReply> {
      try {
        return { ok: true, result: handle(r) ?? null };
      } catch (e) {
        const refusal = asRefusal(e);
        return { ok: false, error: { name: refusal.domName, message: refusal.message } };
      }
    },
    cutAfterBytes(bytes: number) {
      cutPoints.push(bytesNotified + bytes);
      cutPoints.sort((a, b) => a - b);
    },
    get cuts() {
      return cuts;
    },
    get bytesNotified() {
      return bytesNotified;
    },
    get connects() {
      return connects;
    },
    close: () => endLink(),
  };
  return wire;
}
