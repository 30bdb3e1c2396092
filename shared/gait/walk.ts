/**
 * Stage: walks and bouts. Steps are counted at once within a walk; a walk
 * starts with WALK_CONFIRM_STEPS steps in a row at walking pace, held and
 * then counted together (backdated to their own contacts), so a lone
 * step-like motion (a foot tapped, a shoe put on) counts nothing while the
 * first step of every real walk still counts. Also: bout start and end, and
 * cadence.
 *
 * Pod code: the state is one Float64Array with named slots; what the walk
 * tells goes out through one function, as a fresh event object.
 */
import { BOUT_GAP_MS, CADENCE_SMOOTHING, UNSEEN_MAX_PERIODS, WALK_CONFIRM_STEPS, WALK_GAP_MS } from './constants.js';
import type { GaitEvent } from './engine.js';

/** What the walk tells (same numbers as the engine's EVENT_* for the first three). */
export const WALK_STEP = 1;
export const WALK_BOUT_START = 2;
export const WALK_BOUT_END = 3;
/** A step is held (its walk not confirmed yet) while a bout is on: the bout's end is due later. */
export const WALK_HELD = 0;

export interface Walk {
  /** A step (sure: its direction came from a mount it fits): counted now within a walk, else held until the walk is confirmed. */
  step(t_ms: number, stride_m: number, direction: number, pitch_deg: number, sure: boolean): void;
  /** Time passes: a bout ends BOUT_GAP_MS after its last step (held steps included). Returns when to ask again (ms; Infinity: no bout). */
  tick(t_ms: number): number;
  /** Is a step landing at t_ms part of the walk in progress? */
  inWalk(t_ms: number): boolean;
  /**
   * A stride the engine did not see swing landed by t_ms (it was under way when the engine started again: the
   * pod woke from idle on it; stride 0, unmeasured, and pitch 0, flat: nothing of it is judged), or one it saw
   * but could not call a step alone before any walk (refused for how it swung, or slid without a swing: the
   * engine's finish and slid, with what they measured). Counted with the first step counted after it, before
   * it, that step's direction, if that step lands within UNSEEN_MAX_PERIODS stride periods of it (the walk's
   * period, else WALK_GAP_MS); else forgotten.
   */
  unseen(t_ms: number, stride_m: number, pitch_deg: number): void;
}

const HELD_MAX = WALK_CONFIRM_STEPS;
/** Stride periods longer than this are pauses, not cadence (ms). */
const MAX_STRIDE_PERIOD_MS = WALK_GAP_MS;

// the state's slots: the held steps (time, stride, pitch, direction, sure: HELD_MAX each; a step counted at
// once passes through the first), how many are held; the last counted step (ms; -1: none), whether a bout
// is on (1/0), the smoothed stride period (ms)
const HELD_T = 0, HELD_M = HELD_T + HELD_MAX, HELD_P = HELD_M + HELD_MAX, HELD_D = HELD_P + HELD_MAX, HELD_S = HELD_D + HELD_MAX;
const HELD_N = HELD_S + HELD_MAX, LAST = HELD_N + 1, IN_BOUT = LAST + 1, PERIOD = IN_BOUT + 1;
/** an unseen stride's landing (ms; 0: none), stride (m) and pitch (deg): Walk.unseen */
const UNSEEN_T = PERIOD + 1, UNSEEN_M = UNSEEN_T + 1, UNSEEN_P = UNSEEN_M + 1;
const SLOTS = UNSEEN_P + 1;

/**
 * out: what the walk tells, as a fresh event (GaitEvent: a step, WALK_STEP, with its figures; a bout edge,
 * WALK_BOUT_START or WALK_BOUT_END, or a held step, WALK_HELD, with its time only), for the engine to
 * complete and pass on. (Fresh, not one kept for every event: on the pod a kept one would hold its ten
 * fields, 21 variables, between events.)
 */
export function createWalk(out: (e: GaitEvent) => void): Walk {
  const W = new Float64Array(SLOTS);
  W[LAST] = -1;

  /** A bout edge or a held step: the event with its time only. */
  function tell(type: number, t_ms: number): void {
    out({ type: type, t_ms: t_ms, direction: 0, first: 0, pitch_deg: 0, wrong: false, stride_m: 0, cadence_spm: 0, calibrated: false, cal_state: 0 });
  }

  /** Count a step: the walk's cadence, and its bout. */
  function count(t_ms: number, stride_m: number, dir: number, pitch_deg: number, sure: number): void {
    if (W[LAST] >= 0) {
      const gap = t_ms - W[LAST], period = W[PERIOD];
      if (gap > 0 && gap <= MAX_STRIDE_PERIOD_MS) W[PERIOD] = period > 0 ? period + CADENCE_SMOOTHING * (gap - period) : gap;
    }
    if (!W[IN_BOUT]) {
      W[IN_BOUT] = 1;
      W[PERIOD] = 0;
      tell(WALK_BOUT_START, t_ms);
    }
    W[LAST] = t_ms;
    // (first, wrong and cal_state are the engine's to fill in)
    out({ type: WALK_STEP, t_ms: t_ms, direction: dir, first: 0, pitch_deg: pitch_deg, wrong: false, stride_m: stride_m, cadence_spm: W[PERIOD] > 0 ? 120000 / W[PERIOD] : 0, calibrated: sure === 1, cal_state: 0 });
  }

  /**
   * Count the step in held slot i; an unseen stride before it (Walk.unseen), if it landed within
   * UNSEEN_MAX_PERIODS stride periods (period_ms) of it, first, the same way, with its own stride and pitch. (Only once
   * the walk is confirmed by steps seen: an unseen stride never confirms one, so a foot that moved as the pod
   * woke and then tapped once counts nothing.)
   */
  function countHeld(i: number, period_ms: number): void {
    const t_ms = W[HELD_T + i], dir = W[HELD_D + i], pitch_deg = W[HELD_P + i], sure = W[HELD_S + i];
    const unseen_ms = W[UNSEEN_T];
    if (unseen_ms > 0 && t_ms > unseen_ms) {
      W[UNSEEN_T] = 0;
      if (t_ms - unseen_ms <= (period_ms > 0 ? UNSEEN_MAX_PERIODS * period_ms : WALK_GAP_MS)) count(unseen_ms, W[UNSEEN_M], dir, W[UNSEEN_P], sure);
    }
    count(t_ms, W[HELD_M + i], dir, pitch_deg, sure);
  }

  function step(t_ms: number, stride_m: number, dir: number, pitch_deg: number, sure: boolean): void {
    // within a walk: counted now (through the first held slot: nothing is held within a walk)
    const now = W[LAST] >= 0 && t_ms - W[LAST] <= WALK_GAP_MS;
    // held: a new run of held steps unless this one follows the last held one at walking pace
    let n = W[HELD_N];
    if (now || n === 0 || t_ms - W[HELD_T + n - 1] > WALK_GAP_MS || n === HELD_MAX) n = 0;
    W[HELD_T + n] = t_ms; W[HELD_M + n] = stride_m; W[HELD_D + n] = dir; W[HELD_P + n] = pitch_deg; W[HELD_S + n] = sure ? 1 : 0;
    if (now) {
      W[HELD_N] = 0;
      countHeld(0, W[PERIOD]);
      return;
    }
    W[HELD_N] = ++n;
    if (n >= WALK_CONFIRM_STEPS) {
      // confirmed: every held step counts, each at its own time (the walk's period: its first two steps' gap)
      for (let i = 0; i < n; i++) countHeld(i, W[HELD_T + 1] - W[HELD_T]);
      W[HELD_N] = 0;
    } else if (W[IN_BOUT]) tell(WALK_HELD, t_ms);
  }

  return {
    step: step,
    unseen: function (t_ms, stride_m, pitch_deg) {
      W[UNSEEN_T] = t_ms;
      W[UNSEEN_M] = stride_m;
      W[UNSEEN_P] = pitch_deg;
    },
    tick: function (t_ms) {
      // (a step held for its walk to be confirmed keeps the bout going: it counts once the next one comes)
      const n = W[HELD_N], last = W[LAST];
      const latest = n > 0 && W[HELD_T + n - 1] > last ? W[HELD_T + n - 1] : last;
      if (W[IN_BOUT] && t_ms - latest > BOUT_GAP_MS) {
        W[IN_BOUT] = 0;
        tell(WALK_BOUT_END, last);
      }
      return W[IN_BOUT] ? latest + BOUT_GAP_MS : Infinity;
    },
    inWalk: function (t_ms) {
      return W[LAST] >= 0 && t_ms - W[LAST] <= WALK_GAP_MS;
    },
  };
}
