/**
 * A real pseudo-terminal pair, for tests and for `retrostep sim`: the slave
 * end is a /dev/pts/N path any serial program (serialport, screen, the
 * Espruino IDE) can open; the master end is ours, as bytes in and out.
 *
 * Node has no pty API, so a small python3 child (standard library only, no
 * install) calls pty.openpty(), prints the slave path, then relays bytes
 * between the master fd and its own stdin/stdout. A third pipe (fd 3)
 * carries control commands, so the data pipes stay 8-bit clean.
 *
 * pty facts this module is built around (Linux, checked here):
 * - While no process holds the slave open, reading the master fails with EIO
 *   and select() reports it readable forever. The child therefore keeps its
 *   own slave fd open for its whole life: a serial program can open and close
 *   the slave any number of times and the master never sees EIO.
 * - The slave's termios governs both directions (the master has none of its
 *   own): a cooked slave would echo our bytes back, turn \n into \r\n and
 *   treat 0x03 as ^C. The child sets it raw before printing the path; a
 *   serial program that opens it (serialport does) sets raw again anyway.
 * - Closing the master hangs the slave up: the slave's read() returns 0
 *   (EOF), poll() reports POLLERR|POLLHUP, write() fails with EIO. That is
 *   what a USB serial device being unplugged looks like, and is hangup().
 * - Bytes written to the master while nobody reads the slave stay queued in
 *   the slave's input buffer (about 4 KiB, then the master write would
 *   block): the child writes the master non-blocking and queues the rest, so
 *   it never stops relaying. serialport flushes that queue when it opens.
 *
 * The child exits when its stdin reaches EOF, which also happens if this
 * process dies in any way: no orphan outlives us.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/**
 * Relay program run with `python3 -I -c`. -I (isolated mode) keeps the current
 * directory off sys.path, so a stray pty.py or select.py there cannot shadow
 * the standard library modules this imports.
 */
const RELAY_PY = String.raw`
import errno, fcntl, os, pty, select, signal, sys, tty
# Ctrl-C in the terminal reaches the whole process group: leave it to the
# parent, which ends us by closing our stdin.
signal.signal(signal.SIGINT, signal.SIG_IGN)
master, slave = pty.openpty()
tty.setraw(slave)
fl = fcntl.fcntl(master, fcntl.F_GETFL)
fcntl.fcntl(master, fcntl.F_SETFL, fl | os.O_NONBLOCK)
IN, OUT, CTL = 0, 1, 3

def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]

try:
    write_all(OUT, (os.ttyname(slave) + "\n").encode())
    pending = b""
    ctl_open = True
    while True:
        rd = [IN]
        if master is not None:
            rd.append(master)
        if ctl_open:
            rd.append(CTL)
        wr = [master] if (master is not None and pending) else []
        r, w, _ = select.select(rd, wr, [])
        if master is not None and master in r:
            try:
                data = os.read(master, 65536)
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EIO):
                    raise
                data = b""
            if data:
                write_all(OUT, data)
        if master is not None and master in w:
            try:
                pending = pending[os.write(master, pending):]
            except BlockingIOError:
                pass
        # stdin before control: bytes written before hangup() reach the pty first
        if IN in r:
            data = os.read(IN, 65536)
            if not data:
                break
            if master is not None:
                pending += data
                try:
                    pending = pending[os.write(master, pending):]
                except BlockingIOError:
                    pass
        if CTL in r:
            cmd = os.read(CTL, 64)
            if not cmd:
                ctl_open = False
            elif b"H" in cmd and master is not None:
                # hang up: what the slave sees when a USB device is unplugged
                os.close(master)
                os.close(slave)
                master = None
                pending = b""
                write_all(CTL, b"h")
except (BrokenPipeError, KeyboardInterrupt):
    pass
`;

/**
 * python3 starts in ~20-50 ms; this only bounds a wedged interpreter or a hung filesystem. 15 s, not 5: a 2-core
 * machine running the test suite and more besides once took over 5 s (cli-record's sim failed, 2026-12-06).
 */
const START_TIMEOUT_ms = 15_000;
/** The child leaves within milliseconds of stdin EOF; after this it is killed. */
const EXIT_TIMEOUT_ms = 2_000;
/** The child answers a hang-up command at once; bounds a child that died meanwhile. */
const HANGUP_TIMEOUT_ms = 2_000;

export interface PtyPairEvents {
  /** Bytes the serial program wrote to the slave, as read from the master. */
  data: [bytes: Uint8Array];
  /** The relay child exited (after close(), or unexpectedly). */
  exit: [];
}

export interface PtyPairOptions {
  /** Interpreter to run. Default 'python3'. */
  python?: string;
}

export class PtyPair extends EventEmitter<PtyPairEvents> {
  private hungUp = false;
  private exited = false;
  private readonly exitPromise: Promise<void>;

  private constructor(
    /** The slave end, e.g. /dev/pts/3: give this to serialport / --port. */
    readonly path: string,
    private readonly child: ChildProcess,
    private readonly stdin: Writable,
    private readonly control: Writable & Readable,
  ) {
    super();
    this.exitPromise = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.exited = true;
        resolve();
        return;
      }
      child.once('exit', () => {
        this.exited = true;
        this.emit('exit');
        resolve();
      });
    });
  }

  /** Spawn the relay and wait for the slave path. */
  static async open(options: PtyPairOptions = {}): Promise<PtyPair> {
    const python = options.python ?? 'python3';
    if (process.platform === 'win32') {
      throw new Error('a virtual serial port (pty) needs Linux or macOS; on Windows use a com0com pair or the memory transport');
    }
    const child = spawn(python, ['-I', '-c', RELAY_PY], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    const stdin = child.stdin!;
    const stdout = child.stdout!;
    const control = child.stdio[3] as Writable & Readable;
    // The child going away makes pending writes fail with EPIPE; that is
    // reported through 'exit', never as an unhandled stream error.
    stdin.on('error', () => {});
    control.on('error', () => {});
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));

    let head = Buffer.alloc(0);
    let pair: PtyPair | null = null;
    return new Promise<PtyPair>((resolve, reject) => {
      const fail = (message: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(message));
      };
      const timer = setTimeout(() => fail(`${python} did not open a pty within ${START_TIMEOUT_ms} ms`), START_TIMEOUT_ms);
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (pair) return;
        clearTimeout(timer);
        reject(
          err.code === 'ENOENT'
            ? new Error(`${python} not found: a virtual serial port (pty) needs python3 on PATH; install it, or use the memory transport (retrostep demo)`)
            : new Error(`cannot start ${python} for the virtual serial port: ${err.message}`),
        );
      });
      child.once('exit', (code, signal) => {
        if (pair) return;
        const why = stderr.trim().split('\n').pop() || (signal ? `signal ${signal}` : `exit code ${code}`);
        fail(`${python} could not open a pty: ${why}`);
      });
      stdout.on('data', (chunk: Buffer) => {
        if (pair) {
          pair.emit('data', new Uint8Array(chunk));
          return;
        }
        // Before the first newline: the slave path; anything after is data.
        head = Buffer.concat([head, chunk]);
        const nl = head.indexOf(0x0a);
        if (nl < 0) return;
        clearTimeout(timer);
        const path = head.subarray(0, nl).toString('utf8');
        const rest = head.subarray(nl + 1);
        pair = new PtyPair(path, child, stdin, control);
        resolve(pair);
        if (rest.length > 0) setImmediate(() => pair!.emit('data', new Uint8Array(rest)));
      });
    });
  }

  /** True until hangup() or close(). */
  get isUp(): boolean {
    return !this.hungUp && !this.exited;
  }

  /** Send bytes to whoever has the slave open (the serial program reads them). */
  write(bytes: Uint8Array): void {
    if (!this.isUp) throw new Error(`pty ${this.path} is ${this.exited ? 'closed' : 'hung up'}`);
    this.stdin.write(Buffer.from(bytes));
  }

  /**
   * Simulate the device vanishing (USB cable pulled): close the master. The
   * slave stays a dead tty until its holder closes it. Resolves once the
   * master is closed. A pair that is hung up cannot carry bytes again.
   */
  async hangup(): Promise<void> {
    if (!this.isUp) return;
    this.hungUp = true;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.control.off('data', done);
        this.child.off('exit', done);
        resolve();
      };
      const timer = setTimeout(done, HANGUP_TIMEOUT_ms);
      this.control.on('data', done);
      this.child.once('exit', done);
      this.control.write('H');
    });
  }

  /** End the relay (closes the master if still up) and wait for the child to exit. */
  async close(): Promise<void> {
    this.hungUp = true;
    if (!this.exited) {
      this.stdin.end();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_TIMEOUT_ms);
      await this.exitPromise;
      clearTimeout(timer);
    }
    this.control.destroy();
  }
}

/** Open a pty pair: `const pty = await openPtyPair(); new SerialTransport({ path: pty.path })`. */
export function openPtyPair(options?: PtyPairOptions): Promise<PtyPair> {
  return PtyPair.open(options);
}
