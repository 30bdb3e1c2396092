/**
 * The streaming gait engine: push one IMU sample (sensor frame, g and dps),
 * get ground contacts with direction and first-contact class. Runs unchanged
 * on the pod (ES5 after compilation; nothing allocated per sample) and on
 * the host.
 *
 * A chain of small stages, each in its own module with its own tests:
 *  1. sensor self-calibration (rest.ts): what the accelerometer reads at rest;
 *  2. stance/swing segmentation (here, per sample): how calm each sample is
 *     (rotation, force off its rest level, force jumps), the calmest stance
 *     sample as the reference, the swing, its landing;
 *  3. swing strapdown (strapdown.ts): attitude, velocity and travel from the
 *     reference, folded at the next stance's calmest sample;
 *  4. step decision (decision.ts): is the landed stride a step at all;
 *  5. direction and first contact (contact.ts);
 *  6. mount learning (mount.ts), and walks and bouts (walk.ts).
 * Frames and signs: DESIGN.md. Thresholds and why: constants.ts.
 */
import {
  BOUT_GAP_MS,
  CALM_DPS_PER_G,
  DECIDE_MS,
  EARLY_MAX_RISE_M,
  EARLY_MIN_TRAVEL_M,
  IMPACT_G,
  LANDING_JOLT_G,
  MAX_CONTACT_PITCH_DEG,
  MAX_STEP_M,
  MAX_TILT_DEG,
  MIN_LIFT_M,
  MIN_SWING_PEAK_DPS,
  LAND_SPEED_FRACTION,
  MAX_PRESWING_MS,
  MAX_SAMPLE_GAP_MS,
  MAX_SWING_MS,
  MIN_SWING_MS,
  MIN_TURN_DEG,
  QUIET_LANDING_MS,
  REST_ACC_CHANGE_G,
  SETTLE_DPS,
  SOFT_SPEED_FRACTION,
  STILL_DPS,
  SWING_COMMIT_DPS,
  SWING_ON_DPS,
} from './constants.js';
import { DIR_FORWARD, directionOf, firstContactOf, isWrongGait, WRONG_DEFAULT } from './contact.js';
import { judgeStride, STEP, type StrideFeatures } from './decision.js';
import { CAL_DONE, type Calibration, createMount } from './mount.js';
import { createRestLevel } from './rest.js';
import { createStrapdown, type StrideMeasures } from './strapdown.js';
import { createWalk } from './walk.js';

export { CAL_DONE, CAL_GRAVITY, CAL_NONE, CAL_STALE, type Calibration } from './mount.js';
export { DIR_BACKWARD, DIR_FORWARD, DIR_UNKNOWN, FIRST_FLAT, FIRST_HEEL, FIRST_TOE, WRONG_BACKWARD_FLAT, WRONG_BACKWARD_HEEL, WRONG_DEFAULT, WRONG_FORWARD_FLAT, WRONG_FORWARD_TOE } from './contact.js';

export const EVENT_CONTACT = 1;
export const EVENT_BOUT_START = 2;
export const EVENT_BOUT_END = 3;
export const EVENT_CALIBRATION = 4;

/**
 * One event. The engine reuses a single object for every event to allocate
 * nothing per sample: copy what you keep.
 */
export interface GaitEvent {
  type: number; // EVENT_*
  /** contact: when the foot landed (a held step is emitted later, with its own landing time) */
  t_ms: number;
  direction: number; // DIR_*
  first: number; // FIRST_*
  pitch_deg: number;
  wrong: boolean;
  stride_m: number;
  cadence_spm: number; // steps per minute estimate (2 x strides)
  /** false while the mount is being learnt: direction is then assumed forward */
  calibrated: boolean;
  cal_state: number; // CAL_*
}

/** What the engine decided about one landed stride (for replay, the bench and tests): the stride's one record, its measures (strapdown) and features included. */
export interface StrideVerdict extends StrideFeatures, StrideMeasures {
  /** landing time, and when it was decided (ms) */
  t_ms: number;
  decided_ms: number;
  /** decision.ts code (STEP or NOT_*) */
  verdict: number;
  /** it was counted at its landing already (EARLY_*): a verdict other than STEP then means one step too many */
  early: boolean;
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

const K2 = CALM_DPS_PER_G * CALM_DPS_PER_G;
const STILL2 = STILL_DPS * STILL_DPS;
const SETTLE2 = SETTLE_DPS * SETTLE_DPS;
const SWING2 = SWING_ON_DPS * SWING_ON_DPS;
const IMPACT2 = IMPACT_G * IMPACT_G;
const PEAK2 = MIN_SWING_PEAK_DPS * MIN_SWING_PEAK_DPS;
const JOLT2 = LANDING_JOLT_G * LANDING_JOLT_G;
const COMMIT2 = SWING_COMMIT_DPS * SWING_COMMIT_DPS;
const LAND2 = LAND_SPEED_FRACTION * LAND_SPEED_FRACTION;
const SOFT2 = SOFT_SPEED_FRACTION * SOFT_SPEED_FRACTION;
const REST_DA2 = REST_ACC_CHANGE_G * REST_ACC_CHANGE_G;
/** A long still stance is the standing pose (ms) for the guided calibration's first step. */
const STANDING_MS = 800;

/** onVerdict: every landed stride's decision (optional; replay and the bench). */
export function createGaitEngine(onEvent: (e: GaitEvent) => void, wrongRule?: number, onVerdict?: (v: StrideVerdict) => void): GaitEngine {
  let rule = wrongRule === undefined ? WRONG_DEFAULT : wrongRule;
  const ev: GaitEvent = { type: 0, t_ms: 0, direction: 0, first: 0, pitch_deg: 0, wrong: false, stride_m: 0, cadence_spm: 0, calibrated: false, cal_state: 0 };
  const rest = createRestLevel();
  const mount = createMount(function (state, t) {
    ev.type = EVENT_CALIBRATION;
    ev.t_ms = t;
    ev.cal_state = state;
    ev.calibrated = state === CAL_DONE;
    onEvent(ev);
  });
  const walk = createWalk({
    step: function (t, stride_m, direction, pitch, cadence, sure) {
      boutDue_ms = t + BOUT_GAP_MS;
      ev.type = EVENT_CONTACT;
      ev.t_ms = t;
      ev.direction = direction;
      ev.first = firstContactOf(pitch);
      ev.pitch_deg = pitch;
      ev.wrong = isWrongGait(direction, ev.first, rule);
      ev.stride_m = stride_m;
      ev.cadence_spm = cadence;
      ev.cal_state = mount.state();
      // (a step whose direction was assumed is not calibrated, whatever the mount became since)
      ev.calibrated = sure;
      onEvent(ev);
    },
    boutStart: function (t) {
      ev.type = EVENT_BOUT_START;
      ev.t_ms = t;
      onEvent(ev);
    },
    held: function (t) {
      boutDue_ms = t + BOUT_GAP_MS;
    },
    boutEnd: function (t) {
      ev.type = EVENT_BOUT_END;
      ev.t_ms = t;
      onEvent(ev);
    },
  });
  // the stride's one record: the strapdown writes its measures into it, the engine the rest
  const f: StrideVerdict = { t_ms: 0, decided_ms: 0, verdict: 0, early: false, start_dps: 0, swing_ms: 0, peak_dps: 0, travel_m: 0, rise_m: 0, turn_deg: 0, tilt_deg: 0, offGravity_deg: 0, lift_m: 0, pitch_deg: 0, up: new Float64Array(3), along: new Float64Array(3) };
  const sd = createStrapdown(f);

  let lastT = -Infinity;
  // what the sensor reads at rest (|acc|^2, g^2: rest.ts); when the bout in progress ends unless a step comes
  let rest2 = 1, restInv2 = 1, boutDue_ms = Infinity;
  let pax = 0, pay = 0, paz = 0, pgx = 0, pgy = 0, pgz = 0;
  let haveRef = false;
  // stance: the calmest sample so far (squared calmness); settled: it came down since the last landing
  let cMin = Infinity, settled = false, still_ms = 0;
  // swing: when it started, its peaks; landed: a stride waiting for its stance
  let swing = false, swingT = 0, peakW2 = 0, peakV2 = 0, quiet_ms = 0;
  let lastFold: StrideMeasures | null = null;
  let landed = false, folded = false, landT = 0, landPitch = 0, early = false;
  // the swing's hardest jolt since it slowed down: when a landing shows late (at rest, or calm), it was there
  let jolt2 = 0, joltT = 0, joltPitch = 0;
  let refT = 0;
  // how calm the stride's start was (squared calmness of its reference)
  let startCalm2 = 0;

  /**
   * The landed stride is over: fold it at this stance sample (the foot at rest: the velocity left is
   * drift) and judge it; a step goes on to its direction, the mount and the walk.
   */
  function finish(t: number, ax: number, ay: number, az: number): void {
    // the stride ends at the stance's calmest sample, folded there already (the reference for the next
    // stride stays there too); only a stance with no calm sample at all ends where it is judged
    const m = folded && lastFold ? lastFold : sd.fold(t, ax, ay, az);
    if (!folded) refT = t;
    landed = false;
    f.t_ms = landT;
    f.decided_ms = t;
    f.swing_ms = landT - swingT;
    f.peak_dps = Math.sqrt(peakW2);
    f.pitch_deg = landPitch;
    f.start_dps = Math.sqrt(startCalm2);
    f.verdict = judgeStride(f);
    f.early = early;
    if (onVerdict) onVerdict(f);
    if (f.verdict !== STEP) return;
    const turning = m.turn_deg >= MIN_TURN_DEG;
    if (early) {
      // counted at its landing: the stance only checks the toe axis still fits
      if (!turning) mount.direction(m.along, m.travel_m, turning, t);
      return;
    }
    if (mount.fits(m.up)) {
      // (a pivot step's travel says nothing about which way the foot went: counted forward)
      walk.step(landT, m.travel_m, turning ? DIR_FORWARD : mount.direction(m.along, m.travel_m, turning, t), landPitch, true);
      return;
    }
    // no mount yet, or a pose that does not fit it (the pod moved, or a rolling walker's stance): counted all
    // the same, its direction provisional (from the old toe axis if there is one, else forward, as the user
    // is asked to walk); a run of such strides from one pose teaches the mount
    const dir = mount.state() === CAL_DONE && !turning ? mount.along(m.along) : DIR_FORWARD;
    mount.addToRun(m.up, m.along, m.travel_m, turning, t);
    walk.step(landT, m.travel_m, dir, landPitch, false);
  }

  /**
   * The per-sample path, written for Espruino: it runs 52 times a second and Espruino pays for every token
   * it reads, untaken branches included, so the rare work (a calmer stance sample, the stance's own
   * tests, a landing) is in functions of its own and this stays short ("ram": kept pretokenised).
   */
  function push(t: number, ax: number, ay: number, az: number, gx: number, gy: number, gz: number): void {
    'ram';
    const dt_ms = t - lastT;
    lastT = t;
    if (dt_ms <= 0 || dt_ms > MAX_SAMPLE_GAP_MS) return restart(ax, ay, az, gx, gy, gz);
    if (t > boutDue_ms) boutOver(t);
    const w2 = gx * gx + gy * gy + gz * gz;
    const a2 = ax * ax + ay * ay + az * az;
    const dax = ax - pax, day = ay - pay, daz = az - paz;
    const da2 = (dax * dax + day * day + daz * daz) * restInv2; // (in what the sensor reads for 1 g)
    const dev = (a2 - rest2) * 0.5; // ~ |acc| - rest level, g
    const c = w2 + K2 * (dev * dev + da2);
    pax = ax; pay = ay; paz = az;
    const mgx = (gx + pgx) * 0.5, mgy = (gy + pgy) * 0.5, mgz = (gz + pgz) * 0.5;
    pgx = gx; pgy = gy; pgz = gz;
    if (c < STILL2) standingStill(t, dt_ms);
    else still_ms = 0;
    // (at rest by turn and force change alone: |acc| is what is being learnt)
    if (w2 < STILL2 && da2 < REST_DA2) {
      rest2 = rest.update(a2, dt_ms / 1000);
      restInv2 = 1 / rest2;
    }
    // the calmest stance sample so far (a "swing" that goes calmer than its stance within MIN_SWING_MS, the
    // landing still ringing, or before it ever turned the foot like a swing, a rolling walker's foot
    // flattening after its landing, was the stance)
    if (c < cMin && (!swing || t - swingT < MIN_SWING_MS || peakW2 < COMMIT2) && (!landed || c < SETTLE2)) return calmest(t, c);
    if (!haveRef) return;
    const v2 = sd.integrate(dt_ms / 1000, mgx, mgy, mgz, ax, ay, az);
    if (!swing) return stance(t, c, w2);
    if (w2 > peakW2) peakW2 = w2;
    if (v2 > peakV2) peakV2 = v2;
    const since = t - swingT;
    if (since < MIN_SWING_MS) return;
    if (since > MAX_SWING_MS) return swingLost();
    quiet_ms = c < SETTLE2 ? quiet_ms + dt_ms : 0;
    // (a landing is looked for once the foot has slowed down, gone quiet, or come to rest)
    if (v2 <= LAND2 * peakV2 || quiet_ms > 0) landing(t, w2, dev, da2, v2);
  }

  /** The first sample, or the first after a gap: nothing to integrate across, no stride to finish. */
  function restart(ax: number, ay: number, az: number, gx: number, gy: number, gz: number): void {
    if (haveRef) resetMotion();
    pax = ax; pay = ay; paz = az;
    pgx = gx; pgy = gy; pgz = gz;
  }

  /** A bout ends BOUT_GAP_MS after its last step (the sample path only compares the time). */
  function boutOver(t: number): void {
    boutDue_ms = walk.tick(t);
  }

  /** A sample calmer than STILL_DPS: how long the foot has stood still. */
  function standingStill(t: number, dt_ms: number): void {
    still_ms += dt_ms;
    if (still_ms >= STANDING_MS) mount.sawStanding(t);
  }

  /** The calmest stance sample so far: the reference (a landed stride is folded here, and ends here if nothing calmer comes before it is judged). */
  function calmest(t: number, c: number): void {
    swing = false;
    cMin = c;
    if (c < SETTLE2) settled = true;
    if (landed && haveRef) {
      lastFold = sd.fold(t, pax, pay, paz);
      folded = true;
    } else sd.reference(t, pax, pay, paz);
    refT = t;
    haveRef = true;
    if (landed && c < STILL2) finish(t, pax, pay, paz);
  }

  /** A stance sample (not the calmest): standing still, the reference going stale, the stride waiting, the next swing. */
  function stance(t: number, c: number, w2: number): void {
    if (c < SETTLE2) settled = true;
    if (c < STILL2) {
      // standing still: zero velocity (a landed stride ends here)
      if (landed) finish(t, pax, pay, paz);
      else sd.zero(t);
      refT = t;
    }
    // a reference older than any heel rise is no stride's start: take the next calm sample
    if (!landed && t - refT > MAX_PRESWING_MS) {
      cMin = Infinity;
      settled = false;
    }
    const swingOn = settled && w2 > SWING2;
    if (landed && (swingOn || t - landT > DECIDE_MS)) finish(t, pax, pay, paz);
    if (swingOn) {
      swing = true;
      swingT = t;
      peakW2 = 0;
      peakV2 = 0;
      quiet_ms = 0;
      jolt2 = 0;
      sd.beginStride();
      startCalm2 = cMin;
    }
  }

  /** Swinging longer than any swing: not a step; wait for the next stance. */
  function swingLost(): void {
    swing = false;
    settled = false;
    cMin = Infinity;
  }

  /**
   * The swing has slowed down, gone quiet or come to rest: has it landed? Slowed down, then an impact or
   * slower still; or come to rest (standing still, or calm a while). The first sample at rest after an
   * impact jumps from the impact's, so at rest here is turn and level alone; a foot that goes quiet or
   * slow without an impact is down only if it is level again (a first step off standing slows in
   * mid-air, and ending it there split it in two).
   */
  function landing(t: number, w2: number, dev: number, da2: number, v2: number): void {
    const atRest2 = w2 + K2 * dev * dev;
    const slowed = v2 <= LAND2 * peakV2;
    if (slowed && da2 > jolt2 && da2 > JOLT2) {
      jolt2 = da2;
      joltT = t;
      joltPitch = toePitch();
    }
    if (!(atRest2 < STILL2 || (slowed && da2 > IMPACT2) || ((quiet_ms >= QUIET_LANDING_MS || (slowed && v2 < SOFT2 * peakV2)) && sd.offGravity_deg(pax, pay, paz) <= MAX_TILT_DEG))) return;
    if (jolt2 > 0 && da2 < jolt2) {
      landT = joltT;
      landPitch = joltPitch;
    } else {
      landT = t;
      landPitch = toePitch();
    }
    const toe = mount.toe();
    landed = true;
    folded = false;
    swing = false;
    // a clear stride within a walk, from the mount's pose, counts now
    const now = sd.peek();
    early = toe !== null && walk.inWalk(landT) && mount.fits(now.up) && now.travel_m >= EARLY_MIN_TRAVEL_M && now.travel_m <= MAX_STEP_M && now.rise_m <= EARLY_MAX_RISE_M && now.rise_m >= -EARLY_MAX_RISE_M && peakW2 >= PEAK2 && landPitch <= MAX_CONTACT_PITCH_DEG && landPitch >= -MAX_CONTACT_PITCH_DEG && now.lift_m >= MIN_LIFT_M;
    if (early && toe) walk.step(landT, now.travel_m, directionOf(now.along[0] * toe[0] + now.along[1] * toe[1] + now.along[2] * toe[2]), landPitch, true);
    settled = false;
    cMin = Infinity;
    if (atRest2 < STILL2) {
      // already at rest (a jogger's stance at 26 Hz may have no other calm sample): the stance starts here
      settled = true;
      cMin = atRest2;
      lastFold = sd.fold(t, pax, pay, paz);
      folded = true;
      refT = t;
    }
  }

  /** The toe's pitch now (deg, toe up +): the mount's toe axis, or before there is one, the way this stride went. */
  function toePitch(): number {
    const toe = mount.toe();
    return toe ? sd.pitch_deg(toe[0], toe[1], toe[2]) : sd.pitch_deg(0, 0, 0);
  }

  function resetMotion(): void {
    haveRef = false;
    swing = false;
    landed = false;
    settled = false;
    cMin = Infinity;
    still_ms = 0;
  }

  return {
    push: push,
    setWrongRule: function (r: number) {
      rule = r;
    },
    getCalibration: function () {
      return mount.get();
    },
    setCalibration: function (c: Calibration | null) {
      mount.set(c);
    },
    calState: function () {
      return mount.state();
    },
    resetMotion: resetMotion,
    quietFor_ms: function () {
      return still_ms;
    },
  };
}
