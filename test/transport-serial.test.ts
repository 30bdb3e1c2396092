/**
 * SerialTransport over a REAL pseudo-terminal pair: serialport opens the
 * /dev/pts slave with the native binding, the test plays the device on the
 * master (host/src/sim/pty-pair.ts). Needs python3; Linux or macOS.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../host/src/sim/pty-pair.js';
import { listSerialPorts, openError, SerialTransport } from '../host/src/transports/serial.js';
import { TransportError } from '../host/src/transports/transport.js';
import { runTransportContract } from './contract/transport-contract.js';
import { concat, waitFor } from './helpers/wait.js';

/** Everything a test opened, closed in afterEach/afterAll even when it fails. */
const opened: { transports: SerialTransport[]; ptys: PtyPair[] } = { transports: [], ptys: [] };

async function cleanup(): Promise<void> {
  const { transports, ptys } = opened;
  opened.transports = [];
  opened.ptys = [];
  await Promise.all(transports.map((t) => t.close()));
  await Promise.all(ptys.map((p) => p.close()));
}

async function pty(): Promise<PtyPair> {
  const p = await openPtyPair();
  opened.ptys.push(p);
  return p;
}

function serial(path: string): SerialTransport {
  const t = new SerialTransport({ path });
  opened.transports.push(t);
  return t;
}

/** The device end: every byte the master has read, since the pair opened. */
function recorder(p: PtyPair): () => Uint8Array {
  const chunks: Uint8Array[] = [];
  p.on('data', (d) => chunks.push(d));
  return () => concat(chunks);
}

afterAll(cleanup);

runTransportContract('serial (real pty)', async () => {
  const p = await openPtyPair();
  const transport = new SerialTransport({ path: p.path });
  const received = recorder(p);
  return {
    transport,
    peer: {
      received,
      send: (bytes) => p.write(bytes),
      drop: () => p.hangup(),
    },
    teardown: async () => {
      await transport.close();
      await p.close();
    },
  };
});

describe('SerialTransport (serial specifics)', () => {
  afterEach(cleanup);

  it('a wrong port name is TransportError "not_found" with a one-line message naming the port', async () => {
    const t = serial('/dev/ttyRETROSTEP-NOPE');
    const err = await t.open().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('not_found');
    const message = (err as TransportError).message;
    expect(message).toContain('/dev/ttyRETROSTEP-NOPE');
    expect(message).toContain('retrostep scan --serial');
    expect(message).not.toContain('\n');
    expect(t.isOpen).toBe(false);
  });

  it('an open() failure without words of ours says the binding\'s reason once, not its "cannot open <path>" after ours', () => {
    expect(openError('/dev/ttyX', new Error('Error: Input/output error, cannot open /dev/ttyX')).message).toBe('cannot open serial port /dev/ttyX: Input/output error');
    expect(openError('/dev/ttyX', new Error('Error Bad file descriptor Cannot open /dev/ttyX')).message).toBe('cannot open serial port /dev/ttyX: Bad file descriptor');
    // only a trailing "cannot open <path>" goes, and never the whole reason
    expect(openError('/dev/ttyX', new Error('cannot open /dev/ttyX')).message).toBe('cannot open serial port /dev/ttyX: cannot open /dev/ttyX');
    expect(openError('/dev/ttyX', new Error('Error: cannot open /dev/ttyX: busy')).message).toBe('cannot open serial port /dev/ttyX: cannot open /dev/ttyX: busy');
    expect(openError('/tmp', new Error('Error: Is a directory, cannot open /tmp')).message).toBe('/tmp is a folder, not a serial port: check the name with `retrostep scan --serial`');
  });

  it('a port named without its folder (ttyS0 for /dev/ttyS0) is said where it is, not only "check the name"', () => {
    // (/dev/null stands for a port: the name is all this looks at)
    const e = openError('null', Object.assign(new Error('Error: No such file or directory, cannot open null'), { code: 'ENOENT' }));
    expect([e.code, e.message]).toEqual(['not_found', 'no serial port at null: did you mean /dev/null?']);
    expect(openError('ttyRETROSTEP-NOPE', new Error('No such file or directory')).message).toBe('no serial port at ttyRETROSTEP-NOPE: check the name with `retrostep scan --serial`');
  });

  it('a pseudo-terminal that is gone (a stopped `retrostep sim`, or /dev/pts/N from the README) asks after sim, not for scan --serial, which never lists one', () => {
    const e = openError('/dev/pts/N', Object.assign(new Error('Error: No such file or directory, cannot open /dev/pts/N'), { code: 'ENOENT' }));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe('no pseudo-terminal at /dev/pts/N: is `retrostep sim` still running? Use the path it prints');
  });

  it('an empty port name is "not_found" too, not a TypeError from serialport', async () => {
    await expect(serial('').open()).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a port held by another SerialTransport is "busy" (serialport flock works on a pty); it opens once freed', async () => {
    const p = await pty();
    const first = serial(p.path);
    await first.open();
    const second = serial(p.path);
    const err = await second.open().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('busy');
    expect((err as TransportError).message).toContain(p.path);
    expect(second.isOpen).toBe(false);
    // the failed open left nothing behind: after the first closes, the second gets in
    await first.close();
    await second.open();
    expect(second.isOpen).toBe(true);
  });

  it('open() twice on the same transport is "busy"', async () => {
    const p = await pty();
    const t = serial(p.path);
    await t.open();
    await expect(t.open()).rejects.toMatchObject({ code: 'busy' });
    expect(t.isOpen).toBe(true);
  });

  it('is 8-bit clean both ways: NUL, LF, CR, ^C, ^D, ^S/^Q, DEL, 0xFF arrive untranslated (raw mode)', async () => {
    const p = await pty();
    const received = recorder(p);
    const t = serial(p.path);
    const got: Uint8Array[] = [];
    t.on('data', (d) => got.push(new Uint8Array(d)));
    await t.open();
    // the bytes a cooked tty would eat or rewrite: ICRNL/ONLCR, ISIG (^C ^\ ^Z), ICANON (^D), IXON (^S ^Q), ECHO
    const special = [0x00, 0x0a, 0x0d, 0x03, 0x04, 0x11, 0x13, 0x1a, 0x1c, 0x7f, 0x0d, 0x0a, 0xff, 0x00];
    const all = Array.from({ length: 256 }, (_, i) => i);
    const out = new Uint8Array([...special, ...all]);
    await t.write(out);
    await waitFor(() => received().length >= out.length, 'master to read every byte');
    expect(Array.from(received())).toEqual(Array.from(out));
    p.write(out);
    await waitFor(() => concat(got).length >= out.length, 'transport to read every byte');
    expect(Array.from(concat(got))).toEqual(Array.from(out));
    // and nothing was echoed back to the device
    await new Promise((r) => setTimeout(r, 30));
    expect(received().length).toBe(out.length);
  });

  it('a hang-up while the device is mid-send ends in one "lost" close, not a busy loop', async () => {
    // serialport 13 retries a 0-byte read (hung-up tty) forever; treatEofAsHangup turns it into a disconnect
    for (let round = 0; round < 3; round++) {
      const p = await pty();
      const t = serial(p.path);
      const closes: (TransportError | undefined)[] = [];
      t.on('close', (e) => closes.push(e));
      await t.open();
      p.write(new Uint8Array(3000).fill(0x55));
      await p.hangup();
      await waitFor(() => closes.length >= 1, 'close after hangup', 2000);
      await new Promise((r) => setTimeout(r, 20));
      expect(closes).toHaveLength(1);
      expect(closes[0]?.code).toBe('lost');
      expect(closes[0]?.message).toContain(p.path);
      await cleanup();
    }
  });

  it('a write after the device vanished rejects, and the link reports "lost"', async () => {
    const p = await pty();
    const t = serial(p.path);
    const closes: (TransportError | undefined)[] = [];
    t.on('close', (e) => closes.push(e));
    await t.open();
    await p.hangup();
    const err = await t.write(new Uint8Array([1, 2, 3])).then(
      () => null,
      (e: unknown) => e,
    );
    // no waiting for the write timeout (serialport would queue it "until reopened"): that would be code "timeout"
    expect(err).toBeInstanceOf(TransportError);
    // either the hang-up was seen first ("closed": not open any more) or the write hit EIO ("lost")
    expect((err as TransportError).code).toMatch(/closed|lost/);
    await waitFor(() => closes.length >= 1, 'close after hangup', 2000);
    expect(closes.map((e) => e?.code)).toEqual(['lost']);
  });

  it('listSerialPorts() resolves (to [] where udev is missing) and never throws', async () => {
    const ports = await listSerialPorts();
    expect(Array.isArray(ports)).toBe(true);
    for (const port of ports) expect(typeof port.path).toBe('string');
  });

  it('listSerialPorts() turns a failing enumeration into []', async () => {
    const failing = {
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
      open: () => Promise.reject(new Error('unused')),
    };
    await expect(listSerialPorts(failing)).resolves.toEqual([]);
  });
});

describe('pty pair', () => {
  afterEach(cleanup);

  it('names a /dev/pts slave and its relay exits on close()', async () => {
    const p = await pty();
    expect(p.path).toMatch(/^\/dev\/(pts\/\d+|ttys\d+)$/);
    const exited = new Promise<void>((resolve) => p.once('exit', resolve));
    await p.close();
    await exited;
    expect(p.isUp).toBe(false);
    expect(() => p.write(new Uint8Array([1]))).toThrow(/closed/);
  });

  it('a missing interpreter is a clear error, not a hang', async () => {
    await expect(openPtyPair({ python: 'python3-retrostep-missing' })).rejects.toThrow(/not found.*python3/);
  });
});
