/**
 * A test double for `navigator.bluetooth`, injected into the page before its
 * own script runs (Playwright's addInitScript). It behaves like Chrome's Web
 * Bluetooth where the page can tell (filters and optionalServices are
 * enforced, one device chooser, NetworkError while disconnected,
 * `characteristicvaluechanged` and `gattserverdisconnected` events), and
 * forwards every GATT operation over a WebSocket to a bridge in the test
 * (test/browser/gatt-bridge.ts) that holds the virtual pod running the real
 * firmware bundle. The browser's own pairing dialog is the bridge's job: it
 * pairs with the pod's passkey at each connect, as a bonded browser would.
 *
 * Set before this script: window.__RETROSTEP_BRIDGE_URL__ (ws://...).
 * Optional: window.__RETROSTEP_BLUETOOTH_AVAILABLE__ = false (Bluetooth off).
 */

interface BridgeReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string };
}
interface BridgeEvent {
  event: 'notify' | 'disconnected';
  service?: string;
  char?: string;
  data?: number[];
}
interface RemoteService {
  uuid: string;
  characteristics: { uuid: string; properties: string[] }[];
}

type Win = typeof window & { __RETROSTEP_BRIDGE_URL__?: string; __RETROSTEP_BLUETOOTH_AVAILABLE__?: boolean; __bluetoothDouble?: { requests: unknown[] } };
const w = window as Win;

/** Bluetooth base UUID tail: 16- and 32-bit UUIDs are short forms of 0000xxxx-0000-1000-8000-00805f9b34fb. */
const BASE_TAIL = '00001000800000805f9b34fb';

/** Any spelling (number, '1814', dashed, noble form) to 32 lower-case hex digits, to compare. */
function canon(u: string | number): string {
  if (typeof u === 'number') return u.toString(16).padStart(8, '0') + BASE_TAIL;
  const s = u.toLowerCase().replace(/-/g, '').replace(/^0x/, '');
  if (s.length === 4) return '0000' + s + BASE_TAIL;
  if (s.length === 8) return s + BASE_TAIL;
  return s;
}

/** The dashed form Web Bluetooth reports (uuid properties). */
function dashed(u: string): string {
  const s = canon(u);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const domError = (name: string, message: string) => new DOMException(message, name);

class Bridge {
  private readonly ws: WebSocket;
  private readonly opened: Promise<void>;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  onEvent: (e: BridgeEvent) => void = () => {};

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(domError('NetworkError', 'the Bluetooth bridge is not reachable'));
    });
    this.ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data)) as BridgeReply | BridgeEvent;
      if ('event' in msg) return this.onEvent(msg);
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(domError(msg.error!.name, msg.error!.message));
    };
  }

  async call<T>(op: string, args: object = {}): Promise<T> {
    await this.opened;
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, op, ...args }));
    });
  }
}

class FakeCharacteristic extends EventTarget {
  value: DataView | null = null;
  readonly uuid: string;
  readonly properties: Record<string, boolean>;
  constructor(
    readonly service: FakeService,
    private readonly remoteUuid: string,
    props: string[],
  ) {
    super();
    this.uuid = dashed(remoteUuid);
    this.properties = { read: props.includes('read'), write: props.includes('write'), writeWithoutResponse: props.includes('writeWithoutResponse'), notify: props.includes('notify'), indicate: props.includes('indicate') };
  }
  private op<T>(op: string, extra: object = {}): Promise<T> {
    const server = this.service.device.gatt;
    if (!server.connected) return Promise.reject(domError('NetworkError', 'GATT Server is disconnected. Cannot perform GATT operations. (Re)connect first with `device.gatt.connect`.'));
    return server.bridge.call<T>(op, { service: this.service.remoteUuid, char: this.remoteUuid, ...extra });
  }
  async startNotifications(): Promise<this> {
    if (!this.properties.notify && !this.properties.indicate) throw domError('NotSupportedError', 'GATT operation not permitted.');
    await this.op('subscribe');
    this.service.device.gatt.subscribed.set(canon(this.remoteUuid), this);
    return this;
  }
  async stopNotifications(): Promise<this> {
    await this.op('unsubscribe');
    this.service.device.gatt.subscribed.delete(canon(this.remoteUuid));
    return this;
  }
  async readValue(): Promise<DataView> {
    const data = await this.op<number[]>('read');
    this.value = new DataView(Uint8Array.from(data).buffer);
    return this.value;
  }
  private async write(data: BufferSource): Promise<void> {
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // the ATT maximum attribute value (Core spec Vol 3 Part F 3.2.9): Chrome refuses longer writes
    if (bytes.length > 512) throw domError('InvalidModificationError', 'Value can\'t exceed 512 bytes.');
    await this.op('write', { data: Array.from(bytes) });
  }
  writeValue(data: BufferSource): Promise<void> {
    return this.write(data);
  }
  writeValueWithResponse(data: BufferSource): Promise<void> {
    return this.write(data);
  }
  writeValueWithoutResponse(data: BufferSource): Promise<void> {
    return this.write(data);
  }
  deliver(data: number[]): void {
    this.value = new DataView(Uint8Array.from(data).buffer);
    this.dispatchEvent(new Event('characteristicvaluechanged'));
  }
}

class FakeService {
  readonly uuid: string;
  readonly isPrimary = true;
  constructor(
    readonly device: FakeDevice,
    readonly remoteUuid: string,
    private readonly chars: { uuid: string; properties: string[] }[],
  ) {
    this.uuid = dashed(remoteUuid);
  }
  async getCharacteristic(uuid: string | number): Promise<FakeCharacteristic> {
    if (!this.device.gatt.connected) throw domError('NetworkError', 'GATT Server is disconnected.');
    const c = this.chars.find((x) => canon(x.uuid) === canon(uuid));
    if (!c) throw domError('NotFoundError', `No Characteristics matching UUID ${dashed(String(uuid))} found in Service with UUID ${this.uuid}.`);
    return new FakeCharacteristic(this, c.uuid, c.properties);
  }
}

class FakeServer {
  connected = false;
  private services: RemoteService[] = [];
  readonly subscribed = new Map<string, FakeCharacteristic>();
  constructor(
    readonly device: FakeDevice,
    readonly bridge: Bridge,
  ) {}
  async connect(): Promise<this> {
    if (this.connected) return this;
    this.services = await this.bridge.call<RemoteService[]>('connect');
    this.connected = true;
    return this;
  }
  disconnect(): void {
    if (!this.connected) return;
    void this.bridge.call('disconnect').catch(() => undefined);
    this.lost();
  }
  /** the link ended (either side): what Chrome does on gattserverdisconnected */
  lost(): void {
    if (!this.connected) return;
    this.connected = false;
    this.subscribed.clear();
    this.device.dispatchEvent(new Event('gattserverdisconnected'));
  }
  async getPrimaryService(uuid: string | number): Promise<FakeService> {
    if (!this.connected) throw domError('NetworkError', 'GATT Server is disconnected. Cannot retrieve services. (Re)connect first with `device.gatt.connect`.');
    if (!this.device.allowed.has(canon(uuid))) throw domError('SecurityError', `Origin is not allowed to access the service. Tip: Add the service UUID to 'optionalServices' in requestDevice() options.`);
    const s = this.services.find((x) => canon(x.uuid) === canon(uuid));
    if (!s) throw domError('NotFoundError', `No Services matching UUID ${dashed(String(uuid))} found in Device.`);
    return new FakeService(this.device, s.uuid, s.characteristics);
  }
}

class FakeDevice extends EventTarget {
  readonly gatt: FakeServer;
  constructor(
    readonly id: string,
    readonly name: string,
    readonly allowed: Set<string>,
    bridge: Bridge,
  ) {
    super();
    this.gatt = new FakeServer(this, bridge);
    bridge.onEvent = (e) => {
      if (e.event === 'disconnected') this.gatt.lost();
      else if (e.event === 'notify' && this.gatt.connected) this.gatt.subscribed.get(canon(e.char!))?.deliver(e.data!);
    };
  }
}

interface Filter {
  services?: (string | number)[];
  name?: string;
  namePrefix?: string;
}

function install(): void {
  const url = w.__RETROSTEP_BRIDGE_URL__;
  const requests: unknown[] = [];
  w.__bluetoothDouble = { requests };
  let bridge: Bridge | null = null;
  let device: FakeDevice | null = null;
  const bluetooth = {
    async getAvailability(): Promise<boolean> {
      return w.__RETROSTEP_BLUETOOTH_AVAILABLE__ !== false;
    },
    async requestDevice(options: { filters?: Filter[]; optionalServices?: (string | number)[]; acceptAllDevices?: boolean }): Promise<FakeDevice> {
      requests.push(JSON.parse(JSON.stringify(options)));
      if (w.__RETROSTEP_BLUETOOTH_AVAILABLE__ === false) throw domError('NotFoundError', 'Bluetooth adapter not available.');
      if (!options.acceptAllDevices && !(options.filters && options.filters.length)) throw new TypeError("Failed to execute 'requestDevice' on 'Bluetooth': Either 'filters' should be present or 'acceptAllDevices' should be true, but not both.");
      if (!url) throw domError('NotFoundError', 'User cancelled the requestDevice() chooser.');
      bridge ??= new Bridge(url);
      const adv = await bridge.call<{ localName: string; address: string; serviceUuids: string[] } | null>('scan');
      const advertised = new Set((adv?.serviceUuids ?? []).map(canon));
      const matches = (f: Filter) => (f.services ?? []).every((s) => advertised.has(canon(s))) && (f.name === undefined || f.name === adv?.localName) && (f.namePrefix === undefined || !!adv?.localName.startsWith(f.namePrefix));
      // the chooser lists only matching devices; the person picks the one there is
      if (!adv || !(options.acceptAllDevices || options.filters!.some(matches))) throw domError('NotFoundError', 'User cancelled the requestDevice() chooser.');
      const allowed = new Set([...(options.filters ?? []).flatMap((f) => f.services ?? []), ...(options.optionalServices ?? [])].map(canon));
      device ??= new FakeDevice(`double-${adv.address}`, adv.localName, allowed, bridge);
      return device;
    },
  };
  Object.defineProperty(Navigator.prototype, 'bluetooth', { configurable: true, get: () => bluetooth });
}

install();
