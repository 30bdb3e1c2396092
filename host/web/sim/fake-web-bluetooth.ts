/**
 * A fake `navigator.bluetooth` that behaves like Chrome's Web Bluetooth
 * where a page can tell, over a GattWire to the pod's half
 * (peripheral-wire.ts). Runs in Node (the transport contract suite) and in
 * a page (web-bluetooth-double.ts). What it keeps from Chrome (Blink's
 * modules/bluetooth, messages from bluetooth_error.cc):
 * - requestDevice needs filters (or acceptAllDevices); the chooser lists
 *   only matching devices, and only filtered or optional services may be used;
 * - GATT calls while disconnected reject with NetworkError; a call still
 *   running when the link goes also rejects with NetworkError;
 * - one read or write at a time per characteristic: a second one meanwhile
 *   rejects with "GATT operation already in progress.";
 * - values over 512 bytes are refused; the pod refuses writes longer than
 *   the link's MTU allows (peripheral-wire.ts);
 * - services and characteristics belong to one connection: after a
 *   reconnect the old objects reject with InvalidStateError; within one
 *   connection getCharacteristic returns the same object;
 * - events (`characteristicvaluechanged`, `gattserverdisconnected` after a
 *   lost link) come as tasks of their own, never inside the call that caused
 *   them; `disconnect()` fires `gattserverdisconnected` at once.
 */
import type { BluetoothDeviceLike, GattCharacteristicLike, GattServerLike, GattServiceLike } from '../page/web-bluetooth-api.js';
import { canonUuid, type ConnectResult, dashedUuid, type GattWire, type ScanResult, type WireEvent, type WireReply } from './gatt-wire.js';

/** The ATT maximum attribute value (Core spec Vol 3 Part F 3.2.9): Blink refuses longer writes itself. */
const MAX_VALUE_BYTES = 512;

const domError = (name: string, message: string) => new DOMException(message, name);
const notConnected = (what: string) => domError('NetworkError', `GATT Server is disconnected. Cannot ${what}. (Re)connect first with \`device.gatt.connect\`.`);

type BufferSourceLike = ArrayBuffer | ArrayBufferView;

interface RequestDeviceFilter {
  services?: (string | number)[];
  name?: string;
  namePrefix?: string;
}
interface RequestDeviceOptions {
  filters?: RequestDeviceFilter[];
  optionalServices?: (string | number)[];
  acceptAllDevices?: boolean;
}

export class FakeCharacteristic extends EventTarget implements GattCharacteristicLike {
  value: DataView | null = null;
  readonly uuid: string;
  readonly properties: { read: boolean; write: boolean; writeWithoutResponse: boolean; notify: boolean; indicate: boolean };
  /** a read or write is out on the air: Chrome's platform layer allows one per characteristic */
  private busy = false;

  constructor(
    readonly service: FakeService,
    private readonly generation: number,
    props: string[],
    uuid: string,
  ) {
    super();
    this.uuid = dashedUuid(uuid);
    const has = (p: string) => props.includes(p);
    this.properties = { read: has('read'), write: has('write'), writeWithoutResponse: has('writeWithoutResponse'), notify: has('notify'), indicate: has('indicate') };
  }

  private get server(): FakeServer {
    return this.service.device.gatt;
  }

  /** Blink's checks before anything goes out, in its order. */
  private usable(): DOMException | null {
    if (!this.server.connected) return notConnected('perform GATT operations');
    if (this.server.generation !== this.generation) return domError('InvalidStateError', `Characteristic with UUID ${this.uuid} is no longer valid. Remember to retrieve the characteristic again after reconnecting.`);
    return null;
  }

  private async call(op: 'read' | 'write' | 'subscribe' | 'unsubscribe', extra: object = {}, exclusive = false): Promise<unknown> {
    const refused = this.usable();
    if (refused) throw refused;
    if (exclusive && this.busy) throw domError('NetworkError', 'GATT operation already in progress.');
    if (exclusive) this.busy = true;
    let reply: WireReply;
    try {
      reply = await this.server.request({ op, service: this.service.uuid, char: this.uuid, ...extra } as never);
    } finally {
      if (exclusive) this.busy = false;
    }
    // the link went while this was out: Blink drops the answer
    if (this.server.generation !== this.generation || !this.server.connected) throw notConnected('perform GATT operations');
    if (!reply.ok) throw domError(reply.error.name, reply.error.message);
    return reply.result;
  }

  async readValue(): Promise<DataView> {
    const data = (await this.call('read', {}, true)) as number[];
    this.value = new DataView(Uint8Array.from(data).buffer);
    return this.value;
  }

  private write(value: BufferSourceLike, withResponse: boolean): Promise<void> {
    // Blink copies the bytes when the call is made, before any await
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value.slice(0)) : new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
    const refused = this.usable();
    if (refused) return Promise.reject(refused);
    if (bytes.length > MAX_VALUE_BYTES) return Promise.reject(domError('InvalidModificationError', "Value can't exceed 512 bytes."));
    return this.call('write', { data: Array.from(bytes), withResponse }, true).then(() => undefined);
  }

  writeValue(value: BufferSourceLike): Promise<void> {
    return this.write(value, true);
  }
  writeValueWithResponse(value: BufferSourceLike): Promise<void> {
    return this.write(value, true);
  }
  writeValueWithoutResponse(value: BufferSourceLike): Promise<void> {
    return this.write(value, false);
  }

  async startNotifications(): Promise<this> {
    await this.call('subscribe');
    this.server.notifying.set(canonUuid(this.uuid), this);
    return this;
  }

  async stopNotifications(): Promise<this> {
    await this.call('unsubscribe');
    this.server.notifying.delete(canonUuid(this.uuid));
    return this;
  }

  /** A notification arrived (in its own task): the value first, then the event. */
  notified(data: number[]): void {
    this.value = new DataView(Uint8Array.from(data).buffer);
    this.dispatchEvent(new Event('characteristicvaluechanged'));
  }
}

export class FakeService implements GattServiceLike {
  readonly uuid: string;
  readonly isPrimary = true;
  private readonly chars = new Map<string, FakeCharacteristic>();

  constructor(
    readonly device: FakeDevice,
    private readonly generation: number,
    private readonly remote: ConnectResult['services'][number],
  ) {
    this.uuid = dashedUuid(remote.uuid);
  }

  async getCharacteristic(uuid: string | number): Promise<FakeCharacteristic> {
    const server = this.device.gatt;
    if (!server.connected) throw notConnected('retrieve characteristics');
    if (server.generation !== this.generation) throw domError('InvalidStateError', `Service with UUID ${this.uuid} is no longer valid. Remember to retrieve the service again after reconnecting.`);
    const key = canonUuid(uuid);
    const c = this.remote.characteristics.find((x) => canonUuid(x.uuid) === key);
    if (!c) throw domError('NotFoundError', `No Characteristics matching UUID ${dashedUuid(uuid)} found in Service with UUID ${this.uuid}.`);
    let found = this.chars.get(key);
    if (!found) this.chars.set(key, (found = new FakeCharacteristic(this, this.generation, c.properties, c.uuid)));
    return found;
  }
}

export class FakeServer implements GattServerLike {
  connected = false;
  /** one per connection: services and characteristics from another one are no longer valid */
  generation = 0;
  readonly notifying = new Map<string, FakeCharacteristic>();
  private remote: ConnectResult | null = null;
  private readonly services = new Map<string, FakeService>();

  constructor(
    readonly device: FakeDevice,
    private readonly wire: GattWire,
  ) {}

  request(r: Parameters<GattWire['request']>[0]): Promise<WireReply> {
    return this.wire.request(r);
  }

  async connect(): Promise<this> {
    if (this.connected) return this;
    const reply = await this.wire.request({ op: 'connect' });
    if (!reply.ok) throw domError(reply.error.name, reply.error.message);
    this.remote = reply.result as ConnectResult;
    this.generation++;
    this.services.clear();
    this.notifying.clear();
    this.connected = true;
    return this;
  }

  disconnect(): void {
    if (!this.connected) return;
    void this.wire.request({ op: 'disconnect' });
    this.ended();
  }

  /** The link ended, from either side. */
  ended(): void {
    if (!this.connected) return;
    this.connected = false;
    this.generation++;
    this.notifying.clear();
    this.device.dispatchEvent(new Event('gattserverdisconnected'));
  }

  async getPrimaryService(uuid: string | number): Promise<FakeService> {
    if (!this.connected || !this.remote) throw notConnected('retrieve services');
    const key = canonUuid(uuid);
    if (!this.device.allowed.has(key)) throw domError('SecurityError', "Origin is not allowed to access the service. Tip: Add the service UUID to 'optionalServices' in requestDevice() options. https://goo.gl/HxfxSQ");
    const s = this.remote.services.find((x) => canonUuid(x.uuid) === key);
    if (!s) throw domError('NotFoundError', `No Services matching UUID ${dashedUuid(uuid)} found in Device.`);
    let found = this.services.get(key);
    if (!found) this.services.set(key, (found = new FakeService(this.device, this.generation, s)));
    return found;
  }
}

export class FakeDevice extends EventTarget implements BluetoothDeviceLike {
  readonly gatt: FakeServer;
  constructor(
    readonly id: string,
    readonly name: string,
    readonly allowed: Set<string>,
    wire: GattWire,
  ) {
    super();
    this.gatt = new FakeServer(this, wire);
  }
}

export interface FakeBluetooth {
  /** every requestDevice options object, as the page passed it */
  readonly requests: RequestDeviceOptions[];
  getAvailability(): Promise<boolean>;
  requestDevice(options: RequestDeviceOptions): Promise<FakeDevice>;
}

/** navigator.bluetooth over `wire`; the chooser picks the one pod in range when it matches the filters. */
export function fakeBluetooth(wire: GattWire): FakeBluetooth {
  const requests: RequestDeviceOptions[] = [];
  let device: FakeDevice | null = null;
  // the air's events, each delivered in a task of its own, in order
  const queue: WireEvent[] = [];
  const deliver = () => {
    const e = queue.shift();
    if (!e || !device) return;
    if (e.event === 'disconnected') device.gatt.ended();
    else if (device.gatt.connected) device.gatt.notifying.get(canonUuid(e.char))?.notified(e.data);
  };
  wire.onEvent = (e) => {
    queue.push(e);
    setTimeout(deliver, 0);
  };

  return {
    requests,
    async getAvailability() {
      return true;
    },
    async requestDevice(options: RequestDeviceOptions): Promise<FakeDevice> {
      requests.push(JSON.parse(JSON.stringify(options)) as RequestDeviceOptions);
      if (!options.acceptAllDevices === !(options.filters && options.filters.length)) throw new TypeError("Failed to execute 'requestDevice' on 'Bluetooth': Either 'filters' should be present or 'acceptAllDevices' should be true, but not both.");
      const reply = await wire.request({ op: 'scan' });
      const adv = reply.ok ? (reply.result as ScanResult | null) : null;
      const advertised = new Set((adv?.serviceUuids ?? []).map(canonUuid));
      const matches = (f: RequestDeviceFilter) =>
        (f.services ?? []).every((s) => advertised.has(canonUuid(s))) && (f.name === undefined || f.name === adv?.localName) && (f.namePrefix === undefined || !!adv?.localName.startsWith(f.namePrefix));
      // the chooser lists only matching devices; with none, the person can only cancel
      if (!adv || !(options.acceptAllDevices || options.filters!.some(matches))) throw domError('NotFoundError', 'User cancelled the requestDevice() chooser.');
      const allowed = new Set([...(options.filters ?? []).flatMap((f) => f.services ?? []), ...(options.optionalServices ?? [])].map(canonUuid));
      // the same device object for the same device, as Chrome keeps per page
      if (device?.id !== adv.address) device = new FakeDevice(adv.address, adv.localName, allowed, wire);
      else for (const s of allowed) device.allowed.add(s);
      return device;
    },
  };
}
