/**
 * Stage: sensor self-calibration. What this accelerometer reads at rest
 * (|acc|^2, g^2), learnt while the foot stands still: a real sensor reads
 * 0.94-1.10 g at rest (scale and zero-g offset; voisard sensors 1.04-1.10,
 * gaitmap 0.975, LSM6DS3 +-40 mg per axis), and the calmness test compares
 * |acc| with what the sensor reads at rest, not with 1 g. It starts at 1
 * (REST_START_G2) until anything is learnt.
 *
 * A pure function of the level so far: the engine keeps the level (one
 * number), so this stage holds no state and costs the pod no closure.
 */
import { REST_LEARN_S } from './constants.js';

/** What the sensor is taken to read at rest before anything is learnt (g^2). */
export const REST_START_G2 = 1;

/**
 * A sample at rest: |acc|^2 (g^2), dt_s since the last sample, g2 the level so far. Returns the level now:
 * an exponential average with time constant REST_LEARN_S (so the same time to learn at any sample rate).
 */
export function restLevel(g2: number, a2: number, dt_s: number): number {
  const k = dt_s / REST_LEARN_S;
  return g2 + (a2 - g2) * (k < 1 ? k : 1);
}
