/**
 * Serial link to a pod through serialport 13: a USB-TTL adapter on the
 * Puck.js Serial1 pins (D28/D29), an Espruino board's USB CDC port, or the
 * pseudo-terminal of `retrostep sim`. Implements the Transport contract
 * (transport.ts): bytes only, framing is the protocol's business.
 *
 * serialport facts this module is built around (13.0, read from its source,
 * checked on Linux ptys):
 * - open() errors are plain Errors whose message is the C strerror text
 *   ("Error: No such file or directory, cannot open /dev/ttyX"); there is no
 *   err.code, so errors are classified by message (openError below).
 * - The port is opened with an exclusive flock() by default (lock: true); a
 *   second open, from this or any process, fails with "Cannot lock port".
 *   That works on ptys too. Windows ports are exclusive by themselves.
 * - When the device goes away the tty is hung up: read() returns 0 (EOF)
 *   and write() fails with EIO. serialport's unix read retries a 0-byte read
 *   at once, forever: 100% CPU and no 'close'. Only if the read happened to
 *   be parked in poll() does it notice (libuv reports POLLERR as EBADF). The
 *   port's read is therefore replaced by one that treats EOF as a hang-up
 *   (treatEofAsHangup); the stream then closes with a DisconnectedError.
 * - A failed write makes the stream destroy itself: 'error' then a second,
 *   argument-less 'close' may follow serialport's own 'close'. Only the
 *   first close of a port counts, and whether it was ours decides the error.
 * - A stream without an 'error' listener crashes the process on the first
 *   error: every port gets one for its whole life.
 * - SerialPort.list() runs `udevadm info -e` on Linux and rejects where
 *   there is no udev (containers, minimal systems): listSerialPorts() turns
 *   that into an empty list.
 * - The native binding loads when 'serialport' is imported: it is imported
 *   on first use so other commands never depend on it.
 */
import { existsSync, read as fsRead, realpathSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
// Types only (erased at runtime). Taken from bindings-cpp (serialport's own
// dependency), which re-exports @serialport/bindings-interface: imported
// directly under NodeNext, that package's "exports" hide its .d.ts.
import type { BindingInterface, BindingPortInterface } from '@serialport/bindings-cpp';
import type { SerialPort } from 'serialport';
import { isOwnTerminal } from './own-terminal.js';
import { BaseTransport, TransportError } from './transport.js';

/**
 * Espruino's serial console runs at 9600 baud unless the program calls
 * Serial1.setup() with another rate (Puck.js enables Serial1 on D28/D29 at
 * 9600 when RX is held high at power-up). USB CDC ports ignore the rate.
 */
const DEFAULT_BAUD_RATE = 9600;
/** 8N1 framing: start bit + 8 data bits + stop bit on the wire per byte. */
const BITS_PER_BYTE = 10;
/**
 * A write is bounded by its time on the wire at the configured rate plus
 * this margin (OS and USB scheduling, a USB-TTL adapter's buffers). Past it
 * the device is not taking bytes (hardware flow control, a wedged adapter).
 */
const WRITE_MARGIN_ms = 2_000;
/** udevadm lists all devices in ~0.1 s; 5 s only bounds a stuck udev. */
const LIST_TIMEOUT_ms = 5_000;

export interface SerialTransportOptions {
  /** Device path: /dev/ttyACM0, /dev/ttyUSB0, /dev/tty.usbmodem1234, COM3, or a pty from `retrostep sim`. */
  path: string;
  /** Default DEFAULT_BAUD_RATE (9600, Espruino's default). */
  baudRate?: number;
}

export interface SerialPortInfo {
  path: string;
  manufacturer?: string;
  /** USB ids as 4 hex digits, when the OS reports them: lets `scan --serial` point out likely pods. */
  vendorId?: string;
  productId?: string;
}

type SerialPortModule = typeof import('serialport');
let serialPortModule: Promise<SerialPortModule> | null = null;

/** Import serialport (and its native binding) on first use. */
function loadSerialPort(): Promise<SerialPortModule> {
  serialPortModule ??= import('serialport').catch((err: unknown) => {
    serialPortModule = null;
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TransportError('io', `serial ports are not available: the serialport native module did not load (${detail})`);
  });
  return serialPortModule;
}

export class SerialTransport extends BaseTransport {
  readonly description: string;
  readonly path: string;
  readonly baudRate: number;
  /** The port of the current link (also while opening), null when none. */
  private port: SerialPort | null = null;
  /** close() was called: the next close of the port is not a loss. */
  private closing = false;
  /** Rejects when the current link ends, so no write outlives it (see write()). */
  private ended: { promise: Promise<never>; reject: (err: TransportError) => void } | null = null;

  constructor(options: SerialTransportOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.description = `serial ${options.path}`;
  }

  async open(): Promise<void> {
    if (this.port) throw new TransportError('busy', `${this.description} is already open`);
    if (!this.path) {
      throw new TransportError('not_found', 'no serial port given: name one with --port (list them with `retrostep scan --serial`)');
    }
    if (isPtyMultiplexer(this.path)) throw ptyMultiplexerError(this.path);
    if (isOwnTerminal(this.path)) throw ownTerminalError(this.path);
    const { SerialPort } = await loadSerialPort();
    if (this.port) throw new TransportError('busy', `${this.description} is already open`);
    const options = {
      path: this.path,
      baudRate: this.baudRate,
      autoOpen: false,
      // exclusive flock(): a second program (or a second retrostep) gets 'busy'
      lock: true,
    } as ConstructorParameters<typeof SerialPort>[0];
    let port: SerialPort;
    try {
      port = new SerialPort(options);
    } catch (err) {
      // the constructor validates synchronously (TypeError for a bad baud rate)
      throw new TransportError('io', `cannot use serial port ${this.path}: ${messageOf(err)}`);
    }
    this.port = port;
    this.closing = false;
    // from here to the end of its life; a stream error with no listener is fatal
    let lastError: Error | undefined;
    port.on('error', (err: Error) => {
      lastError = err;
      if (this.port === port && this.isOpen) this.portEnded(port, err);
    });
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      this.port = null;
      throw openError(this.path, err);
    }
    if (port.port) treatEofAsHangup(port.port, this.path);
    port.on('data', (chunk: Buffer) => {
      // a plain view, so consumers never meet Buffer's slice() semantics
      if (this.port === port) this.emit('data', new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
    port.on('close', (err?: Error | null) => this.portEnded(port, err ?? lastError));
    let reject!: (err: TransportError) => void;
    const promise = new Promise<never>((_, r) => (reject = r));
    promise.catch(() => {}); // only writes in flight care
    this.ended = { promise, reject };
    this.markOpen();
  }

  /**
   * Resolves once the bytes were handed to the OS and drained (tcdrain) to
   * the device. The OS splits them as the port needs. Rejects with 'closed'
   * or 'lost' if the link ends first: SerialPortStream queues a write made
   * while the port is closing until it opens again, which would be never.
   */
  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen();
    if (bytes.length === 0) return;
    const port = this.port!;
    const ended = this.ended!.promise;
    const budget_ms = WRITE_MARGIN_ms + Math.ceil((bytes.length * BITS_PER_BYTE * 1000) / this.baudRate);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TransportError('timeout', `${this.description}: ${bytes.length} bytes not sent within ${budget_ms} ms: the device is not reading`)),
        budget_ms,
      );
    });
    const work = this.writeAndDrain(port, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    // if the timeout or the end of the link wins, the write's own failure comes later: not unhandled
    work.catch(() => {});
    try {
      await Promise.race([work, timeout, ended]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async writeAndDrain(port: SerialPort, buf: Buffer): Promise<void> {
    // serialport disconnects on any write error that is not a cancellation
    // (EIO from a hung-up tty, ENXIO from a removed USB device), and a drain
    // error is the same ioctl failing: the link is gone either way. The write
    // callback can run before serialport's own close, so end the link here.
    const failed = (err: unknown) => {
      if (this.closing) return new TransportError('closed', `${this.description} was closed during a write`);
      this.portEnded(port, err instanceof Error ? err : new Error(String(err)));
      return lostError(this.path, err);
    };
    if (!port.isOpen) throw failed(new Error('port closed'));
    // the write callback means "handed to the OS"; drain then waits for the device
    await new Promise<void>((resolve, reject) => port.write(buf, (err) => (err ? reject(failed(err)) : resolve())));
    // SerialPortStream.drain() on a closed port waits for a reopen that never comes
    if (!port.isOpen) throw failed(new Error('port closed'));
    await new Promise<void>((resolve, reject) => port.drain((err) => (err ? reject(failed(err)) : resolve())));
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port || !this.isOpen) return;
    this.closing = true;
    // Errors here mean the port is already closing (a disconnect raced us):
    // either way it ends closed, and the close was asked for.
    await new Promise<void>((resolve) => port.close(() => resolve()));
    this.portEnded(port, undefined);
  }

  /** First end of a port wins: ours (close()) is clean, any other is a loss. */
  private portEnded(port: SerialPort, err: Error | null | undefined): void {
    if (this.port !== port) return;
    this.port = null;
    const ended = this.ended;
    this.ended = null;
    if (this.closing) {
      ended?.reject(new TransportError('closed', `${this.description} was closed during a write`));
      this.markClosed();
      return;
    }
    // a stream that destroyed itself may still hold the fd
    if (port.isOpen) port.close(() => {});
    const lost = lostError(this.path, err);
    ended?.reject(lost);
    this.markClosed(lost);
  }
}

/** List serial ports; [] where the OS cannot enumerate them (Linux without udev) rather than an error. */
export async function listSerialPorts(binding?: BindingInterface): Promise<SerialPortInfo[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const list = binding ? () => binding.list() : (await loadSerialPort()).SerialPort.list;
    const ports = await Promise.race([
      list(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), LIST_TIMEOUT_ms);
      }),
    ]);
    return ports.map((p) => ({
      path: p.path,
      ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
      ...(p.vendorId ? { vendorId: p.vendorId } : {}),
      ...(p.productId ? { productId: p.productId } : {}),
    }));
  } catch {
    // udevadm missing (spawn ENOENT), udev not running, native module absent:
    // the user can still name a port with --port.
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/** The pseudo-terminal multiplexer's names (Linux, the BSDs, macOS; /dev/pts/ptmx is devpts' own). */
const PTY_MULTIPLEXER_PATHS = ['/dev/ptmx', '/dev/pts/ptmx'];
/** Linux's device numbers for the multiplexer (major 5, minor 2, Documentation/admin-guide/devices.txt), under any name. */
const PTMX_MAJOR = 5;
const PTMX_MINOR = 2;

/**
 * Is `path` the pseudo-terminal multiplexer? Opening it does not reach a device: it makes a new pseudo-terminal,
 * whose master is the opener's and whose other end nobody has open, so the sync that opened it waited 6 s and said
 * "nothing answered ... is the pod on this port?".
 */
function isPtyMultiplexer(path: string): boolean {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return false;
  }
  if (PTY_MULTIPLEXER_PATHS.includes(real)) return true;
  if (process.platform !== 'linux') return false;
  try {
    const st = statSync(real);
    // (rdev = major << 8 | minor for Linux's small device numbers)
    return st.isCharacterDevice() && st.rdev >> 8 === PTMX_MAJOR && (st.rdev & 0xff) === PTMX_MINOR;
  } catch {
    return false;
  }
}

function ptyMultiplexerError(path: string): TransportError {
  return new TransportError(
    'io',
    `${path} is the pseudo-terminal multiplexer, not a port: opening it makes a new pseudo-terminal nothing is on (for \`retrostep sim\`'s pod use the /dev/pts/N path it prints; \`retrostep scan --serial\` lists the ports)`,
  );
}

/** (Refused before it is opened: opened, the protocol's frames went onto the screen, and the keys typed were read as the pod's.) */
function ownTerminalError(path: string): TransportError {
  return new TransportError(
    'io',
    `${path} is the terminal you are typing in, not a pod's port: name the pod's (\`retrostep scan --serial\` lists the ports; for \`retrostep sim\`'s pod, the /dev/pts/N path it prints)`,
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Map a serialport open failure to a TransportError a person can act on. */
export function openError(path: string, err: unknown): TransportError {
  const raw = messageOf(err);
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  let out: TransportError;
  if (code === 'ENOENT' || /No such file or directory|No such device|Not a directory|File not found/i.test(raw)) {
    // ENXIO "No such device or address": the node exists but the device behind it is gone
    // (a port named without /dev/, ttyACM0: said where it is; it was only "check the name")
    const inDev = !path.startsWith('/') && process.platform !== 'win32' && existsSync(`/dev/${path}`) ? `/dev/${path}` : null;
    // (a pseudo-terminal is `retrostep sim`'s, gone when it stopped, and never among scan --serial's ports)
    const simPty = /^\/dev\/pts\//.test(path);
    out = new TransportError(
      'not_found',
      inDev
        ? `no serial port at ${path}: did you mean ${inDev}?`
        : simPty
          ? `no pseudo-terminal at ${path}: is \`retrostep sim\` still running? Use the path it prints`
          : `no serial port at ${path}: check the name with \`retrostep scan --serial\``,
    );
  } else if (code === 'EBUSY' || /Cannot lock port|resource busy|Access denied/i.test(raw)) {
    // flock held by another process (unix), or Windows' exclusive open ("Access denied")
    out = new TransportError('busy', `serial port ${path} is in use by another program (Espruino IDE, screen, another retrostep?): close it and try again`);
  } else if (code === 'EACCES' || /Permission denied/i.test(raw)) {
    out = new TransportError(
      'io',
      `no permission to open ${path}: add yourself to the group that owns it (dialout on Debian/Ubuntu, uucp on Arch: sudo usermod -aG dialout $USER), then log in again`,
    );
  } else if (/Inappropriate ioctl/i.test(raw)) {
    out = new TransportError('io', `${path} is not a serial port`);
  } else if (code === 'EISDIR' || /Is a directory/i.test(raw)) {
    out = new TransportError('io', `${path} is a folder, not a serial port: check the name with \`retrostep scan --serial\``);
  } else {
    // (the binding's own "Error: <why>, cannot open <path>": said once, as ours; its words whole if that leaves none)
    const why = raw.replace(/^Error:?\s*/, '');
    out = new TransportError('io', `cannot open serial port ${path}: ${why.replace(/,?\s*cannot open \S+$/i, '') || why}`);
  }
  out.cause = err;
  return out;
}

function lostError(path: string, cause: unknown): TransportError {
  const err = new TransportError('lost', `serial port ${path} went away (unplugged, reset or powered off?)`);
  if (cause !== undefined) err.cause = cause;
  return err;
}

/** What a unix serialport binding port has beyond the interface (LinuxPortBinding, DarwinPortBinding). */
interface UnixPortInternals {
  fd: number | null;
  poller?: { once(event: 'readable', callback: (err: Error | null) => void): unknown };
}

const readAsync = promisify(fsRead);

/**
 * Replace a unix binding port's read() with one that reports EOF as a
 * disconnect instead of retrying it forever (see the header). Otherwise the
 * same steps as serialport's unixRead: read, on EAGAIN wait for the poller.
 * Other bindings (Windows, mock) are left as they are.
 */
function treatEofAsHangup(port: BindingPortInterface, path: string): void {
  const unix = port as BindingPortInterface & UnixPortInternals;
  const poller = unix.poller;
  if (typeof unix.fd !== 'number' || !poller || typeof poller.once !== 'function') return;
  // Cancelled reads must carry canceled: true, or the stream treats them as a disconnect.
  const canceled = () => Object.assign(new Error('Port is not open'), { canceled: true });
  unix.read = async (buffer: Buffer, offset: number, length: number) => {
    for (;;) {
      const fd = unix.fd;
      if (fd === null) throw canceled();
      let bytesRead: number;
      try {
        ({ bytesRead } = await readAsync(fd, buffer, offset, length, null));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw err;
        if (unix.fd === null) throw canceled();
        // rejects with canceled on close, or with an error on POLLERR (hang-up)
        await new Promise<void>((resolve, reject) => poller.once('readable', (e) => (e ? reject(e) : resolve())));
        continue;
      }
      if (bytesRead > 0) return { buffer, bytesRead };
      // O_NONBLOCK with VMIN=1: no data is EAGAIN, so 0 bytes can only be a hung-up tty
      if (unix.fd === null) throw canceled();
      throw new Error(`${path} hung up (end of file)`);
    }
  };
}
