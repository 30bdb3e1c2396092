/**
 * The virtual pod and its Espruino shim behave like a Puck.js v2: small
 * hand-written ES5 bundles exercise one behaviour each, and the real
 * firmware bundle must boot and run on it.
 */
import { VAR_RULES } from '../host/src/sim/var-counter.js';
import { readBundle } from '../host/src/firmware-bundle.js';
import { configKeys } from '../shared/protocol/config.js';
import { createWalker } from '../host/src/sim/walker.js';
import fs from 'node:fs';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Flash, PowerLoss, StorageError } from '../host/src/sim/flash.js';
import { GattAuthError, type GattCharacteristic, type GattPeripheral } from '../host/src/sim/gatt.js';
import { type ImuSource, VirtualPod, type VirtualPodOptions } from '../host/src/sim/virtual-pod.js';

/** Boot a pod on a bundle; `out` is the pod's global object (what the bundle put on `global`). */
function boot(bundle: string, options: Partial<VirtualPodOptions> = {}): { pod: VirtualPod; out: { [k: string]: any } } {
  const pod = new VirtualPod({ bundle, ...options });
  pod.boot();
  return { pod, out: globals(pod) };
}

function globals(pod: VirtualPod): { [k: string]: any } {
  return pod.runtime!.context as { [k: string]: any };
}

function evalIn(pod: VirtualPod, expr: string): unknown {
  return vm.runInContext(expr, pod.runtime!.context);
}

/** A constant physical input: acc_g then gyro_dps. */
/** Pod code that keeps every accel event's six readings in global.samples. */
const collect = `
  global.samples = [];
  Puck.on('accel', function (e) { samples.push([e.acc.x, e.acc.y, e.acc.z, e.gyro.x, e.gyro.y, e.gyro.z]); });
`;

function constant(values: number[]): ImuSource {
  return (_t, _rate, out) => {
    for (let i = 0; i < 6; i++) out[i] = values[i];
  };
}

function findChar(p: GattPeripheral, uuid: string): GattCharacteristic {
  for (const s of p.services()) for (const c of s.characteristics) if (c.uuid === uuid) return c;
  throw new Error(`no characteristic ${uuid}`);
}

const tick = () => new Promise((r) => setImmediate(r));

describe('IMU (LSM6DS3TR-C behind Puck.accel*)', () => {

  it('delivers accel events at the set rate, in raw LSB of the default ranges (4 g, 245 dps)', () => {
    const { pod, out } = boot(collect + 'Puck.accelOn(52);', { imuSource: constant([0.5, -0.25, 1, 100, -10, 0]) });
    pod.advance(1005); // the 52nd sample is due at 1000 ms
    expect(out.samples.length).toBe(52);
    // 0.122 mg/LSB at 4 g and 8.75 mdps/LSB at 245 dps (datasheet table 3)
    expect(out.samples[0]).toEqual([Math.round(0.5 / 0.000122), Math.round(-0.25 / 0.000122), Math.round(1 / 0.000122), Math.round(100 / 0.00875), Math.round(-10 / 0.00875), 0]);
    expect(evalIn(pod, 'Puck.accelRd(0x10)')).toBe(0x3b); // 52 Hz, +-4 g, 50 Hz anti-alias (jswrap_puck.c accel_on)
    expect(evalIn(pod, 'Puck.accelRd(0x11)')).toBe(0x30); // 52 Hz, 245 dps
    expect(evalIn(pod, 'Puck.accelRd(0x0f)')).toBe(0x6a); // WHO_AM_I
  });

  it('clips at the configured full scale: 10 g reads full scale at 4 g and ~10/0.000488 at 16 g', () => {
    const { pod, out } = boot(collect + 'Puck.accelOn(52);', { imuSource: constant([10, -10, 3, 300, -300, 0]) });
    pod.advance(100);
    expect(out.samples[0].slice(0, 3)).toEqual([32767, -32768, Math.round(3 / 0.000122)]);
    expect(out.samples[0].slice(3)).toEqual([28000, -28000, 0]); // 245 dps / 8.75 mdps
    // widen the ranges keeping the rate bits, as the firmware does
    evalIn(pod, 'Puck.accelWr(0x10, (3 << 4) | (1 << 2)); Puck.accelWr(0x11, (3 << 4) | (3 << 2)); samples = [];');
    pod.advance(100);
    expect(out.samples[0].slice(0, 3)).toEqual([Math.round(10 / 0.000488), Math.round(-10 / 0.000488), Math.round(3 / 0.000488)]);
    expect(out.samples[0].slice(3)).toEqual([Math.round(300 / 0.07), Math.round(-300 / 0.07), 0]);
    // 8 g still clips a 10 g spike
    evalIn(pod, 'Puck.accelWr(0x10, (3 << 4) | (3 << 2)); samples = [];');
    pod.advance(100);
    expect(out.samples[0][0]).toBe(32767);
  });

  it('changing the rate bits with accelWr changes the event rate; accelOn again restores the defaults', () => {
    const { pod, out } = boot(collect + 'Puck.accelOn(26);');
    pod.advance(1005);
    expect(out.samples.length).toBe(26);
    evalIn(pod, 'samples = []; Puck.accelWr(0x10, (4 << 4) | 0x0b); Puck.accelWr(0x11, 4 << 4);');
    pod.advance(1000);
    expect(out.samples.length).toBe(104);
    evalIn(pod, 'Puck.accelWr(0x10, 0x3f); Puck.accelOn(12.5);');
    expect(evalIn(pod, 'Puck.accelRd(0x10)')).toBe(0x1b);
    evalIn(pod, 'samples = []; Puck.accelOff();');
    pod.advance(1000);
    expect(out.samples.length).toBe(0);
  });

  it('raises no accel events from accelWr alone: only Puck.accelOn watches the data-ready pin', () => {
    const { pod, out } = boot(collect + 'Puck.accelWr(0x10, 0x40); Puck.accelWr(0x11, 0x40);');
    pod.advance(1000);
    expect(out.samples.length).toBe(0);
  });

  it('1.6 Hz is accelerometer only (gyro reads 0); a rate Espruino does not know throws its error', () => {
    const { pod, out } = boot(collect + 'Puck.accelOn(1.6); try { Puck.accelOn(100); } catch (e) { global.err = e.message; }', {
      imuSource: constant([0, 0, 1, 50, 50, 50]),
    });
    expect(out.err).toBe('Invalid sample rate 100 - must be 1660, 833, 416, 208, 104, 52, 26, 12.5, 1.6 Hz');
    evalIn(pod, 'Puck.accelOn(1.6)');
    pod.advance(2000);
    expect(out.samples.length).toBe(3); // 1.6 Hz: at 625, 1250, 1875 ms
    expect(out.samples[0]).toEqual([0, 0, Math.round(1 / 0.000122), 0, 0, 0]);
  });
});

describe('the IMU wake-up interrupt (LSM6DS3TR-C model)', () => {
  // idle as the pod sets it: 1.6 Hz at 2 g, INT1 carrying the wake-up alone, WK_THS 2 (2 x 2 g / 64 = 62.5 mg of slope)
  const wakeOnly = 'Puck.accelOn(1.6); Puck.accelWr(0x10, 0xb0); Puck.accelWr(0x5b, 2); Puck.accelWr(0x58, 0x80); Puck.accelWr(0x5e, 0x20); Puck.accelWr(0x0d, 0);';
  /** z reads 1 g, plus dz_g from sample `from` on (the foot starts to move) */
  function stepAt(from: number, dz_g: number): ImuSource {
    let n = 0;
    return (_t, _rate, out) => {
      out.fill(0);
      out[2] = 1 + (n++ >= from ? dz_g : 0);
    };
  }

  it('raises INT1 only for a sample whose change on an axis is over the threshold (the slope filter halves it)', () => {
    // the first sample after power-up has no predecessor (the filter holds 0): it raises INT1, which is why
    // the pod arms the wake-up only after one sample. Then 0.1 g of change: slope 0.05 g, under 62.5 mg:
    // nothing; 0.2 g: slope 0.1 g, over: one event, and still again
    for (const [dz, events] of [[0.1, 1], [0.2, 2]] as const) {
      const { pod, out } = boot(collect + wakeOnly, { imuSource: stepAt(4, dz) });
      pod.advance(10_000);
      expect(out.samples.length, `a change of ${dz} g`).toBe(events);
      expect(pod.runtime!.imu.eventRate_hz()).toBe(1.6); // the IMU samples on: only INT1 is quiet
    }
  });

  it('needs the function enabled and routed, and is gone after accelOn (data-ready on INT1 again)', () => {
    const { pod, out } = boot(collect + wakeOnly.replace('Puck.accelWr(0x58, 0x80);', ''), { imuSource: stepAt(4, 0.5) });
    pod.advance(10_000);
    expect(out.samples.length).toBe(0);
    evalIn(pod, 'Puck.accelOn(1.6)');
    pod.advance(10_000);
    expect(out.samples.length).toBe(16); // every sample, 1.6 a second
  });
});

describe('timers on the virtual clock', () => {
  it('run in time order, equal times first-in first-out, intervals on their own cadence', () => {
    const { pod, out } = boot(`
      global.log = [];
      setTimeout(function () { log.push('t30@' + Math.round(getTime() * 1000)); }, 30);
      setTimeout(function () { log.push('t10a'); }, 10);
      setTimeout(function () { log.push('t10b'); }, 10);
      var iv = setInterval(function () { log.push('i15@' + Math.round(getTime() * 1000)); if (log.length > 5) clearInterval(iv); }, 15);
    `);
    pod.advance(100);
    expect(out.log).toEqual(['t10a', 't10b', 'i15@15', 't30@30', 'i15@30', 'i15@45']);
  });

  it('follows Espruino on ids and misuse: ids restart at 1, unknown ids throw, no id clears everything', () => {
    const { pod, out } = boot(`
      global.ids = [setTimeout(function () {}, 5), setTimeout(function () {}, 5)];
      try { clearTimeout(99); } catch (e) { global.e1 = e.message; }
      try { clearInterval(99); } catch (e) { global.e2 = e.message; }
      try { setTimeout('not a function'.length, 5); } catch (e) { global.e3 = e.message; }
    `);
    expect(out.ids).toEqual([1, 2]);
    expect([out.e1, out.e2, out.e3]).toEqual(['Unknown Timeout', 'Unknown Interval', 'Function or String not supplied!']);
    pod.advance(10);
    // both fired and were freed: the next id is 1 again (jsvArrayAddToEnd on an empty array)
    expect(evalIn(pod, 'setTimeout(function () {}, 5)')).toBe(1);
    expect(() => evalIn(pod, 'clearTimeout(1); clearTimeout(1)')).toThrow('Unknown Timeout');
    evalIn(pod, 'global.n = 0; setInterval(function () { n++; }, 10); setTimeout(function () { n += 100; }, 20); clearTimeout();');
    pod.advance(100);
    expect(out.n).toBe(0);
  });

  it('jumps ten virtual minutes, with getTime() and setTime() on the virtual clock', () => {
    const { pod, out } = boot(`
      global.ticks = 0;
      Puck.accelOn(52);
      Puck.on('accel', function () {});
      setInterval(function () { ticks++; }, 1000);
    `);
    pod.advance(10 * 60 * 1000);
    expect(out.ticks).toBe(600);
    expect(pod.now_ms).toBe(600_000);
    expect(evalIn(pod, 'getTime()')).toBe(600);
    evalIn(pod, 'setTime(1700000000)');
    pod.advance(1500);
    expect(evalIn(pod, 'getTime()')).toBeCloseTo(1700000001.5, 6);
    expect(evalIn(pod, 'Date.now()')).toBeCloseTo(1700000001500, 0);
  });
});

describe('E, require and the language', () => {
  it('E.CRC32 is the standard CRC-32 over strings, typed arrays and arrays', () => {
    const { out } = boot(`global.c = [E.CRC32('hello'), E.CRC32(new Uint8Array([104, 101, 108, 108, 111])), E.CRC32([104, 101, 108, 108, 111])];`);
    expect(out.c).toEqual([907060870, 907060870, 907060870]);
  });

  it('E.toString / E.toUint8Array convert like Espruino; unknown modules throw; Espruino-less globals are gone', () => {
    const { out } = boot(`
      global.s = E.toString(new Uint8Array([65, 66]), 67);
      global.u = E.toUint8Array('hi', [1, 2]);
      global.isU8 = u instanceof Uint8Array;
      try { require('http'); } catch (e) { global.err = e.message; }
      global.missing = [typeof Map, typeof Set, typeof Symbol, typeof Array.from, typeof Math.hypot];
    `);
    expect(out.s).toBe('ABC');
    expect([...out.u]).toEqual([104, 105, 1, 2]);
    expect(out.isU8).toBe(true);
    expect(out.err).toBe('Module http not found');
    expect(out.missing).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  });

  it("runs E.on('init') after the boot code, and never E.on('kill') on a power loss", () => {
    const flash = new Flash();
    const { pod } = boot(`
      E.on('init', function () { require('Storage').write('inits', String((Number(require('Storage').read('inits')) || 0) + 1)); });
      E.on('kill', function () { require('Storage').write('killed', 'yes'); });
    `, { flash });
    pod.reset();
    pod.powerLoss();
    expect(flash.read('inits')).toBe('3');
    expect(flash.read('killed')).toBeUndefined();
    expect(pod.resets.map((r) => r.reason)).toEqual(['reset', 'power loss']);
  });

  it('an exception in a pod callback lands in `uncaught`, is printed, and the pod keeps running', () => {
    const { pod, out } = boot(`
      global.n = 0;
      setInterval(function () { n++; if (n === 2) throw new Error('boom'); }, 100);
      setTimeout(function () { null.x; }, 150);
    `);
    pod.advance(1000);
    expect(out.n).toBe(10);
    expect(pod.uncaught.map((e) => `${e.name}: ${e.message}`)).toEqual([expect.stringMatching(/^TypeError: Cannot read propert/), 'Error: boom']);
    expect(pod.printed).toContain('Uncaught Error: boom\n');
  });
});

describe('Storage on the simulated flash', () => {
  it('writes, reads (with offset/length), lists, erases, and accounts free space like Espruino', () => {
    const f = new Flash();
    expect(f.size).toBe(40960);
    expect(f.getFree()).toBe(40960);
    expect(f.write('a', 'hello')).toBe(true);
    // 32-byte header + 5 bytes padded to 8
    expect(f.getFree()).toBe(40960 - 40);
    expect(f.read('a')).toBe('hello');
    expect(f.read('a', 1, 3)).toBe('ell');
    expect(f.read('a', 3)).toBe('lo');
    expect(f.read('nope')).toBeUndefined();
    f.write('b', new Uint8Array([0, 255, 7]));
    expect([...f.readBytes('b')!]).toEqual([0, 255, 7]);
    expect(f.list()).toEqual(['a', 'b']);
    expect(f.list(/^b/)).toEqual(['b']);
    // rewriting an identical file writes nothing; a different one appends a new copy
    const before = f.bytesWritten;
    f.write('a', 'hello');
    expect(f.bytesWritten).toBe(before);
    f.write('a', 'HELLO');
    expect(f.read('a')).toBe('HELLO');
    expect(f.files().filter((x) => x.name === 'a' || x.deleted).length).toBe(2); // old copy deleted, still in the log
    expect(f.list()).toEqual(['b', 'a']);
    f.erase('b');
    expect(f.list()).toEqual(['a']);
    // deleted files still count as used: a (40), b (32 + 4), a again (40)
    expect(f.getFree()).toBe(40960 - 40 - 36 - 40);
    f.compact();
    expect(f.getFree()).toBe(40960 - 40);
    expect(f.read('a')).toBe('HELLO');
    expect(f.wear().maxEraseCount).toBe(1);
  });

  it('offset writes fill a file created at its full size; flash bits only clear', () => {
    const f = new Flash();
    f.write('log', 'AB', 0, 8);
    expect(f.read('log')).toBe('AB' + '\xff'.repeat(6));
    f.write('log', 'CD', 4);
    expect(f.read('log')).toBe('AB\xff\xffCD\xff\xff');
    // Espruino refuses to write over bytes already written...
    expect(() => f.write('log', 'x', 1)).toThrow(new StorageError('File already written with different data'));
    expect(() => f.write('log', 'xyz', 7)).toThrow('Too much data for file size');
    // ...and an offset write to a file that does not exist (jsfWriteFile)
    expect(() => f.write('other', 'x', 4, 8)).toThrow('Unable to find or create file');
    // a 28-character name is the longest: longer ones are cut to 28 (jsfNameFromVar)
    f.write('n'.repeat(30), 'x');
    expect(f.list()).toContain('n'.repeat(28));
    // the NOR layer itself: programming ANDs
    // offset 0 without a size means "replace the file" (jsfWriteFile): a new, smaller file
    f.write('log', 'x', 0);
    expect(f.read('log')).toBe('x');
    f.program(f.size - 1, new Uint8Array([0x0f]));
    f.program(f.size - 1, new Uint8Array([0xf3]));
    expect(f.image[f.size - 1]).toBe(0x03);
  });

  it('compacts on its own when full, and throws when even that is not enough', () => {
    const f = new Flash();
    const chunk = 'x'.repeat(4000);
    for (let i = 0; i < 9; i++) f.write('f' + i, chunk);
    for (let i = 0; i < 9; i++) f.erase('f' + i);
    const messages: string[] = [];
    f.onMessage = (m) => messages.push(m);
    f.write('big', 'y'.repeat(20000));
    expect(messages).toEqual(['Compacting...\n']);
    expect(f.list()).toEqual(['big']);
    expect(() => f.write('bigger', 'z'.repeat(30000))).toThrow('Unable to find or create file');
    expect(f.read('big')).toBe('y'.repeat(20000));
  });

  it('does not compact when even a compacted Storage would not hold the file (jsfCreateFile: "better to fail fast")', () => {
    const f = new Flash();
    f.write('small', 'x'.repeat(200));
    for (let i = 0; i < 9; i++) f.write('f' + i, 'x'.repeat(4000));
    f.write('filler', 'x'.repeat(f.getFree() - 32 - 100)); // 100 B left, in the last page
    f.erase('small'); // 200 B of deleted data
    expect(f.getFree()).toBe(100); // (deleted files count as used)
    const messages: string[] = [];
    f.onMessage = (m) => messages.push(m);
    const erases = f.wear().maxEraseCount;
    // 100 B free and 200 deleted cannot hold 1,000: no compaction (nothing rewritten, no page erased), no file
    expect(() => f.write('big', 'y'.repeat(1000))).toThrow('Unable to find or create file');
    expect(messages).toEqual([]);
    expect(f.wear().maxEraseCount).toBe(erases);
    // one a compaction makes room for: compacted, then written
    f.write('fits', 'z'.repeat(200));
    expect(messages).toEqual(['Compacting...\n']);
    expect(f.read('fits')).toBe('z'.repeat(200));
  });

  it('agrees with a plain map through random writes, erases and compactions (pages straddled, auto-compaction)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), size: fc.integer({ min: 1, max: 9000 }), fillByte: fc.integer({ min: 0, max: 254 }) }),
      fc.record({ kind: fc.constant('erase' as const), name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
      fc.record({ kind: fc.constant('compact' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const f = new Flash();
        const model = new Map<string, string>();
        for (const o of ops) {
          if (o.kind === 'write') {
            const data = String.fromCharCode(o.fillByte).repeat(o.size);
            try {
              f.write(o.name, data);
              model.set(o.name, data);
            } catch (e) {
              // Espruino deletes the old copy before it looks for room: a failed rewrite loses the file
              expect((e as Error).message).toBe('Unable to find or create file');
              model.delete(o.name);
            }
          } else if (o.kind === 'erase') {
            f.erase(o.name);
            model.delete(o.name);
          } else f.compact();
          expect(new Set(f.list())).toEqual(new Set(model.keys()));
          for (const [name, data] of model) expect(f.read(name)).toBe(data);
          expect(f.isValid()).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a power cut at any byte of a write or erase leaves every other file intact and Storage valid', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 1, max: 300 })), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('a', 'b', 'x'),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.nat(400),
        (setup, victim, size, erase, cutAfter) => {
          const f = new Flash();
          const model = new Map<string, string>();
          setup.forEach(([name, n], i) => {
            const data = String.fromCharCode(65 + i).repeat(n);
            f.write(name, data);
            model.set(name, data);
          });
          f.failAfterBytes(cutAfter);
          try {
            if (erase) f.erase(victim);
            else f.write(victim, 'z'.repeat(size));
          } catch (e) {
            expect(e).toBeInstanceOf(PowerLoss);
          }
          f.powerOn();
          expect(f.isValid()).toBe(true);
          for (const [name, data] of model) if (name !== victim) expect(f.read(name)).toBe(data);
          // the victim is the old copy, the new one (complete or torn: erased bytes at its end), or gone
          const v = f.read(victim);
          if (v !== undefined && !erase) expect([model.get(victim), 'z'.repeat(size)]).toContain(v.replace(/\xff+$/, (m) => 'z'.repeat(m.length)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('works through require("Storage") in the pod, with Espruino types', () => {
    const { out } = boot(`
      var s = require('Storage');
      s.write('cfg', { a: 1 });
      s.write('raw', new Uint8Array([1, 2, 3]));
      global.cfg = s.read('cfg');
      global.ab = s.readArrayBuffer('raw');
      global.isAB = ab instanceof ArrayBuffer;
      global.files = s.list();
      global.isArr = files instanceof Array;
      global.free = s.getFree();
      try { s.write('x', 'a', 3); } catch (e) { global.err = e.message; }
    `);
    expect(out.cfg).toBe('{"a":1}');
    expect(out.isAB).toBe(true);
    expect([...new Uint8Array(out.ab)]).toEqual([1, 2, 3]);
    // the bundle itself is in Storage, as .bootcde
    expect([...out.files]).toEqual(['.bootcde', 'cfg', 'raw']);
    expect(out.isArr).toBe(true);
    expect(out.err).toBe('Unable to find or create file');
  });

  it('a power cut mid-write leaves earlier files intact, and the flash survives reset()', () => {
    const flash = new Flash();
    const { pod } = boot(`
      var s = require('Storage');
      if (!s.read('a')) s.write('a', 'first file');
      if (!s.read('b')) s.write('b', 'second file');
      setWatch(function () { s.write('c', 'a third file that is cut off'); s.write('after', 'never'); }, BTN, { edge: 'rising' });
    `, { flash });
    expect(flash.list()).toEqual(['.bootcde', 'a', 'b']);
    flash.failAfterBytes(32 + 8); // the header and 8 bytes of data
    pod.pressButton(50);
    pod.advance(100);
    expect(pod.resets.map((r) => r.reason)).toEqual(['power loss']);
    expect(pod.uncaught).toEqual([]); // a power cut is not an exception the pod sees
    expect(pod.boots).toBe(2);
    expect(flash.read('a')).toBe('first file');
    expect(flash.read('b')).toBe('second file');
    expect(flash.read('c')).toBe('a third ' + '\xff'.repeat(20)); // word-sized tear: 8 bytes made it
    expect(flash.read('after')).toBeUndefined();
    expect(flash.isValid()).toBe(true);
    // a torn header (cut inside the name) never hides the files before it
    flash.failAfterBytes(12);
    expect(() => flash.write('d', 'dddd')).toThrow(PowerLoss);
    expect(() => flash.read('a')).toThrow(PowerLoss); // no power, no flash
    pod.reset();
    expect(flash.read('a')).toBe('first file');
    expect(flash.list().slice(0, 4)).toEqual(['.bootcde', 'a', 'b', 'c']);
    // a later pod on the same flash sees the same files
    const pod2 = new VirtualPod({ bundle: 'global.x = 1;', flash });
    pod2.boot();
    expect(flash.read('b')).toBe('second file');
  });

  it('Espruino erases a Storage left corrupt (a header torn inside its size word, in the last page) at power-on', () => {
    // tearing inside a 32-bit word needs byte-level tearing (the nRF52 programs whole words)
    const flash = new Flash({ tearUnit_bytes: 1 });
    flash.write('keep', 'k'.repeat(37000)); // the log now ends inside the last page
    flash.failAfterBytes(2);
    expect(() => flash.write('torn', 'x')).toThrow(PowerLoss);
    flash.powerOn();
    expect(flash.isValid()).toBe(false);
    const pod = new VirtualPod({ bundle: 'global.x = 1;', flash });
    pod.boot();
    expect(pod.printed).toContain('Storage is corrupt.\n');
    expect(flash.list()).toEqual(['.bootcde']); // the bundle was installed after the erase
  });
});

describe('radio: NRF behind a GattPeripheral', () => {
  const SVC = 'c96a0001-8c4d-4650-a240-b6c9296fc3f5';
  const RX = 'c96a0002-8c4d-4650-a240-b6c9296fc3f5';
  const TX = 'c96a0003-8c4d-4650-a240-b6c9296fc3f5';
  const radioBundle = `
    global.got = [];
    global.events = [];
    var services = {};
    services['${SVC}'] = {};
    services['${SVC}']['${RX}'] = { writable: true, maxLen: 20, security: { write: { encrypted: true, mitm: true } },
      onWrite: function (evt) { got.push(Array.prototype.slice.call(new Uint8Array(evt.data))); global.isAB = evt.data instanceof ArrayBuffer; } };
    services['${SVC}']['${TX}'] = { notify: true, readable: true, maxLen: 64, value: [0] };
    NRF.setServices(services, { advertise: ['${SVC}'], uart: false });
    NRF.setSecurity({ passkey: '123456', mitm: 1, display: 1 });
    NRF.setAdvertising({}, { name: 'retrostep-' + NRF.getAddress().substring(12, 17).split(':').join('') });
    NRF.on('connect', function (addr) { events.push('connect'); });
    NRF.on('disconnect', function (reason) { events.push('disconnect ' + reason); });
    global.send = function (bytes) {
      var u = {}; u['${SVC}'] = {}; u['${SVC}']['${TX}'] = { value: bytes, notify: true };
      NRF.updateServices(u);
    };
  `;
  const tx = TX.replace(/-/g, '');
  const rx = RX.replace(/-/g, '');

  it('advertises the name and services the bundle set; connect and disconnect reach NRF.on', () => {
    const { pod, out } = boot(radioBundle);
    expect(pod.peripheral.advertisement()).toEqual({ localName: 'retrostep-c65e', serviceUuids: [SVC.replace(/-/g, '')] });
    let dropped = '';
    pod.peripheral.connect({ onDisconnect: (r) => (dropped = r) });
    expect(pod.peripheral.advertisement()).toBeNull();
    expect(() => pod.peripheral.connect({ onDisconnect: () => {} })).toThrow(/already connected/);
    pod.advance(10);
    pod.peripheral.disconnect();
    pod.advance(10);
    expect(out.events).toEqual(['connect', 'disconnect 19']);
    expect(dropped).toBe('');
  });

  it('updateServices notify reaches a subscribed central; an over-long notify throws', async () => {
    const { pod, out } = boot(radioBundle);
    pod.peripheral.connect({ onDisconnect: () => {} });
    const seen: number[][] = [];
    findChar(pod.peripheral, tx).subscribe((v) => seen.push([...v]));
    evalIn(pod, 'send([1, 2, 3])');
    expect(seen).toEqual([]); // asynchronous, as over the air
    await tick();
    expect(seen).toEqual([[1, 2, 3]]);
    expect([...findChar(pod.peripheral, tx).read()]).toEqual([1, 2, 3]);
    // 21 bytes: within maxLen (64) but over MTU - 3 = 20
    expect(() => evalIn(pod, 'send(new Uint8Array(21))')).toThrow('Got BLE error DATA_SIZE');
    // longer than maxLen: sd_ble_gatts_value_set refuses
    expect(() => evalIn(pod, 'send(new Uint8Array(65))')).toThrow('Got BLE error DATA_SIZE');
    // not subscribed: nothing is sent, and no error (Espruino ignores NRF_ERROR_INVALID_STATE)
    findChar(pod.peripheral, tx).unsubscribe();
    evalIn(pod, 'send([9])');
    await tick();
    expect(seen.length).toBe(1);
    expect(out.events).toEqual([]);
  });

  it('a secured characteristic rejects writes until the central pairs with the passkey', () => {
    const { pod, out } = boot(radioBundle);
    pod.peripheral.connect({ onDisconnect: () => {} });
    const rxChar = findChar(pod.peripheral, rx);
    expect(() => rxChar.write(new Uint8Array([1]))).toThrow(GattAuthError);
    expect(evalIn(pod, 'NRF.getSecurityStatus().encrypted')).toBe(false);
    expect(pod.peripheral.pair('654321')).toBe(false);
    expect(() => rxChar.write(new Uint8Array([1]))).toThrow(GattAuthError);
    expect(pod.peripheral.pair('123456')).toBe(true);
    expect(evalIn(pod, 'JSON.stringify(NRF.getSecurityStatus())')).toContain('"connected":true,"encrypted":true,"mitm_protected":true,"bonded":true');
    rxChar.write(new Uint8Array([7, 8]));
    expect(out.got).toEqual([]); // arrives at the next connection event
    pod.advance(10);
    expect(out.got).toEqual([[7, 8]]);
    expect(out.isAB).toBe(true);
    expect(() => rxChar.write(new Uint8Array(21))).toThrow(/0x0d/);
  });

  it('a provisioned passkey overrides the bundle one; NRF.disconnect and a reset drop the central', async () => {
    const { pod, out } = boot(radioBundle, { passkey: '111111' });
    const reasons: string[] = [];
    pod.peripheral.connect({ onDisconnect: (r) => reasons.push(r) });
    expect(pod.peripheral.pair('123456')).toBe(false);
    expect(pod.peripheral.pair('111111')).toBe(true);
    evalIn(pod, 'NRF.disconnect()');
    pod.advance(1);
    await tick();
    expect(out.events).toEqual(['connect', 'disconnect 22']);
    expect(reasons).toEqual(['disconnected by the peripheral']);
    pod.peripheral.connect({ onDisconnect: (r) => reasons.push(r) });
    pod.reset();
    await tick();
    expect(reasons[1]).toMatch(/timeout/);
    expect(pod.peripheral.advertisement()?.localName).toBe('retrostep-c65e');
  });
});

describe('pins: motor, LEDs, button', () => {
  it('digitalPulse on FET is recorded in hapticsLog, patterns alternate and queue behind each other', () => {
    const { pod } = boot(`
      digitalPulse(FET, 1, 120);
      digitalPulse(FET, 1, [60, 90, 60]);
      digitalWrite(LED1, 1);
      setTimeout(function () { digitalWrite(LED1, 0); analogWrite(FET, 0.5); }, 1000);
      setTimeout(function () { analogWrite(FET, 0); }, 1200);
    `);
    expect(pod.motorOn).toEqual({ t_ms: 0, level: 1 });
    pod.advance(2000);
    expect(pod.hapticsLog.map(({ t_ms, duration_ms, level }) => ({ t_ms, duration_ms, level }))).toEqual([
      { t_ms: 0, duration_ms: 120, level: 1 },
      { t_ms: 120, duration_ms: 60, level: 1 },
      { t_ms: 270, duration_ms: 60, level: 1 },
      { t_ms: 1000, duration_ms: 200, level: 0.5 },
    ]);
    expect(pod.ledLog).toEqual([
      { t_ms: 0, led: 'LED1', value: 1 },
      { t_ms: 1000, led: 'LED1', value: 0 },
    ]);
  });

  it('setWatch on BTN fires on pressButton (edges, repeat, debounce) with getTime() stamps', () => {
    const { pod, out } = boot(`
      global.presses = [];
      global.releases = 0;
      setWatch(function (e) { presses.push([e.state, Math.round(e.time * 1000)]); }, BTN, { edge: 'rising', repeat: true, debounce: 50 });
      setWatch(function () { releases++; }, BTN, { edge: 'falling' });
    `);
    pod.advance(1000);
    pod.pressButton(200);
    pod.advance(1000);
    pod.pressButton(100);
    pod.advance(1000);
    expect(out.presses).toEqual([[true, 1000], [true, 2000]]);
    expect(out.releases).toBe(1); // not repeating: gone after the first
    expect(evalIn(pod, 'digitalRead(BTN)')).toBe(0);
    expect(() => evalIn(pod, 'clearWatch(42)')).toThrow('Unknown Watch');
  });
});

describe('memory, watchdog, battery', () => {
  it('memoryVars counts objects by the documented rules, closures of an IIFE bundle included', () => {
    const { pod } = boot('global.x = 1;');
    // object 1 + a (name 1; a whole number from -2048 to 2047 is kept in its name: 0) + b (name 1 + string 1 + ceil(5/9))
    expect(pod.memoryVars({ a: 1, b: 'hello' })).toBe(5);
    // a fraction costs a variable of its own; a name longer than nameCharsInVar (4) takes string blocks for the rest
    expect(pod.memoryVars({ a: 1.5 })).toBe(3);
    expect(pod.memoryVars({ cadence_spm: 1.5 })).toBe(1 + 1 + Math.ceil((11 - VAR_RULES.nameCharsInVar) / VAR_RULES.stringCharsPerVar) + 1);
    expect(pod.memoryVars({ abcd: 1 })).toBe(2);
    expect(pod.memoryVars({ abcde: 1 })).toBe(3);
    expect(pod.memoryVars(new Uint8Array(120))).toBe(1 + Math.ceil(120 / VAR_RULES.stringCharsPerVar));
    const shared = { k: 1 };
    expect(pod.memoryVars([shared, shared])).toBe(1 + 2 + 2); // counted once
    const small = boot("(function () { var n = 0; Puck.on('accel', function () { n++; }); })();").pod;
    const big = boot("(function () { var n = new Uint8Array(1200); Puck.on('accel', function () { n[0]++; }); })();").pod;
    expect(big.runtime!.lastCountWalkedClosures).toBe(true);
    // a typed array instead of a whole number (which Espruino keeps in the closure variable's name: VAR_RULES.packedInt)
    expect(big.memoryVars() - small.memoryVars()).toBe(1 + Math.ceil(1200 / VAR_RULES.stringCharsPerVar) - VAR_RULES.packedInt);
    const mem = evalIn(big, 'process.memory()') as { usage: number; free: number; total: number };
    expect(mem.total).toBe(2630);
    expect(mem.usage + mem.free).toBe(2630);
    expect(mem.usage).toBe(big.memoryVars());
  });

  it('a watchdog in manual mode resets the pod when it is not kicked in time', () => {
    const { pod } = boot(`
      E.enableWatchdog(2, false);
      var n = 0;
      setInterval(function () { if (++n < 3) E.kickWatchdog(); }, 1000);
    `);
    pod.advance(5000);
    expect(pod.resets).toEqual([{ t_ms: 4000, reason: 'watchdog' }]);
    expect(pod.now_ms).toBe(1000);
  });

  it('reports the battery like Espruino: percent on E/Puck, volts on NRF', () => {
    const { pod } = boot('global.x = 1;', { battery_pct: 42 });
    expect(evalIn(pod, '[E.getBattery(), Puck.getBatteryPercentage()]')).toEqual([42, 42]);
    expect(evalIn(pod, 'NRF.getBattery()')).toBeCloseTo(2.2 + 0.6 * 0.42, 6);
    pod.setBattery(5);
    expect(evalIn(pod, 'E.getBattery()')).toBe(5);
  });
});

describe('running against real time', () => {
  it('start(speed) runs the clock while the host awaits', async () => {
    const { pod, out } = boot('global.n = 0; setInterval(function () { n++; }, 1000);');
    pod.start(1000);
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(pod.running).toBe(true);
      // 100 ms real at 1000x: ~100 s virtual (timer jitter allowed)
      expect(pod.now_ms).toBeGreaterThan(40_000);
      expect(out.n).toBe(Math.floor(pod.now_ms / 1000));
    } finally {
      pod.stop();
    }
    const stopped = pod.now_ms;
    await new Promise((r) => setTimeout(r, 20));
    expect(pod.now_ms).toBe(stopped);
  });
});

describe('the real firmware bundle', () => {
  const bundlePath = 'dist/firmware/retrostep.min.js';

  it('boots from Storage, advertises, idles the IMU when left still, and reports its memory', () => {
    const pod = new VirtualPod({ bundle: fs.readFileSync(bundlePath, 'utf8') });
    pod.boot();
    pod.advance(1000);
    expect(pod.runtime!.imu.eventRate_hz()).toBe(52);
    pod.advance(60_000);
    expect(pod.uncaught).toEqual([]);
    expect(pod.peripheral.advertisement()?.localName).toMatch(/^retrostep-[0-9a-f]{4}$/);
    expect(pod.runtime!.imu.eventRate_hz()).toBe(1.6); // still for a minute: accelerometer only, low rate
    // and no sample reaches the pod while the foot stays still: the IMU's wake-up interrupt watches for it
    const events = pod.runtime!.accelEvents;
    pod.advance(600_000);
    expect(pod.runtime!.accelEvents).toBe(events);
    expect(pod.runtime!.imu.eventRate_hz()).toBe(1.6);
    const vars = pod.memoryVars();
    expect(vars).toBeGreaterThan(100);
    expect(vars).toBeLessThan(2630);
  });

  it('saves its settings under their own names, which the next build reads (the build shortens the others)', () => {
    // standing, then forward strides: the pod learns its mount and saves it (a boot saves the settings too)
    const w = createWalker([{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 14 }, { kind: 'stand', duration_s: 5 }], { seed: 3 });
    const pod = new VirtualPod({ bundle: readBundle(), imuSource: w.source });
    pod.boot();
    pod.advance(w.duration_ms + 1000);
    expect(pod.uncaught).toEqual([]);
    const newest = pod.flash
      .list(/^rscfg[01]$/)
      .map((f) => pod.flash.read(f)!)
      .map((text) => JSON.parse(text.substring(text.indexOf('|') + 1)))
      .sort((a, b) => b.n - a.n)[0];
    expect(Object.keys(newest).sort()).toEqual(['n', 's']);
    expect(Object.keys(newest.s).sort()).toEqual(['boots', 'cal', 'config']);
    expect(Object.keys(newest.s.config).sort()).toEqual([...configKeys()].sort());
    expect(Object.keys(newest.s.cal).sort()).toEqual(['toe', 'up']);
  });

  it('holds the link (the protocol code and its state) only while a host is connected', () => {
    // the stored bundle, as a pod holds it: the link inside it is pretokenised too, and evaluated on connect
    const pod = new VirtualPod({ bundle: readBundle() });
    pod.boot();
    pod.advance(1000);
    const alone = pod.memoryVars();
    pod.peripheral.connect({ onDisconnect: () => {} });
    pod.advance(100);
    const connected = pod.memoryVars();
    pod.peripheral.disconnect();
    pod.advance(100);
    expect(pod.uncaught).toEqual([]);
    // the link costs hundreds of variables (the TX queue alone ~85): none of it stays once the host has gone
    expect(connected - alone).toBeGreaterThan(200);
    expect(Math.abs(pod.memoryVars() - alone)).toBeLessThanOrEqual(2);
  });
});
