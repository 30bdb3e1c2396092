/**
 * Sensor self-calibration (shared/gait/rest.ts): the engine learns what THIS
 * accelerometer reads at rest (a real one reads 0.94-1.10 g), over about
 * REST_LEARN_S of standing, instead of assuming 1 g.
 */
import { describe, expect, it } from 'vitest';
import { REST_LEARN_S } from '../shared/gait/constants.js';
import { REST_START_G2, restLevel } from '../shared/gait/rest.js';

/** The level as the engine keeps it: one number, from REST_START_G2, through restLevel at each sample at rest. */
function createRestLevel() {
  let g2 = REST_START_G2;
  return {
    update: (a2: number, dt_s: number) => (g2 = restLevel(g2, a2, dt_s)),
    g2: () => g2,
  };
}

/** Feed a level `seconds` of samples at rest, |acc|^2 = a2(i), at rate_hz. */
function stand(level: ReturnType<typeof createRestLevel>, seconds: number, rate_hz: number, a2: (i: number) => number): void {
  const n = Math.round(seconds * rate_hz);
  for (let i = 0; i < n; i++) level.update(a2(i), 1 / rate_hz);
}

describe('what the accelerometer reads at rest', () => {
  it('is 1 g until anything is learnt', () => {
    expect(createRestLevel().g2()).toBe(1);
  });

  for (const reads_g of [0.94, 0.975, 1.06, 1.1]) {
    for (const rate_hz of [26, 52, 104]) {
      it(`a sensor reading ${reads_g} g at rest, standing ${4 * REST_LEARN_S} s at ${rate_hz} Hz: learnt within 2% of the gap from 1 g`, () => {
        const level = createRestLevel();
        stand(level, 4 * REST_LEARN_S, rate_hz, () => reads_g * reads_g);
        const gap = Math.abs(reads_g * reads_g - 1);
        // an exponential average with time constant REST_LEARN_S leaves e^-4 (1.8%) of the gap after 4 of them
        expect(Math.abs(level.g2() - reads_g * reads_g)).toBeLessThanOrEqual(0.02 * gap + 1e-9);
      });
    }
  }

  it('takes about REST_LEARN_S to learn, whatever the sample rate: not a few samples, not minutes', () => {
    for (const rate_hz of [26, 52, 104, 204.8]) {
      const level = createRestLevel();
      const target = 1.06 * 1.06;
      stand(level, REST_LEARN_S, rate_hz, () => target);
      // one time constant closes 1 - 1/e (63%) of the gap; a per-sample weight would close more at higher rates
      const closed = (level.g2() - 1) / (target - 1);
      expect(closed, `${rate_hz} Hz`).toBeGreaterThan(0.55);
      expect(closed, `${rate_hz} Hz`).toBeLessThan(0.7);
    }
  });

  it('averages the sensor noise out: a noisy rest reading is learnt as its mean', () => {
    const level = createRestLevel();
    const mean = 1.04 * 1.04;
    // +-0.01 g^2 alternating (well above the LSM6DS3's noise at 52 Hz)
    stand(level, 3, 52, (i) => mean + (i % 2 === 0 ? 0.01 : -0.01));
    expect(Math.abs(level.g2() - mean)).toBeLessThan(0.002);
  });

  it('a long gap between two samples at rest moves it to the new reading, never past it', () => {
    const level = createRestLevel();
    level.update(1.2, 10 * REST_LEARN_S);
    expect(level.g2()).toBeCloseTo(1.2, 12);
    level.update(0.9, 10 * REST_LEARN_S);
    expect(level.g2()).toBeCloseTo(0.9, 12);
  });

  it('follows a slow drift (temperature) and does not hold on to the first level', () => {
    const level = createRestLevel();
    stand(level, 5, 52, () => 1.0);
    stand(level, 5, 52, () => 1.1);
    expect(level.g2()).toBeCloseTo(1.1, 3);
  });
});
