/**
 * Espruino as a Puck.js v2 runs it, for the pod bundle inside node:vm: the
 * globals listed in firmware/espruino.d.ts with Espruino's argument shapes,
 * units and error messages, an LSM6DS3TR-C register model behind Puck.accel*
 * (lsm6ds3.ts), Storage on a simulated flash, timers and events on a virtual
 * clock (event-queue.ts), a radio model behind NRF that a host-side GATT
 * central talks to, and process.memory() from an estimate of the pod's
 * variables (var-counter.ts).
 *
 * Where behaviour is not obvious it was read from Espruino's sources
 * (jswrap_puck.c, jswrap_bluetooth.c, jswrap_interactive.c, jsinteractive.h,
 * jswrap_io.c, jswrap_espruino.c, jsflash.c): the comment names the function.
 *
 * One EspruinoRuntime is one power-on: a reset throws it away (RAM, timers,
 * listeners, the radio link) and the virtual pod builds a new one on the same
 * Flash. The runtime never advances time itself: it schedules events on the
 * pod's EventQueue and the pod runs them in time order.
 */
import vm from 'node:vm';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { detokenise } from '../../../shared/espruino/tokens.js';
import { type Flash, PowerLoss, StorageError, storageDataBytes } from './flash.js';
import { GattAuthError, type GattAdvertisement, type GattCharacteristic, type GattProperty, type GattService } from './gatt.js';
import type { EventQueue, QueuedEvent } from './event-queue.js';
import { Lsm6ds3trc } from './lsm6ds3.js';
import { ESPRUINO_IDLE_VARS, nameVars, VAR_RULES, VarCounter } from './var-counter.js';

// =============================================================================================
// Puck.js v2 board facts (Espruino boards/PUCKJS.py and libs/puckjs/jswrap_puck.c)
// =============================================================================================

/** JsVars a Puck.js v2 has (boards/PUCKJS.py 'variables'). */
const PUCK_TOTAL_VARS = 2630;
/** A JsVar is 14 bytes on nRF52 builds with 12-bit refs (16 with 16-bit refs): for converting counts to bytes only. */
const BYTES_PER_VAR = 14;
/** Pin numbers on Puck.js v2: BTN D0, LED3 (blue) D3, LED2 (green) D4, LED1 (red) D5, FET D26 (jswrap_puck.c FET_PIN). */
export const PIN = { BTN: 0, LED3: 3, LED2: 4, LED1: 5, FET: 26 } as const;
/** nRF52832 has P0.00-P0.31. */
const PIN_COUNT = 32;
/** jswrap_puck_getBattery: percentage is linear from 2.2 V (0%) to 2.8 V (100%) for a CR2032. */
const BATTERY_EMPTY_V = 2.2;
const BATTERY_SPAN_V = 0.6;
/** jsinteractive.h TIMER_MIN_INTERVAL: shorter timeouts/intervals are raised to 0.1 ms. */
const TIMER_MIN_INTERVAL_ms = 0.1;
/** Firmware version string reported by process.version/env (any 2v2x behaves as modelled here). */
const ESPRUINO_VERSION = '2v27';

// =============================================================================================
// The runtime
// =============================================================================================

/** What the runtime needs from the virtual pod around it. */
export interface RuntimeHost {
  readonly flash: Flash;
  readonly queue: EventQueue;
  /** Owner tag for this runtime's events. */
  readonly generation: number;
  /** Simulation time now (ms, monotonic across resets). */
  sim_ms(): number;
  /** Simulation time of this power-on. */
  readonly bootAt_sim_ms: number;
  /** "aa:bb:cc:dd:ee:ff" */
  readonly mac: string;
  /** ATT MTU of a link (23 default). */
  readonly mtu: number;
  /** Passkey of this unit when provisioned, overriding what the bundle sets. */
  readonly passkey?: string;
  /** Notifications the link carries per connection interval before the SoftDevice's buffers are full. */
  readonly notifyPacketsPerInterval: number;
  /** Physical IMU values at simulation time t_ms. */
  imu(t_ms: number, rate_hz: number, out: Float64Array): void;
  battery_pct(): number;
  /** Console output (print, console.log, Espruino's own messages). */
  print(text: string): void;
  uncaught(error: { name: string; message: string; stack?: string }): void;
  /** A pin's output changed (value 0..1; analog = PWM duty). */
  pinOutput(pin: number, value: number, analog: boolean): void;
  /** Run fn on the host's event loop, after everything queued before it. */
  toHost(fn: () => void): void;
  /** The flash lost power under the bundle: reset once the current event returns. */
  powerLost(): void;
  /** The watchdog was not kicked in time. */
  watchdogReset(): void;
  /** load() / E.reboot(): start again from flash (a soft reset; the host treats it as a reset). */
  reboot(): void;
}

/** Where the pod's console and its protection stand (E.setConsole / setPassword / lockConsole). */
export interface ConsoleState {
  device: string | null;
  passwordSet: boolean;
  locked: boolean;
}

interface Realm {
  Error: ErrorConstructor;
  TypeError: ErrorConstructor;
  ArrayBuffer: ArrayBufferConstructor;
  Uint8Array: Uint8ArrayConstructor;
  FunctionPrototype: object;
  array(items: unknown[]): unknown[];
  accel(ax: number, ay: number, az: number, gx: number, gy: number, gz: number): object;
  watchEvent(state: boolean, time: number, lastTime: number | undefined): object;
  writeEvent(data: ArrayBuffer): object;
  evalGlobal(code: string): unknown;
  evalModule(code: string): unknown;
}

/** Runs in the pod's realm once: constructors and factories whose objects must belong to that realm. */
const REALM_BOOTSTRAP = `(function (now, detokenise) {
  var RealDate = Date;
  // Espruino's lexer reads pretokenised code (a reserved word or operator as one byte) wherever it parses,
  // eval included: the pod bundle evaluates its pretokenised link bundle so (firmware/src/link-loader.ts)
  var realEval = eval;
  globalThis.eval = function (code) { return realEval(typeof code === 'string' ? detokenise(code) : code); };
  // Espruino's Date follows getTime() (uptime, or the clock set with setTime), not the host's clock
  class EspruinoDate extends RealDate {
    constructor() {
      if (arguments.length === 0) super(now());
      else super(...arguments);
    }
    static now() { return now(); }
  }
  globalThis.Date = EspruinoDate;
  return {
    Error: Error, TypeError: TypeError, ArrayBuffer: ArrayBuffer, Uint8Array: Uint8Array,
    FunctionPrototype: Function.prototype,
    array: function (items) { return Array.prototype.slice.call(items); },
    accel: function (ax, ay, az, gx, gy, gz) { return { acc: { x: ax, y: ay, z: az }, gyro: { x: gx, y: gy, z: gz } }; },
    watchEvent: function (state, time, lastTime) { return { state: state, time: time, lastTime: lastTime }; },
    writeEvent: function (data) { return { data: data }; },
    evalGlobal: function (code) { return realEval(code); },
    evalModule: function (code) { var module = { exports: {} }; (new Function('module', 'exports', code))(module, module.exports); return module.exports; }
  };
})`;

/** Globals Espruino does not have (../shared/espruino.md, checked on Espruino 2v29): removed so a bundle using them fails here as on the pod. */
const NOT_IN_ESPRUINO: [string, string | null][] = [
  ['Map', null],
  ['Set', null],
  ['WeakMap', null],
  ['WeakSet', null],
  ['Symbol', null],
  ['Array', 'from'],
  ['Number', 'isFinite'],
  ['Math', 'hypot'],
];

/** Espruino's Nordic UART service (on unless setServices(..., {uart:false})). */
const NUS_SERVICE = '6e400001b5a3f393e0a9e50e24dcca9e';
const NUS_RX = '6e400002b5a3f393e0a9e50e24dcca9e';
const NUS_TX = '6e400003b5a3f393e0a9e50e24dcca9e';
/** ATT header bytes: a notification carries MTU - 3 bytes. */
const ATT_HEADER_BYTES = 3;
/** Espruino asks for a 7.5 ms connection interval while busy (BLE_DYNAMIC_INTERVAL_HIGH_RATE); the 200 ms idle switch is not modelled. */
const CONNECTION_INTERVAL_DEFAULT_ms = 7.5;
/** Advertising and scan response packets carry 31 bytes (Core spec Vol 3 Part C 11). */
const ADV_PACKET_BYTES = 31;
/** Puck.js advertises every 375 ms by default (NRF.setAdvertising docs). */
const ADV_INTERVAL_DEFAULT_ms = 375;
/** A writable characteristic with neither value nor maxLen: assume one ATT payload (20 bytes). */
const CHAR_MAXLEN_DEFAULT = 20;
/** HCI reasons the pod's NRF.on('disconnect') receives (Core spec Vol 1 Part F). */
const HCI_REMOTE_USER_TERMINATED = 0x13;
const HCI_LOCAL_HOST_TERMINATED = 0x16;
/** Address the virtual central connects from. */
const CENTRAL_ADDRESS = 'c0:ff:ee:00:00:01 public';

const SET_SERVICES_OPTIONS = ['hid', 'uart', 'advertise'];
const SET_ADVERTISING_OPTIONS = ['name', 'showName', 'discoverable', 'connectable', 'scannable', 'interval', 'manufacturer', 'manufacturerData', 'phy', 'whenConnected'];
const SET_SECURITY_OPTIONS = ['display', 'keyboard', 'bond', 'mitm', 'lesc', 'passkey', 'oob', 'encryptUart', 'privacy'];

interface Security {
  encrypted: boolean;
  mitm: boolean;
}

interface CharState {
  service: string;
  uuid: string;
  value: Uint8Array;
  maxLen: number;
  properties: GattProperty[];
  read: Security;
  write: Security;
  onWrite: unknown;
  listener: ((value: Uint8Array) => void) | null;
  wrapper: GattCharacteristic | null;
  /** Nordic UART RX: bytes go to the console / Bluetooth 'data'. */
  uart?: boolean;
}

interface Link {
  central: { onDisconnect(reason: string): void };
  encrypted: boolean;
  mitm: boolean;
  bonded: boolean;
  servicesDiscovered: boolean;
  /** when the last write reaches the pod (one write per connection event) */
  lastWrite_ms: number;
}

interface Timer {
  id: number;
  event: QueuedEvent;
  interval_ms: number | null;
  fn: unknown;
  args: unknown[];
}

interface Watch {
  id: number;
  pin: number;
  fn: unknown;
  repeat: boolean;
  /** 1 rising, -1 falling, 0 both */
  edge: number;
  debounce_ms: number;
  pending: QueuedEvent | null;
  reported: number;
}

/** Event listeners as Espruino keeps them on an object ("#on<event>"). */
class Listeners {
  readonly map = new Map<string, unknown[]>();
  on(event: string, fn: unknown): void {
    const list = this.map.get(event);
    if (list) list.push(fn);
    else this.map.set(event, [fn]);
  }
  removeListener(event: string, fn: unknown): void {
    const list = this.map.get(event);
    if (!list) return;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) this.map.delete(event);
  }
  removeAll(event?: string): void {
    if (event === undefined) this.map.clear();
    else this.map.delete(event);
  }
  get(event: string): unknown[] {
    return this.map.get(event)?.slice() ?? [];
  }
}

/** A Pin as Espruino exposes it: an object with read/write/set/reset/toggle that converts to its number. */
export interface PinObject {
  readonly pin: number;
  read(): boolean;
  write(v: boolean | number): void;
  set(): void;
  reset(): void;
  toggle(): boolean;
  toString(): string;
  valueOf(): number;
}

function uuidNoble(key: string): string {
  return key.toLowerCase().replace(/^0x/, '').replace(/-/g, '');
}

/** bleVarToUUID: 16-bit ("ABCD", "0xABCD" or a number) or 128-bit ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"); the error names what is wrong. */
function parseUuid(key: unknown): { uuid: string; error: null } | { uuid: null; error: string } {
  if (typeof key === 'number') {
    if (key >= 0 && key <= 0xffff && Number.isInteger(key)) return { uuid: key.toString(16).padStart(4, '0'), error: null };
    return { uuid: null, error: 'UUID integer out of range' };
  }
  if (typeof key !== 'string') return { uuid: null, error: 'Not a String or Integer' };
  const s = key.toLowerCase().replace(/^0x/, '');
  if (/^[0-9a-f]{4}$/.test(s)) return { uuid: s, error: null };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s)) return { uuid: s.replace(/-/g, ''), error: null };
  return { uuid: null, error: 'UUID string should be of the form ABCD or ABCDABCD-ABCD-ABCD-ABCD-ABCDABCDABCD' };
}

function securityOf(spec: unknown): Security {
  const s = (spec ?? {}) as { encrypted?: unknown; mitm?: unknown; lesc?: unknown };
  return { encrypted: !!(s.encrypted || s.mitm || s.lesc), mitm: !!(s.mitm || s.lesc) };
}

function isPlainObject(v: unknown): v is { [k: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Object]';
}

/** Espruino-style text for print/console.log: strings as they are, everything else as JSON where possible. */
function formatForPrint(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'function () { ... }';
  if (ArrayBuffer.isView(v)) return `new ${(v as object).constructor?.name ?? 'Uint8Array'}([${Array.prototype.join.call(v as unknown as ArrayLike<number>, ', ')}])`;
  if (typeof v === 'object' && v !== null && 'message' in v && 'name' in v) return `${String((v as Error).name)}: ${String((v as Error).message)}`;
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s;
  } catch {
    return String(v);
  }
}

/** E.toString / E.toUint8Array / E.CRC32 argument to bytes: numbers are bytes, strings chars, arrays elements, typed arrays elements, {data, count} repeats. */
function flattenBytes(args: unknown[], out: number[]): void {
  for (const a of args) {
    if (typeof a === 'number') out.push(a & 0xff);
    else if (typeof a === 'string') for (let i = 0; i < a.length; i++) out.push(a.charCodeAt(i) & 0xff);
    else if (ArrayBuffer.isView(a)) {
      const arr = a as unknown as ArrayLike<number>;
      for (let i = 0; i < arr.length; i++) out.push(Number(arr[i]) & 0xff);
    } else if (Object.prototype.toString.call(a) === '[object ArrayBuffer]') for (const b of new Uint8Array(a as ArrayBuffer)) out.push(b);
    else if (Array.isArray(a)) flattenBytes(a, out);
    else if (isPlainObject(a) && 'data' in a) {
      const count = typeof a.count === 'number' ? a.count : 1;
      for (let i = 0; i < count; i++) flattenBytes([a.data], out);
    } else if (typeof a === 'boolean') out.push(a ? 1 : 0);
  }
}

/** What process.memory() answers (Espruino's names; history, gc and gctime not modelled). */
interface MemoryFigures {
  free: number;
  usage: number;
  total: number;
  history: number;
  gc: number;
  gctime: number;
  blocksize: number;
}
const MEMORY_FIGURES: (keyof MemoryFigures)[] = ['free', 'usage', 'total', 'history', 'gc', 'gctime', 'blocksize'];

/** Espruino's runtime for one power-on of the pod. */
export class EspruinoRuntime {
  readonly context: vm.Context;
  readonly imu = new Lsm6ds3trc();
  readonly consoleState: ConsoleState = { device: 'Bluetooth', passwordSet: false, locked: false };
  /** Connection interval the bundle asked for (ms); 'auto' keeps the default. */
  connectionInterval_ms = CONNECTION_INTERVAL_DEFAULT_ms;

  private readonly host: RuntimeHost;
  private readonly realm: Realm;
  private readonly drain = new vm.Script('void 0');
  private readonly global: { [k: string]: unknown };
  private killed = false;
  private timeOffset_s = 0;
  private readonly timers = new Map<number, Timer>();
  private readonly watches = new Map<number, Watch>();
  private readonly pinOut = new Map<number, number>();
  private readonly pinIn = new Map<number, number>();
  private readonly lastEdge_s = new Map<number, number>();
  /** end of the pulses queued per pin (sim ms) */
  private readonly pulseEnd = new Map<number, number>();
  private readonly puckListeners = new Listeners();
  private readonly nrfListeners = new Listeners();
  private readonly eListeners = new Listeners();
  private readonly btListeners = new Listeners();
  private readonly loopListeners = new Listeners();
  private imuEvent: QueuedEvent | null = null;
  private imuRate_hz = 0;
  private accelEnabled = false;
  private imuStart_ms = 0;
  private imuCount = 0;
  /** Simulated ms the IMU spent in each state ('off', '52 Hz accel+gyro', '1.6 Hz accel'): the battery estimate's input. */
  private readonly imuStateMs = new Map<string, number>();
  /** 'accel' events handed to the pod so far (samples for which INT1 rose): for measurements */
  accelEvents = 0;
  private imuState = 'off';
  private imuStateSince_ms = 0;
  private readonly phys = new Float64Array(6);
  private readonly raw = new Int32Array(6);
  private watchdog: { timeout_ms: number; auto: boolean; event: QueuedEvent | null } | null = null;
  private storageModule: object | null = null;
  /** names on the global object before the bundle ran (built-ins + shim) */
  private readonly baseGlobals = new Set<string>();
  private readonly shimObjects = new Set<object>();
  private intrinsics: Set<object> | null = null;
  // radio
  private services: { uuid: string; chars: CharState[] }[] = [];
  private readonly byChar = new Map<string, CharState>();
  private uartEnabled = true;
  private advertiseUuids: string[] = [];
  private servicesSpec: { data: unknown; options: unknown } | null = null;
  private pendingServices: { data: unknown; options: unknown } | null = null;
  private advertisingSpec: { data: unknown; options: unknown } | null = null;
  private adv = { name: '', showName: true, connectable: true, interval_ms: ADV_INTERVAL_DEFAULT_ms, manufacturerData: undefined as Uint8Array | undefined };
  private security = { passkey: undefined as string | undefined, mitm: false, display: false, bond: true, encryptUart: false };
  private securitySpec: unknown = null;
  private link: Link | null = null;
  private notifyWindow = -1;
  private notifyCount = 0;
  private readonly nus: { rx: CharState; tx: CharState };

  constructor(host: RuntimeHost, options: { espruinoLanguage?: boolean } = {}) {
    this.host = host;
    this.context = vm.createContext({}, { name: `retrostep pod ${host.mac} #${host.generation}`, microtaskMode: 'afterEvaluate' });
    this.global = vm.runInContext('this', this.context) as { [k: string]: unknown };
    this.realm = (vm.runInContext(REALM_BOOTSTRAP, this.context) as (now: () => number, untoken: (code: string) => string) => Realm)(() => this.getTime() * 1000, detokenise);
    if (options.espruinoLanguage !== false) this.removeNonEspruinoGlobals();
    this.adv.name = 'Puck.js ' + host.mac.substring(12, 17).replace(':', '');
    this.nus = {
      rx: { service: NUS_SERVICE, uuid: NUS_RX, value: new Uint8Array(0), maxLen: CHAR_MAXLEN_DEFAULT, properties: ['write', 'writeWithoutResponse'], read: securityOf(null), write: securityOf(null), onWrite: null, listener: null, wrapper: null, uart: true },
      tx: { service: NUS_SERVICE, uuid: NUS_TX, value: new Uint8Array(0), maxLen: CHAR_MAXLEN_DEFAULT, properties: ['notify'], read: securityOf(null), write: securityOf(null), onWrite: null, listener: null, wrapper: null },
    };
    this.installGlobals();
    for (const k of Object.getOwnPropertyNames(this.global)) this.baseGlobals.add(k);
  }

  // ------------------------------------------------------------------ time

  /** Uptime of this power-on in ms. */
  uptime_ms(): number {
    return this.host.sim_ms() - this.host.bootAt_sim_ms;
  }

  /** getTime(): seconds since power-on, or since the clock was set with setTime. */
  getTime(): number {
    return this.uptime_ms() / 1000 + this.timeOffset_s;
  }

  private schedule(delay_ms: number, run: () => void): QueuedEvent {
    return this.host.queue.at(this.host.sim_ms() + delay_ms, this.host.generation, run);
  }

  // ------------------------------------------------------------------ running code

  /** Evaluate source at the top level (how Espruino runs .bootcde): errors are reported, never thrown. */
  run(code: string, filename: string): void {
    if (this.killed) return;
    try {
      vm.runInContext(code, this.context, { filename });
    } catch (e) {
      this.failed(e);
    }
    if (this.host.flash.powerLost) this.lostPower();
  }

  /** The 'init' event Espruino emits once saved code has loaded. */
  emitInit(): void {
    this.emit(this.eListeners, 'init', [], this.global.E);
  }

  /** This power-on is over: nothing runs any more (the pod purges the events). */
  kill(): void {
    this.killed = true;
    this.imuEvent = null;
  }

  get isKilled(): boolean {
    return this.killed;
  }

  /** Call a function of the pod the way Espruino's idle loop does: an exception is printed and forgotten. */
  private call(fn: unknown, thisArg: unknown, args: unknown[]): void {
    if (this.killed) return;
    try {
      if (typeof fn === 'function') fn.apply(thisArg, args);
      else if (typeof fn === 'string') this.realm.evalGlobal(fn);
    } catch (e) {
      this.failed(e);
    }
    if (this.killed) return;
    // promise jobs the callback queued run before the next event, as on the pod
    try {
      this.drain.runInContext(this.context);
    } catch (e) {
      this.failed(e);
    }
    if (this.host.flash.powerLost) this.lostPower();
  }

  private failed(e: unknown): void {
    if (e instanceof PowerLoss || this.host.flash.powerLost) {
      this.lostPower();
      return;
    }
    const err = (typeof e === 'object' && e !== null ? e : { name: 'Error', message: String(e) }) as { name?: unknown; message?: unknown; stack?: unknown };
    const name = typeof err.name === 'string' ? err.name : 'Error';
    const message = typeof err.message === 'string' ? err.message : String(e);
    this.host.print(`Uncaught ${name}: ${message}\n`);
    this.host.uncaught({ name, message, stack: typeof err.stack === 'string' ? err.stack : undefined });
  }

  private lostPower(): void {
    if (this.killed) return;
    this.killed = true;
    this.host.powerLost();
  }

  private emit(listeners: Listeners, event: string, args: unknown[], thisArg: unknown): void {
    for (const fn of listeners.get(event)) this.call(fn, thisArg, args);
  }

  // ------------------------------------------------------------------ realm helpers

  private error(message: string): Error {
    return new this.realm.Error(message);
  }

  private typeError(message: string): Error {
    return new this.realm.TypeError(message);
  }

  /** Every shim entry point: nothing works once the power is gone (a bundle that caught PowerLoss cannot carry on). */
  private live(): void {
    if (this.killed || this.host.flash.powerLost) throw new PowerLoss('the pod has no power');
  }

  private removeNonEspruinoGlobals(): void {
    // Number.EPSILON is non-configurable in V8: it stays (Reflect.deleteProperty just says no)
    for (const [owner, prop] of NOT_IN_ESPRUINO) {
      if (prop === null) Reflect.deleteProperty(this.global, owner);
      else Reflect.deleteProperty(this.global[owner] as object, prop);
    }
  }

  /** A host function the pod can call; host errors become errors of the pod's realm with the same message. */
  private fn<A extends unknown[], R>(impl: (...args: A) => R): (...args: A) => R {
    const self = this;
    const f = function (...args: A): R {
      self.live();
      try {
        return impl(...args);
      } catch (e) {
        if (e instanceof PowerLoss) throw e;
        if (e instanceof StorageError) throw self.error(e.message);
        throw e;
      }
    };
    this.shimObjects.add(f);
    return f;
  }

  private shim<T extends object>(o: T): T {
    this.shimObjects.add(o);
    return o;
  }

  // ------------------------------------------------------------------ globals

  private installGlobals(): void {
    const g = this.global;
    const pins: { [name: string]: PinObject } = {};
    for (const [name, pin] of Object.entries(PIN)) pins[name] = this.makePin(pin);

    g.global = g;
    g.Puck = this.makePuck();
    g.NRF = this.makeNrf();
    g.E = this.makeE();
    g.require = this.fn((name: unknown) => this.require(name));
    g.setTimeout = this.fn((fn: unknown, ms?: unknown, ...args: unknown[]) => this.addTimer(fn, ms, args, false));
    g.setInterval = this.fn((fn: unknown, ms?: unknown, ...args: unknown[]) => this.addTimer(fn, ms, args, true));
    g.clearTimeout = this.fn((...a: unknown[]) => this.clearTimer(a, 'Unknown Timeout'));
    g.clearInterval = this.fn((...a: unknown[]) => this.clearTimer(a, 'Unknown Interval'));
    g.getTime = this.fn(() => this.getTime());
    g.setTime = this.fn((unix_s: unknown) => {
      // jswrap_interactive_setTime: timers are relative to the idle time, so they keep their delays
      this.timeOffset_s = Number(unix_s) - this.uptime_ms() / 1000;
    });
    // load() with no file and E.reboot(): run from flash again (what an upload ends with)
    g.load = this.fn(() => this.host.reboot());
    g.atob = this.fn((b64: unknown) => Buffer.from(String(b64), 'base64').toString('latin1'));
    g.btoa = this.fn((text: unknown) => Buffer.from(String(text), 'latin1').toString('base64'));
    g.digitalPulse = this.fn((pin: unknown, value: unknown, time: unknown) => this.digitalPulse(pin, value, time));
    g.digitalWrite = this.fn((pin: unknown, value: unknown) => this.digitalWrite(pin, value));
    g.digitalRead = this.fn((pin: unknown) => this.digitalRead(pin));
    g.analogWrite = this.fn((pin: unknown, value: unknown, _options?: unknown) => this.analogWrite(pin, value));
    g.setWatch = this.fn((fn: unknown, pin: unknown, options?: unknown) => this.setWatch(fn, pin, options));
    g.clearWatch = this.fn((...a: unknown[]) => this.clearWatch(a));
    const print = this.fn((...args: unknown[]) => {
      const text = args.map(formatForPrint).join(' ') + '\n';
      this.host.print(text);
      // the console is where print goes: on Bluetooth (the Nordic UART) while a central is connected to it
      if (this.consoleState.device === 'Bluetooth' && this.link && this.uartEnabled) this.bluetoothWrite(text.replace(/\n/g, '\r\n'));
    });
    g.print = print;
    g.console = this.shim({ log: print });
    for (const [name, p] of Object.entries(pins)) g[name] = p;
    g.Bluetooth = this.makeSerial(this.btListeners, (s) => this.bluetoothWrite(s));
    // (what the bundle writes to LoopbackA goes nowhere: nothing in the sim reads it)
    g.LoopbackA = this.makeSerial(this.loopListeners, () => {});
    g.process = this.shim({
      memory: this.fn(() => this.memory()),
      version: ESPRUINO_VERSION,
      env: this.shim({ VERSION: ESPRUINO_VERSION, BOARD: 'PUCKJS' }),
    });
  }

  private makePin(pin: number): PinObject {
    const self = this;
    const p: PinObject = {
      pin,
      read: self.fn(() => self.readPin(pin) === 1),
      write: self.fn((v: boolean | number) => self.setPin(pin, v ? 1 : 0, false)),
      set: self.fn(() => self.setPin(pin, 1, false)),
      reset: self.fn(() => self.setPin(pin, 0, false)),
      toggle: self.fn(() => {
        const v = self.readPin(pin) ? 0 : 1;
        self.setPin(pin, v, false);
        return v === 1;
      }),
      toString: () => 'D' + pin,
      valueOf: () => pin,
    };
    return this.shim(p);
  }

  private makeSerial(listeners: Listeners, write: (s: string) => void): object {
    const toText = (args: unknown[]) => {
      const bytes: number[] = [];
      flattenBytes(args, bytes);
      return Buffer.from(bytes).toString('latin1');
    };
    return this.shim({
      write: this.fn((...args: unknown[]) => write(toText(args))),
      print: this.fn((s: unknown) => write(formatForPrint(s))),
      println: this.fn((s: unknown) => write(formatForPrint(s) + '\r\n')),
      on: this.fn((event: unknown, fn: unknown) => listeners.on(String(event), fn)),
      removeListener: this.fn((event: unknown, fn: unknown) => listeners.removeListener(String(event), fn)),
      removeAllListeners: this.fn((event?: unknown) => listeners.removeAll(event === undefined ? undefined : String(event))),
    });
  }

  // ------------------------------------------------------------------ pins

  /** jshGetPinFromVar: a Pin, a pin number, or "D<n>"; anything else is not a pin. */
  private pinOf(v: unknown): number {
    let n = NaN;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'object' && v !== null && typeof (v as PinObject).pin === 'number' && this.shimObjects.has(v)) n = (v as PinObject).pin;
    else if (typeof v === 'string' && /^D\d+$/.test(v)) n = Number(v.substring(1));
    if (!Number.isInteger(n) || n < 0 || n >= PIN_COUNT) throw this.error('Invalid pin!');
    return n;
  }

  private readPin(pin: number): number {
    if (this.pinIn.has(pin)) return this.pinIn.get(pin) as number;
    return (this.pinOut.get(pin) ?? 0) > 0 ? 1 : 0;
  }

  private setPin(pin: number, value: number, analog: boolean): void {
    const old = this.pinOut.get(pin) ?? 0;
    this.pinOut.set(pin, value);
    if (old !== value) this.host.pinOutput(pin, value, analog);
  }

  /** Outputs as they stand (the pod turns them off in its logs at a reset). */
  outputs(): Map<number, number> {
    return new Map(this.pinOut);
  }

  /** digitalWrite: one pin, or an array of pins written MSB first (the last pin gets bit 0). */
  private digitalWrite(pinVar: unknown, value: unknown): void {
    if (Array.isArray(pinVar)) {
      const v = Number(value) | 0;
      for (let i = 0; i < pinVar.length; i++) this.setPin(this.pinOf(pinVar[i]), (v >> (pinVar.length - 1 - i)) & 1, false);
      return;
    }
    this.setPin(this.pinOf(pinVar), value ? 1 : 0, false);
  }

  private digitalRead(pinVar: unknown): number {
    if (Array.isArray(pinVar)) {
      let v = 0;
      for (const p of pinVar) v = (v << 1) | this.readPin(this.pinOf(p));
      return v;
    }
    return this.readPin(this.pinOf(pinVar));
  }

  /** analogWrite: PWM duty 0..1 (the motor's strength on FET). */
  private analogWrite(pinVar: unknown, value: unknown): void {
    const pin = this.pinOf(pinVar);
    const v = Math.max(0, Math.min(1, Number(value) || 0));
    this.setPin(pin, v, true);
  }

  /**
   * jswrap_io_digitalPulse: the pin takes `value` now (or when the pulses
   * already queued on it end), then toggles after each time in the list,
   * in hardware: JS has returned long before. time 0 waits for the queued
   * pulses to finish (the pod is busy meanwhile).
   */
  private digitalPulse(pinVar: unknown, value: unknown, time: unknown): void {
    const pin = this.pinOf(pinVar);
    const times: number[] = Array.isArray(time) || ArrayBuffer.isView(time) ? Array.from(time as ArrayLike<number>, Number) : [Number(time)];
    const now = this.host.sim_ms();
    const queuedEnd = this.pulseEnd.get(pin) ?? -Infinity;
    if (times.length === 1 && times[0] === 0) {
      // busy-wait: the clock moves on while JS is stuck here; events due meanwhile run late
      if (queuedEnd > now) this.busyUntil = Math.max(this.busyUntil, queuedEnd);
      return;
    }
    if (times.some((t) => !(t >= 0))) {
      this.host.print('WARNING: Pulse time given for digitalPulse is less than 0, so not doing anything\n');
      return;
    }
    let level = value ? 1 : 0;
    let t = Math.max(now, queuedEnd);
    if (t <= now) this.setPin(pin, level, false);
    else {
      const first = level;
      this.host.queue.at(t, this.host.generation, () => this.setPin(pin, first, false));
    }
    for (const dt of times) {
      t += dt;
      level = 1 - level;
      const v = level;
      this.host.queue.at(t, this.host.generation, () => this.setPin(pin, v, false));
    }
    this.pulseEnd.set(pin, t);
  }

  /** Set by digitalPulse(pin, v, 0): the pod owes this much busy time (the virtual pod moves its clock). */
  busyUntil = -Infinity;

  /** A pin changed outside (the button): watches on it fire. */
  pinInput(pin: number, value: number): void {
    if (this.killed) return;
    const old = this.readPin(pin);
    this.pinIn.set(pin, value ? 1 : 0);
    if (old === (value ? 1 : 0)) return;
    const now_s = this.getTime();
    const last_s = this.lastEdge_s.get(pin);
    this.lastEdge_s.set(pin, now_s);
    for (const w of [...this.watches.values()]) {
      if (w.pin !== pin) continue;
      if (w.debounce_ms > 0) {
        // report once the pin has been steady for the debounce time
        this.host.queue.cancel(w.pending);
        w.pending = this.schedule(w.debounce_ms, () => {
          w.pending = null;
          const state = this.readPin(pin);
          if (state === w.reported) return;
          w.reported = state;
          this.fireWatch(w, state, now_s, last_s);
        });
      } else this.fireWatch(w, value ? 1 : 0, now_s, last_s);
    }
  }

  private fireWatch(w: Watch, state: number, time_s: number, last_s: number | undefined): void {
    if (w.edge === 1 && !state) return;
    if (w.edge === -1 && state) return;
    if (!this.watches.has(w.id)) return;
    if (!w.repeat) this.watches.delete(w.id);
    this.schedule(0, () => this.call(w.fn, undefined, [this.realm.watchEvent(!!state, time_s, last_s)]));
  }

  private setWatch(fn: unknown, pinVar: unknown, options: unknown): number {
    if (typeof fn !== 'function' && typeof fn !== 'string') throw this.error('Function or String not supplied!');
    let pin: number;
    try {
      pin = this.pinOf(pinVar);
    } catch {
      throw this.error('Invalid pin');
    }
    let repeat = false;
    let edge = 0;
    let debounce_ms = 0;
    if (isPlainObject(options)) {
      repeat = !!options.repeat;
      const d = Number(options.debounce);
      debounce_ms = Number.isFinite(d) && d > 0 ? d : 0;
      if (options.edge === 'rising') edge = 1;
      else if (options.edge === 'falling') edge = -1;
      else if (options.edge !== undefined && options.edge !== 'both') this.host.print("WARNING: 'edge' in setWatch should be a string - either 'rising', 'falling' or 'both'\n");
    } else repeat = !!options;
    const id = Math.max(0, ...this.watches.keys()) + 1;
    this.watches.set(id, { id, pin, fn, repeat, edge, debounce_ms, pending: null, reported: this.readPin(pin) });
    return id;
  }

  private clearWatch(args: unknown[]): void {
    const id = args[0];
    if (args.length === 0 || id === undefined) {
      for (const w of this.watches.values()) this.host.queue.cancel(w.pending);
      this.watches.clear();
      return;
    }
    const w = this.watches.get(Number(id));
    if (!w) throw this.error('Unknown Watch');
    this.host.queue.cancel(w.pending);
    this.watches.delete(w.id);
  }

  // ------------------------------------------------------------------ timers

  /**
   * setTimeout/setInterval (jswrap_interactive.c): ids are the next free
   * index after the highest live timer, from 1 (jsiTimerAdd ->
   * jsvArrayAddToEnd), so a freed id comes back when it was the highest.
   */
  private addTimer(fn: unknown, ms: unknown, args: unknown[], isInterval: boolean): number {
    if (typeof fn !== 'function' && typeof fn !== 'string') throw this.error('Function or String not supplied!');
    let d = Number(ms);
    if (!(d >= TIMER_MIN_INTERVAL_ms)) d = TIMER_MIN_INTERVAL_ms;
    const id = Math.max(0, ...this.timers.keys()) + 1;
    const timer: Timer = { id, event: null as unknown as QueuedEvent, interval_ms: isInterval ? d : null, fn, args };
    timer.event = this.schedule(d, () => this.fireTimer(timer));
    this.timers.set(id, timer);
    return id;
  }

  private fireTimer(timer: Timer): void {
    if (this.timers.get(timer.id) !== timer) return;
    if (timer.interval_ms !== null) {
      // intervals keep their own cadence: the next one is due an interval after this one was
      const next = timer.event.t_ms + timer.interval_ms;
      timer.event = this.host.queue.at(next, this.host.generation, () => this.fireTimer(timer));
    } else this.timers.delete(timer.id);
    this.call(timer.fn, undefined, timer.args);
  }

  /** clearTimeout()/clearInterval() with no id stop every timer; an id that is not live throws. */
  private clearTimer(args: unknown[], unknownMessage: string): void {
    const id = args[0];
    if (args.length === 0 || id === undefined) {
      for (const t of this.timers.values()) this.host.queue.cancel(t.event);
      this.timers.clear();
      return;
    }
    const t = this.timers.get(Number(id));
    if (!t) throw this.error(unknownMessage);
    this.host.queue.cancel(t.event);
    this.timers.delete(t.id);
  }

  // ------------------------------------------------------------------ Puck and the IMU

  private makePuck(): object {
    return this.shim({
      accelOn: this.fn((rate?: unknown) => this.accelOn(rate === undefined ? 0 : Number(rate))),
      accelOff: this.fn(() => this.accelOff()),
      accelWr: this.fn((reg: unknown, data: unknown) => {
        this.imu.write(Number(reg) | 0, Number(data) | 0);
        this.retimeImu();
      }),
      accelRd: this.fn((reg: unknown) => this.imu.read(Number(reg) | 0)),
      on: this.fn((event: unknown, fn: unknown) => this.puckListeners.on(String(event), fn)),
      removeListener: this.fn((event: unknown, fn: unknown) => this.puckListeners.removeListener(String(event), fn)),
      removeAllListeners: this.fn((event?: unknown) => this.puckListeners.removeAll(event === undefined ? undefined : String(event))),
      getBatteryPercentage: this.fn(() => this.batteryPercent()),
    });
  }

  /**
   * jswrap_puck_accelOn: an accelerometer already on is switched off first
   * (its registers go back to defaults). Rates under 12.5 Hz all mean
   * 1.6 Hz; other rates must be exact.
   */
  private accelOn(rate_hz: number): void {
    this.accelOff();
    // Espruino watches the data-ready pin from here on, even when the rate was refused (the sensor then stays off)
    this.accelEnabled = true;
    if (!this.imu.configure(rate_hz)) {
      throw this.error(`Invalid sample rate ${rate_hz} - must be 1660, 833, 416, 208, 104, 52, 26, 12.5, 1.6 Hz`);
    }
    this.retimeImu();
  }

  private accelOff(): void {
    this.accelEnabled = false;
    this.imu.powerOnReset();
    this.retimeImu();
  }

  /** A global of the pod's program (as typing its name at the console would show): for measurements. */
  globalValue(name: string): unknown {
    return this.global[name];
  }

  /** Time spent in each IMU state so far, ms (the current state up to now included). */
  imuStateTimes_ms(): { [state: string]: number } {
    this.noteImuState();
    return Object.fromEntries(this.imuStateMs);
  }

  private noteImuState(): void {
    const rate = this.accelEnabled ? this.imu.eventRate_hz() : 0;
    const state = rate === 0 ? 'off' : `${rate} Hz ${this.imu.gyroOdr_hz() > 0 ? 'accel+gyro' : 'accel'}`;
    const now = this.host.sim_ms();
    this.imuStateMs.set(this.imuState, (this.imuStateMs.get(this.imuState) ?? 0) + now - this.imuStateSince_ms);
    this.imuState = state;
    this.imuStateSince_ms = now;
  }

  /** (Re)start data-ready events when the output rate changed. */
  private retimeImu(): void {
    this.noteImuState();
    // without accelOn nobody watches the data-ready pin: registers written by accelWr alone raise no events
    const rate = this.accelEnabled ? this.imu.eventRate_hz() : 0;
    if (rate === this.imuRate_hz && (rate === 0 || this.imuEvent)) return;
    this.host.queue.cancel(this.imuEvent);
    this.imuEvent = null;
    this.imuRate_hz = rate;
    this.imuStart_ms = this.host.sim_ms();
    this.imuCount = 0;
    if (rate > 0) this.scheduleSample();
  }

  /** Sample k is due at start + k / rate: computed from the start so the rate does not drift. */
  private scheduleSample(): void {
    this.imuCount++;
    const ev = this.host.queue.at(this.imuStart_ms + (this.imuCount * 1000) / this.imuRate_hz, this.host.generation, () => {
      if (this.imuEvent !== ev) return;
      this.scheduleSample();
      this.host.imu(this.host.sim_ms(), this.imuRate_hz, this.phys);
      this.imu.toRaw(this.phys, this.raw);
      // the pin Espruino watches: data-ready, or only the wake-up event when that alone is routed
      if (!this.imu.int1(this.raw)) return;
      this.accelEvents++;
      const r = this.raw;
      const e = this.realm.accel(r[0], r[1], r[2], r[3], r[4], r[5]);
      this.emit(this.puckListeners, 'accel', [e], this.global.Puck);
    });
    this.imuEvent = ev;
  }

  private batteryPercent(): number {
    return Math.max(0, Math.min(100, Math.trunc(this.host.battery_pct())));
  }

  // ------------------------------------------------------------------ E

  private makeE(): object {
    return this.shim({
      CRC32: this.fn((data: unknown) => {
        const bytes: number[] = [];
        if (isPlainObject(data)) flattenBytes(Object.values(data), bytes);
        else flattenBytes([data], bytes);
        return zlibCrc32(Uint8Array.from(bytes)) >>> 0;
      }),
      getBattery: this.fn(() => this.batteryPercent()),
      reboot: this.fn(() => this.host.reboot()),
      on: this.fn((event: unknown, fn: unknown) => this.eListeners.on(String(event), fn)),
      removeListener: this.fn((event: unknown, fn: unknown) => this.eListeners.removeListener(String(event), fn)),
      removeAllListeners: this.fn((event?: unknown) => this.eListeners.removeAll(event === undefined ? undefined : String(event))),
      setConsole: this.fn((device: unknown, _options?: unknown) => {
        if (device === null || device === undefined) this.consoleState.device = null;
        else if (typeof device === 'string') this.consoleState.device = device;
        else if (device === this.global.Bluetooth) this.consoleState.device = 'Bluetooth';
        else if (device === this.global.LoopbackA) this.consoleState.device = 'LoopbackA';
        else throw this.typeError('Expecting a Serial device or null');
      }),
      setPassword: this.fn((password: unknown) => {
        this.consoleState.passwordSet = typeof password === 'string' && password.length > 0;
        if (!this.consoleState.passwordSet) this.consoleState.locked = false;
      }),
      lockConsole: this.fn(() => {
        // only a password makes a lock: without one Espruino leaves the console open
        if (this.consoleState.passwordSet) this.consoleState.locked = true;
      }),
      toString: this.fn((...args: unknown[]) => {
        const bytes: number[] = [];
        flattenBytes(args, bytes);
        return Buffer.from(bytes).toString('latin1');
      }),
      toUint8Array: this.fn((...args: unknown[]) => {
        const bytes: number[] = [];
        flattenBytes(args, bytes);
        return new this.realm.Uint8Array(bytes);
      }),
      getSizeOf: this.fn((obj: unknown, depth?: unknown) => {
        const counter = this.counter();
        try {
          if (typeof depth === 'number' && depth > 0 && typeof obj === 'object' && obj !== null) {
            return this.realm.array(Object.keys(obj).map((k) => ({ name: k, size: counter.count((obj as { [k: string]: unknown })[k]) })));
          }
          return counter.count(obj);
        } finally {
          counter.done();
        }
      }),
      kickWatchdog: this.fn(() => this.kickWatchdog()),
      enableWatchdog: this.fn((timeout_s: unknown, isAuto?: unknown) => this.enableWatchdog(Number(timeout_s), isAuto)),
    });
  }

  /**
   * E.enableWatchdog: once on it cannot be turned off. With isAuto (the
   * default) Espruino kicks it from its idle loop, which a pod whose JS
   * returns always reaches; manual mode resets the pod unless
   * E.kickWatchdog() comes within the timeout.
   */
  private enableWatchdog(timeout_s: number, isAuto: unknown): void {
    const timeout_ms = (Number.isFinite(timeout_s) && timeout_s > 0 ? timeout_s : 1) * 1000;
    const auto = isAuto === undefined || !!isAuto;
    if (!this.watchdog) this.watchdog = { timeout_ms, auto, event: null };
    else {
      this.watchdog.timeout_ms = timeout_ms;
      this.watchdog.auto = auto;
    }
    this.kickWatchdog();
  }

  private kickWatchdog(): void {
    const w = this.watchdog;
    if (!w) return;
    this.host.queue.cancel(w.event);
    w.event = w.auto ? null : this.schedule(w.timeout_ms, () => this.host.watchdogReset());
  }

  /**
   * process.memory(): its figures counted when first read, not at every call. The pod calls it at each link up and
   * down only for the garbage collection it runs on Espruino (firmware/src/pod.ts), and a count walks everything the
   * program holds through the inspector: the power-cut sweeps, a link or two per cut, spent about 40% of their time
   * there. A program that reads the figures gets them as the call left the pod: read at once, as one does.
   */
  private memory(): MemoryFigures {
    let figures: MemoryFigures | undefined;
    const count = (): MemoryFigures => {
      const usage = Math.min(PUCK_TOTAL_VARS, ESPRUINO_IDLE_VARS + this.countVars());
      return { free: PUCK_TOTAL_VARS - usage, usage, total: PUCK_TOTAL_VARS, history: 0, gc: 0, gctime: 0, blocksize: BYTES_PER_VAR };
    };
    const out = {} as MemoryFigures;
    for (const k of MEMORY_FIGURES) Object.defineProperty(out, k, { enumerable: true, get: () => (figures ??= count())[k] });
    return out;
  }

  // ------------------------------------------------------------------ require('Storage')

  /** require: built-in Storage, else a Storage file of that name evaluated as a module, else Espruino's error. */
  private require(name: unknown): unknown {
    const n = String(name);
    if (n === 'Storage') return this.storage();
    if (n.length > 0 && n.length <= 28) {
      const code = this.host.flash.read(n);
      if (code !== undefined) return this.realm.evalModule(code);
    }
    throw this.error(`Module ${n} not found`);
  }

  private storage(): object {
    if (this.storageModule) return this.storageModule;
    const flash = this.host.flash;
    flash.onMessage = (text) => this.host.print(text);
    this.storageModule = this.shim({
      read: this.fn((name: unknown, offset?: unknown, length?: unknown) => flash.read(String(name), Number(offset) || 0, Number(length) || 0)),
      readArrayBuffer: this.fn((name: unknown) => {
        const bytes = flash.readBytes(String(name));
        if (bytes === undefined) return undefined;
        const buf = new this.realm.ArrayBuffer(bytes.length);
        new this.realm.Uint8Array(buf).set(bytes);
        return buf;
      }),
      write: this.fn((name: unknown, data: unknown, offset?: unknown, size?: unknown) => {
        // jswrap_storage_write: an object is written as JSON (and offset/size are ignored)
        if (isPlainObject(data)) return flash.write(String(name), JSON.stringify(data));
        return flash.write(String(name), data as string, Number(offset) || 0, Number(size) || 0);
      }),
      erase: this.fn((name: unknown) => flash.erase(String(name))),
      list: this.fn((regex?: unknown) => this.realm.array(flash.list(regex as RegExp | string | undefined))),
      getFree: this.fn(() => flash.getFree()),
      compact: this.fn(() => {
        flash.compact();
      }),
      eraseAll: this.fn(() => flash.eraseAll()),
    });
    return this.storageModule;
  }

  // ------------------------------------------------------------------ NRF (JS side)

  private makeNrf(): object {
    return this.shim({
      setServices: this.fn((data: unknown, options?: unknown) => this.setServices(data, options)),
      updateServices: this.fn((data: unknown) => this.updateServices(data)),
      setAdvertising: this.fn((data: unknown, options?: unknown) => this.setAdvertising(data, options)),
      setSecurity: this.fn((options: unknown) => this.setSecurity(options)),
      getSecurityStatus: this.fn(() => {
        const l = this.link;
        return { advertising: !l, connected: !!l, encrypted: !!l?.encrypted, mitm_protected: !!l?.mitm, bonded: !!l?.bonded, connected_addr: l ? CENTRAL_ADDRESS : undefined };
      }),
      setConnectionInterval: this.fn((interval: unknown) => {
        if (interval === 'auto') this.connectionInterval_ms = CONNECTION_INTERVAL_DEFAULT_ms;
        else if (typeof interval === 'number' && interval > 0) this.connectionInterval_ms = Math.max(CONNECTION_INTERVAL_DEFAULT_ms, interval); // BLE's shortest is 7.5 ms
        else if (isPlainObject(interval) && typeof interval.minInterval === 'number') this.connectionInterval_ms = Math.max(CONNECTION_INTERVAL_DEFAULT_ms, interval.minInterval);
        else throw this.typeError('Expecting a number, "auto" or an object with minInterval');
      }),
      getAddress: this.fn(() => this.host.mac),
      disconnect: this.fn(() => this.podDisconnects()),
      on: this.fn((event: unknown, fn: unknown) => this.nrfListeners.on(String(event), fn)),
      removeListener: this.fn((event: unknown, fn: unknown) => this.nrfListeners.removeListener(String(event), fn)),
      removeAllListeners: this.fn((event?: unknown) => this.nrfListeners.removeAll(event === undefined ? undefined : String(event))),
      getBattery: this.fn(() => BATTERY_EMPTY_V + (BATTERY_SPAN_V * this.batteryPercent()) / 100),
    });
  }

  /** jsvReadConfigObject: an option it does not know is an error. */
  private checkOptions(options: unknown, allowed: string[]): void {
    if (options === undefined || options === null) return;
    if (!isPlainObject(options)) throw this.typeError(`Expecting an object, got ${typeof options}`);
    for (const k of Object.keys(options)) if (!allowed.includes(k)) throw this.error(`Unknown option ${JSON.stringify(k)}`);
  }

  /**
   * NRF.setServices: the new GATT database takes effect at once when
   * nobody is connected; while connected Espruino queues the Bluetooth
   * restart until the link ends (and updateServices refuses meanwhile).
   */
  private setServices(data: unknown, options: unknown): void {
    if (!(isPlainObject(data) || data === undefined)) throw this.typeError(`Expecting Object or undefined, got ${typeof data}`);
    this.checkOptions(options, SET_SERVICES_OPTIONS);
    const built = this.buildServices(data, options);
    if (this.link) {
      this.pendingServices = { data, options };
      this.host.print('BLE Connected, queueing BLE restart for later\n');
      return;
    }
    this.applyServices(built, data, options);
  }

  private buildServices(data: unknown, options: unknown): { services: { uuid: string; chars: CharState[] }[]; uart: boolean; advertise: string[] } {
    const services: { uuid: string; chars: CharState[] }[] = [];
    for (const [sKey, sVal] of Object.entries((data ?? {}) as { [k: string]: unknown })) {
      const su = parseUuid(sKey);
      if (!su.uuid) throw this.error(`Invalid Service UUID: ${su.error}`);
      const chars: CharState[] = [];
      for (const [cKey, cVal] of Object.entries((sVal ?? {}) as { [k: string]: unknown })) {
        const cu = parseUuid(cKey);
        if (!cu.uuid) throw this.error(`Invalid Characteristic UUID: ${cu.error}`);
        const spec = (cVal ?? {}) as { [k: string]: unknown };
        const value = spec.value === undefined ? new Uint8Array(0) : storageDataBytes(spec.value as string);
        const maxLen = Math.max(Number(spec.maxLen) || 0, value.length) || CHAR_MAXLEN_DEFAULT;
        const properties: GattProperty[] = [];
        if (spec.readable) properties.push('read');
        if (spec.writable) properties.push('write', 'writeWithoutResponse');
        if (spec.notify) properties.push('notify');
        if (spec.indicate) properties.push('indicate');
        const sec = (spec.security ?? {}) as { read?: unknown; write?: unknown };
        chars.push({ service: su.uuid, uuid: cu.uuid, value, maxLen, properties, read: securityOf(sec.read), write: securityOf(sec.write), onWrite: spec.onWrite, listener: null, wrapper: null });
      }
      services.push({ uuid: su.uuid, chars });
    }
    const o = (options ?? {}) as { uart?: unknown; advertise?: unknown };
    const uart = o.uart === undefined ? true : !!o.uart;
    const advertise: string[] = [];
    if (o.advertise !== undefined) {
      if (!Array.isArray(o.advertise)) throw this.typeError("'advertise' must be an array");
      for (const a of o.advertise) {
        const u = parseUuid(a);
        if (!u.uuid) throw this.error(`Invalid Service UUID: ${u.error}`);
        advertise.push(u.uuid);
      }
    }
    // the advertised UUIDs go in the scan response: it must fit its 31 bytes
    const list = uart ? [...advertise, NUS_SERVICE] : advertise;
    const short = list.filter((u) => u.length === 4).length;
    const long = list.length - short;
    const bytes = (short ? 2 + 2 * short : 0) + (long ? 2 + 16 * long : 0);
    if (bytes > ADV_PACKET_BYTES) throw this.error('Got BLE error DATA_SIZE');
    return { services, uart, advertise };
  }

  private applyServices(built: { services: { uuid: string; chars: CharState[] }[]; uart: boolean; advertise: string[] }, data: unknown, options: unknown): void {
    this.services = built.services;
    this.byChar.clear();
    for (const s of built.services) for (const c of s.chars) this.byChar.set(c.uuid, c);
    this.uartEnabled = built.uart;
    this.advertiseUuids = built.advertise;
    this.servicesSpec = { data, options };
  }

  /** NRF.updateServices (jswrap_ble_updateServices): set values; notify/indicate a subscribed central. */
  private updateServices(data: unknown): void {
    if (this.pendingServices) throw this.error("Can't update services until BLE restart");
    if (!isPlainObject(data)) {
      if (data === undefined) return;
      throw this.typeError(`Expecting Object or undefined, got ${typeof data}`);
    }
    for (const [sKey, sVal] of Object.entries(data)) {
      const su = parseUuid(sKey);
      if (!su.uuid) throw this.error(`Invalid Service UUID: ${su.error}`);
      for (const [cKey, cVal] of Object.entries((sVal ?? {}) as { [k: string]: unknown })) {
        const cu = parseUuid(cKey);
        if (!cu.uuid) throw this.error(`Invalid Characteristic UUID: ${cu.error}`);
        // bleGetGATTHandle looks the characteristic up by its own UUID only
        const c = this.byChar.get(cu.uuid);
        if (!c) throw this.error(`Unable to find service with UUID ${cKey}`);
        const spec = (cVal ?? {}) as { value?: unknown; notify?: unknown; indicate?: unknown };
        if (spec.value === undefined) continue;
        const v = storageDataBytes(spec.value as string);
        if (!v.length) continue;
        // sd_ble_gatts_value_set: longer than the characteristic's max length
        if (v.length > c.maxLen) throw this.error('Got BLE error DATA_SIZE');
        c.value = v;
        if ((spec.notify || spec.indicate) && this.link) this.notify(c, v);
      }
    }
  }

  /**
   * sd_ble_gatts_hvx as Espruino calls it: more than MTU - 3 bytes is an
   * error; not subscribed (INVALID_STATE) and no buffer left (RESOURCES)
   * are ignored by Espruino, so those values are silently not sent.
   */
  private notify(c: CharState, v: Uint8Array): void {
    if (v.length > this.host.mtu - ATT_HEADER_BYTES) throw this.error('Got BLE error DATA_SIZE');
    const listener = c.listener;
    if (!listener) return;
    const window = Math.floor(this.host.sim_ms() / this.connectionInterval_ms);
    if (window !== this.notifyWindow) {
      this.notifyWindow = window;
      this.notifyCount = 0;
    }
    if (this.notifyCount >= this.host.notifyPacketsPerInterval) return;
    this.notifyCount++;
    const copy = v.slice();
    this.host.toHost(() => {
      if (c.listener === listener) listener(copy);
    });
  }

  private bluetoothWrite(s: string): void {
    if (!this.link || !this.uartEnabled) return;
    const bytes = Buffer.from(s, 'latin1');
    const chunk = this.host.mtu - ATT_HEADER_BYTES;
    for (let i = 0; i < bytes.length; i += chunk) this.notify(this.nus.tx, new Uint8Array(bytes.subarray(i, i + chunk)));
  }

  private setAdvertising(data: unknown, options: unknown): void {
    this.checkOptions(options, SET_ADVERTISING_OPTIONS);
    const o = (options ?? {}) as { name?: unknown; showName?: unknown; connectable?: unknown; interval?: unknown; manufacturer?: unknown; manufacturerData?: unknown };
    const name = o.name === undefined ? this.adv.name : String(o.name);
    const showName = o.showName === undefined ? true : !!o.showName;
    let bytes = 3; // flags
    if (showName) bytes += 2 + Buffer.byteLength(name, 'latin1');
    if (isPlainObject(data)) {
      for (const [k, v] of Object.entries(data)) {
        const u = parseUuid(k);
        if (!u.uuid) throw this.error(`Invalid Service UUID: ${u.error}`);
        const len = typeof v === 'number' ? 1 : storageDataBytes(v as string).length;
        bytes += 2 + u.uuid.length / 2 + len;
      }
    } else if (Array.isArray(data) || ArrayBuffer.isView(data)) {
      bytes = storageDataBytes(data as Uint8Array).length; // raw advertising data
    } else if (data !== undefined && data !== null) throw this.typeError(`Expecting Object, Array or undefined, got ${typeof data}`);
    let manufacturerData: Uint8Array | undefined;
    if (o.manufacturerData !== undefined) {
      manufacturerData = storageDataBytes(o.manufacturerData as string);
      bytes += 4 + manufacturerData.length;
    }
    if (bytes > ADV_PACKET_BYTES) throw this.error('Got BLE error DATA_SIZE');
    this.adv = {
      name,
      showName,
      connectable: o.connectable === undefined ? true : !!o.connectable,
      interval_ms: typeof o.interval === 'number' ? o.interval : ADV_INTERVAL_DEFAULT_ms,
      manufacturerData,
    };
    this.advertisingSpec = { data, options };
  }

  private setSecurity(options: unknown): void {
    this.checkOptions(options, SET_SECURITY_OPTIONS);
    const o = (options ?? {}) as { passkey?: unknown; mitm?: unknown; display?: unknown; bond?: unknown; encryptUart?: unknown };
    if (o.passkey !== undefined && !(typeof o.passkey === 'string' && /^\d{6}$/.test(o.passkey))) throw this.error('Passkey must be 6 digits');
    this.security = {
      passkey: o.passkey as string | undefined,
      mitm: !!o.mitm,
      display: !!o.display,
      bond: o.bond === undefined ? true : !!o.bond,
      encryptUart: !!o.encryptUart,
    };
    if (this.security.encryptUart) this.nus.rx.write = { encrypted: true, mitm: this.security.mitm };
    this.securitySpec = options;
  }

  private podDisconnects(): void {
    const link = this.link;
    if (!link) return;
    this.endLink(HCI_LOCAL_HOST_TERMINATED);
    this.host.toHost(() => link.central.onDisconnect('disconnected by the peripheral'));
  }

  private endLink(reason: number): void {
    this.link = null;
    for (const c of this.allChars()) c.listener = null;
    if (this.pendingServices) {
      // the queued Bluetooth restart happens now
      const p = this.pendingServices;
      this.pendingServices = null;
      try {
        this.applyServices(this.buildServices(p.data, p.options), p.data, p.options);
      } catch (e) {
        this.failed(e);
      }
    }
    this.schedule(0, () => this.emit(this.nrfListeners, 'disconnect', [reason], this.global.NRF));
  }

  private allChars(): CharState[] {
    const out: CharState[] = [];
    for (const s of this.services) out.push(...s.chars);
    out.push(this.nus.rx, this.nus.tx);
    return out;
  }

  // ------------------------------------------------------------------ the radio, as a central sees it

  /** What a scanner hears; null while connected (Espruino stops advertising) or after a reset. */
  advertisement(): GattAdvertisement | null {
    if (this.killed || this.link) return null;
    const uuids = [...this.advertiseUuids];
    if (this.uartEnabled) uuids.push(NUS_SERVICE);
    const ad: GattAdvertisement = { localName: this.adv.showName ? this.adv.name : '', serviceUuids: uuids.map(uuidNoble) };
    if (this.adv.manufacturerData) ad.manufacturerData = this.adv.manufacturerData.slice();
    return ad;
  }

  /** A central connects: NRF 'connect' runs on the pod's clock. */
  centralConnect(central: { onDisconnect(reason: string): void }): void {
    if (this.killed) throw new Error('the pod is not running');
    if (this.link) throw new Error('already connected: a Puck.js takes one central at a time');
    if (!this.adv.connectable) throw new Error('the pod is not connectable');
    this.link = { central, encrypted: false, mitm: false, bonded: false, servicesDiscovered: false, lastWrite_ms: -Infinity };
    this.schedule(0, () => this.emit(this.nrfListeners, 'connect', [CENTRAL_ADDRESS], this.global.NRF));
  }

  /** The central disconnects: NRF 'disconnect' (remote user terminated). */
  centralDisconnect(): void {
    if (!this.link || this.killed) return;
    this.endLink(HCI_REMOTE_USER_TERMINATED);
  }

  /** The link ends because the pod reset: the central hears a supervision timeout. */
  dropLinkForReset(): void {
    const link = this.link;
    this.link = null;
    if (link) this.host.toHost(() => link.central.onDisconnect('connection timeout: the pod stopped answering (reset)'));
  }

  /**
   * Pair with a static passkey (setSecurity({passkey, mitm:1, display:1})):
   * the right passkey gives an encrypted, MITM-protected link (bonded when
   * bond is on). With no passkey set, "just works" pairing encrypts
   * without MITM protection. Returns true when the link is bonded.
   */
  pair(passkey: string): boolean {
    const link = this.link;
    if (!link || this.killed) return false;
    const expected = this.host.passkey ?? this.security.passkey;
    if (this.security.mitm || expected !== undefined) {
      if (expected === undefined || passkey !== expected) return false;
      link.encrypted = true;
      link.mitm = true;
    } else {
      link.encrypted = true;
      link.mitm = false;
    }
    link.bonded = this.security.bond;
    return link.bonded;
  }

  /** The GATT database a connected central discovers. */
  gattServices(): GattService[] {
    if (this.killed || !this.link) return [];
    if (!this.link.servicesDiscovered) {
      this.link.servicesDiscovered = true;
      this.schedule(0, () => this.emit(this.nrfListeners, 'servicesDiscover', [], this.global.NRF));
    }
    const out: GattService[] = this.services.map((s) => ({ uuid: s.uuid, characteristics: s.chars.map((c) => this.wrap(c)) }));
    if (this.uartEnabled) out.push({ uuid: NUS_SERVICE, characteristics: [this.wrap(this.nus.rx), this.wrap(this.nus.tx)] });
    return out;
  }

  private wrap(c: CharState): GattCharacteristic {
    if (c.wrapper) return c.wrapper;
    const self = this;
    const allowed = (need: Security): boolean => {
      const l = self.link;
      return !!l && (!need.encrypted || l.encrypted) && (!need.mitm || l.mitm);
    };
    c.wrapper = {
      uuid: c.uuid,
      properties: [...c.properties],
      read(): Uint8Array {
        if (!self.link || self.killed) throw new Error('not connected');
        if (!allowed(c.read)) throw new GattAuthError('insufficient authentication (ATT error 0x05): pair first');
        return c.value.slice();
      },
      write(value: Uint8Array): void {
        if (!self.link || self.killed) throw new Error('not connected');
        if (!c.properties.includes('write')) throw new Error('write not permitted (ATT error 0x03)');
        if (!allowed(c.write)) throw new GattAuthError('insufficient authentication (ATT error 0x05): pair first');
        if (value.length > c.maxLen) throw new Error(`invalid attribute value length (ATT error 0x0d): ${value.length} > ${c.maxLen}`);
        const copy = new Uint8Array(value);
        c.value = copy;
        self.deliverWrite(c, copy);
      },
      subscribe(listener: (value: Uint8Array) => void): void {
        if (!c.properties.includes('notify') && !c.properties.includes('indicate')) throw new Error(`${c.uuid} cannot notify`);
        c.listener = listener;
      },
      unsubscribe(): void {
        c.listener = null;
      },
    };
    return c.wrapper;
  }

  /**
   * Espruino's REPL, as far as an uploader uses it: Ctrl-C (0x03) clears the
   * line, a line starting with 0x10 runs without echo or result, any other
   * line prints "=result" and a prompt; both on the console (Bluetooth).
   * Errors print "Uncaught ..." as on the pod. A locked console (E.lockConsole
   * with a password) runs nothing.
   */
  private replLine = '';
  private replFeed(text: string): void {
    for (const ch of text) {
      if (ch === '\x03') this.replLine = '';
      else if (ch === '\n' || ch === '\r') {
        const line = this.replLine;
        this.replLine = '';
        if (line.replace('\x10', '').trim() !== '') this.replRun(line);
      } else this.replLine += ch;
    }
  }

  private replRun(line: string): void {
    if (this.killed || this.consoleState.locked) return;
    const quiet = line.charCodeAt(0) === 0x10;
    const code = quiet ? line.slice(1) : line;
    try {
      const v = vm.runInContext(code, this.context, { filename: 'REPL' });
      if (!quiet) this.bluetoothWrite(`=${formatForPrint(v)}\r\n>`);
    } catch (e) {
      this.failed(e);
      if (!quiet) this.bluetoothWrite(`Uncaught ${(e as Error)?.message ?? String(e)}\r\n>`);
    }
    try {
      this.drain.runInContext(this.context);
    } catch (e) {
      this.failed(e);
    }
    if (this.host.flash.powerLost) this.lostPower();
  }

  /** A write reaches the pod at the next connection event, one write per event, and runs onWrite there. */
  private deliverWrite(c: CharState, value: Uint8Array): void {
    const link = this.link as Link;
    const at = Math.max(this.host.sim_ms(), link.lastWrite_ms) + this.connectionInterval_ms;
    link.lastWrite_ms = at;
    this.host.queue.at(at, this.host.generation, () => {
      if (c.uart) {
        const text = Buffer.from(value).toString('latin1');
        if (this.consoleState.device === 'Bluetooth') this.replFeed(text);
        else this.emit(this.btListeners, 'data', [text], this.global.Bluetooth);
        return;
      }
      if (typeof c.onWrite !== 'function') return;
      const buf = new this.realm.ArrayBuffer(value.length);
      new this.realm.Uint8Array(buf).set(value);
      this.call(c.onWrite, undefined, [this.realm.writeEvent(buf)]);
    });
  }

  // ------------------------------------------------------------------ memory accounting

  private counter(): VarCounter {
    const intrinsics = this.realmIntrinsics();
    return new VarCounter((o) => this.shimObjects.has(o) || intrinsics.has(o), this.realm.FunctionPrototype);
  }

  /** Objects of the realm's built-ins (and one level of their members): they live in firmware, not in JsVars. */
  private realmIntrinsics(): Set<object> {
    if (this.intrinsics) return this.intrinsics;
    const set = new Set<object>([this.global]);
    const add = (v: unknown, depth: number): void => {
      if (v === null || (typeof v !== 'object' && typeof v !== 'function') || set.has(v as object)) return;
      set.add(v as object);
      if (depth === 0) return;
      for (const k of Object.getOwnPropertyNames(v)) {
        const d = Object.getOwnPropertyDescriptor(v, k);
        if (d && 'value' in d) add(d.value, depth - 1);
      }
      add(Object.getPrototypeOf(v), depth - 1);
    };
    for (const k of this.baseGlobals) {
      const d = Object.getOwnPropertyDescriptor(this.global, k);
      if (d && 'value' in d) add(d.value, 2);
    }
    this.intrinsics = set;
    return set;
  }

  /**
   * Variables the pod's program holds (see VAR_RULES): globals the bundle
   * created, everything the runtime keeps for it (listeners, timers,
   * watches, the services/advertising/security objects it passed) and all
   * reachable from those, closures included. With root: just what root reaches.
   */
  countVars(root?: unknown): number {
    const counter = this.counter();
    try {
      return root !== undefined ? counter.count(root) : this.countState(counter);
    } finally {
      this.lastCountWalkedClosures = counter.closuresWalked;
      counter.done();
    }
  }

  private countState(counter: VarCounter): number {
    let n = 0;
    for (const k of Object.getOwnPropertyNames(this.global)) {
      if (this.baseGlobals.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(this.global, k);
      n += nameVars(k) + (d && 'value' in d ? counter.held(d.value) : 0);
    }
    for (const l of [this.puckListeners, this.nrfListeners, this.eListeners, this.btListeners, this.loopListeners]) {
      for (const fns of l.map.values()) n += VAR_RULES.listener + counter.count(fns.length === 1 ? fns[0] : fns);
    }
    for (const t of this.timers.values()) n += VAR_RULES.timer + counter.count(t.fn) + counter.count(t.args.length ? t.args : undefined);
    for (const w of this.watches.values()) n += VAR_RULES.watch + counter.count(w.fn);
    for (const spec of [this.servicesSpec, this.advertisingSpec]) if (spec) n += counter.count(spec.data) + counter.count(spec.options);
    n += counter.count(this.securitySpec);
    return n;
  }

  /** False when the last countVars could not read closures (no inspector in this process). */
  lastCountWalkedClosures = true;
}
