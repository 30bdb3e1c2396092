/**
 * The stride's one record: what the strapdown measured when it folded the
 * stride (strapdown.ts), what the engine saw of its swing (engine.ts); the
 * step decision (decision.ts) judges it and the mount (mount.ts) learns from
 * it; it also carries the sample being processed. One Float64Array with
 * named slots, not an object: on the pod its 20 numbers cost ~15 variables,
 * as an object's fields ~40 (variables are 16-byte blocks; a typed array is
 * one block plus its bytes).
 */

// measured by the strapdown (fold; peek fills TRAVEL_M, RISE_M, LIFT_M, ALONG and TURN_DEG, slide all but TURN_DEG)
/** horizontal travel (m) and height change (m, up +) from the start stance, in the start's gravity */
export const TRAVEL_M = 0;
export const RISE_M = 1;
/** how far the foot turned from the start stance (deg, any axis: at a flat stance this is the turn about the vertical) */
export const TURN_DEG = 2;
/**
 * How far the foot's own up axis turned from the start (deg): a foot back on the ground, turned about
 * the vertical only, is back within a few degrees; a shoe set down on its side, 90.
 */
export const TILT_DEG = 3;
/**
 * how far |acc| ranged over the swing, from its start to the landing the engine found: highest less lowest,
 * divided by what the sensor reads at rest (~g; a gain error does not move it). A jolt after a landing found
 * soft (the foot slowed down first) is not in it. Seen by the engine.
 */
export const ACC_SPREAD_G = 4;
/** highest point of the swing above the start (m) */
export const LIFT_M = 5;
/** unit gravity (up) at the start stance, sensor frame at the start: UP, UP + 1, UP + 2 (x, y, z) */
export const UP = 6;
/** the unit horizontal travel direction, same frame: ALONG .. ALONG + 2 */
export const ALONG = 9;
// seen by the engine
/** how long the swing lasted (ms) and its fastest turn (dps) */
export const SWING_MS = 12;
export const PEAK_DPS = 13;
/** the toe's pitch at the landing (deg, toe up +) */
export const PITCH_DEG = 14;
/** how calm the stance the stride started from was (calmness, dps: constants.ts CALM_DPS_PER_G) */
export const START_DPS = 15;
/**
 * The sample being processed: its time (ms) and force (g, sensor frame), written by the engine only before
 * a stage that reads them runs (the strapdown's reference, fold and slide; the mount as a stride is judged):
 * the engine keeps the last sample in closure variables, as slots written and read on every sample cost
 * the pod 0.81 reference loops a sample (docs/decisions.md, "The last sample in closure variables, not the
 * record"). The stages read them from here instead of taking them as
 * parameters (on the pod every parameter of every function is a variable).
 */
export const SAMPLE_T = 16, SAMPLE_AX = 17, SAMPLE_AY = 18, SAMPLE_AZ = 19;
const STRIDE_SLOTS = 20;

/** The stride's figures by name (the host's view of a record: replay, the bench, tests). */
export interface StrideFeatures {
  swing_ms: number;
  peak_dps: number;
  travel_m: number;
  rise_m: number;
  turn_deg: number;
  tilt_deg: number;
  lift_m: number;
  pitch_deg: number;
  start_dps: number;
  accSpread_g: number;
}

/** ...and with the directions, as the strapdown measured them. */
export interface StrideMeasures extends StrideFeatures {
  up: Float64Array;
  along: Float64Array;
}

export function newStride(): Float64Array {
  return new Float64Array(STRIDE_SLOTS);
}

/** A record from named figures (host and tests; unnamed ones 0, but accSpread_g 1: a swing that pushed off and landed; up and along 0 unless given). */
export function strideOf(f: Partial<StrideFeatures> & { up?: ArrayLike<number>; along?: ArrayLike<number> }): Float64Array {
  const s = newStride();
  s[TRAVEL_M] = f.travel_m || 0;
  s[RISE_M] = f.rise_m || 0;
  s[TURN_DEG] = f.turn_deg || 0;
  s[TILT_DEG] = f.tilt_deg || 0;
  s[LIFT_M] = f.lift_m || 0;
  s[SWING_MS] = f.swing_ms || 0;
  s[PEAK_DPS] = f.peak_dps || 0;
  s[PITCH_DEG] = f.pitch_deg || 0;
  s[START_DPS] = f.start_dps || 0;
  s[ACC_SPREAD_G] = f.accSpread_g === undefined ? 1 : f.accSpread_g;
  for (let i = 0; i < 3; i++) {
    s[UP + i] = f.up ? f.up[i] : 0;
    s[ALONG + i] = f.along ? f.along[i] : 0;
  }
  return s;
}

/** A record's figures by name (host and tests). */
export function measuresOf(s: Float64Array): StrideMeasures {
  return {
    swing_ms: s[SWING_MS],
    peak_dps: s[PEAK_DPS],
    travel_m: s[TRAVEL_M],
    rise_m: s[RISE_M],
    turn_deg: s[TURN_DEG],
    tilt_deg: s[TILT_DEG],
    lift_m: s[LIFT_M],
    pitch_deg: s[PITCH_DEG],
    start_dps: s[START_DPS],
    accSpread_g: s[ACC_SPREAD_G],
    up: new Float64Array(s.subarray(UP, UP + 3)),
    along: new Float64Array(s.subarray(ALONG, ALONG + 3)),
  };
}
