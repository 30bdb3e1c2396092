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
  step(t_ms: number, stride_m: number, direction: number, pitch_deg: number, cadence_spm: number, sure: boolean): void;
  boutStart(t_ms: number): void;
  boutEnd(t_ms: number): void;
  /** A step is held (its walk not confirmed yet) while a bout is on: the bout's end is due later. */
  held(t_ms: number): void;
}

export interface Walk {
  /** A step (sure: its direction came from a mount it fits): counted now within a walk, else held until the walk is confirmed. */
  step(t_ms: number, stride_m: number, direction: number, pitch_deg: number, sure: boolean): void;
  /** Time passes: a bout ends BOUT_GAP_MS after its last step (held steps included). Returns when to ask again (ms; Infinity: no bout). */
  tick(t_ms: number): number;
  /** Is a step landing at t_ms part of the walk in progress? */
  inWalk(t_ms: number): boolean;
}

const HELD_MAX = WALK_CONFIRM_STEPS;
/** Stride periods longer than this are pauses, not cadence (ms). */
const MAX_STRIDE_PERIOD_MS = WALK_GAP_MS;

export function createWalk(out: WalkOutput): Walk {
  const heldT = new Float64Array(HELD_MAX), heldM = new Float64Array(HELD_MAX), heldP = new Float64Array(HELD_MAX);
  const heldD = new Int8Array(HELD_MAX), heldS = new Int8Array(HELD_MAX);
  let heldN = 0;
  let last = -1, inBout = false, period = 0;

  function count(t: number, m: number, d: number, p: number, s: boolean): void {
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
    out.step(t, m, d, p, period > 0 ? 120000 / period : 0, s);
  }

  function put(t: number, m: number, d: number, p: number, s: boolean): void {
    if (heldN === 0 || t - heldT[heldN - 1] > WALK_GAP_MS || heldN === HELD_MAX) heldN = 0;
    heldT[heldN] = t; heldM[heldN] = m; heldD[heldN] = d; heldP[heldN] = p; heldS[heldN] = s ? 1 : 0;
    heldN++;
  }

  function release(): void {
    for (let i = 0; i < heldN; i++) count(heldT[i], heldM[i], heldD[i], heldP[i], heldS[i] === 1);
    heldN = 0;
  }

  return {
    step: function (t, m, d, p, s) {
      if (last >= 0 && t - last <= WALK_GAP_MS) {
        heldN = 0;
        count(t, m, d, p, s);
        return;
      }
      put(t, m, d, p, s);
      if (heldN >= WALK_CONFIRM_STEPS) release();
      else if (inBout) out.held(t);
    },
    tick: function (t) {
      // (a step held for its walk to be confirmed keeps the bout going: it counts once the next one comes)
      const latest = heldN > 0 && heldT[heldN - 1] > last ? heldT[heldN - 1] : last;
      if (inBout && t - latest > BOUT_GAP_MS) {
        inBout = false;
        out.boutEnd(last);
      }
      return inBout ? latest + BOUT_GAP_MS : Infinity;
    },
    inWalk: function (t) {
      return last >= 0 && t - last <= WALK_GAP_MS;
    },
  };
}
