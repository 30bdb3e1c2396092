/**
 * The gait engine on REAL recordings (gaitmap example, see
 * test/fixtures/gaitmap/README.md): forward heel-first walking, two feet,
 * three sample rates, and the same motion seen from other mounting angles.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecording } from '../host/src/replay/recording.js';
import { rotateSamples, rotationZYX, runEngine } from '../host/src/replay/run.js';
import { scoreContacts } from '../host/src/replay/score.js';

const DIR = 'test/fixtures/gaitmap';
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.csv'));
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
  it('has fixtures for both feet at 26, 52 and 104 Hz', () => {
    expect(files.length).toBe(6);
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
