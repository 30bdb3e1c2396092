/**
 * The simulator the gait tests stand on (host/src/sim/walker.ts) walks as its
 * documentation says: a slow, rolling walker like gaitmap's 4 x 10 m one, and
 * a real sensor's gain, offsets and jittering timestamps. (Moved here from the
 * old test/gait-engine.test.ts: they test the walker, not the engine.)
 */
import { describe, expect, it } from 'vitest';
import { rotationZYX } from '../host/src/replay/run.js';
import { sensorErrorsFor } from '../host/src/sim/imu-output.js';
import { createWalker, type GaitStyle, MOUNTS, SAMPLE_JITTER_MS, sampleWalker, type Segment } from '../host/src/sim/walker.js';

const script = (...walks: Segment[]): Segment[] => [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 12 }, ...walks, { kind: 'stand', duration_s: 3 }];

describe('a slow, unsteady walker (like the real 4 x 10 m gaitmap walker)', () => {
  // heel rise 60% of the stance, a flat foot that rolls on through 30% of the lift-off pitch, a sensor that reads 0.975 g at rest
  const style: GaitStyle = { preswing_s: 1, preswingMaxShare: 0.6, flatRoll: 0.3, accScale: 0.975 };
  const segs = script({ kind: 'walk', direction: 'forward', strides: 28, cadence_spm: 105 }, { kind: 'walk', direction: 'backward', strides: 30, cadence_spm: 110 });

  it('the simulator walks as said: 0.975 g at rest, a flat foot that still turns, a slow heel rise', () => {
    const w = createWalker(segs, { seed: 7, style, noise: false });
    const { t_ms, samples } = sampleWalker(w, 104);
    const at = (i: number, k: number) => samples[6 * i + k];
    const rest = Math.hypot(at(100, 0), at(100, 1), at(100, 2));
    expect(rest).toBeCloseTo(0.975, 3);
    // between two forward contacts: the foot is still only as its roll starts, then rolls on at > 5 dps, and >= 60 dps for 200 ms+ before lift-off
    const c0 = w.truth[14].t_ms, c1 = w.truth[15].t_ms;
    const rate_dps = (i: number) => Math.hypot(at(i, 3), at(i, 4), at(i, 5));
    const idx = Array.from(t_ms.keys()).filter((i) => t_ms[i] > c0 + 150 && t_ms[i] < c1);
    const slowest = Math.min(...idx.map(rate_dps));
    expect(slowest).toBeLessThan(5);
    const rolling = Math.max(...idx.filter((i) => t_ms[i] < c0 + 250).map(rate_dps));
    expect(rolling).toBeGreaterThan(5);
    const turning_ms = idx.filter((i) => rate_dps(i) >= 60 && rate_dps(i) < 250 && Math.abs(Math.hypot(at(i, 0), at(i, 1), at(i, 2)) - 0.975) < 0.1).length * (1000 / 104);
    expect(turning_ms).toBeGreaterThan(150);
  });

  it('its heel rises about the ball of the foot: a side-of-shoe sensor reads within 0.075 g of rest while it rolls at up to 120 dps, as the real one does', () => {
    // the real 4 x 10 m walker's side-of-shoe sensor: 0.93-1.07 of rest from foot flat to its push-off
    // (100-150 dps); pivoting about the toe tip read up to 1.10 of rest here
    const w = createWalker(segs, { seed: 7, style, noise: false, mount: MOUNTS['side-of-shoe'] });
    const { t_ms, samples } = sampleWalker(w, 104);
    const at = (i: number, k: number) => samples[6 * i + k];
    for (let k = 2; k < 26; k++) {
      const c0 = w.truth[k].t_ms;
      let worst = 0, n = 0, i = t_ms.findIndex((t) => t > c0 + 150);
      for (; Math.hypot(at(i, 3), at(i, 4), at(i, 5)) < 120; i++, n++) worst = Math.max(worst, Math.abs(Math.hypot(at(i, 0), at(i, 1), at(i, 2)) / 0.975 - 1));
      expect(n, `stance after contact ${k}: samples rolling slower than 120 dps`).toBeGreaterThan(20);
      expect(worst, `stance after contact ${k}`).toBeLessThan(0.075);
    }
  });
});

describe('a real sensor by default', () => {
  it('each session reads 1 g at rest as its own gain and zero-g offset (0.94-1.06, +-60 mg an axis), and the gyro at rest as its zero-rate offset (+-1 dps)', () => {
    const gains = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const e = sensorErrorsFor(seed);
      expect(Math.abs(e.accScale - 1), `seed ${seed}`).toBeLessThanOrEqual(0.06);
      for (const o of e.accOffset_g) expect(Math.abs(o), `seed ${seed}`).toBeLessThanOrEqual(0.06);
      for (const o of e.gyroOffset_dps) expect(Math.abs(o), `seed ${seed}`).toBeLessThanOrEqual(1);
      gains.add(e.accScale.toFixed(4));
      const w = createWalker([{ kind: 'stand', duration_s: 2 }], { seed, mount: MOUNTS.laces });
      const { samples } = sampleWalker(w, 52);
      // standing: what the sensor reads is gain x gravity + offset
      const mean = [0, 1, 2, 3, 4, 5].map((k) => {
        let s = 0;
        for (let i = 0; i < samples.length; i += 6) s += samples[i + k];
        return s / (samples.length / 6);
      });
      const m = rotationZYX(...MOUNTS.laces.deg); // sensor -> foot
      const g = [m[6], m[7], m[8]]; // gravity's reaction (foot z) in the sensor frame
      for (let k = 0; k < 3; k++) expect(Math.abs(mean[k] - (e.accScale * g[k] + e.accOffset_g[k])), `seed ${seed} acc ${k}`).toBeLessThan(0.003);
      for (let k = 0; k < 3; k++) expect(Math.abs(mean[3 + k] - e.gyroOffset_dps[k]), `seed ${seed} gyro ${k}`).toBeLessThan(0.1);
    }
    expect(gains.size).toBe(8);
  });

  it(`timestamps jitter by up to SAMPLE_JITTER_MS (${SAMPLE_JITTER_MS} ms) and still increase; 0 gives exact periods`, () => {
    const w = createWalker([{ kind: 'stand', duration_s: 3 }], { seed: 1 });
    const { t_ms } = sampleWalker(w, 52);
    let off = 0;
    for (let i = 0; i < t_ms.length; i++) {
      const d = t_ms[i] - (i * 1000) / 52;
      expect(Math.abs(d)).toBeLessThanOrEqual(SAMPLE_JITTER_MS);
      off = Math.max(off, Math.abs(d));
      if (i > 0) expect(t_ms[i]).toBeGreaterThan(t_ms[i - 1]);
    }
    expect(off).toBeGreaterThan(0);
    const exact = sampleWalker(w, 52, 0).t_ms;
    for (let i = 0; i < exact.length; i++) expect(exact[i]).toBe((i * 1000) / 52);
  });
});
