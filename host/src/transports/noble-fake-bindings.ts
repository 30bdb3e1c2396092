/**
 * Fake noble bindings: the object noble's core (lib/noble.js) drives instead
 * of an HCI socket, with GattPeripheral objects (host/src/sim/gatt.ts) on the
 * far side of the "radio". `new Noble(new FakeBindings({ peripherals }))`
 * runs noble's real code (state machine, peripheral/service/characteristic
 * objects, async helpers) with no adapter, so the BLE transport is tested
 * through the same library it uses on a real machine, and the CLI can reach
 * the virtual pod through noble.
 *
 * The contract, read from noble 2.x lib/noble.js and lib/hci-socket/bindings.js:
 * noble calls methods (start, startScanning, connect, discoverServices,
 * write, notify, ...) and never waits for a return value; every answer comes
 * back later as an event on this emitter, keyed by peripheral id (the MAC
 * address, lower-case, no colons). This fake keeps that shape:
 * - every event is emitted asynchronously (setImmediate), never from inside
 *   the call that caused it, as a real controller would;
 * - GATT requests on one link run one at a time in FIFO order (ATT allows one
 *   outstanding request), so writes reach the peripheral in the order made;
 * - notifications arrive as 'read' events with isNotification = true (that
 *   is how every noble binding reports them; noble turns them into the
 *   characteristic's 'data' event);
 * - a peripheral-side disconnect (onDisconnect from the GattPeripheral)
 *   becomes a 'disconnect' event with an HCI reason code, and pending GATT
 *   requests on that link are dropped without an answer, exactly like the
 *   hci bindings (noble's *Async helpers reject them on the disconnect);
 * - connect() to a peripheral that is not advertising stays pending until it
 *   advertises or cancelConnect() is called, like an LE Create Connection.
 *
 * Deliberate difference from the hci-socket bindings: where hci-socket stays
 * silent on a failed request (an ATT error response to a write or a CCCD
 * write is dropped, so the caller waits forever), this fake answers with an
 * Error in the event's error argument, as the mac/win/dbus bindings do and
 * as noble's core supports. Code under test must handle both: errors AND
 * silence (so: timeouts).
 */
import { EventEmitter } from 'node:events';
import { GattAuthError, type GattCharacteristic, type GattPeripheral, type GattService } from '../sim/gatt.js';
import { toNobleUuid } from '../../../shared/protocol/uuids.js';

export type FakeAdapterState = 'poweredOn' | 'poweredOff' | 'unsupported' | 'unauthorized';

export interface FakeBindingsOptions {
  peripherals: GattPeripheral[];
  /** What the fake adapter reports after start (default poweredOn). */
  adapterState?: FakeAdapterState;
  /**
   * How often an advertising peripheral is heard while scanning. A Puck.js
   * advertises every 375 ms; 10 ms keeps tests fast while still making
   * discovery a timed, repeated event rather than an instant one.
   */
  advertisingInterval_ms?: number;
  /**
   * The passkey "the OS agent" enters when noble's pair() is called: noble
   * has no passkey API of its own, so the fake takes it here and hands it to
   * GattPeripheral.pair(). Without one, pairing fails.
   */
  passkey?: string;
  /**
   * A bond the operating system already holds for every peripheral (the user
   * paired with bluetoothctl or the system dialog, as the README says): the
   * link is encrypted as soon as it connects, with this passkey's bond,
   * without noble calling pair(). This is how a real retrostep user's BLE
   * link reaches the pod's secured RX.
   */
  osBondPasskey?: string;
}

/** HCI disconnect reasons (Bluetooth Core spec, Vol 1 Part F), as hci-socket reports them. */
const HCI_UNKNOWN_CONNECTION_ID = 0x02;
/** Adapter went away (hci-socket uses this when the state leaves poweredOn). */
const HCI_HARDWARE_FAILURE = 0x03;
/** Supervision timeout: what "walked out of range" looks like on the air. */
const HCI_CONNECTION_TIMEOUT = 0x08;
/** The peripheral ended the connection. */
const HCI_REMOTE_USER_TERMINATED = 0x13;
/** This central ended the connection. */
const HCI_LOCAL_HOST_TERMINATED = 0x16;

/** ATT_MTU before any exchange (Core spec Vol 3 Part F 3.2.8); values are MTU - 3 bytes. */
const DEFAULT_ATT_MTU = 23;
/** ATT write/notify header: opcode (1) + attribute handle (2). */
const ATT_HEADER_BYTES = 3;
/** Client Characteristic Configuration descriptor: where notifications are switched on. */
const CCCD_UUID = '2902';
/** The fake adapter's own address, reported via addressChange like a real controller. */
const FAKE_ADAPTER_ADDRESS = '00:00:5e:00:53:00';
const DEFAULT_ADVERTISING_INTERVAL_ms = 10;

interface Link {
  readonly id: string;
  readonly peripheral: GattPeripheral;
  /** false once disconnected from either side: late answers are dropped. */
  alive: boolean;
  /** Subscribed characteristics, keyed `${service}/${characteristic}`. */
  readonly subscribed: Map<string, GattCharacteristic>;
  /** GATT requests waiting their turn (ATT: one outstanding request per link). */
  readonly queue: (() => void)[];
  draining: boolean;
}

/** noble's peripheral id for an address: lower-case hex without colons. */
function addressToNobleId(address: string): string {
  return address.toLowerCase().replace(/[^0-9a-f]/g, '');
}

function gattError(what: string, error: unknown): Error {
  if (error instanceof GattAuthError) return new Error(`${what}: insufficient authentication (ATT error 0x05): ${error.message}`);
  return new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
}

export class FakeBindings extends EventEmitter {
  private readonly peripheralsById = new Map<string, GattPeripheral>();
  private readonly links = new Map<string, Link>();
  private readonly pendingConnects = new Set<string>();
  private readonly advertisingInterval_ms: number;
  private readonly passkey: string | undefined;
  private readonly osBondPasskey: string | undefined;
  private state: FakeAdapterState;
  /** true between start() and stop(): nothing is emitted outside it. */
  private running = false;
  private scanning = false;
  private scanFilter: string[] = [];
  private scanTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;

  constructor(options: FakeBindingsOptions) {
    super();
    for (const p of options.peripherals) this.addPeripheral(p);
    this.state = options.adapterState ?? 'poweredOn';
    this.advertisingInterval_ms = options.advertisingInterval_ms ?? DEFAULT_ADVERTISING_INTERVAL_ms;
    this.passkey = options.passkey;
    this.osBondPasskey = options.osBondPasskey;
  }

  // ---- test and sim controls (not part of noble's bindings contract) ----

  /** Put another peripheral in range (e.g. the virtual pod started later). */
  addPeripheral(peripheral: GattPeripheral): void {
    this.peripheralsById.set(addressToNobleId(peripheral.address), peripheral);
  }

  /** Adapter unplugged / switched off / back on. Leaving poweredOn drops every link first, as hci-socket does. */
  setAdapterState(state: FakeAdapterState): void {
    if (state === this.state) return;
    const wasOn = this.state === 'poweredOn';
    this.state = state;
    if (wasOn && state !== 'poweredOn') {
      this.stopScanTimer();
      this.pendingConnects.clear();
      this.updateConnectTimer();
      for (const link of [...this.links.values()]) this.endLink(link, HCI_HARDWARE_FAILURE, 'local');
    }
    this.later(() => this.emit('stateChange', state));
  }

  /**
   * Nothing scheduled: no scan, no pending connection, no link. Only then
   * does this fake hold no timers, i.e. nothing of it keeps the process alive.
   */
  get idle(): boolean {
    return this.scanTimer === null && this.connectTimer === null && this.links.size === 0;
  }

  /** Ids of peripherals with a live link (for assertions). */
  get connectedIds(): string[] {
    return [...this.links.keys()];
  }

  // ---- adapter ----

  start(): void {
    this.running = true;
    this.later(() => {
      this.emit('stateChange', this.state);
      if (this.state === 'poweredOn') this.emit('addressChange', FAKE_ADAPTER_ADDRESS);
    });
  }

  /** Older noble versions call init() instead of start(). */
  init(): void {
    this.start();
  }

  /**
   * noble.stop(): like hci-socket, stop scanning, drop links and go quiet.
   * No events follow (hci-socket closes its socket, so the disconnect
   * completions never arrive either); every timer is cleared so nothing
   * keeps the process alive.
   */
  stop(): void {
    this.stopScanTimer();
    this.pendingConnects.clear();
    this.updateConnectTimer();
    for (const link of [...this.links.values()]) this.endLink(link, HCI_LOCAL_HOST_TERMINATED, 'local');
    this.running = false;
  }

  /** noble.reset(): a controller reset drops every link and the scan. */
  reset(): void {
    this.stopScanTimer();
    this.pendingConnects.clear();
    this.updateConnectTimer();
    for (const link of [...this.links.values()]) this.endLink(link, HCI_LOCAL_HOST_TERMINATED, 'local');
  }

  setScanParameters(_interval: number, _window: number): void {
    this.later(() => this.emit('scanParametersSet'));
  }

  setAddress(address: string): void {
    this.later(() => this.emit('addressChange', address));
  }

  addressToId(address: string): string | null {
    const id = addressToNobleId(address);
    return id.length === 12 ? id : null;
  }

  // ---- scanning ----

  startScanning(serviceUuids?: string[], allowDuplicates?: boolean): void {
    if (this.state !== 'poweredOn') return; // noble's core refuses before calling us; a dead controller would ignore it
    this.scanFilter = (serviceUuids ?? []).map(toNobleUuid);
    const filterDuplicates = !allowDuplicates;
    if (this.scanning) {
      // hci-socket answers a second start with another scanStart
      this.later(() => this.emit('scanStart', filterDuplicates));
      return;
    }
    this.scanning = true;
    this.later(() => {
      if (!this.scanning) return;
      this.emit('scanStart', filterDuplicates);
      this.advertiseAll();
    });
    this.scanTimer = setInterval(() => this.advertiseAll(), this.advertisingInterval_ms);
  }

  stopScanning(): void {
    this.stopScanTimer();
    this.later(() => this.emit('scanStop'));
  }

  private stopScanTimer(): void {
    this.scanning = false;
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.scanTimer = null;
  }

  /** One advertising interval: every advertising peripheral that passes the filter is heard. */
  private advertiseAll(): void {
    if (!this.running || !this.scanning) return;
    for (const [id, p] of this.peripheralsById) {
      if (this.links.has(id)) continue; // a connected Puck.js stops advertising
      const ad = p.advertisement();
      if (!ad) continue;
      const serviceUuids = ad.serviceUuids.map(toNobleUuid);
      if (this.scanFilter.length > 0 && !serviceUuids.some((u) => this.scanFilter.includes(u))) continue;
      // The shape hci-socket's gap.js builds after merging the scan response.
      const advertisement = {
        localName: ad.localName,
        txPowerLevel: ad.txPowerLevel,
        manufacturerData: ad.manufacturerData ? Buffer.from(ad.manufacturerData) : undefined,
        serviceData: [],
        serviceUuids,
        serviceSolicitationUuids: [],
      };
      // Puck.js uses a random static address; connectable, scan response merged (so not "scannable")
      this.emit('discover', id, p.address.toLowerCase(), 'random', true, advertisement, p.rssi, false);
    }
  }

  // ---- connections ----

  connect(id: string, _parameters?: unknown): void {
    if (this.state !== 'poweredOn') {
      const state = this.state;
      this.later(() => this.emit('connect', id, new Error(`Cannot connect while adapter state is ${state} (not poweredOn)`)));
      return;
    }
    if (this.links.has(id)) {
      this.later(() => this.emit('connect', id, new Error('Peripheral already connected')));
      return;
    }
    // hci-socket stops an active scan before creating a connection
    if (this.scanning) this.stopScanning();
    this.pendingConnects.add(id);
    this.later(() => this.tryConnect(id));
    this.updateConnectTimer();
  }

  cancelConnect(id: string): void {
    // noble's core has already answered the caller; a real controller just stops trying
    this.pendingConnects.delete(id);
    this.updateConnectTimer();
  }

  /** A pending connect retries every advertising interval, like a controller listening for the peripheral. */
  private updateConnectTimer(): void {
    if (this.pendingConnects.size > 0 && this.running && !this.connectTimer) {
      this.connectTimer = setInterval(() => {
        for (const id of [...this.pendingConnects]) this.tryConnect(id);
      }, this.advertisingInterval_ms);
    } else if ((this.pendingConnects.size === 0 || !this.running) && this.connectTimer) {
      clearInterval(this.connectTimer);
      this.connectTimer = null;
    }
  }

  private tryConnect(id: string): void {
    if (!this.running || !this.pendingConnects.has(id)) return;
    const peripheral = this.peripheralsById.get(id);
    // Not in range, or not advertising (connected elsewhere): keep trying until cancelled.
    if (!peripheral || !peripheral.advertisement()) return;
    this.pendingConnects.delete(id);
    this.updateConnectTimer();

    const link: Link = { id, peripheral, alive: true, subscribed: new Map(), queue: [], draining: false };
    try {
      peripheral.connect({ onDisconnect: (reason: string) => this.onPeripheralDisconnect(link, reason) });
    } catch (error) {
      this.emit('connect', id, gattError('connection failed', error));
      return;
    }
    // an OS-held bond encrypts the link before any ATT traffic, as the controller would
    if (this.osBondPasskey !== undefined) peripheral.pair(this.osBondPasskey);
    this.links.set(id, link);
    this.emit('connect', id, null);
    // hci-socket queues the MTU exchange as the link's first ATT request
    this.enqueue(link, () => this.emit('onMtu', id, peripheral.mtu || DEFAULT_ATT_MTU));
  }

  disconnect(id: string): void {
    const link = this.links.get(id);
    if (!link) {
      // Nothing to disconnect: answer anyway so a waiting caller is released.
      this.later(() => this.emit('disconnect', id, HCI_UNKNOWN_CONNECTION_ID));
      return;
    }
    this.endLink(link, HCI_LOCAL_HOST_TERMINATED, 'local');
  }

  /** The peripheral side ended the link (out of range, reset, it disconnected us). */
  private onPeripheralDisconnect(link: Link, reason: string): void {
    if (!link.alive) return;
    const code = /range|timeout|lost|supervision/i.test(reason) ? HCI_CONNECTION_TIMEOUT : HCI_REMOTE_USER_TERMINATED;
    this.endLink(link, code, 'remote');
  }

  private endLink(link: Link, reason: number, side: 'local' | 'remote'): void {
    if (!link.alive) return;
    link.alive = false; // first, so a re-entrant onDisconnect from peripheral.disconnect() is ignored
    link.queue.length = 0; // pending requests get no answer, as on a real link
    this.links.delete(link.id);
    if (side === 'local') {
      for (const ch of link.subscribed.values()) ch.unsubscribe();
      link.subscribed.clear();
      link.peripheral.disconnect();
    }
    link.subscribed.clear();
    this.later(() => this.emit('disconnect', link.id, reason));
  }

  /** noble.pair(): bond with the configured passkey. Answers (id, paired, error) like the win bindings. */
  pair(id: string, _kind?: number, _protectionLevel?: number): void {
    const link = this.links.get(id);
    this.later(() => {
      if (!link || !link.alive) return void this.emit('pair', id, false, new Error(`not connected to ${id}`));
      if (this.passkey === undefined) return void this.emit('pair', id, false, new Error('pairing needs a passkey and none is configured'));
      const paired = link.peripheral.pair(this.passkey);
      this.emit('pair', id, paired, paired ? undefined : new Error('pairing rejected: wrong passkey?'));
    });
  }

  updateRssi(id: string): void {
    const link = this.links.get(id);
    this.later(() =>
      link ? this.emit('rssiUpdate', id, link.peripheral.rssi) : this.emit('rssiUpdate', id, 127, new Error(`not connected to ${id}`)),
    );
  }

  // ---- GATT ----

  discoverServices(id: string, uuids?: string[]): void {
    this.request(id, (link) => {
      const wanted = (uuids ?? []).map(toNobleUuid);
      const found = link.peripheral
        .services()
        .map((s) => toNobleUuid(s.uuid))
        .filter((u) => wanted.length === 0 || wanted.includes(u));
      this.emit('servicesDiscover', id, found);
    }, (error) => this.emit('servicesDiscover', id, [], error));
  }

  discoverIncludedServices(id: string, serviceUuid: string, _uuids?: string[]): void {
    this.request(id, () => this.emit('includedServicesDiscover', id, serviceUuid, []),
      (error) => this.emit('includedServicesDiscover', id, serviceUuid, [], error));
  }

  discoverCharacteristics(id: string, serviceUuid: string, characteristicUuids?: string[]): void {
    this.request(id, (link) => {
      const service = this.findService(link, serviceUuid);
      const wanted = (characteristicUuids ?? []).map(toNobleUuid);
      const found = service.characteristics
        .filter((c) => wanted.length === 0 || wanted.includes(toNobleUuid(c.uuid)))
        .map((c) => ({ uuid: toNobleUuid(c.uuid), properties: [...c.properties] }));
      this.emit('characteristicsDiscover', id, serviceUuid, found);
    }, (error) => this.emit('characteristicsDiscover', id, serviceUuid, [], error));
  }

  read(id: string, serviceUuid: string, characteristicUuid: string): void {
    this.request(id, (link) => {
      const ch = this.findCharacteristic(link, serviceUuid, characteristicUuid);
      if (!ch.properties.includes('read')) throw new Error('read not permitted (ATT error 0x02)');
      this.emit('read', id, serviceUuid, characteristicUuid, Buffer.from(ch.read()), false);
    }, (error) => this.emit('read', id, serviceUuid, characteristicUuid, Buffer.alloc(0), false, error));
  }

  write(id: string, serviceUuid: string, characteristicUuid: string, data: Buffer, withoutResponse: boolean): void {
    const value = new Uint8Array(data); // copy now: the caller may reuse its buffer
    this.request(id, (link) => {
      const ch = this.findCharacteristic(link, serviceUuid, characteristicUuid);
      const needed = withoutResponse ? 'writeWithoutResponse' : 'write';
      if (!ch.properties.includes(needed)) throw new Error(`${needed} not permitted on ${characteristicUuid} (ATT error 0x03)`);
      // A Write Command carries at most MTU - 3 bytes (no long-write procedure exists for it)
      const max = link.peripheral.mtu - ATT_HEADER_BYTES;
      if (withoutResponse && value.length > max) throw new Error(`write without response of ${value.length} bytes exceeds ATT_MTU - 3 = ${max}`);
      ch.write(value);
      // the peripheral may have dropped the link while handling the value: then no response comes
      if (link.alive) this.emit('write', id, serviceUuid, characteristicUuid);
    }, (error) => this.emit('write', id, serviceUuid, characteristicUuid, error));
  }

  notify(id: string, serviceUuid: string, characteristicUuid: string, notify: boolean): void {
    this.request(id, (link) => {
      const ch = this.findCharacteristic(link, serviceUuid, characteristicUuid);
      this.setSubscribed(link, serviceUuid, ch, notify);
      this.emit('notify', id, serviceUuid, characteristicUuid, notify);
    }, (error) => this.emit('notify', id, serviceUuid, characteristicUuid, notify, error));
  }

  broadcast(id: string, serviceUuid: string, characteristicUuid: string, _broadcast: boolean): void {
    this.request(id, () => {
      throw new Error('broadcast is not supported by retrostep peripherals');
    }, () => this.emit('broadcast', id, serviceUuid, characteristicUuid, false));
  }

  discoverDescriptors(id: string, serviceUuid: string, characteristicUuid: string): void {
    this.request(id, (link) => {
      const ch = this.findCharacteristic(link, serviceUuid, characteristicUuid);
      const hasCccd = ch.properties.includes('notify') || ch.properties.includes('indicate');
      this.emit('descriptorsDiscover', id, serviceUuid, characteristicUuid, hasCccd ? [CCCD_UUID] : []);
    }, (error) => this.emit('descriptorsDiscover', id, serviceUuid, characteristicUuid, [], error));
  }

  readValue(id: string, serviceUuid: string, characteristicUuid: string, descriptorUuid: string): void {
    this.request(id, (link) => {
      this.findCharacteristic(link, serviceUuid, characteristicUuid);
      if (descriptorUuid !== CCCD_UUID) throw new Error(`unknown descriptor ${descriptorUuid}`);
      const on = link.subscribed.has(`${toNobleUuid(serviceUuid)}/${toNobleUuid(characteristicUuid)}`);
      this.emit('valueRead', id, serviceUuid, characteristicUuid, descriptorUuid, Buffer.from([on ? 1 : 0, 0]));
    }, (error) => this.emit('valueRead', id, serviceUuid, characteristicUuid, descriptorUuid, Buffer.alloc(0), error));
  }

  writeValue(id: string, serviceUuid: string, characteristicUuid: string, descriptorUuid: string, data: Buffer): void {
    const value = new Uint8Array(data);
    this.request(id, (link) => {
      const ch = this.findCharacteristic(link, serviceUuid, characteristicUuid);
      if (descriptorUuid !== CCCD_UUID) throw new Error(`unknown descriptor ${descriptorUuid}`);
      this.setSubscribed(link, serviceUuid, ch, (value[0] & 0x03) !== 0); // bit 0 notify, bit 1 indicate
      this.emit('valueWrite', id, serviceUuid, characteristicUuid, descriptorUuid);
    }, (error) => this.emit('valueWrite', id, serviceUuid, characteristicUuid, descriptorUuid, error));
  }

  /** Raw ATT handles are not modelled: GattPeripheral has no handle table. */
  readHandle(id: string, handle: number): void {
    this.later(() => this.emit('handleRead', id, handle, Buffer.alloc(0), new Error('fake bindings do not model ATT handles')));
  }

  writeHandle(id: string, handle: number, _data: Buffer, _withoutResponse: boolean): void {
    this.later(() => this.emit('handleWrite', id, handle, new Error('fake bindings do not model ATT handles')));
  }

  // ---- internals ----

  private setSubscribed(link: Link, serviceUuid: string, ch: GattCharacteristic, on: boolean): void {
    if (!ch.properties.includes('notify') && !ch.properties.includes('indicate')) {
      throw new Error(`${ch.uuid} cannot notify (no CCCD)`);
    }
    const serviceId = toNobleUuid(serviceUuid);
    const characteristicId = toNobleUuid(ch.uuid);
    const key = `${serviceId}/${characteristicId}`;
    if (on && !link.subscribed.has(key)) {
      ch.subscribe((value) => this.deliverNotification(link, key, serviceId, characteristicId, value));
      link.subscribed.set(key, ch);
    } else if (!on && link.subscribed.has(key)) {
      ch.unsubscribe();
      link.subscribed.delete(key);
    }
  }

  /**
   * Called by the peripheral (synchronously, from its notify). Too-long
   * values throw back at the peripheral: a real stack refuses a
   * notification longer than ATT_MTU - 3, so firmware must chunk.
   */
  private deliverNotification(link: Link, key: string, serviceId: string, characteristicId: string, value: Uint8Array): void {
    const max = link.peripheral.mtu - ATT_HEADER_BYTES;
    if (value.length > max) throw new RangeError(`notification of ${value.length} bytes exceeds ATT_MTU - 3 = ${max}`);
    if (!link.alive || !link.subscribed.has(key)) return;
    const copy = Buffer.from(value);
    this.later(() => {
      if (link.alive && link.subscribed.has(key)) this.emit('read', link.id, serviceId, characteristicId, copy, true);
    });
  }

  private findService(link: Link, serviceUuid: string): GattService {
    const want = toNobleUuid(serviceUuid);
    const service = link.peripheral.services().find((s) => toNobleUuid(s.uuid) === want);
    if (!service) throw new Error(`unknown service ${serviceUuid}`);
    return service;
  }

  private findCharacteristic(link: Link, serviceUuid: string, characteristicUuid: string): GattCharacteristic {
    const want = toNobleUuid(characteristicUuid);
    const ch = this.findService(link, serviceUuid).characteristics.find((c) => toNobleUuid(c.uuid) === want);
    if (!ch) throw new Error(`unknown characteristic ${characteristicUuid} in service ${serviceUuid}`);
    return ch;
  }

  /**
   * Queue one GATT request on a link. `run` answers with the success event;
   * if it throws (or there is no link) `fail` answers with the error event.
   */
  private request(id: string, run: (link: Link) => void, fail: (error: Error) => void): void {
    const link = this.links.get(id);
    if (!link) {
      this.later(() => fail(new Error(`not connected to ${id}`)));
      return;
    }
    this.enqueue(link, () => {
      try {
        run(link);
      } catch (error) {
        fail(gattError('GATT request failed', error));
      }
    });
  }

  /** Run a link's requests one per macrotask, in order; a dead link's queue is dropped. */
  private enqueue(link: Link, op: () => void): void {
    link.queue.push(op);
    if (link.draining) return;
    link.draining = true;
    const step = (): void => {
      if (!this.running || !link.alive) {
        link.draining = false;
        return;
      }
      const next = link.queue.shift();
      if (next) next();
      if (link.queue.length > 0 && link.alive) setImmediate(step);
      else link.draining = false;
    };
    setImmediate(step);
  }

  /** Emit later (next macrotask), and only while started. */
  private later(fn: () => void): void {
    setImmediate(() => {
      if (this.running) fn();
    });
  }
}
