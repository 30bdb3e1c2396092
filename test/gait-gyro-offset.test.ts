/**
 * The gyro's zero-rate offset (stage 1b, shared/gait/engine.ts `standing`): a foot still (calmer than
 * STILL_DPS) for STANDING_MS is standing, and from then on what the gyro reads is learnt, per axis, as its
 * offset (an average over GYRO_OFFSET_LEARN_S) and taken off every sample.
 *
 * Seen from outside, two ways. A turn measured after a long stand (a landed stride's turn_deg, verdictsBy)
 * reads the foot's own turn, as on a gyro with no offset. And a probe: a foot standing on a gyro reading
 * BIAS_DPS, which alone is still, turns at PROBE_DPS for one sample; with the offset unlearnt the two add up
 * past STILL_DPS and the foot is not still (quietFor_ms() 0), with enough of it learnt it is.
 *
 * The foot is hand-built (test/helpers/hand-built-foot.ts): flat, standing or turning about the vertical,
 * its gyro reading a constant bias on top.
 */
import { describe, expect, it } from 'vitest';
import { GYRO_OFFSET_LEARN_S, MAX_SAMPLE_GAP_MS, STANDING_MS, STEP_SWING_DPS, STILL_DPS, SWING_DPS } from '../shared/gait/constants.js';
import { createFoot, FOOT_DT_MS } from './helpers/hand-built-foot.js';

const LEARN_MS = GYRO_OFFSET_LEARN_S * 1000;
/** the probe's bias, about the vertical: still alone, not still with the probe's turn on top until some of it is learnt */
const BIAS_DPS = 0.9 * STILL_DPS;
const PROBE_DPS = 0.5 * STILL_DPS;
/**
 * How long the foot must stand (ms, from its first sample) before the probe is still: STANDING_MS, then the
 * offset learnt as 1 - e^(-t / GYRO_OFFSET_LEARN_S) of the bias until what is left of it plus the probe is under
 * STILL_DPS.
 */
const PROBE_STILL_AFTER_MS = STANDING_MS + LEARN_MS * Math.log(BIAS_DPS / (STILL_DPS - PROBE_DPS));
/** long enough standing to learn all but e^-4 (2%) of an offset */
const LONG_STAND_MS = STANDING_MS + 4 * LEARN_MS;

/** Is the foot still at a probe sample after standing stand_ms on a gyro reading BIAS_DPS about the vertical? */
function stillAtProbe(stand_ms: number, dt_ms = FOOT_DT_MS): boolean {
  const foot = createFoot({ dt_ms, bias_dps: [0, 0, BIAS_DPS] });
  foot.stand(stand_ms);
  foot.turn(PROBE_DPS, dt_ms);
  return foot.engine.quietFor_ms() > 0;
}

describe("the gyro's zero-rate offset, learnt while the foot stands (standing)", () => {
  // breaks it: the offset learnt from the first still sample (push's `>= STANDING_MS` as `>= 0`)
  it('the probe adds up past STILL_DPS with the bias alone (what every test below reads): not still after a stand just short of STANDING_MS', () => {
    expect(BIAS_DPS).toBeLessThan(STILL_DPS);
    expect(BIAS_DPS + PROBE_DPS).toBeGreaterThan(STILL_DPS);
    expect(stillAtProbe(STANDING_MS - FOOT_DT_MS)).toBe(false);
  });

  // breaks it: push without `gx -= ogx; gy -= ogy; gz -= ogz` (the bias turns the foot all through the stand and the
  // swing: ~30 deg more), or standing learning nothing
  it('a bias of a few dps on every axis, after a long stand: a turn measures as on a gyro without it', () => {
    // (a turn about the vertical, fast enough to commit a swing; the stand learns all but e^-4 of the bias: 0.1 dps
    // left over the 0.4 s turn is 0.04 deg)
    function turnAfterStand(bias_dps: [number, number, number]) {
      const foot = createFoot({ bias_dps });
      foot.stand(LONG_STAND_MS);
      foot.turn(1.25 * STEP_SWING_DPS, 400);
      foot.stand(1000);
      expect(foot.verdicts).toHaveLength(1);
      return foot.verdicts[0];
    }
    const without = turnAfterStand([0, 0, 0]);
    const biased = turnAfterStand([3, -2, 4]);
    expect(Math.abs(biased.turn_deg - without.turn_deg)).toBeLessThan(0.25);
    expect(Math.abs(biased.tilt_deg - without.tilt_deg)).toBeLessThan(0.25);
    expect(biased.swing_ms).toBe(without.swing_ms);
  });

  // breaks it: standing's weight as dt_ms / (GYRO_OFFSET_LEARN_S * 500) (learnt twice as fast) or a fixed weight a
  // sample (learnt at another speed at each rate); push's `>= STANDING_MS` as `>= STANDING_MS / 2`
  it('learnt from STANDING_MS on, over GYRO_OFFSET_LEARN_S: the probe is still after the time that takes, the same at 25, 50 and 100 Hz', () => {
    for (const rate_hz of [25, 50, 100]) {
      const dt_ms = 1000 / rate_hz;
      let stillAt_ms = -1;
      for (let ms = STANDING_MS; ms <= LONG_STAND_MS && stillAt_ms < 0; ms += dt_ms) if (stillAtProbe(ms, dt_ms)) stillAt_ms = ms;
      // (learnt sample by sample, a little sooner than the continuous average: within two sample intervals)
      expect(stillAt_ms, `${rate_hz} Hz`).toBeGreaterThan(PROBE_STILL_AFTER_MS - 2 * dt_ms);
      expect(stillAt_ms, `${rate_hz} Hz`).toBeLessThanOrEqual(PROBE_STILL_AFTER_MS + 2 * dt_ms);
    }
    // (not learnt in a sample or two, nor only after minutes)
    expect(PROBE_STILL_AFTER_MS - STANDING_MS).toBeGreaterThan(0.25 * LEARN_MS);
  });

  // breaks it: push without `else still_ms = 0` (the stands add up to STANDING_MS and more, and it is learnt)
  it('nothing is learnt from a foot that moves before STANDING_MS, however long it stands in all', () => {
    // (a move: one sample past STILL_DPS, not a swing)
    const MOVE_DPS = STILL_DPS;
    expect(BIAS_DPS + MOVE_DPS).toBeLessThan(SWING_DPS);
    const moving = createFoot({ bias_dps: [0, 0, BIAS_DPS] });
    const steady = createFoot({ bias_dps: [0, 0, BIAS_DPS] });
    for (let i = 0; i < 8; i++) {
      moving.stand(STANDING_MS - 2 * FOOT_DT_MS);
      moving.turn(MOVE_DPS, FOOT_DT_MS);
      steady.stand(STANDING_MS - FOOT_DT_MS);
    }
    expect(moving.t_ms).toBe(steady.t_ms);
    expect(moving.t_ms).toBeGreaterThan(LONG_STAND_MS);
    moving.stand(STANDING_MS - 2 * FOOT_DT_MS);
    steady.stand(STANDING_MS - 2 * FOOT_DT_MS);
    moving.turn(PROBE_DPS, FOOT_DT_MS);
    steady.turn(PROBE_DPS, FOOT_DT_MS);
    expect(moving.engine.quietFor_ms()).toBe(0);
    expect(steady.engine.quietFor_ms()).toBeGreaterThan(0);
  });

  // breaks it: resetMotion setting ogx = ogy = ogz = 0
  it('is kept across a gap over MAX_SAMPLE_GAP_MS (which restarts the motion, not what was learnt)', () => {
    const foot = createFoot({ bias_dps: [0, 0, BIAS_DPS] });
    foot.stand(LONG_STAND_MS);
    foot.gap(MAX_SAMPLE_GAP_MS + 1);
    foot.stand(2 * FOOT_DT_MS);
    foot.turn(PROBE_DPS, FOOT_DT_MS);
    expect(foot.engine.quietFor_ms()).toBeGreaterThan(0);
  });
});
