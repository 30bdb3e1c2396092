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

/**
 * The time to learn a sensor reading reads_g at rest, from a level of from_g2, until still (ms): the gap closes as
 * e^(-t / REST_LEARN_S). (Sample by sample it closes by 1 - dt / REST_LEARN_S a step, a little faster: up to
 * t x dt / REST_LEARN_S sooner, under one sample interval while t is under REST_LEARN_S x 2.)
 */
function expectedQuiet_ms(reads_g: number, from_g2 = REST_START_G2): number {
  const gap = Math.abs(reads_g * reads_g - from_g2);
  return gap <= STILL_GAP_G2 ? 0 : REST_LEARN_MS * Math.log(gap / STILL_GAP_G2);
}

/**
 * Feed the engine `seconds` of a foot standing (tilted 10 deg: the force is not along one axis), the sensor
 * reading |acc| = reads(i) g, turning at turn_dps about x; returns the time (ms from the start) of the first
 * still sample, or -1.
 */
function stand(engine: GaitEngine, from_ms: number, seconds: number, rate_hz: number, reads: (i: number) => number, turn_dps = 0): number {
  const n = Math.round(seconds * rate_hz);
  let quietAt = -1;
  for (let i = 0; i < n; i++) {
    const t = from_ms + (i * 1000) / rate_hz;
    standingSample(engine, t, reads(i), turn_dps);
    if (quietAt < 0 && engine.quietFor_ms() > 0) quietAt = t - from_ms;
  }
  return quietAt;
}

/** One sample of stand's foot: tilted 10 deg, |acc| = g. */
function standingSample(engine: GaitEngine, t_ms: number, g: number, turn_dps = 0): void {
  const tilt = (10 * Math.PI) / 180;
  engine.push(t_ms, 0, g * Math.sin(tilt), g * Math.cos(tilt), turn_dps, 0, 0);
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
        // (learning starts at the second sample, one interval late, which is more than the discrete average gains
        // while expected is under 2 REST_LEARN_S; and it is looked at once a sample: within two sample intervals)
        expect(at, `${rate_hz} Hz`).toBeGreaterThan(expected - 1);
        expect(at, `${rate_hz} Hz`).toBeLessThanOrEqual(expected + (2 * 1000) / rate_hz + 1);
      }
      // not a few samples, not minutes
      expect(expected).toBeGreaterThan(0.2 * REST_LEARN_MS);
      expect(expected).toBeLessThan(2 * REST_LEARN_MS);
    });
  }

  it('learns through the sensor noise: a rest reading of 1.04 g +- 5 mg is still within 2 REST_LEARN_S, and stays still', () => {
    // +-0.005 g alternating (well above the LSM6DS3's noise at 52 Hz)
    const engine = createGaitEngine(() => {});
    const at = stand(engine, 0, 3, 52, (i) => 1.04 + (i % 2 === 0 ? 0.005 : -0.005));
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(2 * REST_LEARN_MS);
    // (still from then on, to the last sample: quietFor_ms counts back to the first still sample of the run)
    expect(engine.quietFor_ms()).toBeGreaterThan(3000 - 2 * REST_LEARN_MS);
  });

  it('does not hold on to the first level: a level learnt at 0.94 g moves to 1.06 g (a drift, taken as a step)', () => {
    const engine = createGaitEngine(() => {});
    expect(stand(engine, 0, 5, 52, () => 0.94)).toBeGreaterThan(0);
    // the step to 1.06 g is a force jump (not still, not learnt from); then 1.06 g at rest is learnt from 0.94 g
    const at = stand(engine, 5000, 5, 52, () => 1.06);
    const expected = expectedQuiet_ms(1.06, 0.94 * 0.94);
    expect(at).toBeGreaterThan(expected - 1);
    expect(at).toBeLessThanOrEqual(expected + 3 * (1000 / 52) + 1);
    // learnt from 1 g instead, it would be still far sooner
    expect(expectedQuiet_ms(1.06)).toBeLessThan(expected - 2 * (1000 / 52));
  });

  it('is not learnt while the foot turns: a turning foot is not at rest, whatever its force reads', () => {
    const engine = createGaitEngine(() => {});
    // 5 s at 1.06 g turning at 2 x STILL_DPS: never still, and nothing learnt...
    expect(stand(engine, 0, 5, 52, () => 1.06, 2 * STILL_DPS)).toBe(-1);
    // ...so standing still afterwards, it takes the whole learning time from 1 g (no force jump at the change: the
    // first sample is learnt from, so the discrete average may be up to t x dt / REST_LEARN_S sooner)
    const at = stand(engine, 5000, 3, 52, () => 1.06);
    const expected = expectedQuiet_ms(1.06);
    expect(at).toBeGreaterThan(expected * (1 - 1000 / 52 / REST_LEARN_MS) - 1);
  });

  it('one sample weighs under 1 (never carrying the level past the reading) up to the longest gap push accepts: MAX_SAMPLE_GAP_MS x REST_WEIGHT_PER_MS < 1', () => {
    expect(MAX_SAMPLE_GAP_MS * REST_WEIGHT_PER_MS).toBeLessThan(1);
  });

  it('a sample time that is not a number restarts the engine: standing after it is learnt and still, as on a fresh engine', () => {
    const engine = createGaitEngine(() => {});
    // (the same reading as the samples after it: no force change, so the sample after it would be learnt from)
    standingSample(engine, NaN, 1.06);
    const at = stand(engine, 0, 3, 52, () => 1.06);
    expect(at).toBeGreaterThan(expectedQuiet_ms(1.06) - 1);
    expect(at).toBeLessThanOrEqual(expectedQuiet_ms(1.06) + (2 * 1000) / 52 + 1);
  });
});
