/**
 * The streaming gait engine: push one IMU sample (sensor frame, g and dps),
 * get ground contacts with direction and first-contact class. Runs unchanged
 * on the pod (ES5 after compilation; nothing allocated per sample) and on
 * the host.
 *
 * A chain of small stages, each in its own module with its own tests:
 *  1. sensor self-calibration (rest.ts): what the accelerometer reads at rest;
 *     and, while the foot stands, what the gyro reads at rest (here: standing);
 *  2. stance/swing segmentation (here, per sample): how calm each sample is
 *     (rotation, force off its rest level, force jumps), the calmest stance
 *     sample as the reference, the swing, its landing;
 *  3. swing strapdown (strapdown.ts): attitude, velocity and travel from the
 *     reference, folded at the next stance's calmest sample;
 *  4. step decision (decision.ts): is the landed stride a step at all (and, while a walk goes on, is one
 *     refused only for how it swung, a step all the same: stepInWalk);
 *  5. direction and first contact (contact.ts);
 *  6. mount learning (mount.ts), and walks and bouts (walk.ts).
 * The stride's one record (stride.ts) carries the stride's figures from stage to stage.
 * What each stage consumes and produces, the constants that govern it, its test file, and a stride's
 * states (NO_REF, STANCE, SWING, LANDED) with the function that moves it on: docs/engine.md.
 * Frames and signs: ../shared/DESIGN.md (beside the project). Thresholds and why: constants.ts. Units: times
 * in ms (last_ms: the last sample pushed, the one the stage functions are processing), forces in g, rates in
 * dps; a name ending in 2 is a square (calm_dps2, in dps^2; K2, SWING2: squared constants).
 *
 * Pod code, for Espruino's memory (16-byte variables: a closure variable
 * costs two, a typed-array slot 2/3 of one, every parameter of every
 * function one, every function two and every object one plus two a field)
 * and its speed (it reads the source as it runs: every token, name lookup
 * and typed-array access costs, untaken branches included): state in
 * Float64Arrays with named slots, except what the per-sample path reads and
 * writes on every sample; the stride's one record (stride.ts) carries the
 * sample to the stages and the stride's figures between them instead of
 * parameters and objects; stages are small closures with few methods;
 * events are fresh objects (per step, not per sample).
 */
import {
  BOUT_GAP_MS,
  CALM_DPS_PER_G,
  CALM_JUMP_MS2,
  DECIDE_MS,
  CLEAR_STEP_M,
  IMPACT_G,
  LANDING_JOLT_G,
  MAX_RISE_M,
  MAX_STEP_M,
  MAX_TILT_DEG,
  MIN_LIFT_M,
  LAND_SPEED_FRACTION,
  MAX_PRESWING_MS,
  MAX_SAMPLE_GAP_MS,
  MAX_SWING_MS,
  MIN_SWING_MS,
  MIN_TURN_DEG,
  QUIET_LANDING_MS,
  REST_ACC_CHANGE_G,
  GYRO_OFFSET_LEARN_S,
  STANDING_MS,
  ROLL_G,
  SETTLE_FRACTION,
  SETTLE_MAX_DPS,
  SLIDE_MIN_M,
  SOFT_SPEED_FRACTION,
  STILL_DPS,
  STEP_SWING_DPS,
  SWING_DPS,
  QUIET_DOWN_MS,
  UNSURE_START_DPS,
  V_TURN_RATIO,
} from './constants.js';
import { DIR_FORWARD, directionOf, firstContactOf, isWrongGait, WRONG_DEFAULT } from './contact.js';
import { judgeStride, STEP, STEP_IN_WALK, stepInWalk } from './decision.js';
import { CAL_DONE, type Calibration, COS_ALONG, createMount } from './mount.js';
import { REST_START_G2, REST_WEIGHT_PER_MS } from './rest.js';
import { createStrapdown } from './strapdown.js';
import { ACC_SPREAD_G, ALONG, LIFT_M, measuresOf, newStride, SAMPLE_AX, SAMPLE_AY, SAMPLE_AZ, SAMPLE_T, PEAK_DPS, PITCH_DEG, RISE_M, START_DPS, type StrideMeasures, SWING_MS, TRAVEL_M, TURN_DEG } from './stride.js';
import { createWalk, WALK_BOUT_END, WALK_BOUT_START, WALK_HELD } from './walk.js';
import { sqrt } from '../math.js';

export { CAL_DONE, CAL_STALE, type Calibration } from './mount.js';
export { DIR_BACKWARD, DIR_FORWARD, FIRST_HEEL, FIRST_TOE, WRONG_BACKWARD_FLAT, WRONG_BACKWARD_HEEL, WRONG_DEFAULT, WRONG_FORWARD_FLAT, WRONG_FORWARD_TOE } from './contact.js';

export const EVENT_CONTACT = 1;
export const EVENT_BOUT_START = 2;
export const EVENT_BOUT_END = 3;
export const EVENT_CALIBRATION = 4;

/**
 * One event: a fresh object each time (events come per step, not per sample;
 * one kept for every event would hold its ten fields, 21 variables, on the
 * pod between events).
 */
export interface GaitEvent {
  type: number; // EVENT_*
  /** contact: when the foot landed (a held step is emitted later, with its own landing time) */
  t_ms: number;
  direction: number; // DIR_*
  first: number; // FIRST_*
  /** the toe's pitch at the landing against the stride's start (deg, toe up +): first's source */
  pitch_deg: number;
  /** the step breaks the wrong-gait rule (the pod buzzes); never a step with stride_m 0 */
  wrong: boolean;
  /** the stride's travel (m); 0: not measured (slid without a swing, or under way when the engine started again) */
  stride_m: number;
  cadence_spm: number; // steps per minute estimate (2 x strides)
  /**
   * false when the stride did not fit a learnt mount (none yet, or the pod moved on the shoe): its direction is
   * then provisional, from the old toe axis if there is one, else forward
   */
  calibrated: boolean;
  cal_state: number; // CAL_*
}

/** What the engine decided about one landed stride (for replay, the bench and tests): the stride's record (stride.ts) by name, a fresh object each time. */
export interface StrideVerdict extends StrideMeasures {
  /** landing time, and when it was decided (ms) */
  t_ms: number;
  decided_ms: number;
  /** decision.ts code (STEP, STEP_IN_WALK or NOT_*) */
  verdict: number;
  /**
   * it was counted at its landing already (the engine's EARLY slot: a clear stride in a walk, CLEAR_STEP_M): a
   * verdict other than STEP or STEP_IN_WALK then means one step too many
   */
  early: boolean;
}

/** A landed stride's record (stride.ts, the engine's own: read it at once), its decision, landing and decision times, and whether it was counted at its landing. */
export type VerdictListener = (record: Float64Array, verdict: number, t_ms: number, decided_ms: number, early: boolean) => void;

/** A VerdictListener that hands on each verdict by name, in a fresh object (host and tests: the pod builds none). */
export function verdictsBy(onVerdict: (v: StrideVerdict) => void): VerdictListener {
  return function (record, verdict, t_ms, decided_ms, early) {
    // (measuresOf's object is fresh: it becomes the verdict)
    const v = measuresOf(record) as StrideVerdict;
    v.t_ms = t_ms;
    v.decided_ms = decided_ms;
    v.verdict = verdict;
    v.early = early;
    onVerdict(v);
  };
}

export interface GaitEngine {
  push(t_ms: number, ax_g: number, ay_g: number, az_g: number, gx_dps: number, gy_dps: number, gz_dps: number): void;
  setWrongRule(rule: number): void;
  getCalibration(): Calibration | null;
  setCalibration(c: Calibration | null): void;
  calState(): number;
  /** Forget the swing in progress (the IMU was stopped or restarted). */
  resetMotion(): void;
  /** How long the foot has been standing still, ms: the pod idles the IMU after a while. */
  quietFor_ms(): number;
}

// Calmness and turn are compared squared (no square root per sample), so are the thresholds they meet. The
// minifier writes a named square as its number where that is shorter (V_TURN2, IMPACT2, JOLT2, LAND2, SOFT2 and
// REST_DA2 are literals in the bundle) and keeps one read often as a top-level variable, which the pod looks up
// through every scope in between: SWING2 stays one (6 B fewer than the literal at its seven reads, all outside
// push). So push writes STILL_DPS and SWING_DPS squared out where it reads them (literals there), and the rare
// functions read SWING2: the same square. K2 and COMMIT2, which push reads, the build writes as numbers
// (scripts/build-firmware.mjs HOT_CONSTANTS names them: rename them there too).
const K2 = CALM_DPS_PER_G * CALM_DPS_PER_G;
const SWING2 = SWING_DPS * SWING_DPS;
const V_TURN2 = V_TURN_RATIO * V_TURN_RATIO;
const IMPACT2 = IMPACT_G * IMPACT_G;
const JOLT2 = LANDING_JOLT_G * LANDING_JOLT_G;
const COMMIT2 = STEP_SWING_DPS * STEP_SWING_DPS;
const LAND2 = LAND_SPEED_FRACTION * LAND_SPEED_FRACTION;
const SOFT2 = SOFT_SPEED_FRACTION * SOFT_SPEED_FRACTION;
const REST_DA2 = REST_ACC_CHANGE_G * REST_ACC_CHANGE_G;

/** Where the foot is: no reference yet (start, or after a gap); standing (a stance); swinging; landed (a stride waiting for its stance). */
const NO_REF = 0, STANCE = 1, SWING = 2, LANDED = 3;

// The engine's state. What the per-sample path reads or writes on every sample is in closure variables (see
// createGaitEngine); the rest, read once a stride or less, in one Float64Array with named slots (pod memory:
// a closure variable costs the pod two variables, one while it holds a small whole number, a slot 2/3 of
// one; a slot costs ~0.05 reference loops more to read, and push reads a dozen: docs/decisions.md, "What a
// construct costs on the interpreter").
/** the wrong-gait rule (WRONG_* bits) */
const RULE = 0;
/** landed: when and at what pitch; FOLDED: folded at a calmer stance sample since (1/0); EARLY: counted at the landing (1/0) */
const LAND_T = 1, LAND_PITCH = 2, FOLDED = 3, EARLY = 4;
/** the swing's hardest jolt since it slowed down (when a landing shows late, at rest or calm, it was there): squared, time, pitch */
const JOLT_DA2 = 5, JOLT_T = 6, JOLT_PITCH = 7;
/** how calm the stride's start was (squared calmness of its reference) */
const START_CALM2 = 8;
/** the swing was started again at MAX_SWING_MS (1/0): overrun */
const RESTARTED = 9;
/** a stride was counted by stepInWalk (finish) or as slid (slid) since the last step (1/0): once */
const IN_WALK_USED = 10;
/** the way the walk goes: the direction of the last step (DIR_*), held ones included; 0, not known, before any, after a pause (the walk's bout edges: createWalk's listener) and after a step whose way was a guess (finish) */
const LAST_DIR = 11;
/**
 * A stride under way when the engine started again (after resetMotion: the pod's IMU woke from idle with the
 * foot already moving, or samples were lost): when it started again (ms), -1 none; until the foot settles,
 * its least calm sample (squared calmness) and when: its landing's impact (calmest, stance, beginSwing)
 */
const UNSEEN = 12, UNSEEN_C2 = 13, UNSEEN_LAND = 14; // (UNSEEN -2: not at this restart, see resetMotion)
/**
 * A foot that stops turning between two samples (settleWhereTurnStops, landing): the turn of the last sample either read
 * (squared); since the swing began, the least turn of a stance sample that could be down (squared), and what the
 * sample after it must turn to show the turn went through it in a V (squared; -1: any, the turn fell into it)
 */
const PREV_W2 = 15, LEAST_W2 = 16, V_AFTER_W2 = 17;
const SLOTS = 18;

/** onVerdict: every landed stride's decision (optional; replay, the bench and tests: verdictsBy names it). */
export function createGaitEngine(onEvent: (e: GaitEvent) => void, wrongRule?: number, onVerdict?: VerdictListener): GaitEngine {
  // the per-sample path's state, read most first (Espruino finds a closure variable by reading the names
  // declared before it):
  // where the foot is (NO_REF..LANDED); what the sensor reads at rest (|acc|^2, g^2: rest.ts); the stance's
  // calmest sample so far (squared calmness); how long the foot has stood still (ms); when the bout in progress
  // ends unless a step comes (ms); the last sample's time (ms)
  let state = NO_REF, rest_g2 = REST_START_G2, calmest_dps2 = Infinity, still_ms = 0, boutDue_ms = Infinity, last_ms = -Infinity;
  // the last sample's body rate (dps) and force (g; its time is in the record, and its force too where a rare
  // stage reads it: toRecord)
  let pgx = 0, pgy = 0, pgz = 0, pax = 0, pay = 0, paz = 0;
  // what the gyro reads at rest, per axis (dps): taken off every sample (GYRO_OFFSET_LEARN_S)
  let ogx = 0, ogy = 0, ogz = 0;
  // how calm (squared) a stance sample must be to show the foot has come down (SWING_DPS, or after a landing with
  // a jolt SETTLE_FRACTION of that swing's peak up to SETTLE_MAX_DPS: set at the landing); settled: it came down
  // since the last landing (1/0); the swing: when it started, its peaks (squared turn, dps^2; squared speed:
  // strapdown.ts), how long it has been quiet (ms); when the reference was taken (ms); the highest and lowest
  // |acc|^2 in the swing (g^2: ACC_SPREAD_G; last, as the ones read on every sample come first)
  let settle_dps2 = SWING_DPS * SWING_DPS, settled = 0, swingStart_ms = 0, peakTurn_dps2 = 0, peakSpeed2 = 0, quiet_ms = 0, ref_ms = 0, accHi2 = 0, accLo2 = 0;
  const E = new Float64Array(SLOTS);
  E[RULE] = wrongRule === undefined ? WRONG_DEFAULT : wrongRule;
  E[UNSEEN] = -1;
  E[LEAST_W2] = SWING2;
  // the stride's one record: the strapdown writes its measures into it, the engine the rest (stride.ts); it
  // also carries the sample being processed, where a stage reads it (toRecord)
  const R = newStride();
  const sd = createStrapdown(R);
  const mount = createMount(R, function (calState, t_ms) {
    onEvent({ type: EVENT_CALIBRATION, t_ms: t_ms, direction: 0, first: 0, pitch_deg: 0, wrong: false, stride_m: 0, cadence_spm: 0, calibrated: calState === CAL_DONE, cal_state: calState });
  });
  // what the walk tells (WALK_STEP and the bout edges are EVENT_CONTACT, _BOUT_START, _BOUT_END): a step, counted
  // or held, puts the bout's end off; a counted one gets its first contact, its verdict by the wrong-gait rule and
  // the mount's state. The way the walk goes is a counted step's; the bout edges carry none (a walk begins or
  // ends): not known again, not the way a walk an hour ago went (a held step's is set by finish)
  const walk = createWalk(function (e) {
    E[LAST_DIR] = e.direction;
    if (e.type === WALK_BOUT_START || e.type === WALK_BOUT_END) return onEvent(e);
    boutDue_ms = e.t_ms + BOUT_GAP_MS;
    if (e.type === WALK_HELD) return;
    e.first = firstContactOf(e.pitch_deg);
    // (a stride whose swing was not seen, stride_m 0: its landing was not seen either, so it is not judged)
    e.wrong = e.stride_m > 0 && isWrongGait(e.direction, e.first, E[RULE]);
    e.cal_state = mount.state();
    onEvent(e);
  });

  /**
   * The landed stride is over: judge it (folded at the stance's calmest sample already, else here: the foot at
   * rest, the velocity left is drift); a step goes on to its direction, the mount and the walk.
   */
  function finish(): void {
    const t_ms = last_ms;
    // (the mount and the strapdown read the sample from the record)
    toRecord();
    // the stride ends at the stance's calmest sample, folded there already (the reference for the next
    // stride stays there too); only a stance with no calm sample at all ends where it is judged
    if (!E[FOLDED]) {
      sd.fold();
      ref_ms = t_ms;
    }
    state = STANCE;
    // -- what the engine saw of the swing, into the record (the strapdown's measures are there already)
    const land_ms = E[LAND_T], pitch = E[LAND_PITCH];
    R[SWING_MS] = land_ms - swingStart_ms;
    R[PEAK_DPS] = sqrt(peakTurn_dps2);
    R[PITCH_DEG] = pitch;
    R[START_DPS] = sqrt(E[START_CALM2]);
    R[ACC_SPREAD_G] = (sqrt(accHi2) - sqrt(accLo2)) / sqrt(rest_g2);
    // -- judged (stage 4)
    let verdict = judgeStride(R);
    if (verdict === STEP) E[IN_WALK_USED] = 0;
    else if (stepInWalk(R, verdict)) {
      // in a walk, refused only for how it swung: a step all the same (decision.ts), once until the next step;
      // before one, the walk's first step if a walk follows at once (Walk.unseen; once a walk has lapsed, its
      // "once" is over: a walk that ended on such a step does not stop the next one's first)
      if (!walk.inWalk(land_ms)) walk.unseen(land_ms, R[TRAVEL_M], pitch);
      else if (!E[IN_WALK_USED]) {
        verdict = STEP_IN_WALK;
        E[IN_WALK_USED] = 1;
      }
    }
    // (the record itself, read by name on the host: verdictsBy; the pod passes no listener)
    if (onVerdict) onVerdict(R, verdict, land_ms, t_ms, E[EARLY] === 1);
    if (verdict !== STEP && verdict !== STEP_IN_WALK) return;
    // -- a step: its direction (stage 5) and the mount (6a), then the walk (6b)
    const turning = R[TURN_DEG] >= MIN_TURN_DEG;
    if (E[EARLY]) {
      // counted at its landing: the stance only checks the toe axis still fits
      if (!turning && verdict === STEP) mount.direction();
      return;
    }
    // a step of the walk going on (STEP_IN_WALK) goes the way it goes (a slid or pivoting foot's travel says
    // little of it), and teaches the mount nothing
    let dir = E[LAST_DIR];
    const fits = mount.fits();
    if (verdict === STEP) {
      if (fits) dir = turning ? directionAlong(mount.toe() as Float64Array) : mount.direction();
      else {
        // no mount yet, or a pose that does not fit it (the pod moved, or a rolling walker's stance): counted
        // all the same, its direction provisional (from the old toe axis if there is one; else not known: counted
        // forward, as the user is asked to walk, but not taken for the walk's way); a run of such strides from one
        // pose teaches the mount
        const toe = mount.toe();
        dir = toe ? directionAlong(toe) : 0;
        mount.addToRun();
      }
    }
    walk.step(land_ms, R[TRAVEL_M], dir || DIR_FORWARD, pitch, fits);
    // the way the walk goes, for its next turned step: this one's, also while the walk waits to be confirmed
    // (its held steps tell nothing yet)
    E[LAST_DIR] = dir;
  }

  /**
   * Which way the stride in the record went along a toe axis. A turned one (a pivot step) goes the way the walk
   * goes, as its travel says little of it; at a walk's start, before any step has shown the way, its own travel
   * if that runs along the toe axis (within ALONG_DEG), else 0: not known (counted forward, as the user is asked
   * to walk first, but not taken for the walk's way). Before 2026-12-06 such a step was forward: a backward walk
   * that began with a turn had its first steps called forward (decisions.md, "A walk's way at its start").
   */
  function directionAlong(toe: ArrayLike<number>): number {
    const cosToe = R[ALONG] * toe[0] + R[ALONG + 1] * toe[1] + R[ALONG + 2] * toe[2];
    if (R[TURN_DEG] < MIN_TURN_DEG) return directionOf(cosToe);
    return E[LAST_DIR] || (cosToe * cosToe >= COS_ALONG * COS_ALONG ? directionOf(cosToe) : 0);
  }

  /**
   * The per-sample path, written for Espruino: it runs 52 times a second and Espruino pays for every token
   * it reads, untaken branches included, every name it looks up and every typed-array slot it touches, so
   * the rare work (a calmer stance sample, the stance's own tests, a landing) is in functions of its own,
   * called with an annotation that stops the minifier from inlining them back (a function inlined at its
   * call site is also re-created on every call), and each slot is touched once.
   * This sample's time, force and rate are kept first (the last sample's are what a restart keeps).
   */
  function push(t_ms: number, ax: number, ay: number, az: number, gx: number, gy: number, gz: number): void {
    // (no "ram" directive: it would keep this function pretokenised in RAM, ~40 variables on a 32-bit build, for no time measured saved now that the stored bundle is pretokenised: docs/decisions.md)
    // -- the sample: its interval, its force's jump and its turn over dt_ms (the gyro's offset off: stage 1b)
    const dt_ms = t_ms - last_ms;
    last_ms = t_ms;
    const dax = ax - pax, day = ay - pay, daz = az - paz;
    pax = ax; pay = ay; paz = az;
    // (the gyro's zero-rate offset off, as learnt while standing: the rest of the engine sees the foot's own turn)
    gx -= ogx; gy -= ogy; gz -= ogz;
    // the turn over dt_ms: this and the last rate, summed (the strapdown takes the mean, trapezoid)
    const sx = gx + pgx, sy = gy + pgy, sz = gz + pgz;
    pgx = gx; pgy = gy; pgz = gz;
    // the first sample, or the first after a gap: nothing to integrate across, no stride to finish (asked so that a
    // time that is not a number restarts too: the levels learnt below would otherwise never be numbers again)
    if (!(dt_ms > 0 && dt_ms <= MAX_SAMPLE_GAP_MS)) return resetMotion();
    // a bout ends BOUT_GAP_MS after its last step (the walk is asked only once that is due: a comparison a
    // sample, not a call)
    if (t_ms > boutDue_ms) boutDue_ms = walk.tick(t_ms);
    // -- how calm the sample is (stage 2): turn, force off the rest level, force jump, all squared
    const turn_dps2 = gx * gx + gy * gy + gz * gz;
    const acc_g2 = ax * ax + ay * ay + az * az;
    const jump_g2 = (dax * dax + day * day + daz * daz) / rest_g2; // (in what the sensor reads for 1 g)
    // ~ |acc| - rest level (g): (|acc|^2 - r^2) / 2 = (|acc| - r)(|acc| + r) / 2, near 1 g, with no square
    // root. (Read in the sensor's own 1 g, divided by the level: measured, not kept, decisions.md "A stair climbs")
    const dev_g = (acc_g2 - rest_g2) * 0.5;
    // (the force jump as over the pod's own sample interval, CALM_JUMP_MS2: calmness is how the foot moves, not
    // how often it is sampled)
    const calm_dps2 = turn_dps2 + K2 * (dev_g * dev_g + (jump_g2 * CALM_JUMP_MS2) / (dt_ms * dt_ms));
    // -- standing and the rest level (stage 1): how long the foot has stood still (quietFor_ms: the pod idles
    // the IMU after a while); a long still stance is the standing pose
    if (calm_dps2 < STILL_DPS * STILL_DPS) {
      if ((still_ms += dt_ms) >= STANDING_MS) /*@__NOINLINE__*/ standing(dt_ms);
    } else still_ms = 0;
    // what the sensor reads at rest (rest.ts), learnt at rest by turn and force change alone: |acc| is what is
    // being learnt (written out, not called: a call here cost the pod 0.3 reference loops a sample)
    if (turn_dps2 < STILL_DPS * STILL_DPS && jump_g2 < REST_DA2) rest_g2 += (acc_g2 - rest_g2) * dt_ms * REST_WEIGHT_PER_MS;
    // -- the stride's reference (stage 2 -> 3): the calmest stance sample so far (a "swing" that goes calmer
    // than its stance within MIN_SWING_MS, the landing still ringing, or before it ever turned the foot like a
    // swing, a rolling walker's foot flattening after its landing, was the stance)
    if (calm_dps2 < calmest_dps2 && (state !== SWING || t_ms - swingStart_ms < MIN_SWING_MS || peakTurn_dps2 < COMMIT2) && (state !== LANDED || calm_dps2 < settle_dps2)) return /*@__NOINLINE__*/ calmest(calm_dps2);
    if (state === NO_REF) return;
    // -- the strapdown (stage 3): the turn on every sample; velocity and travel on every sample but a still one
    // before the swing
    sd.turn(dt_ms, sx, sy, sz);
    if (state === STANCE && calm_dps2 < STILL_DPS * STILL_DPS) {
      // a still sample before the swing, all that stance() would do with it (settled, standing still, the
      // reference kept fresh; too still for a swing to start): velocity and travel are zeroed, so the force
      // is not integrated; a foot that moved since the last still sample for as long as a swing takes may have
      // been set down somewhere new (slid)
      if (t_ms - ref_ms > MIN_SWING_MS) /*@__NOINLINE__*/ slid(t_ms);
      settled = 1;
      sd.zero(t_ms);
      ref_ms = t_ms;
      return;
    }
    // (squared speed, (g ms)^2: only ever compared with this swing's own)
    const speed2 = sd.integrate(dt_ms, ax, ay, az);
    // -- a stance sample (stage 2): stance(); a swing sample: its peaks, then, between MIN_SWING_MS and
    // MAX_SWING_MS, its landing
    if (state !== SWING) return /*@__NOINLINE__*/ stance(calm_dps2, turn_dps2);
    if (turn_dps2 > peakTurn_dps2) peakTurn_dps2 = turn_dps2;
    if (speed2 > peakSpeed2) peakSpeed2 = speed2;
    if (acc_g2 > accHi2) accHi2 = acc_g2;
    else if (acc_g2 < accLo2) accLo2 = acc_g2;
    const swung_ms = t_ms - swingStart_ms;
    if (swung_ms < MIN_SWING_MS) return;
    if (swung_ms > MAX_SWING_MS) return /*@__NOINLINE__*/ overrun(turn_dps2, speed2);
    const quietNow_ms = (quiet_ms = calm_dps2 < SWING_DPS * SWING_DPS ? quiet_ms + dt_ms : 0);
    // (a landing is looked for once the foot has slowed down, gone quiet, or come to rest)
    if (speed2 <= LAND2 * peakSpeed2 || quietNow_ms > 0) /*@__NOINLINE__*/ landing(turn_dps2, dev_g, jump_g2, speed2);
  }

  /**
   * A still stance sample after the foot moved for MIN_SWING_MS or more without swinging: in a walk, if it was
   * carried SLIDE_MIN_M over the ground (the closing step into standing, shuffled), a step all the same, the
   * way the walk goes, once until the next step (as a stride refused for how it swung: finish). Unmeasured
   * (stride 0: not judged for the wrong-gait rule, as nothing of its landing was seen), first contact flat; so too
   * before a walk, as the walk's first step if one follows at once (Walk.unseen), whatever ended the walk
   * before (its "once" lapses with it).
   */
  function slid(t_ms: number): void {
    const inWalk = walk.inWalk(t_ms);
    if (inWalk && E[IN_WALK_USED]) return;
    R[SAMPLE_T] = t_ms;
    if (sd.slide() > MAX_SWING_MS || R[TRAVEL_M] < SLIDE_MIN_M) return;
    if (!inWalk) return walk.unseen(t_ms, 0, 0);
    E[IN_WALK_USED] = 1;
    walk.step(t_ms, 0, E[LAST_DIR] || DIR_FORWARD, 0, mount.fits());
  }

  /**
   * Standing still (STANDING_MS and more): the standing pose, and what the gyro reads at rest, learnt (an exponential
   * average of the rate left after the offset so far, over GYRO_OFFSET_LEARN_S, so the same time at any sample rate).
   * This sample's rate, the offset off, is the last one kept (pgx..pgz): on the pod a parameter is a variable.
   */
  function standing(dt_ms: number): void {
    mount.sawStanding(last_ms);
    const weight = dt_ms / (GYRO_OFFSET_LEARN_S * 1000);
    ogx += pgx * weight;
    ogy += pgy * weight;
    ogz += pgz * weight;
  }

  /** The calmest stance sample so far: the reference (a landed stride is folded here, and ends here if nothing calmer comes before it is judged). */
  function calmest(calm_dps2: number): void {
    const t_ms = last_ms;
    toRecord();
    const phase = state;
    // the first sample after a restart: a foot far from calm (turning like a swing, or its force far off its
    // rest level, as a swing's is where its turn reverses) is taking a stride the engine did not see start (the
    // pod's IMU wakes on the heel rise, up to 0.6 s into it, at 1.6 Hz); its landing comes before the foot
    // settles (stance), and the walk counts it when the next swing starts (beginSwing)
    if (phase === NO_REF) {
      E[UNSEEN] = E[UNSEEN] > -2 && calm_dps2 > SWING2 ? t_ms : -1;
      E[UNSEEN_C2] = calm_dps2;
      E[UNSEEN_LAND] = t_ms;
    }
    calmest_dps2 = calm_dps2;
    // (this sample's turn is not the one settleWhereTurnStops reads as the last: the next one is judged afresh)
    E[PREV_W2] = 0;
    if (calm_dps2 < settle_dps2) settled = 1;
    if (phase === LANDED) {
      sd.fold();
      E[FOLDED] = 1;
    } else {
      sd.reference();
      state = STANCE;
    }
    ref_ms = t_ms;
    // (judged here as in stance: still, or DECIDE_MS after the landing; a stance easing off is calmer at every
    // sample and passes only through here)
    if (phase === LANDED && (calm_dps2 < STILL_DPS * STILL_DPS || t_ms - E[LAND_T] > DECIDE_MS)) finish();
  }

  /** A stance sample (not the calmest): standing still, the reference going stale, the stride waiting, the next swing. */
  function stance(calm_dps2: number, turn_dps2: number): void {
    const t_ms = last_ms;
    if (!settled) /*@__NOINLINE__*/ unsettled(calm_dps2, t_ms);
    if (calm_dps2 < settle_dps2) settled = 1;
    if (calm_dps2 < STILL_DPS * STILL_DPS) {
      // standing still: zero velocity (a landed stride ends here; one folded at a calmer sample before this one
      // has moved on since, so it is zeroed here too: ref_ms is the strapdown's last zero, as slid reads it)
      if (state === LANDED) finish();
      sd.zero(t_ms);
      ref_ms = t_ms;
    }
    const landed = state === LANDED;
    // (a landed foot, or one in a stance that never settled: has it come down, or is it coming down between samples?)
    if (landed ? !E[FOLDED] : !settled) /*@__NOINLINE__*/ settleWhereTurnStops(landed, calm_dps2, turn_dps2);
    // a reference older than any heel rise is no stride's start: a calm sample (the foot still down) is the new
    // one; a foot already moving keeps it (a heel rise under way: dropped there, its swing had no start)
    if (!landed && calm_dps2 < settle_dps2 && t_ms - ref_ms > MAX_PRESWING_MS) /*@__NOINLINE__*/ calmest(calm_dps2);
    // a "swing" that never turned the foot like one and came down with no jolt, then no calm sample, and now a
    // swing: it was a rolling stance, and this is its stride's swing
    if (landed && turn_dps2 > COMMIT2 && !settled && peakTurn_dps2 < COMMIT2 && E[JOLT_DA2] === 0 && !E[FOLDED] && !E[EARLY]) return /*@__NOINLINE__*/ resumeSwing(turn_dps2);
    const swingOn = settled && turn_dps2 > SWING2;
    if (landed && (swingOn || t_ms - E[LAND_T] > DECIDE_MS)) finish();
    if (swingOn) /*@__NOINLINE__*/ beginSwing(t_ms);
  }

  /** A stance sample before the foot settled: a stride under way at a restart landed at its least calm sample, the impact. */
  function unsettled(calm_dps2: number, t_ms: number): void {
    if (E[UNSEEN] >= 0 && calm_dps2 > E[UNSEEN_C2]) {
      E[UNSEEN_C2] = calm_dps2;
      E[UNSEEN_LAND] = t_ms;
    }
  }

  // (the rare work of the per-sample path in functions of their own: Espruino reads a block it skips token
  // by token, ~0.006 reference loops a token, on every sample that passes it by)
  /** A swing starts (from the stance). */
  function beginSwing(t_ms: number): void {
    // the stride under way at a restart landed (its impact) before the stance this swing starts from, if
    // within a swing's time: the walk counts it with the next step, if one comes
    if (E[UNSEEN] >= 0) {
      if (E[UNSEEN_LAND] - E[UNSEEN] <= MAX_SWING_MS) walk.unseen(E[UNSEEN_LAND], 0, 0);
      E[UNSEEN] = -1;
    }
    state = SWING;
    swingStart_ms = t_ms;
    peakTurn_dps2 = peakSpeed2 = quiet_ms = E[JOLT_DA2] = E[RESTARTED] = E[PREV_W2] = 0;
    E[LEAST_W2] = SWING2;
    accHi2 = accLo2 = pax * pax + pay * pay + paz * paz;
    sd.beginStride();
    E[START_CALM2] = calmest_dps2;
  }

  /**
   * Has the foot come down, though no sample was calm? Two ways, each folding the stride (landed) or taking the
   * reference (a stance that never settled) at the sample, with gravity at the rest level.
   *
   * 1. Still after an impact. A foot that stopped turning (under STILL_DPS), and no calm stance sample since its
   * landing (landed) or since its stance began (a stance that never settled: after a stride or a swing dropped with
   * no calm sample). The first sample at rest after an impact jumps from the last ringing one, so its calmness (the
   * jump included) is not calm, and a short stance (a fast walker's at 26 Hz: one sample at rest, the next already
   * pressing off) may have no other; a rolling walker's foot pushes the sensor along its up axis as it stops
   * turning and rolls on, so no sample of its stance reads the rest level (ROLL_G). The stride was then never
   * folded, the next swing never started, and the one after was measured from a stale reference (or, in a stance
   * that never settled, no swing started again until the foot stood still). So at rest here is turn, no less force
   * than the rest level less ROLL_G (a foot still falling reads less), and after a landing the force along gravity
   * carried through the swing (a ringing sample can pass through 1 g unturned, 70 deg off it), however much more
   * than the rest level it reads: a loaded stance presses the sensor along gravity harder than 1 g, and a foot that
   * neither turns nor feels its force off gravity is down (the level within ROLL_G above too was asked until
   * 2026-12-05: no recording needed it, and the simulator's slow, rolling walkers lost 31 of 3,629 strides at 52 Hz
   * to it: docs/decisions.md, "Rules no recording needs, taken out"). In a stance between strides there is no
   * stride's start to carry gravity from, so there it is the level within ROLL_G either way. The foot has come
   * down, and the stride is folded here or the reference taken here, with gravity at the rest level, but only as
   * calm as settled, so any sample calm by every measure replaces it, and a stride that starts from it is an unsure
   * start (UNSURE_START_DPS).
   *
   * 2. A stop between two samples (the V). A foot may also stop turning between two samples and no sample read it:
   * a jogging stance at 26 Hz is one or two samples at 8-35 deg/s, loaded at 1.1-1.9 g, between the landing's
   * ringing and a roll that climbs past SWING_DPS (the simulator's backward jogs at 155-180 steps a minute: 145 of
   * 318 strides found, 316 at 52 Hz; each lost stance left the next one unsettled too, so whole jogs were lost). So
   * the sample turning least since the swing (under SWING_DPS) is where the foot may have stopped turning, between
   * it and a neighbour, if the turn went through it in a V: the line through it and the sample before, or through
   * it and the sample after, reaches zero turn within one sample interval (that neighbour turns twice as fast or
   * more: V_TURN_RATIO; a slow pivot, turning evenly, does not). The foot is taken as down at the sample after it,
   * if that one turns less than SWING_DPS (still before the next swing), reads its force along the gravity carried
   * from the last reference (in a stance that never settled, its calmest sample's force: unlike the still rule,
   * which asks the level there), no less than the rest level less ROLL_G, and no force jump of an impact (as
   * calmness reads it, over the pod's own sample interval: IMPACT_G). Not at the least sample itself: only the
   * sample after it shows the V, and the foot is down by then; a fold on a foot still coming down takes its speed
   * for drift (folding at every new least sample, stairs down read 7-10 cm less rise, and the non-walking sets
   * counted 128-405 false strides).
   */
  function settleWhereTurnStops(landed: boolean, calm_dps2: number, turn_dps2: number): void {
    const before_dps2 = E[PREV_W2], least_dps2 = E[LEAST_W2], moving = turn_dps2 >= STILL_DPS * STILL_DPS;
    E[PREV_W2] = turn_dps2;
    if (moving) {
      // (way 2; a still sample is way 1) turning: the least turn so far, or the sample after it (the last one
      // read: before_dps2) if the turn went through it in a V
      if (turn_dps2 < least_dps2) {
        E[LEAST_W2] = turn_dps2;
        E[V_AFTER_W2] = before_dps2 >= V_TURN2 * turn_dps2 ? -1 : V_TURN2 * turn_dps2;
        return;
      }
      if (before_dps2 !== least_dps2 || turn_dps2 < E[V_AFTER_W2] || turn_dps2 >= SWING2) return;
    }
    const dev_g = (pax * pax + pay * pay + paz * paz - rest_g2) * 0.5; // ~ |acc| - rest level, g
    // (a foot reading well under its rest level is still falling, whatever the direction of so small a force)
    // (calm_dps2 - turn_dps2 - K2 dev_g^2 is the calmness's force-jump term: an impact's jump over the pod's
    // sample interval is no stop)
    if (dev_g < -ROLL_G || (moving ? calm_dps2 - turn_dps2 > K2 * (dev_g * dev_g + IMPACT2) || sd.offGravity_deg(pax, pay, paz) > MAX_TILT_DEG : landed ? sd.offGravity_deg(pax, pay, paz) > MAX_TILT_DEG : dev_g > ROLL_G)) return;
    settled = 1;
    calmest_dps2 = SWING_DPS * SWING_DPS;
    toRecord();
    if (landed) {
      sd.fold(rest_g2);
      E[FOLDED] = 1;
    } else sd.reference(rest_g2);
    ref_ms = last_ms;
  }

  /**
   * A rolling walker's stance turns the foot at 40-110 deg/s: past SWING_DPS, a "swing" starts in it,
   * goes quiet and is taken for a landing, and the real swing then ran inside the landed stride's stance and
   * was lost with it (gaitmap 4 x 10 m right foot: 7 of its 53 swings at 52 Hz had no step). A landing of a swing that never
   * turned the foot like a swing (under STEP_SWING_DPS) and came with no jolt, followed by no calm sample,
   * then a committed swing, was no landing: the swing goes on, from the same start (velocity and travel have
   * run on through it), to its real landing. A real short step's landing has its jolt or its calm sample.
   */
  function resumeSwing(turn_dps2: number): void {
    state = SWING;
    quiet_ms = 0;
    peakTurn_dps2 = turn_dps2;
  }

  /**
   * Swinging longer than any swing (MAX_SWING_MS) and not landed: what ran so far was no swing. Through a
   * U-turn a foot may pivot on the floor for 0.6-1 s at 150-300 deg/s before its real swing (gaitmap 4 x 10 m's
   * turns, voisard 2-4_lf), and dropping the "swing" there lost that step too, landing 0.1-0.2 s later. So a
   * foot turned at least MIN_TURN_DEG about its up from the stride's start (re-placed turned, as a pivot step is) starts
   * its swing again here, from the same stride start (velocity, travel and turn run on from the reference),
   * its peak, speed, quiet, jolt and |acc| range measured from here: the real swing's landing is found, and the stride
   * judged as any other. Once, and only turned: otherwise the foot is not stepping (a shuffle, a bicycle)
   * and the swing is dropped, to wait for the next stance. (Restarted every time, a 10-minute simulated
   * shuffle landed 2 strides; restarted once whatever the turn, 1: docs/decisions.md.)
   */
  function overrun(turn_dps2: number, speed2: number): void {
    // (the stride's turn so far into the record)
    sd.peek();
    if (E[RESTARTED] || R[TURN_DEG] < MIN_TURN_DEG) {
      // restarted already, or not turned: a foot that keeps on moving is not stepping; wait for the next stance
      state = STANCE;
      settled = E[PREV_W2] = 0;
      calmest_dps2 = Infinity;
      return;
    }
    E[RESTARTED] = 1;
    swingStart_ms = last_ms;
    peakTurn_dps2 = turn_dps2;
    peakSpeed2 = speed2;
    quiet_ms = E[JOLT_DA2] = 0;
    accHi2 = accLo2 = pax * pax + pay * pay + paz * paz;
  }

  /**
   * The swing has slowed down, gone quiet or come to rest: has it landed? (Its pitch: the toe's, from the
   * mount's toe axis, or before there is one, along the way this stride went.) Slowed down, then an impact or
   * slower still; or come to rest (standing still, or calm a while). The first sample at rest after an
   * impact jumps from the impact's, so at rest here is turn and level alone; a foot that goes quiet or
   * slow without an impact is down only if it is level again (a first step off standing slows in
   * mid-air, and ending it there split it in two), and a quiet one only if it has also slowed down
   * or stays quiet longer than a mid-air slowdown (QUIET_DOWN_MS). A slowed foot may also land between two
   * samples, its impact unread (a jog at 26 Hz): its turn collapses, to half or less of the last sample's
   * (the line through the two reaches no turn within one sample interval), and it takes the body's load, its
   * force above the rest level by more than a rolling foot's push (ROLL_G), along gravity. jump_g2: the
   * force's jump since the last sample, squared, in what the sensor reads for 1 g; speed2: the strapdown's
   * squared speed.
   */
  function landing(turn_dps2: number, dev_g: number, jump_g2: number, speed2: number): void {
    const t_ms = last_ms;
    // (the calmness without the force jump, squared; the turn at the last sample landing was called at, for a turn
    // that collapses: 0 at the first slowed or quiet one, so a V is seen only between two of them)
    const atRest_dps2 = turn_dps2 + K2 * dev_g * dev_g, before_dps2 = E[PREV_W2];
    E[PREV_W2] = turn_dps2;
    const slowed = speed2 <= LAND2 * peakSpeed2;
    if (slowed && jump_g2 > E[JOLT_DA2] && jump_g2 > JOLT2) {
      E[JOLT_DA2] = jump_g2;
      E[JOLT_T] = t_ms;
      E[JOLT_PITCH] = sd.pitch_deg(mount.toe());
    }
    // down if: at rest (turn and level alone); or slowed, then an impact (IMPACT_G); or, the foot level again
    // (within MAX_TILT_DEG of the gravity carried through the swing), one of: quiet QUIET_LANDING_MS and slowed,
    // or quiet QUIET_DOWN_MS (longer than a mid-air slowdown), or quiet QUIET_LANDING_MS from a start whose speed
    // cannot tell (UNSURE_START_DPS); slowed to SOFT_SPEED_FRACTION; slowed, its turn collapsed in a V
    // (V_TURN_RATIO) and loaded over ROLL_G
    if (!(atRest_dps2 < STILL_DPS * STILL_DPS || (slowed && jump_g2 > IMPACT2) || (((quiet_ms >= QUIET_LANDING_MS && (slowed || quiet_ms >= QUIET_DOWN_MS || E[START_CALM2] > UNSURE_START_DPS * UNSURE_START_DPS)) || (slowed && (speed2 < SOFT2 * peakSpeed2 || (before_dps2 >= V_TURN2 * turn_dps2 && dev_g > ROLL_G)))) && sd.offGravity_deg(pax, pay, paz) <= MAX_TILT_DEG))) return;
    if (E[JOLT_DA2] > 0 && jump_g2 < E[JOLT_DA2]) {
      E[LAND_T] = E[JOLT_T];
      E[LAND_PITCH] = E[JOLT_PITCH];
    } else {
      E[LAND_T] = t_ms;
      E[LAND_PITCH] = sd.pitch_deg(mount.toe());
    }
    const toe = mount.toe();
    state = LANDED;
    E[FOLDED] = 0;
    // the stance that follows settles at SWING_DPS, or, after a landing with a jolt, at a fraction of this
    // swing's peak up to SETTLE_MAX_DPS (a fast walker's shoe rolls on through its stance; a swing that only
    // slowed down may still be in the air, turning at that fraction of its peak as it comes down)
    const settle_now_dps2 = E[JOLT_DA2] > 0 || jump_g2 > JOLT2 ? SETTLE_FRACTION * SETTLE_FRACTION * peakTurn_dps2 : 0;
    settle_dps2 = settle_now_dps2 > SETTLE_MAX_DPS * SETTLE_MAX_DPS ? SETTLE_MAX_DPS * SETTLE_MAX_DPS : settle_now_dps2 > SWING_DPS * SWING_DPS ? settle_now_dps2 : SWING_DPS * SWING_DPS;
    // a clear stride within a walk, from the mount's pose, counts now (a turned one the way the walk goes, as at the stance: its
    // travel says nothing of which way the foot went)
    sd.peek();
    const land_ms = E[LAND_T], pitch = E[LAND_PITCH], travel_m = R[TRAVEL_M], rise_m = R[RISE_M];
    const early = toe !== null && walk.inWalk(land_ms) && mount.fits() && travel_m >= CLEAR_STEP_M && travel_m <= MAX_STEP_M && rise_m <= MAX_RISE_M && rise_m >= -MAX_RISE_M && peakTurn_dps2 >= SWING2 && R[LIFT_M] >= MIN_LIFT_M;
    E[EARLY] = early ? 1 : 0;
    if (early && toe) walk.step(land_ms, travel_m, directionAlong(toe) || DIR_FORWARD, pitch, true);
    settled = 0;
    calmest_dps2 = Infinity;
    if (atRest_dps2 < STILL_DPS * STILL_DPS) {
      // already at rest (a jogger's stance at 26 Hz may have no other calm sample): the stance starts here
      settled = 1;
      calmest_dps2 = atRest_dps2;
      toRecord();
      sd.fold();
      E[FOLDED] = 1;
      ref_ms = t_ms;
    }
  }

  /**
   * The sample (time and force) into the record, for the stages that read it there (the strapdown's
   * reference and fold, the mount as a stride is judged): push keeps it in closure variables, as slots
   * written and read on every sample cost the pod 0.81 reference loops a sample more (docs/decisions.md, "The
   * last sample in closure variables, not the record").
   */
  function toRecord(): void {
    R[SAMPLE_T] = last_ms; R[SAMPLE_AX] = pax; R[SAMPLE_AY] = pay; R[SAMPLE_AZ] = paz;
  }

  /**
   * No reference and nothing to integrate across (the first sample, a gap over MAX_SAMPLE_GAP_MS, the pod's
   * IMU stopped or restarted): the stance and swing start again from nothing, and so does the time the foot
   * has stood still; what is learnt (the rest level, the gyro's offset, the mount) and the walk stay.
   */
  function resetMotion(): void {
    // (a landed stride counted at its landing already: the motion at the restart is its stance, not a stride)
    E[UNSEEN] = state === LANDED && E[EARLY] ? -2 : -1;
    state = NO_REF;
    settle_dps2 = SWING_DPS * SWING_DPS;
    settled = 0;
    calmest_dps2 = Infinity;
    still_ms = E[PREV_W2] = 0;
    // (a stop between samples is looked for afresh: the samples before the gap are not this stance's)
    E[LEAST_W2] = SWING2;
  }

  return {
    push: push,
    setWrongRule: function (r: number) {
      E[RULE] = r;
    },
    getCalibration: mount.get,
    setCalibration: mount.set,
    calState: mount.state,
    resetMotion: resetMotion,
    quietFor_ms: function () {
      return still_ms;
    },
  };
}
