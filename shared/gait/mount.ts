/**
 * Stage: mount learning. How the pod sits on the shoe: up (gravity at a
 * walking stance) and the toe axis, both in the sensor frame. Learnt from a
 * run of strides from one pose at walking pace travelling one way (taken as
 * forward: the user is asked to walk forward first), and learnt again when
 * strides keep travelling off the toe axis (the pod was turned on the shoe)
 * or keep starting from another pose (it was moved).
 *
 * A stride comes in the stride's record (stride.ts), which the mount is given
 * once: its UP, ALONG, TRAVEL_M, TURN_DEG, and SAMPLE_T (when it is judged).
 * Pod code: the state is one Float64Array with named slots, and the record
 * is read where it is, not passed (on the pod each parameter is a variable).
 */
import { ALONG_DEG, CLEAR_STEP_M, FIT_DEG, MIN_TURN_DEG, RUN_STRIDES, WALK_GAP_MS } from './constants.js';
import { DIR_BACKWARD, DIR_FORWARD } from './contact.js';
import { ALONG, SAMPLE_T, TRAVEL_M, TURN_DEG, UP } from './stride.js';
import { sqrt } from '../math.js';

/** Calibration states (same numbers as the protocol's CAL_*). */
export const CAL_NONE = 0;
export const CAL_GRAVITY = 1;
export const CAL_DONE = 2;
export const CAL_STALE = 3;

/** addToRun's answers (the engine does not read them: a stride counts whatever the run does; the tests do). */
export const RUN_NEW = 0;
export const RUN_GROWING = 1;
export const RUN_LEARNT = 2;

export interface Calibration {
  /** unit vector: gravity reaction (up) in the sensor frame while the foot is flat */
  up: number[];
  /** unit vector: the toe direction in the sensor frame, perpendicular to up */
  toe: number[];
}

export interface Mount {
  state(): number;
  /** Does the stride start from a stance with an up that fits the mount? */
  fits(): boolean;
  /**
   * A fitting stride's direction along the toe axis. Strides long enough and not turning also check the
   * toe axis still fits (RUN_STRIDES off it in a row: stale).
   */
  direction(): number;
  /** A stride that does not fit (or no mount yet): does it continue a run from one pose? RUN_* */
  addToRun(): number;
  /** The standing pose was seen (a long still, at t_ms): CAL_GRAVITY while nothing better is known. */
  sawStanding(t_ms: number): void;
  /** The toe axis (sensor frame) once calibrated, else null. */
  toe(): Float64Array | null;
  get(): Calibration | null;
  set(c: Calibration | null): void;
}

// the state's slots
/** the mount's up and toe axis; the run of strides from one pose: its up and the sum of its travel directions (x, y, z each) */
const UP_X = 0, TOE = 3, RUN_UP = 6, TOE_SUM = 9;
/** CAL_* now; the run's length and its last stride (ms); strides in a row off the toe axis */
const CAL = 12, RUN_N = 13, RUN_T = 14, STALE_N = 15;
const SLOTS = 16;
// (the borders as cosines, worked out once: FIT_DEG for a pose that fits, ALONG_DEG for a stride along the toe
// axis. Two variables the pod holds for good, for 32 B less in a bundle at its size budget: they were worked
// out where used until 2026-12-05, decisions.md "A step set down without a swing")
const COS_FIT = Math.cos((FIT_DEG * Math.PI) / 180);
export const COS_ALONG = Math.cos((ALONG_DEG * Math.PI) / 180);

/** s: the stride's record; onState: the calibration state changed (to the new state, at t_ms). */
export function createMount(s: Float64Array, onState: (state: number, t_ms: number) => void): Mount {
  const M = new Float64Array(SLOTS);
  M[UP_X + 2] = 1;
  M[RUN_T] = -1;
  M[TOE] = 1;
  // what toe() hands out: a view of the toe axis's slots (the same memory)
  const toe = M.subarray(TOE, TOE + 3);

  /** a . M, for three slots of a from ia and of the state from ib */
  function dot(a: Float64Array, ia: number, ib: number): number {
    return a[ia] * M[ib] + a[ia + 1] * M[ib + 1] + a[ia + 2] * M[ib + 2];
  }

  return {
    state: function () {
      return M[CAL];
    },
    fits: function () {
      return M[CAL] === CAL_DONE && dot(s, UP, UP_X) >= COS_FIT;
    },
    direction: function () {
      const c = dot(s, ALONG, TOE);
      if (s[TRAVEL_M] >= CLEAR_STEP_M && s[TURN_DEG] < MIN_TURN_DEG) {
        M[STALE_N] = (c < 0 ? -c : c) < COS_ALONG ? M[STALE_N] + 1 : 0;
        if (M[STALE_N] >= RUN_STRIDES) {
          M[STALE_N] = 0;
          M[RUN_N] = 0;
          if (M[CAL] !== CAL_STALE) {
            M[CAL] = CAL_STALE;
            onState(CAL_STALE, s[SAMPLE_T]);
          }
        }
      }
      return c >= 0 ? DIR_FORWARD : DIR_BACKWARD;
    },
    addToRun: function () {
      const t_ms = s[SAMPLE_T];
      const tells = s[TRAVEL_M] >= CLEAR_STEP_M && s[TURN_DEG] < MIN_TURN_DEG;
      const sum = sqrt(dot(M, TOE_SUM, TOE_SUM));
      const same = M[RUN_N] > 0 && t_ms - M[RUN_T] <= WALK_GAP_MS && dot(s, UP, RUN_UP) >= COS_FIT && (!tells || sum === 0 || dot(s, ALONG, TOE_SUM) >= COS_ALONG * sum);
      let answer = RUN_GROWING;
      if (!same) {
        M[RUN_N] = 0;
        M[RUN_UP] = s[UP]; M[RUN_UP + 1] = s[UP + 1]; M[RUN_UP + 2] = s[UP + 2];
        M[TOE_SUM] = M[TOE_SUM + 1] = M[TOE_SUM + 2] = 0;
        answer = RUN_NEW;
      }
      M[RUN_N]++;
      M[RUN_T] = t_ms;
      if (tells) {
        M[TOE_SUM] += s[ALONG]; M[TOE_SUM + 1] += s[ALONG + 1]; M[TOE_SUM + 2] += s[ALONG + 2];
      }
      if (M[RUN_N] < RUN_STRIDES || dot(M, TOE_SUM, TOE_SUM) === 0) return answer;
      // learnt: up from the run's first stance, the toe axis its travel made level
      const n = sqrt(dot(M, RUN_UP, RUN_UP));
      M[UP_X] = M[RUN_UP] / n; M[UP_X + 1] = M[RUN_UP + 1] / n; M[UP_X + 2] = M[RUN_UP + 2] / n;
      const d = dot(M, TOE_SUM, UP_X);
      const x = M[TOE_SUM] - d * M[UP_X], y = M[TOE_SUM + 1] - d * M[UP_X + 1], z = M[TOE_SUM + 2] - d * M[UP_X + 2];
      const m = sqrt(x * x + y * y + z * z);
      M[TOE] = x / m; M[TOE + 1] = y / m; M[TOE + 2] = z / m;
      M[STALE_N] = 0;
      M[RUN_N] = 0;
      // (a new mount is news even when the old one was still taken as fitting: the pod saves it)
      M[CAL] = CAL_DONE;
      onState(CAL_DONE, t_ms);
      return RUN_LEARNT;
    },
    sawStanding: function (t_ms) {
      if (M[CAL] !== CAL_NONE) return;
      M[CAL] = CAL_GRAVITY;
      onState(CAL_GRAVITY, t_ms);
    },
    toe: function () {
      return M[CAL] === CAL_DONE ? toe : null;
    },
    get: function () {
      return M[CAL] === CAL_DONE ? { up: [M[UP_X], M[UP_X + 1], M[UP_X + 2]], toe: [M[TOE], M[TOE + 1], M[TOE + 2]] } : null;
    },
    set: function (c) {
      if (c === null) {
        M[CAL] = CAL_NONE;
        M[RUN_N] = 0;
        return;
      }
      M[UP_X] = c.up[0]; M[UP_X + 1] = c.up[1]; M[UP_X + 2] = c.up[2];
      M[TOE] = c.toe[0]; M[TOE + 1] = c.toe[1]; M[TOE + 2] = c.toe[2];
      M[STALE_N] = 0;
      M[CAL] = CAL_DONE;
    },
  };
}
