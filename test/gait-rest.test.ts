/**
 * Sensor self-calibration (shared/gait/rest.ts): the engine learns what THIS
 * accelerometer reads at rest (a real one reads 0.94-1.10 g), over about
 * REST_LEARN_S of standing, instead of assuming 1 g.
 *
 * Seen from outside: a foot standing on a sensor that does not read 1 g is
 * not still to the engine (its force is off the level it expects) until the
 * level is learnt; then it is (quietFor_ms grows). With the level stuck at
 * 1 g, a sensor reading 1.04 g would never stand still.
 */
import { describe, expect, it } from 'vitest';
import { CALM_DPS_PER_G, MAX_SAMPLE_GAP_MS, REST_LEARN_S, STILL_DPS } from '../shared/gait/constants.js';
import { createGaitEngine, type GaitEngine } from '../shared/gait/engine.js';
import { REST_START_G2, REST_WEIGHT_PER_MS } from '../shared/gait/rest.js';

const REST_LEARN_MS = REST_LEARN_S * 1000;

/** |acc|^2 - level (g^2) within which a standing sample is still: its force off the level weighs under STILL_DPS (the calmness's dev = half of it). */
const STILL_GAP_G2 = (2 * STILL_DPS) / CALM_DPS_PER_G;

/** The time to learn a sensor reading reads_g at rest from REST_START_G2 until still (ms): the gap closes as e^(-t / REST_LEARN_S). */
function expectedQuiet_ms(reads_g: number): number {
  const gap = Math.abs(reads_g * reads_g - REST_START_G2);
  return gap <= STILL_GAP_G2 ? 0 : REST_LEARN_MS * Math.log(gap / STILL_GAP_G2);
}

/**
 * Feed the engine `seconds` of a foot standing (tilted 10 deg: the force is not along one axis), the sensor
 * reading |acc| = reads(i) g, turning at turn_dps about x; returns the time (ms from the start) of the first
 * still sample, or -1.
 */
function stand(engine: GaitEngine, from_ms: number, seconds: number, rate_hz: number, reads: (i: number) => number, turn_dps = 0): number {
  const n = Math.round(seconds * rate_hz);
  const tilt = (10 * Math.PI) / 180;
  let quietAt = -1;
  for (let i = 0; i < n; i++) {
    const t = from_ms + (i * 1000) / rate_hz, g = reads(i);
    engine.push(t, 0, g * Math.sin(tilt), g * Math.cos(tilt), turn_dps, 0, 0);
    if (quietAt < 0 && engine.quietFor_ms() > 0) quietAt = t - from_ms;
  }
  return quietAt;
}

describe('what the accelerometer reads at rest', () => {
  it('is 1 g until anything is learnt: a sensor reading 1 g stands still from its second sample', () => {
    expect(REST_START_G2).toBe(1);
    const at = stand(createGaitEngine(() => {}), 0, 1, 52, () => 1);
    expect(at).toBeCloseTo(1000 / 52, 6);
  });

  for (const reads_g of [0.94, 1.04, 1.06, 1.1]) {
    it(`a sensor reading ${reads_g} g at rest is learnt in the same time at 26, 52 and 104 Hz, as an average over REST_LEARN_S`, () => {
      const expected = expectedQuiet_ms(reads_g);
      for (const rate_hz of [26, 52, 104]) {
        const at = stand(createGaitEngine(() => {}), 0, 4 * REST_LEARN_S, rate_hz, () => reads_g);
        // (learning starts at the second sample and is looked at once a sample: within two sample intervals)
        expect(at, `${rate_hz} Hz`).toBeGreaterThan(expected - 1);
        expect(at, `${rate_hz} Hz`).toBeLessThanOrEqual(expected + (2 * 1000) / rate_hz + 1);
      }
      // not a few samples, not minutes
      expect(expected).toBeGreaterThan(0.3 * REST_LEARN_MS);
      expect(expected).toBeLessThan(2 * REST_LEARN_MS);
    });
  }

  it('averages the sensor noise out: a noisy rest reading of 1.04 g is learnt as its mean', () => {
    // +-0.005 g alternating (well above the LSM6DS3's noise at 52 Hz)
    const at = stand(createGaitEngine(() => {}), 0, 3, 52, (i) => 1.04 + (i % 2 === 0 ? 0.005 : -0.005));
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(2 * REST_LEARN_MS);
  });

  it('follows a slow drift (temperature): a level learnt at 1 g moves to 1.1 g', () => {
    const engine = createGaitEngine(() => {});
    expect(stand(engine, 0, 5, 52, () => 1.0)).toBeGreaterThanOrEqual(0);
    // the step to 1.1 g is a force jump (not still, not learnt from), then 1.1 g at rest is learnt as from 1 g
    const at = stand(engine, 5000, 5, 52, () => 1.1);
    expect(at).toBeGreaterThan(expectedQuiet_ms(1.1) - 1);
    expect(at).toBeLessThanOrEqual(expectedQuiet_ms(1.1) + 3 * (1000 / 52) + 1);
  });

  it('is not learnt while the foot turns: a turning foot is not at rest, whatever its force reads', () => {
    const engine = createGaitEngine(() => {});
    // 5 s at 1.06 g turning at 2 x STILL_DPS: never still, and nothing learnt...
    expect(stand(engine, 0, 5, 52, () => 1.06, 2 * STILL_DPS)).toBe(-1);
    // ...so standing still afterwards, it takes the whole learning time from 1 g
    const at = stand(engine, 5000, 3, 52, () => 1.06);
    expect(at).toBeGreaterThan(expectedQuiet_ms(1.06) - 1);
  });

  it('one sample never carries the level past the reading: its weight is under 1 up to the longest gap the engine accepts', () => {
    expect(MAX_SAMPLE_GAP_MS * REST_WEIGHT_PER_MS).toBeLessThan(1);
  });
});
