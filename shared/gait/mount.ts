/**
 * Stage: mount learning. How the pod sits on the shoe: up (gravity at a
 * walking stance) and the toe axis, both in the sensor frame. Learnt from a
 * run of strides from one pose at walking pace travelling one way (taken as
 * forward: the user is asked to walk forward first), and learnt again when
 * strides keep travelling off the toe axis (the pod was turned on the shoe)
 * or keep starting from another pose (it was moved).
 */
import { FIT_DEG, RUN_STRIDES, SAME_POSE_DEG, STALE_DEG, TOE_AGREE_DEG, TOE_STRIDE_M, WALK_GAP_MS } from './constants.js';
import { DIR_BACKWARD, DIR_FORWARD } from './contact.js';

/** Calibration states (same numbers as the protocol's CAL_*). */
export const CAL_NONE = 0;
export const CAL_GRAVITY = 1;
export const CAL_DONE = 2;
export const CAL_STALE = 3;

/** addToRun's answers. */
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
  /** Does a stride from a stance with this unit up fit the mount? */
  fits(up: Float64Array): boolean;
  /**
   * A fitting stride's direction from its unit horizontal travel direction (sensor frame). Strides long
   * enough and not turning also check the toe axis still fits (RUN_STRIDES off it in a row: stale).
   */
  direction(along: Float64Array, travel_m: number, turning: boolean, t_ms: number): number;
  /** Direction along the toe axis of a unit horizontal travel direction (no stale check). */
  along(along: Float64Array): number;
  /** A stride that does not fit (or no mount yet): does it continue a run from one pose? RUN_* */
  addToRun(up: Float64Array, along: Float64Array, travel_m: number, turning: boolean, t_ms: number): number;
  /** The standing pose was seen (a long still): CAL_GRAVITY while nothing better is known. */
  sawStanding(t_ms: number): void;
  /** The toe axis (sensor frame) once calibrated, else null. */
  toe(): Float64Array | null;
  get(): Calibration | null;
  set(c: Calibration | null): void;
}

const FIT_COS = Math.cos((FIT_DEG * Math.PI) / 180);
const SAME_COS = Math.cos((SAME_POSE_DEG * Math.PI) / 180);
const AGREE_COS = Math.cos((TOE_AGREE_DEG * Math.PI) / 180);
const STALE_COS = Math.cos((STALE_DEG * Math.PI) / 180);

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** onState: the calibration state changed (to the new state, at t_ms). */
export function createMount(onState: (state: number, t_ms: number) => void): Mount {
  let cal = CAL_NONE;
  const up = new Float64Array([0, 0, 1]), toe = new Float64Array([1, 0, 0]);
  // the run of strides from one pose: its up, the sum of its travel directions, its length, its last stride
  const runUp = new Float64Array(3), toeSum = new Float64Array(3);
  let runN = 0, runT = -1, staleN = 0;

  function setState(s: number, t: number): void {
    if (cal === s) return;
    cal = s;
    onState(s, t);
  }

  function learn(t: number): void {
    const n = Math.sqrt(dot(runUp, runUp));
    up[0] = runUp[0] / n; up[1] = runUp[1] / n; up[2] = runUp[2] / n;
    const d = dot(toeSum, up);
    const x = toeSum[0] - d * up[0], y = toeSum[1] - d * up[1], z = toeSum[2] - d * up[2];
    const m = Math.sqrt(x * x + y * y + z * z);
    toe[0] = x / m; toe[1] = y / m; toe[2] = z / m;
    staleN = 0;
    runN = 0;
    // (a new mount is news even when the old one was still taken as fitting: the pod saves it)
    cal = CAL_DONE;
    onState(CAL_DONE, t);
  }

  return {
    state: function () {
      return cal;
    },
    fits: function (u: Float64Array) {
      return cal === CAL_DONE && dot(u, up) >= FIT_COS;
    },
    direction: function (along: Float64Array, travel_m: number, turning: boolean, t: number) {
      const c = dot(along, toe);
      if (travel_m >= TOE_STRIDE_M && !turning) {
        staleN = (c < 0 ? -c : c) < STALE_COS ? staleN + 1 : 0;
        if (staleN >= RUN_STRIDES) {
          staleN = 0;
          runN = 0;
          setState(CAL_STALE, t);
        }
      }
      return c >= 0 ? DIR_FORWARD : DIR_BACKWARD;
    },
    along: function (along: Float64Array) {
      return dot(along, toe) >= 0 ? DIR_FORWARD : DIR_BACKWARD;
    },
    addToRun: function (u: Float64Array, along: Float64Array, travel_m: number, turning: boolean, t: number) {
      const tells = travel_m >= TOE_STRIDE_M && !turning;
      const sum = Math.sqrt(dot(toeSum, toeSum));
      const same = runN > 0 && t - runT <= WALK_GAP_MS && dot(u, runUp) >= SAME_COS && (!tells || sum === 0 || dot(along, toeSum) >= AGREE_COS * sum);
      let answer = RUN_GROWING;
      if (!same) {
        runN = 0;
        runUp[0] = u[0]; runUp[1] = u[1]; runUp[2] = u[2];
        toeSum[0] = toeSum[1] = toeSum[2] = 0;
        answer = RUN_NEW;
      }
      runN++;
      runT = t;
      if (tells) {
        toeSum[0] += along[0]; toeSum[1] += along[1]; toeSum[2] += along[2];
      }
      if (runN < RUN_STRIDES || dot(toeSum, toeSum) === 0) return answer;
      learn(t);
      return RUN_LEARNT;
    },
    sawStanding: function (t: number) {
      if (cal === CAL_NONE) setState(CAL_GRAVITY, t);
    },
    toe: function () {
      return cal === CAL_DONE ? toe : null;
    },
    get: function () {
      return cal === CAL_DONE ? { up: [up[0], up[1], up[2]], toe: [toe[0], toe[1], toe[2]] } : null;
    },
    set: function (c: Calibration | null) {
      if (c === null) {
        cal = CAL_NONE;
        runN = 0;
        return;
      }
      up[0] = c.up[0]; up[1] = c.up[1]; up[2] = c.up[2];
      toe[0] = c.toe[0]; toe[1] = c.toe[1]; toe[2] = c.toe[2];
      staleN = 0;
      cal = CAL_DONE;
    },
  };
}
