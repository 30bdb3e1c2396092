/**
 * Stage: walks and bouts. Steps are counted at once within a walk; a walk
 * starts with WALK_CONFIRM_STEPS steps in a row at walking pace, held and
 * then counted together (backdated to their own contacts), so a lone
 * step-like motion (a foot tapped, a shoe put on) counts nothing while the
 * first step of every real walk still counts. Also: bout start and end, and
 * cadence.
 */
import { BOUT_GAP_MS, CADENCE_SMOOTHING, WALK_CONFIRM_STEPS, WALK_GAP_MS } from './constants.js';

/** Receives counted steps and bout edges. */
export interface WalkOutput {
  step(t_ms: number, stride_m: number, direction: number, pitch_deg: number, cadence_spm: number): void;
  boutStart(t_ms: number): void;
  boutEnd(t_ms: number): void;
}

export interface Walk {
  /** A step: counted now within a walk, else held until the walk is confirmed. */
  step(t_ms: number, stride_m: number, direction: number, pitch_deg: number): void;
  /** Time passes (each sample): a bout ends after BOUT_GAP_MS without a step. */
  tick(t_ms: number): void;
  /** Is a step landing at t_ms part of the walk in progress? */
  inWalk(t_ms: number): boolean;
}

const HELD_MAX = WALK_CONFIRM_STEPS;
/** Stride periods longer than this are pauses, not cadence (ms). */
const MAX_STRIDE_PERIOD_MS = WALK_GAP_MS;

export function createWalk(out: WalkOutput): Walk {
  const heldT = new Float64Array(HELD_MAX), heldM = new Float64Array(HELD_MAX), heldP = new Float64Array(HELD_MAX);
  const heldD = new Int8Array(HELD_MAX);
  let heldN = 0;
  let last = -1, inBout = false, period = 0;

  function count(t: number, m: number, d: number, p: number): void {
    if (last >= 0) {
      const gap = t - last;
      if (gap > 0 && gap <= MAX_STRIDE_PERIOD_MS) period = period > 0 ? period + CADENCE_SMOOTHING * (gap - period) : gap;
    }
    if (!inBout) {
      inBout = true;
      period = 0;
      out.boutStart(t);
    }
    last = t;
    out.step(t, m, d, p, period > 0 ? 120000 / period : 0);
  }

  function put(t: number, m: number, d: number, p: number): void {
    if (heldN === 0 || t - heldT[heldN - 1] > WALK_GAP_MS || heldN === HELD_MAX) heldN = 0;
    heldT[heldN] = t; heldM[heldN] = m; heldD[heldN] = d; heldP[heldN] = p;
    heldN++;
  }

  function release(): void {
    for (let i = 0; i < heldN; i++) count(heldT[i], heldM[i], heldD[i], heldP[i]);
    heldN = 0;
  }

  return {
    step: function (t, m, d, p) {
      if (last >= 0 && t - last <= WALK_GAP_MS) {
        heldN = 0;
        count(t, m, d, p);
        return;
      }
      put(t, m, d, p);
      if (heldN >= WALK_CONFIRM_STEPS) release();
    },
    tick: function (t) {
      if (inBout && t - last > BOUT_GAP_MS) {
        inBout = false;
        out.boutEnd(last);
      }
    },
    inWalk: function (t) {
      return last >= 0 && t - last <= WALK_GAP_MS;
    },
  };
}
