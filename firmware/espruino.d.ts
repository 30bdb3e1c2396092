/**
 * The slice of Espruino's API the pod uses (Espruino 2v2x, Puck.js v2), typed
 * against the ES5 library. The virtual pod (host/src/sim/espruino-shim.ts)
 * implements exactly these names with the same argument shapes and units.
 */

interface PuckAccelEvent {
  /** raw LSB, accelerometer */
  acc: { x: number; y: number; z: number };
  /** raw LSB, gyroscope */
  gyro: { x: number; y: number; z: number };
}

interface PuckApi {
  /** Start the LSM6DS3TR-C at rate_hz (1.6 = accel only, 12.5, 26, 52, 104, ...). */
  accelOn(rate_hz?: number): void;
  accelOff(): void;
  /** Write an IMU register (e.g. 0x10 CTRL1_XL, 0x11 CTRL2_G). */
  accelWr(reg: number, data: number): void;
  /** Read an IMU register. */
  accelRd(reg: number): number;
  on(event: 'accel', fn: (e: PuckAccelEvent) => void): void;
  removeAllListeners(event?: string): void;
  getBatteryPercentage(): number;
}
declare var Puck: PuckApi;

interface NrfCharacteristicSpec {
  value?: Uint8Array | number[] | string;
  maxLen?: number;
  readable?: boolean;
  writable?: boolean;
  notify?: boolean;
  indicate?: boolean;
  description?: string;
  security?: { read?: { encrypted?: boolean; mitm?: boolean; signed?: boolean }; write?: { encrypted?: boolean; mitm?: boolean; signed?: boolean } };
  onWrite?: (evt: { data: ArrayBuffer }) => void;
}

interface NrfApi {
  setServices(services: { [serviceUuid: string]: { [charUuid: string]: NrfCharacteristicSpec } }, options?: { advertise?: string[]; uart?: boolean; hid?: number[] | Uint8Array }): void;
  updateServices(services: { [serviceUuid: string]: { [charUuid: string]: { value?: Uint8Array | number[] | string; notify?: boolean; indicate?: boolean } } }): void;
  /** data: service data by UUID (the pod advertises none), or raw advertising bytes. */
  setAdvertising(data: { [serviceUuid: string]: number | number[] | string | Uint8Array } | number[] | Uint8Array, options?: { name?: string; interval?: number; connectable?: boolean; showName?: boolean; manufacturer?: number; manufacturerData?: number[] | Uint8Array | string }): void;
  setSecurity(options: { passkey?: string; mitm?: boolean | number; display?: boolean | number; bond?: boolean | number; keyboard?: boolean | number; encryptUart?: boolean | number }): void;
  getSecurityStatus(): { connected: boolean; encrypted: boolean; mitm_protected: boolean; bonded: boolean; connected_addr?: string };
  setConnectionInterval(interval: number | string): void;
  getAddress(): string;
  disconnect(): void;
  on(event: 'connect', fn: (addr: string) => void): void;
  on(event: 'disconnect', fn: (reason: number) => void): void;
  on(event: 'servicesDiscover', fn: () => void): void;
  getBattery(): number;
}
declare var NRF: NrfApi;

interface StorageApi {
  /** Contents as a string (Espruino returns a memory-mapped string), or undefined. */
  read(name: string, offset?: number, length?: number): string | undefined;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  /** Write data; with offset/size: first call creates a file of `size` bytes, later calls fill it at offset. */
  write(name: string, data: string | Uint8Array | ArrayBuffer, offset?: number, size?: number): boolean;
  erase(name: string): void;
  list(regex?: RegExp | string): string[];
  getFree(): number;
  compact(): void;
  eraseAll(): void;
}

interface EApi {
  CRC32(data: string | Uint8Array | number[]): number;
  /** Restart and run the saved code again (a soft reset). */
  reboot(): void;
  getBattery(): number;
  on(event: 'init' | 'kill', fn: () => void): void;
  setConsole(device: string | null, options?: { force?: boolean }): void;
  setPassword(password: string): void;
  lockConsole(): void;
  toString(data: Uint8Array | ArrayBuffer | number[]): string;
  toUint8Array(data: string | number[]): Uint8Array;
  getSizeOf(obj: any, depth?: number): number;
  kickWatchdog(): void;
  enableWatchdog(timeout_s: number, isAuto?: boolean): void;
}
declare var E: EApi;

declare function require(module: 'Storage'): StorageApi;

declare function setTimeout(fn: () => void, ms?: number): number;
declare function setInterval(fn: () => void, ms?: number): number;
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
/** Seconds since power-on (or since setTime), as a float. */
declare function getTime(): number;
declare function setTime(unix_s: number): void;
declare function digitalPulse(pin: Pin, value: boolean | number, time_ms: number | number[]): void;
declare function digitalWrite(pin: Pin, value: boolean | number): void;
declare function digitalRead(pin: Pin): number;
declare function analogWrite(pin: Pin, value: number, options?: { freq?: number }): void;
declare function setWatch(fn: (e: { state: boolean; time: number; lastTime: number }) => void, pin: Pin, options?: { edge?: 'rising' | 'falling' | 'both'; repeat?: boolean; debounce?: number }): number;
declare function clearWatch(id?: number): void;
declare function print(...args: any[]): void;

interface Pin {
  read(): boolean;
  write(v: boolean | number): void;
}
declare var FET: Pin;
declare var LED1: Pin;
declare var LED2: Pin;
declare var LED3: Pin;
declare var BTN: Pin;
/** A serial device (the console can be moved to one: E.setConsole). */
interface SerialDevice {
  write(data: string | number[] | Uint8Array): void;
  on(event: 'data', fn: (data: string) => void): void;
}
declare var Bluetooth: SerialDevice;
declare var LoopbackA: SerialDevice;
declare var process: { memory(): { free: number; usage: number; total: number; history: number } };
