/**
 * The bench's label-free ruler (host/src/replay/swings.ts): where a foot swung, which swings no label
 * accounts for, which of those turned the foot on the floor, and how every step is scored with them
 * (score.ts scoreEveryStep). Synthetic samples for the borders; the real gaitmap 4 x 10 m walk for what a
 * floor turn and a step look like.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecording } from '../host/src/replay/recording.js';
import { scoreEveryStep, type DetectedContact, type TruthContact } from '../host/src/replay/score.js';
import { findSwings, FLOOR_SWING_SPREAD_G, MIN_SWING_GAP_MS, SWING_PEAK_DPS, SWING_TO_CONTACT_MS, turnedOnFloor, unlabelledSwings } from '../host/src/replay/swings.js';

const RATE_HZ = 52;

/** A still foot, n samples at RATE_HZ: 1 g down, no turn. */
function still(n: number): { t_ms: Float64Array; samples: Float32Array } {
  const t_ms = Float64Array.from({ length: n }, (_, i) => (i * 1000) / RATE_HZ);
  const samples = new Float32Array(6 * n);
  for (let i = 0; i < n; i++) samples[6 * i + 2] = 1;
  return { t_ms, samples };
}

/** Samples from..to turn the foot at dps about z; acc_g(k) is |acc| (along z) at the k-th of them. */
function turn(s: { samples: Float32Array }, from: number, to: number, dps: number, acc_g: (k: number) => number): void {
  for (let i = from; i <= to; i++) {
    s.samples[6 * i + 5] = dps;
    s.samples[6 * i + 2] = acc_g(i - from);
  }
}

describe('findSwings', () => {
  it('one swing per stretch over SWING_PEAK_DPS, a new one only MIN_SWING_GAP_MS after the last', () => {
    const s = still(200);
    turn(s, 20, 30, SWING_PEAK_DPS + 50, (k) => 1 + (k % 2));
    const gapSamples = Math.ceil((MIN_SWING_GAP_MS * RATE_HZ) / 1000);
    turn(s, 20 + gapSamples - 6, 20 + gapSamples - 1, SWING_PEAK_DPS + 50, () => 2); // too soon: the same swing
    turn(s, 120, 125, SWING_PEAK_DPS + 50, () => 2);
    turn(s, 160, 165, SWING_PEAK_DPS - 1, () => 2); // never over the threshold
    expect(findSwings(s.t_ms, s.samples)).toEqual([s.t_ms[20], s.t_ms[120]]);
  });

  it('unlabelledSwings: the swings no label follows within SWING_TO_CONTACT_MS', () => {
    const labels = [{ t_ms: 1000 + SWING_TO_CONTACT_MS }, { t_ms: 5000 }];
    expect(unlabelledSwings([1000, 3000, 4990], labels, 0)).toEqual([3000]);
    expect(unlabelledSwings([1000, 3000, 5010], labels, 0)).toEqual([3000, 5010]);
    expect(unlabelledSwings([1000, 3000, 5010], labels, 20)).toEqual([3000]);
  });
});

describe('turnedOnFloor: a swing that felt gravity alone all through its turn', () => {
  it('a turn whose |acc| stays within FLOOR_SWING_SPREAD_G is on the floor; one that pushes off or lands is not', () => {
    const floor = still(100);
    turn(floor, 40, 55, 300, (k) => 1 + (k / 15) * (FLOOR_SWING_SPREAD_G - 0.01));
    expect(turnedOnFloor(floor.t_ms, floor.samples, floor.t_ms[40])).toBe(true);
    const step = still(100);
    turn(step, 40, 55, 300, (k) => (k === 14 ? 1 + FLOOR_SWING_SPREAD_G + 0.01 : 1));
    expect(turnedOnFloor(step.t_ms, step.samples, step.t_ms[40])).toBe(false);
  });

  it("the samples either side count: a slow step's only fast sample is its landing's jolt", () => {
    const s = still(100);
    turn(s, 50, 50, SWING_PEAK_DPS + 10, () => 1);
    s.samples[6 * 51 + 2] = 2.5; // the jolt, turning under half SWING_PEAK_DPS
    expect(turnedOnFloor(s.t_ms, s.samples, s.t_ms[50])).toBe(false);
  });

  it('gaitmap 4 x 10 m: its labelled strides swing off the floor; the right foot turns on it at 20.6 s and 38.4 s', () => {
    for (const file of ['walk-4x10m-left-52hz.csv', 'walk-4x10m-right-52hz.csv', 'walk-4x10m-right-102.4hz.csv']) {
      const rec = parseRecording(fs.readFileSync(`test/fixtures/gaitmap/${file}`, 'utf8'), file);
      const swings = findSwings(rec.t_ms, rec.samples);
      const labelled = swings.filter((sw) => !unlabelledSwings([sw], rec.contacts).length);
      expect(labelled.length, file).toBeGreaterThan(10);
      expect(labelled.filter((sw) => turnedOnFloor(rec.t_ms, rec.samples, sw)), file).toEqual([]);
      const onFloor = swings.filter((sw) => turnedOnFloor(rec.t_ms, rec.samples, sw)).map((sw) => Math.round(sw / 100) / 10);
      if (file.includes('right')) expect(onFloor, file).toEqual([20.6, 38.4]);
    }
  });
});

describe('scoreEveryStep', () => {
  const forward = (t_ms: number): DetectedContact => ({ t_ms, direction: 'forward', first: 'heel' });
  it('a labelled contact and an unlabelled swing are each a step; the swings with no step are listed', () => {
    const truth: TruthContact[] = [{ t_ms: 1000, direction: 'forward', first: 'heel' }];
    const s = scoreEveryStep(truth, [3000, 6000], [forward(1010), forward(3400), forward(9000)], 50);
    expect({ truth: s.truth, matched: s.matched, missed: s.missed, extra: s.extra }).toEqual({ truth: 3, matched: 2, missed: 1, extra: 1 });
    expect(s.unlabelled_missed_ms).toEqual([6000]);
    expect(s.labelled_matched).toBe(1);
  });
});
