/**
 * A Puck.js v2 running the REAL pod bundle, without the Puck: the bundle is
 * stored in a simulated Storage as `.bootcde` (as an upload would), evaluated
 * in node:vm on the Espruino shim at every power-on, and driven by a virtual
 * clock that can jump (advance) or run against Node's clock at any speed
 * (start). The radio is a GattPeripheral a host-side central (the memory
 * transport's gatt-link, or noble through the fake bindings) connects to.
 *
 * Time: `sim_ms` is simulation time, monotonic for the life of the object
 * (IMU sources and logs use it); `now_ms` is the pod's uptime, which a reset
 * sets back to 0 like the real RTC.
 */
import { detokenise } from '../../../shared/espruino/tokens.js';
import { EspruinoRuntime, PIN, type RuntimeHost } from './espruino-shim.js';
import { EventQueue } from './event-queue.js';
import { Flash, StorageError } from './flash.js';
import type { GattAdvertisement, GattPeripheral, GattService } from './gatt.js';
import { gaussian } from './random.js';

/** Physical IMU values at simulation time t_ms: out[0..2] acc_g x,y,z and out[3..5] gyro_dps x,y,z, in the SENSOR frame. */
export type ImuSource = (t_ms: number, rate_hz: number, out: Float64Array) => void;

/** A static random address (top two bits set, Core spec Vol 6 Part B 1.3.2.1), fixed so tests are repeatable. */
const DEFAULT_MAC = 'd3:7a:42:19:c6:5e';
/** A fresh CR2032 under light load reads about 2.75 V: ~90% on Espruino's 2.2-2.8 V scale. */
const DEFAULT_BATTERY_pct = 90;
/** ATT MTU without an MTU exchange (Core spec Vol 3 Part F 3.2.8): 20-byte values. */
const DEFAULT_ATT_MTU = 23;
/** RSSI the virtual pod reports: a pod a metre or two away. */
const DEFAULT_RSSI_dBm = -60;
/**
 * Notifications the link takes per connection interval before the
 * SoftDevice runs out of buffers and Espruino silently drops the rest
 * (it ignores NRF_ERROR_RESOURCES). An assumption, not a measurement: a
 * 7.5 ms S132 connection event fits a handful of 20-byte packets.
 */
const NOTIFY_PACKETS_PER_INTERVAL = 4;
/** Where Espruino keeps code run at power-on (jsflash.c SAVED_CODE_BOOTCODE), and the files run before it (.boot0-3). */
const BOOT_CODE_FILE = '.bootcde';
const BOOT_PRELOAD_FILES = ['.boot0', '.boot1', '.boot2', '.boot3'];
/** start(): how often the clock catches up with real time (Node's timer granularity). */
const TICK_ms = 1;
/** start(): real time one tick may spend running the pod, so host I/O keeps flowing even if the pod cannot keep up. */
const TICK_BUDGET_ms = 15;
/** Resets in a row during boot before we stop (a bundle that kills the pod as it starts). */
const MAX_BOOT_RESETS = 50;

/** LSM6DS3TR-C noise density, high-performance mode (datasheet table 3, typical): acceleration ~90 ug/sqrt(Hz)... */
const ACC_NOISE_g_per_rtHz = 90e-6;
/** ...angular rate a few mdps/sqrt(Hz). */
const GYRO_NOISE_dps_per_rtHz = 5e-3;

export interface HapticEvent {
  /** simulation time the motor went on */
  t_ms: number;
  duration_ms: number;
  /** 1 for digitalWrite/digitalPulse, PWM duty for analogWrite */
  level: number;
  boot: number;
}

export interface LedEvent {
  t_ms: number;
  led: 'LED1' | 'LED2' | 'LED3';
  /** 0 off, 1 on, or PWM duty */
  value: number;
}

export interface UncaughtError {
  t_ms: number;
  boot: number;
  name: string;
  message: string;
  stack?: string;
}

export interface ResetRecord {
  t_ms: number;
  reason: 'power loss' | 'reset' | 'watchdog';
}

export interface VirtualPodOptions {
  /** The pod bundle's JavaScript source (use dist/firmware/retrostep.min.js: the readable one does not fit in 40 KB). */
  bundle: string;
  /** Storage to boot from (default: a blank 40 KB). Keep it to simulate a reset or a battery swap. */
  flash?: Flash;
  /** "aa:bb:cc:dd:ee:ff" (default DEFAULT_MAC) */
  mac?: string;
  /** default: standing still, gravity on sensor +z, datasheet noise */
  imuSource?: ImuSource;
  battery_pct?: number;
  /** This unit's pairing passkey (as provisioned); overrides the one the bundle passes to NRF.setSecurity. */
  passkey?: string;
  /** Seed for the default IMU source's noise. */
  seed?: number;
  /** Write `bundle` to .bootcde on the first boot when it is not there yet (default true), as `retrostep flash` would. */
  installBundle?: boolean;
  /** Remove globals Espruino lacks (Map, Set, Symbol, Array.from...) from the pod's realm (default true). */
  espruinoLanguage?: boolean;
  /** ATT MTU of links (default 23). */
  mtu?: number;
  /** see NOTIFY_PACKETS_PER_INTERVAL; Infinity never drops */
  notifyPacketsPerInterval?: number;
  /** Copy the pod's console output to this function as it is printed (e.g. process.stdout.write). */
  echo?: (text: string) => void;
}

/** A pod lying still with its sensor +z up: 1 g on z, no rotation, plus sensor noise for the output rate (bandwidth ODR/2). */
export function stillImuSource(seed = 1): ImuSource {
  const n = gaussian(seed);
  return (_t_ms, rate_hz, out) => {
    const bw = Math.sqrt(rate_hz / 2);
    const sa = ACC_NOISE_g_per_rtHz * bw;
    const sg = GYRO_NOISE_dps_per_rtHz * bw;
    out[0] = sa * n();
    out[1] = sa * n();
    out[2] = 1 + sa * n();
    out[3] = sg * n();
    out[4] = sg * n();
    out[5] = sg * n();
  };
}

const LED_PINS: { [pin: number]: LedEvent['led'] } = { [PIN.LED1]: 'LED1', [PIN.LED2]: 'LED2', [PIN.LED3]: 'LED3' };

export class VirtualPod {
  readonly flash: Flash;
  readonly mac: string;
  /** The pod's radio as a BLE central sees it. */
  readonly peripheral: GattPeripheral;
  /** Motor on-intervals (FET), closed ones; see motorOn for one in progress. */
  readonly hapticsLog: HapticEvent[] = [];
  readonly ledLog: LedEvent[] = [];
  /** Exceptions the bundle did not catch (Espruino printed them and carried on). */
  readonly uncaught: UncaughtError[] = [];
  readonly resets: ResetRecord[] = [];
  /** Everything the pod printed (print, console.log, "Uncaught ...", Espruino's own messages). */
  printed = '';
  /** Power-ons so far. */
  boots = 0;

  private readonly bundle: string;
  private readonly options: VirtualPodOptions;
  private readonly queue = new EventQueue();
  private sim = 0;
  private bootAt = 0;
  private rt: EspruinoRuntime | null = null;
  private imuSource: ImuSource;
  private battery: number;
  private resetPending: ResetRecord['reason'] | null = null;
  private motor: { t_ms: number; level: number } | null = null;
  private hostQueue: (() => void)[] = [];
  private hostFlushScheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private button = 0;
  private inAdvance = false;
  private readonly mtu: number;

  constructor(options: VirtualPodOptions) {
    if (typeof options.bundle !== 'string') throw new TypeError('VirtualPod needs the bundle source as a string');
    this.options = options;
    this.bundle = options.bundle;
    this.flash = options.flash ?? new Flash();
    this.mac = (options.mac ?? DEFAULT_MAC).toLowerCase();
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(this.mac)) throw new Error(`bad MAC address ${options.mac}`);
    this.imuSource = options.imuSource ?? stillImuSource(options.seed ?? 1);
    this.battery = options.battery_pct ?? DEFAULT_BATTERY_pct;
    this.mtu = options.mtu ?? DEFAULT_ATT_MTU;
    this.peripheral = this.makePeripheral();
  }

  // ------------------------------------------------------------------ clock

  /** Uptime of the current power-on, ms (0 after a reset). */
  get now_ms(): number {
    return this.sim - this.bootAt;
  }

  /** Simulation time, ms since this VirtualPod was made (never goes back). */
  get sim_ms(): number {
    return this.sim;
  }

  /**
   * Run every event due in the next `ms` of virtual time, in time order
   * (timers, IMU samples, pulses, BLE writes, button edges), jumping the
   * clock from one to the next: ten virtual minutes of a 52 Hz pod take
   * about 31 000 events, not ten minutes.
   */
  advance(ms: number): void {
    this.requireBooted();
    this.runUntil(this.sim + Math.max(0, ms), Infinity);
  }

  /**
   * Run the virtual clock at `speed` x real time in the background
   * (batches on Node's event loop), so async host code can talk to the
   * pod while it runs. If the pod cannot keep up, it runs as fast as it can.
   */
  start(speed = 1000): void {
    this.requireBooted();
    this.stop();
    let last = performance.now();
    const tick = (): void => {
      this.timer = null;
      const now = performance.now();
      const want_ms = (now - last) * speed;
      last = now;
      this.runUntil(this.sim + want_ms, now + TICK_BUDGET_ms);
      this.timer = setTimeout(tick, TICK_ms);
    };
    this.timer = setTimeout(tick, TICK_ms);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Process events up to target_ms of simulation time; stop early (lagging) once performance.now() passes deadline. */
  private runUntil(target_ms: number, deadline: number): void {
    if (this.inAdvance) throw new Error('the virtual pod is already running events (advance() called from inside the pod?)');
    this.inAdvance = true;
    try {
      let n = 0;
      for (;;) {
        if (this.queue.peekTime() > target_ms) break;
        const e = this.queue.pop();
        if (!e) break;
        if (e.t_ms > this.sim) this.sim = e.t_ms;
        e.run();
        const rt = this.rt;
        if (rt && rt.busyUntil > this.sim) {
          // digitalPulse(pin, v, 0) kept the pod busy: everything else runs late
          this.sim = rt.busyUntil;
          rt.busyUntil = -Infinity;
        }
        if (this.resetPending) {
          const reason = this.resetPending;
          this.resetPending = null;
          this.doReset(reason);
        }
        if (deadline !== Infinity && (++n & 255) === 0 && performance.now() > deadline) return;
      }
      if (target_ms > this.sim) this.sim = target_ms;
    } finally {
      this.inAdvance = false;
    }
  }

  // ------------------------------------------------------------------ power

  get booted(): boolean {
    return this.rt !== null;
  }

  /** Power on: run the Storage check, install the bundle on the very first boot, run .boot0-3 and .bootcde, then E.on('init'). */
  boot(): void {
    if (this.rt) throw new Error('the pod is already on: use reset() to power-cycle it');
    this.powerOn(true);
  }

  /** Power-cycle: RAM, timers, listeners and the BLE link are gone; E.on('kill') does NOT run; flash stays. */
  reset(): void {
    this.requireBooted();
    if (this.inAdvance) this.resetPending = 'reset';
    else this.doReset('reset');
  }

  /** Same as reset(): the battery contact bounced. */
  powerLoss(): void {
    this.requireBooted();
    if (this.inAdvance) this.resetPending = 'power loss';
    else this.doReset('power loss');
  }

  private doReset(reason: ResetRecord['reason']): void {
    const rt = this.rt;
    this.resets.push({ t_ms: this.sim, reason });
    if (rt) {
      rt.dropLinkForReset();
      rt.kill();
      this.queue.purge(this.boots);
      // outputs lose their drive: the motor stops, the LEDs go out
      for (const [pin, v] of rt.outputs()) if (v > 0) this.onPin(pin, 0);
    }
    this.rt = null;
    this.powerOn(false);
  }

  private powerOn(first: boolean): void {
    for (let attempt = 0; attempt < MAX_BOOT_RESETS; attempt++) {
      this.flash.powerOn();
      this.flash.onMessage = (text) => this.print(text);
      this.bootAt = this.sim;
      this.boots++;
      this.flash.checkOnBoot();
      if (first && attempt === 0 && this.options.installBundle !== false) this.installBundle();
      const rt = new EspruinoRuntime(this.runtimeHost(this.boots), { espruinoLanguage: this.options.espruinoLanguage });
      this.rt = rt;
      if (this.button) rt.pinInput(PIN.BTN, this.button);
      for (const name of BOOT_PRELOAD_FILES) {
        const code = this.flash.read(name);
        if (code !== undefined) rt.run(fromStorageText(code), name);
      }
      const code = this.flash.read(BOOT_CODE_FILE);
      if (code !== undefined) rt.run(fromStorageText(code), BOOT_CODE_FILE);
      if (!rt.isKilled) rt.emitInit();
      if (!this.resetPending) return;
      // the pod died while starting: power comes back and it starts again
      const reason = this.resetPending;
      this.resetPending = null;
      this.resets.push({ t_ms: this.sim, reason });
      rt.kill();
      this.queue.purge(this.boots);
      this.rt = null;
    }
    throw new Error(`the pod reset ${MAX_BOOT_RESETS} times in a row while booting`);
  }

  /** Like an upload with "save to flash": the bundle becomes .bootcde (UTF-8 bytes; the minified bundle is ASCII). */
  private installBundle(): void {
    const text = toStorageText(this.bundle);
    if (this.flash.read(BOOT_CODE_FILE) === text) return;
    try {
      this.flash.write(BOOT_CODE_FILE, text);
    } catch (e) {
      if (e instanceof StorageError) {
        throw new Error(`the bundle (${text.length} bytes) does not fit in Storage (${this.flash.getFree()} of ${this.flash.size} bytes free): use the minified bundle, or installBundle: false`);
      }
      throw e;
    }
  }

  private runtimeHost(generation: number): RuntimeHost {
    const pod = this;
    return {
      flash: this.flash,
      queue: this.queue,
      generation,
      sim_ms: () => pod.sim,
      bootAt_sim_ms: this.bootAt,
      mac: this.mac,
      mtu: this.mtu,
      passkey: this.options.passkey,
      notifyPacketsPerInterval: this.options.notifyPacketsPerInterval ?? NOTIFY_PACKETS_PER_INTERVAL,
      imu: (t, rate, out) => pod.imuSource(t, rate, out),
      battery_pct: () => pod.battery,
      print: (text) => pod.print(text),
      uncaught: (e) => pod.uncaught.push({ t_ms: pod.sim, boot: generation, ...e }),
      pinOutput: (pin, value) => pod.onPin(pin, value),
      toHost: (fn) => pod.toHost(fn),
      powerLost: () => {
        pod.resetPending = 'power loss';
      },
      watchdogReset: () => {
        pod.resetPending = 'watchdog';
      },
      reboot: () => {
        pod.resetPending = 'reset';
      },
    };
  }

  private requireBooted(): void {
    if (!this.rt) throw new Error('the pod is off: call boot() first');
  }

  // ------------------------------------------------------------------ the world around the pod

  /** Press BTN now and release it after duration_ms (setWatch callbacks run as the clock moves). */
  pressButton(duration_ms = 100): void {
    this.requireBooted();
    const edge = (v: number) => () => {
      this.button = v;
      this.rt?.pinInput(PIN.BTN, v);
    };
    this.queue.at(this.sim, 0, edge(1));
    this.queue.at(this.sim + Math.max(0, duration_ms), 0, edge(0));
  }

  /** Hold (true) or release the button; works before boot() too, to power up with it held (update mode). */
  setButton(down: boolean): void {
    this.button = down ? 1 : 0;
    if (this.rt) this.rt.pinInput(PIN.BTN, this.button);
  }

  setImuSource(fn: ImuSource): void {
    this.imuSource = fn;
  }

  setBattery(pct: number): void {
    this.battery = pct;
  }

  // ------------------------------------------------------------------ what the pod did

  /** The motor's current on-interval, if it is buzzing now. */
  get motorOn(): { t_ms: number; level: number } | null {
    return this.motor ? { ...this.motor } : null;
  }

  /** The runtime of the current power-on (its vm context, IMU registers...), for tests and debugging. */
  get runtime(): EspruinoRuntime | null {
    return this.rt;
  }

  /**
   * Estimated Espruino variables in use: with no argument, everything the
   * bundle holds (its globals, listeners, timers, watches, services, and
   * all their closures); with root, what root reaches. See VAR_RULES in
   * var-counter.ts for how they are counted.
   */
  memoryVars(root?: unknown): number {
    this.requireBooted();
    return (this.rt as EspruinoRuntime).countVars(root);
  }

  private print(text: string): void {
    this.printed += text;
    this.options.echo?.(text);
  }

  private onPin(pin: number, value: number): void {
    if (pin === PIN.FET) {
      if (this.motor && this.motor.level !== value) {
        this.hapticsLog.push({ t_ms: this.motor.t_ms, duration_ms: this.sim - this.motor.t_ms, level: this.motor.level, boot: this.boots });
        this.motor = null;
      }
      if (value > 0 && !this.motor) this.motor = { t_ms: this.sim, level: value };
      return;
    }
    const led = LED_PINS[pin];
    if (led) this.ledLog.push({ t_ms: this.sim, led, value });
  }

  /** Pod to host deliveries run on Node's event loop, in order, never inside the pod's own event. */
  private toHost(fn: () => void): void {
    this.hostQueue.push(fn);
    if (this.hostFlushScheduled) return;
    this.hostFlushScheduled = true;
    setImmediate(() => {
      this.hostFlushScheduled = false;
      const q = this.hostQueue;
      this.hostQueue = [];
      let failure: unknown = null;
      for (const f of q) {
        try {
          f();
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure) throw failure;
    });
  }

  private makePeripheral(): GattPeripheral {
    const pod = this;
    return {
      get address(): string {
        return pod.mac;
      },
      get rssi(): number {
        return DEFAULT_RSSI_dBm;
      },
      get mtu(): number {
        return pod.mtu;
      },
      advertisement(): GattAdvertisement | null {
        return pod.rt?.advertisement() ?? null;
      },
      connect(central: { onDisconnect(reason: string): void }): void {
        if (!pod.rt) throw new Error('the pod is off');
        pod.rt.centralConnect(central);
      },
      disconnect(): void {
        pod.rt?.centralDisconnect();
      },
      services(): GattService[] {
        return pod.rt?.gattServices() ?? [];
      },
      pair(passkey: string): boolean {
        return pod.rt?.pair(passkey) ?? false;
      },
    };
  }
}

/**
 * Storage holds bytes. A bundle is bytes already (ASCII, or pretokenised: one char per byte, under 256);
 * other source text goes in as UTF-8.
 */
function toStorageText(source: string): string {
  return /^[\x00-\xff]*$/.test(source) ? source : Buffer.from(source, 'utf8').toString('latin1');
}

/** Stored code as a Puck.js's lexer reads it (no unicode support): a byte from 138 up is a reserved word or operator. */
function fromStorageText(stored: string): string {
  return detokenise(stored);
}

