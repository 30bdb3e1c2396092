/**
 * The gait engine on REAL recordings (gaitmap example, see
 * test/fixtures/gaitmap/README.md): forward heel-first walking, two feet,
 * at 26, 52, 104 and the native 204.8 Hz (also averaged down to rates no
 * file has), and the same motion seen from other mounting angles. A second
 * walker (4 x 10 m, 102.4 Hz, another sensor) is harder; see its block below.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecording } from '../host/src/replay/recording.js';
import { resampleByAveraging } from '../host/src/replay/resample.js';
import { rotateSamples, rotationZYX, runEngine } from '../host/src/replay/run.js';
import { labelsAreContactTimes, matchWindowFor, scoreContacts } from '../host/src/replay/score.js';

const DIR = 'test/fixtures/gaitmap';
const files = fs.readdirSync(DIR).filter((f) => f.startsWith('walk-2x20m-') && f.endsWith('.csv'));
const shortWalks = fs.readdirSync(DIR).filter((f) => f.startsWith('walk-4x10m-') && f.endsWith('.csv'));
/** Steps before the first and after the last labelled stride (gait initiation, the turn) are real but unlabelled. */
const UNLABELLED_MARGIN_MS = 1500;

function check(file: string, rotation?: number[]) {
  const rec = parseRecording(fs.readFileSync(`${DIR}/${file}`, 'utf8'), file);
  const samples = rotation ? rotateSamples(rec.samples, rotation) : rec.samples;
  const got = runEngine(rec.t_ms, samples);
  const score = scoreContacts(rec.contacts, got);
  const first = rec.contacts[0].t_ms - UNLABELLED_MARGIN_MS;
  const last = rec.contacts[rec.contacts.length - 1].t_ms + UNLABELLED_MARGIN_MS;
  const outside = got.filter((c) => c.t_ms < first || c.t_ms > last);
  return { rec, got, score, outside };
}

describe('gait engine on real forward walking (gaitmap)', () => {
  it('has fixtures for both feet at 26, 52, 104 and the native 204.8 Hz', () => {
    expect(files.length).toBe(8);
  });

  for (const file of files) {
    it(`${file}: counts every labelled stride, forward and heel-first, on time, nothing while standing`, () => {
      const { rec, score, outside } = check(file);
      expect(rec.contacts.length).toBeGreaterThan(25);
      expect(score.missed).toBe(0);
      expect(score.directionCorrect).toBe(score.matched);
      // at 26 Hz a sample lasts 38 ms: the pitch peak can fall between samples, and detection takes up to two of them
      const slow = rec.rate_hz < 50;
      if (slow) expect(score.firstCorrect).toBeGreaterThanOrEqual(0.95 * score.matched);
      else expect(score.firstCorrect).toBe(score.matched);
      expect(Math.max(...score.latencies_ms.map(Math.abs))).toBeLessThanOrEqual(slow ? 2 * (1000 / rec.rate_hz) + 1 : 60);
      expect(outside).toEqual([]);
    });
  }

  it('averaging down takes the mean of the input samples in each output period', () => {
    // 100 Hz input, one axis counting 0, 1, 2, ...: at 25 Hz each output sample is the mean of four
    const n = 12;
    const t = Float64Array.from({ length: n }, (_, i) => i * 10);
    const x = new Float32Array(n * 6);
    for (let i = 0; i < n; i++) x[6 * i] = i;
    const r = resampleByAveraging(t, x, 25);
    expect(Array.from(r.t_ms)).toEqual([0, 40, 80]);
    expect([r.samples[0], r.samples[6], r.samples[12]]).toEqual([1.5, 5.5, 9.5]);
  });

  // rates no fixture has: the native recording averaged down as a sensor at that rate would sample it
  for (const rate_hz of [30, 40, 64, 100, 128]) {
    it(`the native 204.8 Hz walk averaged down to ${rate_hz} Hz: every labelled stride, forward, nothing extra`, () => {
      for (const foot of ['left', 'right']) {
        const file = `walk-2x20m-${foot}-204.8hz.csv`;
        const rec = parseRecording(fs.readFileSync(`${DIR}/${file}`, 'utf8'), file);
        const r = resampleByAveraging(rec.t_ms, rec.samples, rate_hz);
        const got = runEngine(r.t_ms, r.samples);
        const score = scoreContacts(rec.contacts, got);
        expect(score.missed).toBe(0);
        expect(score.directionCorrect).toBe(score.matched);
        // all real steps: the labelled ones plus at most one unlabelled (the turning step) each side of the turn
        expect(got.length).toBeLessThanOrEqual(rec.contacts.length + 3);
      }
    });
  }

  const mounts: [string, number[]][] = [
    ['upside down', rotationZYX(0, 0, 180)],
    ['pointing backwards', rotationZYX(180, 0, 0)],
    ['on its side, tilted', rotationZYX(30, 20, 90)],
    ['arbitrary', rotationZYX(-123, 47, -61)],
  ];
  for (const [name, m] of mounts) {
    it(`the same walk with the pod mounted ${name} gives the same strides`, () => {
      const base = check('walk-2x20m-left-52hz.csv');
      const rotated = check('walk-2x20m-left-52hz.csv', m);
      expect(rotated.score.missed).toBe(0);
      expect(rotated.score.directionCorrect).toBe(rotated.score.matched);
      expect(rotated.score.firstCorrect).toBe(rotated.score.matched);
      expect(rotated.got.length).toBe(base.got.length);
    });
  }
});

/**
 * The second gaitmap walk (4 x 10 m with turns, 102.4 Hz, an older sensor that
 * reads 0.975 g at rest): a walker whose foot is never still in its stance (it
 * rolls on at 20-120 dps from heel strike to lift-off) and whose shoe rings
 * after each impact. Every labelled stride is found; turning steps are not all
 * (figures in `npm run bench`, docs/decisions.md "Open problems"). Before the
 * rules for it: 16 of the 66 labelled strides, 3-10 strides a file.
 */
describe('gait engine on a second real walker (gaitmap 4 x 10 m)', () => {
  it('has both feet at 26, 52 and the native 102.4 Hz, labelled with contact times from an IMU algorithm', () => {
    expect(shortWalks.length).toBe(6);
    for (const file of shortWalks) {
      const rec = parseRecording(fs.readFileSync(`${DIR}/${file}`, 'utf8'), file);
      expect(labelsAreContactTimes(rec.meta.contact_times), file).toBe(false);
    }
    for (const file of files) expect(labelsAreContactTimes(parseRecording(fs.readFileSync(`${DIR}/${file}`, 'utf8'), file).meta.contact_times), file).toBe(true);
  });

  it('finds most strides, forward on the straights, none while standing', () => {
    let found = 0, labelled = 0;
    for (const file of shortWalks) {
      const rec = parseRecording(fs.readFileSync(`${DIR}/${file}`, 'utf8'), file);
      const got = runEngine(rec.t_ms, rec.samples);
      // its labels are gaitmap's event detection, 20-68 ms after the real contact: matched within that much more
      const score = scoreContacts(rec.contacts, got, matchWindowFor(rec.meta));
      found += score.matched;
      labelled += rec.contacts.length;
      // labels sit on the straights: strides near them are forward (a 180 deg turn may take a step back)
      const onStraights = got.filter((c) => rec.contacts.some((l) => Math.abs(l.t_ms - c.t_ms) < 700));
      expect(onStraights.filter((c) => c.direction !== 'forward'), file).toEqual([]);
      // the walker stands still for the first 3.5 s and the last second
      expect(got.filter((c) => c.t_ms < 3500 || c.t_ms > rec.t_ms[rec.t_ms.length - 1] - 1000), file).toEqual([]);
      // about 30 strides a foot (most unlabelled): before measuring 1 g at rest, levelling on the calmest
      // stance sample and keeping a slow heel rise in the stance, it reported 3-10
      expect(got.length, file).toBeGreaterThanOrEqual(20);
    }
    expect(labelled).toBe(66);
    // 60 before direction along the toe, a stance's flattest pose, no levelling on a ringing shoe, and
    // the "still rising" test allowing for a tilted frame
    expect(found).toBe(66);
  });
});
