/**
 * Stage: the step decision. Given what a landed stride measured (strapdown)
 * and how its swing went, is it a step? One place for every "this motion is
 * not walking" rule, each a physical property of a step (constants.ts says
 * why each value):
 *  - the swing lasted like a swing and turned the foot like one (or lifted it and carried it past a short step);
 *  - the foot came back to the ground: its up axis is up again (that it feels gravity alone is asked where the engine finds the landing);
 *  - it moved to a new place (or turned there, a pivot step with a push-off and a landing, not a spin on the floor), not too far;
 *  - on level ground (a stair pair rises a third of a metre, and a foot climbing it is lifted that high);
 *  - a short step lifted the foot, and one from a stance that never came to rest swung it (a sliding foot does neither).
 * The order decides which reason is reported, and with it what stepInWalk may still take in a walk (a swing
 * rule's refusal only): a slow swing is asked before whether the foot moved MIN_STEP_M, so in a walk a slow
 * swing that moved it IN_WALK_MIN_M is a step.
 */
import { CLEAR_STEP_M, FLOOR_TURN_SPREAD_G, IN_WALK_MIN_M, MAX_POSE_TILT_DEG, MAX_RISE_M, MAX_STEP_M, MIN_LIFT_M, MIN_STEP_M, MIN_SWING_MS, MIN_TURN_DEG, PIVOT_MIN_LIFT_M, SPIN_RADIUS_M, STAIR_MIN_SLOPE, STEP_SWING_DPS, SWING_DPS, UNSURE_START_DPS } from './constants.js';
import { ACC_SPREAD_G, LIFT_M, PEAK_DPS, RISE_M, START_DPS, SWING_MS, TILT_DEG, TRAVEL_M, TURN_DEG } from './stride.js';

export const STEP = 0;
export const NOT_SWING_SHORT = 1;
export const NOT_TILTED = 2;
export const NOT_SLOW_SWING = 3;
export const NOT_MOVED = 4;
export const NOT_TOO_FAR = 5;
export const NOT_STAIR = 6;
/** A short step that did not lift the foot, or a stride from a stance that never came to rest that did not swing like a step (UNSURE_START_DPS): both what a sliding foot does. */
export const NOT_LIFTED = 7;
/** A step: refused by how it swung, but within a walk (stepInWalk; the engine decides it, not judgeStride). */
export const STEP_IN_WALK = 8;

/** What was decided of a stride, step or why not (index by the code above): for replay and the bench. */
export const DECISION_NAMES = ['step', 'swing too short', 'foot not back on the ground', 'swing too slow', 'foot did not move', 'too far for a step', 'stair', 'short step that did not swing (slid)', 'step (in a walk: slid or swung slowly)'];

/** s: the stride's record (stride.ts); it is only read. */
export function judgeStride(s: Float64Array): number {
  if (s[SWING_MS] < MIN_SWING_MS) return NOT_SWING_SHORT;
  if (s[TILT_DEG] > MAX_POSE_TILT_DEG) return NOT_TILTED;
  return judgeMotion(s);
}

/** The rules after the foot is back on the ground: how it swung and where it went. */
function judgeMotion(s: Float64Array): number {
  const peak = s[PEAK_DPS], travel = s[TRAVEL_M], rise = s[RISE_M];
  // (a slow swing that lifted the foot and carried it past the short-step range is a step all the same: at 26 Hz
  // the swing's peak falls between samples; a sliding or fidgeting foot does neither)
  if (peak < SWING_DPS && (travel < CLEAR_STEP_M || s[LIFT_M] < MIN_LIFT_M)) return NOT_SLOW_SWING;
  const turned = s[TURN_DEG] >= MIN_TURN_DEG;
  // (shorter than a step, a turned foot is a pivot step if it left the floor: its sensor felt more than gravity,
  // a push-off and a landing; how high it lifted was asked too until 2026-12-05, and no recording needed it)
  if (travel < MIN_STEP_M && (!turned || s[ACC_SPREAD_G] < FLOOR_TURN_SPREAD_G)) return NOT_MOVED;
  // (a turned foot that stayed on the floor and moved the sensor no further than a turn about a point under the
  // foot does (the chord 2 r sin(turn / 2)) spun there: whatever its travel, not a step)
  if (turned && s[LIFT_M] < PIVOT_MIN_LIFT_M && travel < 2 * SPIN_RADIUS_M * Math.sin((s[TURN_DEG] * Math.PI) / 360)) return NOT_MOVED;
  if (travel > MAX_STEP_M) return NOT_TOO_FAR;
  // (up a stair the foot is lifted over it: a stride read as rising MAX_RISE_M whose path never rose that high is a
  // level one, its rise the integration's error, as a zero-g offset turned with the foot leaves it: decisions.md,
  // "A stair climbs", issue 19, nineteenth session)
  if (((rise > MAX_RISE_M && s[LIFT_M] >= MAX_RISE_M) || rise < -MAX_RISE_M) && (rise > STAIR_MIN_SLOPE * travel || rise < -STAIR_MIN_SLOPE * travel)) return NOT_STAIR;
  if (travel < CLEAR_STEP_M && s[LIFT_M] < MIN_LIFT_M && !turned) return NOT_LIFTED;
  // a stride from a stance that never came to rest measured its travel from a moving foot: it must have swung like a step
  if (s[START_DPS] > UNSURE_START_DPS && peak < STEP_SWING_DPS) return NOT_LIFTED;
  return STEP;
}

/**
 * In a walk, a stride refused for how it swung (too slowly, a short step that slid, or a slow swing
 * from a stance that never came to rest: the first rule it failed, see the order above) that moved the foot
 * IN_WALK_MIN_M is a step all the same:
 * STEP_IN_WALK. Those rules are there to refuse what a foot does when it is not walking (a fidget, a
 * shuffle); within a walk the stride is most likely a step, and what they refused there was: the last step
 * into standing, slid beside the other foot (voisard), and a U-turn step swung slowly from a rolling stance
 * (gaitmap 4 x 10 m, lifted 13-23 cm). The engine asks only while a walk goes on, and once until the next
 * step: a shuffle that goes on after a walk gets one slide counted at most. (A stride refused for the force
 * at its end being off gravity was a step here too, until that rule went: docs/decisions.md, "Rules no
 * recording needs, taken out".)
 */
export function stepInWalk(s: Float64Array, verdict: number): boolean {
  return (verdict === NOT_SLOW_SWING || verdict === NOT_LIFTED) && s[TRAVEL_M] >= IN_WALK_MIN_M;
}
