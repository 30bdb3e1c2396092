/**
 * Firmware update (issue 6 point 6, issue 7 `flash`, issue 8 "upload code"):
 * update mode only when the button is held 3 s at power-up, the console only
 * on a paired link, the upload through it, and the pod restarting into what
 * was uploaded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES, readBundle, STORED_BUNDLE_RELATIVE_PATH } from '../host/src/firmware-bundle.js';
import { LinkError, PodError } from '../host/src/errors.js';
import { uploadBundle } from '../host/src/flash.js';
import { gattMemoryTransport } from '../host/src/sim/gatt-link.js';
import { openPtyPair } from '../host/src/sim/pty-pair.js';
import { MemoryTransport } from '../host/src/transports/memory.js';
import { withRunningPod, withSteppedPod } from '../host/src/sim/run-pod.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { NUS_RX_UUID_NOBLE, NUS_SERVICE_UUID_NOBLE, NUS_TX_UUID_NOBLE, toNobleUuid } from '../shared/protocol/uuids.js';
import { runCli } from './helpers/cli.js';
import { withHeldFifo } from './helpers/held-fifo.js';
import { powerUpHolding as powerUpWith } from './helpers/power-up.js';
import { holdPortOpen } from './helpers/port-holder.js';
import { startSim } from './helpers/sim-process.js';

const PASSKEY = '123456';
const NUS = { service: NUS_SERVICE_UUID_NOBLE, rx: NUS_RX_UUID_NOBLE, tx: NUS_TX_UUID_NOBLE };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-flash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Power up with the button held for `hold_ms`. */
const powerUpHolding = (hold_ms: number): VirtualPod => powerUpWith(hold_ms, PASSKEY);

/** What a central that connects finds: is the Nordic UART (the console) among the services? */
function hasConsole(pod: VirtualPod): boolean {
  pod.peripheral.connect({ onDisconnect: () => {} });
  try {
    return pod.peripheral.services().some((s) => toNobleUuid(s.uuid) === NUS_SERVICE_UUID_NOBLE);
  } finally {
    pod.peripheral.disconnect();
  }
}

describe('update mode', () => {
  it('a short press at power-up starts the pod as usual: no console on the air', () => {
    const pod = powerUpHolding(1000);
    expect(hasConsole(pod)).toBe(false);
    expect(pod.peripheral.advertisement()?.localName ?? '').toMatch(/^retrostep-[0-9a-f]{4}$/);
  });

  it('holding 3 s opens the console, blinks the green LED, and times out back into the pod', () => {
    const pod = powerUpHolding(3200);
    expect(hasConsole(pod)).toBe(true);
    expect(pod.peripheral.advertisement()?.localName).toMatch(/ update$/);
    pod.advance(2000);
    expect(pod.ledLog.filter((e) => e.led === 'LED2').length).toBeGreaterThan(4);
    pod.advance(5 * 60_000);
    expect(pod.resets.length).toBe(1); // the 5-minute timeout restarted it
    expect(hasConsole(pod)).toBe(false);
  });

  it('the console answers a paired link only', async () => {
    const pod = powerUpHolding(3200);
    const err = await withRunningPod(pod, async () => {
      const t = gattMemoryTransport(pod.peripheral, NUS); // no passkey: not paired
      await t.open();
      return t.write(Buffer.from('\x10print("hi")\n')).catch((e) => e);
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/not paired/);
  });
});

describe('uploading firmware', () => {
  it('writes the bundle to .bootcde, checks its CRC on the pod, and restarts into it', async () => {
    const pod = powerUpHolding(3200);
    const marker = `global.flashedAt = ${Date.now() % 100000};\n`;
    const bundle = marker + readBundle();
    // stepped, not in real time: update mode ends 5 simulated minutes after power-up, which at 200x real time
    // left 1.5 s for the whole upload (a host 1.6 s slower: the pod restarted mid-upload)
    const r = await withSteppedPod(pod, async () => {
      const t = gattMemoryTransport(pod.peripheral, { ...NUS, passkey: PASSKEY });
      await t.open();
      try {
        return await uploadBundle(t, bundle);
      } finally {
        await t.close().catch(() => undefined);
      }
    });
    pod.advance(500);
    expect(r.chunks).toBe(Math.ceil(bundle.length / 384));
    expect(pod.flash.read('.bootcde')).toBe(bundle);
    expect(pod.resets.length).toBe(1); // load() restarted it
    expect((pod.runtime!.context as { flashedAt?: number }).flashedAt).toBe(Number(marker.match(/\d+/)![0]));
    expect(hasConsole(pod)).toBe(false); // back to the normal pod
  });

  it('the link lost part way: at once, one LinkError saying the program is not whole and to flash again (not "is it in update mode?" after a timeout)', async () => {
    // a console that confirms what it is sent, and drops the link after the second chunk
    const t = new MemoryTransport();
    let chunks = 0;
    t.device.onReceive = (b) => {
      const line = Buffer.from(b).toString('latin1');
      if (line.includes('RS-BOARD')) t.device.send(Buffer.from('RS-BOARD=PUCKJS=RS\r\n'));
      const m = /print\("(RS-OK\d+)"\)/.exec(line);
      if (m) {
        if (++chunks === 2) return void setTimeout(() => t.device.drop(), 10);
        t.device.send(Buffer.from(`${m[1]}\r\n`));
      }
    };
    await t.open();
    // (a LinkError saying the link was lost: the chunk's timeout, had it run out first, is a PodError about update mode)
    const err = await uploadBundle(t, 'x'.repeat(5000)).catch((e) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect(err.message).toMatch(/^lost the pod mid-way \(memory link lost\): the upload stopped part way, so the pod's program is not whole: put it in update mode again and run flash again$/);
  });

  it('another Espruino board offering the same console (a Bangle.js): refused before anything is written', async () => {
    const t = new MemoryTransport();
    const sent: string[] = [];
    t.device.onReceive = (b) => {
      const line = Buffer.from(b).toString('latin1');
      sent.push(line);
      if (line.includes('process.env.BOARD')) t.device.send(Buffer.from('RS-BOARD=BANGLEJS2=RS\r\n'));
    };
    await t.open();
    const err = await uploadBundle(t, readBundle()).catch((e) => e);
    expect(err).toBeInstanceOf(PodError);
    expect(err.message).toBe('this device is a BANGLEJS2, not a Puck.js: the pod firmware runs on a Puck.js only; nothing was written');
    expect(sent.join('')).not.toContain('Storage');
  });

  it('`retrostep flash` on a pod not in update mode: one line saying how to enter it (the virtual pod\'s: --sim-hold-button, not its battery taken out), exit 4 as over a wire', () => {
    const r = runCli(['--db', path.join(dir, 'x.db'), '--state', path.join(dir, 'pod.flash'), '--sim', 'flash']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('retrostep: the virtual pod is not in update mode: run flash again with --sim-hold-button (its button held as it powers up)\n');
  });

  it('`retrostep --port flash` on a pod not in update mode (running its program on the wire): asked whether it is in update mode, exit 4, as --sim (the pod refusing, README; --sim said 5)', async () => {
    const sim = await startSim(['--state', path.join(dir, 'wired.flash')]);
    try {
      const r = runCli(['--port', sim.path, 'flash']);
      expect(r.stderr).toBe("retrostep: the pod's console did not confirm it is listening: is it in update mode (hold the button 3 s while inserting the battery; the green LED blinks)?\n");
      expect(r.code).toBe(4);
    } finally {
      await sim.stop();
    }
  });

  it('`retrostep flash --port` naming no port: says there is no such port (not "the pod is not in update mode"), exit 5', () => {
    const nope = path.join(dir, 'ttyNOPE');
    const r = runCli(['--port', nope, 'flash']);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(`retrostep: no serial port at ${nope}: check the name with \`retrostep scan --serial\`\n`);
  });

  it('`retrostep flash --port` on a port another program holds open without a lock (screen, cat): named, pid and all, as what to close, exit 5 (it said "is it in update mode?", of a console whose answers the other program may have read)', async () => {
    const silent = await openPtyPair();
    const holder = holdPortOpen(silent.path);
    try {
      const r = runCli(['--port', silent.path, 'flash']);
      expect(r.stderr).toBe(`retrostep: the pod's console did not confirm it is listening on serial ${silent.path}, and another program has it open too (sleep, pid ${holder.pid}), which may be taking its answers: close it and try again\n`);
      expect(r.code).toBe(5);
    } finally {
      holder.kill();
      await silent.close();
    }
  });

  it('`retrostep flash --sim-hold-button` without --sim: refused (a real pod\'s button is held by the person), exit 2', () => {
    for (const args of [['flash', '--sim-hold-button'], ['--port', path.join(dir, 'ttyNOPE'), 'flash', '--sim-hold-button']]) {
      const r = runCli(['--db', path.join(dir, 'x.db'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe('retrostep: --sim-hold-button is for the virtual pod: give --sim too (a real pod: hold its button 3 s while inserting the battery)\n');
    }
  });

  it('`retrostep flash --bundle` refuses what is not a pod bundle before it reaches the pod: one line, exit 2', () => {
    const random = path.join(dir, 'random.bin');
    fs.writeFileSync(random, Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 251)));
    const plain = path.join(dir, 'plain.js');
    fs.writeFileSync(plain, 'print("hello")\n');
    // carries the service UUID, but does not parse
    const broken = path.join(dir, 'broken.js');
    fs.writeFileSync(broken, fs.readFileSync('dist/firmware/retrostep.min.js', 'latin1').slice(0, 5000), 'latin1');
    // breaks it: readBundleToFlash without its empty-file check ("it lacks the pod's service UUID")
    const empty = path.join(dir, 'empty.js');
    fs.writeFileSync(empty, '');
    const cases: [string, RegExp][] = [
      [empty, /is not a retrostep pod bundle \(it is empty\)/],
      [random, /is not a retrostep pod bundle/],
      [plain, /is not a retrostep pod bundle/],
      [broken, /is not a retrostep pod bundle \(it is not JavaScript/],
      [dir, /is a folder/],
      [path.join(dir, 'nope.js'), /no firmware bundle at/],
    ];
    const state = path.join(dir, 'never.flash');
    for (const [bundle, want] of cases) {
      const r = runCli(['--state', state, '--sim', 'flash', '--sim-hold-button', '--bundle', bundle]);
      expect(r.code, bundle).toBe(2);
      expect(r.stderr.trim().split('\n'), bundle).toHaveLength(1);
      expect(r.stderr, bundle).toMatch(want);
      expect(r.stdout, bundle).toBe('');
    }
    expect(fs.existsSync(state)).toBe(false); // the virtual pod was never started
  });

  // breaks it: readBundleToFlash without refuseBeforeRead (/dev/zero was read without end, the FIFO waited on for good,
  // a file larger than a Puck.js's Storage read whole to be refused as no bundle)
  it('`retrostep flash --bundle` a device, a pipe whose writer stays open, or a file larger than a Puck.js\'s Storage: refused before it is read, one line, exit 2', () => {
    const state = path.join(dir, 'never-read.flash');
    const flash = (bundle: string) => runCli(['--state', state, '--sim', 'flash', '--sim-hold-button', '--bundle', bundle]);
    const zero = flash('/dev/zero');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe(`retrostep: /dev/zero is not a regular file (a device): flash uploads a bundle saved in a file (the build writes ${STORED_BUNDLE_RELATIVE_PATH})\n`);
    const fifo = path.join(dir, 'bundle.fifo');
    withHeldFifo(fifo, () => {
      const r = flash(fifo);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`retrostep: ${fifo} is not a regular file (a pipe): flash uploads a bundle saved in a file (the build writes ${STORED_BUNDLE_RELATIVE_PATH})\n`);
    });
    // (sparse: its size without its bytes; the built bundle's start, so only its size refuses it)
    const big = path.join(dir, 'big.tok.js');
    fs.writeFileSync(big, readBundle(), 'latin1');
    fs.truncateSync(big, MAX_BUNDLE_BYTES + 1);
    const large = flash(big);
    expect(large.code).toBe(2);
    // (in bytes, one over: rounded alike, it read "is 41 KB, more than a Puck.js's Storage holds (41 KB)")
    expect(large.stderr).toBe(`retrostep: ${big} is 40,929 bytes, more than a Puck.js's Storage holds (40,928 bytes), so it is no pod bundle: flash the one the build writes, ${STORED_BUNDLE_RELATIVE_PATH}\n`);
    // the largest it takes is read: refused as no bundle (its tail zeros), not by its size
    fs.truncateSync(big, MAX_BUNDLE_BYTES);
    expect(flash(big).stderr).toMatch(/is not a retrostep pod bundle \(it is not JavaScript/);
    expect(fs.existsSync(state)).toBe(false); // the virtual pod was never started
  });

  it('`retrostep flash --sim --hold-button` uploads the built bundle into the virtual pod (state kept)', () => {
    const state = path.join(dir, 'pod2.flash');
    const r = runCli(['--state', state, '--sim', 'flash', '--sim-hold-button']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/flashed \d+ bytes.*CRC-32 [0-9a-f]{8}/);
    expect(runCli(['--state', state, '--db', path.join(dir, 'y.db'), '--sim', 'sync']).code).toBe(0); // the new firmware runs
  });
});
