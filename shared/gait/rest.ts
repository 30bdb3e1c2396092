/**
 * Stage: sensor self-calibration. What this accelerometer reads at rest
 * (|acc|^2, g^2), learnt while the foot stands still: a real sensor reads
 * 0.94-1.10 g at rest (scale and zero-g offset; voisard sensors 1.04-1.10,
 * gaitmap 0.975, LSM6DS3 +-40 mg per axis), and the calmness test compares
 * |acc| with what the sensor reads at rest, not with 1 g. It starts at 1
 * (REST_START_G2) until anything is learnt.
 *
 * The engine keeps the level (one number) and moves it at each sample at
 * rest (turning under STILL_DPS, its force changing under REST_ACC_CHANGE_G:
 * |acc| itself is what is learnt) by an exponential average with time
 * constant REST_LEARN_S, so the same time to learn at any sample rate:
 * level += (|acc|^2 - level) x dt x REST_WEIGHT_PER_MS. The engine writes
 * that line out in its per-sample path instead of calling a function: the
 * call cost the pod 0.3 reference loops a sample, 38% of walking samples
 * being at rest (docs/decisions.md, "The rest level learnt in line"). One
 * sample's weight stays under 1 (it never carries the level past the
 * reading): the engine restarts after a gap over MAX_SAMPLE_GAP_MS.
 */
import { REST_LEARN_S } from './constants.js';

/** What the sensor is taken to read at rest before anything is learnt (g^2). */
export const REST_START_G2 = 1;

/** A sample at rest weighs this much in the level per ms since the last sample (1 / REST_LEARN_S, in ms). */
export const REST_WEIGHT_PER_MS = 1 / (REST_LEARN_S * 1000);
