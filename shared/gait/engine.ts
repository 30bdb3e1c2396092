/**
 * The streaming gait engine: push one IMU sample (sensor frame, g and dps),
 * get ground contacts with direction and first-contact class. Runs unchanged
 * on the pod (ES5 after compilation; no allocation per sample) and on the host.
 *
 * How it works (frames and signs in DESIGN.md):
 * 1. Stance: a quiet foot (|gyro| small, |acc| near 1 g) is on the ground. At
 *    each stance sample the orientation is re-levelled from gravity and the
 *    velocity and travel are zeroed (zero-velocity update).
 * 2. Between stances the gyro is integrated into a rotation world<-sensor and
 *    gravity-free acceleration into velocity and travel, in a world frame
 *    levelled at the last stance (its x axis is the toe heading when that
 *    stance had a steady sample to level on; direction does not rely on it).
 * 3. Contact ends a swing that travelled at least MIN_STRIDE_M: the first
 *    impact, rotation reversal or stop after it. Direction is the sign of the
 *    travel along the toe axis; the class comes from the foot pitch at impact.
 * 4. Mount calibration: gravity from standing still, the toe axis from the
 *    travel direction of the first strides (assumed forward, as the guided
 *    calibration asks). Strides that keep travelling off the toe axis mean the
 *    pod was moved: the calibration is marked stale and learnt again.
 */
import {
  BOUT_GAP_MS,
  CADENCE_SMOOTHING,
  CAL_AGREE_COS,
  CALM_LEVEL_ACC_TOL_G,
  CAL_STALE_COS,
  CAL_STALE_STRIDES,
  CAL_STILL_MS,
  CAL_STRIDES,
  GRAVITY_MPS2,
  HEEL_MIN_PITCH_DEG,
  IMPACT_JERK_G,
  IMPACT_SPEED_FRACTION,
  LANDED_STANCE_ACC_TOL_G,
  LEVEL_ACC_TOL_G,
  LEVEL_GYRO_DPS,
  LEVEL_JERK_G,
  PIVOT_GYRO_DPS,
  TILT_RISE_PER_M,
  TILT_RISE_MAX_TRAVEL_M,
  PIVOT_TILT_TAU_S,
  PIVOT_TILT_ACC_TOL_G,
  MAX_CONTACT_SPEED_FRACTION,
  LANDED_STANCE_GYRO_DPS,
  MAX_SAMPLE_GAP_MS,
  MAX_STRIDE_PERIOD_MS,
  MAX_CONTACT_PITCH_DEG,
  MISFIT_SAME_COS,
  MAX_STANCE_RISE_M,
  MAX_CONTACT_RISE_MPS,
  APEX_BAND_M,
  MAX_STRIDE_DROP_M,
  MAX_STRIDE_RISE_M,
  MID_SWING_MS,
  MIN_STANCE_COS,
  MIN_SWING_LIFT_M,
  MIN_SWING_PITCH_RANGE_DEG,
  MAX_SWING_MS,
  MIN_STRIDE_M,
  MAX_STRIDE_M,
  MIN_SWING_MS,
  MIN_SWING_SPEED_MPS,
  STANCE_ACC_TOL_G,
  STANCE_GYRO_DPS,
  SOFT_LANDING_MS,
  LANDING_TO_STANCE_MS,
  SURE_SWING_SPEED_MPS,
  SOFT_LANDING_ACC_TOL_G,
  ZUPT_GYRO_DPS,
  CALM_BEATS_SPEED_MS,
  STANCE_MAX_SPEED_MPS,
  STANCE_MIN_MS,
  TOE_MAX_PITCH_DEG,
} from './constants.js';

/** |acc|^2 bounds (g^2) of a foot come to rest after a soft landing: within SOFT_LANDING_ACC_TOL_G of 1 g. */
const SOFT_LANDING_ACC_LO_G2 = (1 - SOFT_LANDING_ACC_TOL_G) * (1 - SOFT_LANDING_ACC_TOL_G);
const SOFT_LANDING_ACC_HI_G2 = (1 + SOFT_LANDING_ACC_TOL_G) * (1 + SOFT_LANDING_ACC_TOL_G);
/** |acc|^2 / gRest^2 bounds of a pivoting foot's sample trusted to show gravity's direction. */
const PIVOT_TILT_LO = (1 - PIVOT_TILT_ACC_TOL_G) * (1 - PIVOT_TILT_ACC_TOL_G);
const PIVOT_TILT_HI = (1 + PIVOT_TILT_ACC_TOL_G) * (1 + PIVOT_TILT_ACC_TOL_G);
/** |acc|^2 bounds (g^2) of a sample that shows gravity alone: within LEVEL_ACC_TOL_G of 1 g. */
const LEVEL_ACC_LO_G2 = (1 - LEVEL_ACC_TOL_G) * (1 - LEVEL_ACC_TOL_G);
const LEVEL_ACC_HI_G2 = (1 + LEVEL_ACC_TOL_G) * (1 + LEVEL_ACC_TOL_G);
/** |acc|^2 bounds (g^2, times gRest_g^2) of a calm sample levelled on for want of one at gravity alone: within CALM_LEVEL_ACC_TOL_G. */
const CALM_LEVEL_LO_G2 = (1 - CALM_LEVEL_ACC_TOL_G) * (1 - CALM_LEVEL_ACC_TOL_G);
const CALM_LEVEL_HI_G2 = (1 + CALM_LEVEL_ACC_TOL_G) * (1 + CALM_LEVEL_ACC_TOL_G);

export const EVENT_CONTACT = 1;
export const EVENT_BOUT_START = 2;
export const EVENT_BOUT_END = 3;
export const EVENT_CALIBRATION = 4;

/** Same numbers as the protocol's DIRECTION_* and CONTACT_* so events go on the wire unchanged. */
export const DIR_UNKNOWN = 0;
export const DIR_FORWARD = 1;
export const DIR_BACKWARD = 2;
export const FIRST_FLAT = 0;
export const FIRST_HEEL = 1;
export const FIRST_TOE = 2;

/** Calibration states (same numbers as the protocol's CAL_*). */
export const CAL_NONE = 0;
export const CAL_GRAVITY = 1;
export const CAL_DONE = 2;
export const CAL_STALE = 3;

/** Wrong-gait rule bits: which (direction, first contact) pairs get a buzz. */
export const WRONG_BACKWARD_HEEL = 1;
export const WRONG_BACKWARD_FLAT = 2;
export const WRONG_FORWARD_TOE = 4;
export const WRONG_FORWARD_FLAT = 8;
/** The classic beginner error: reaching back with the heel. */
export const WRONG_DEFAULT = WRONG_BACKWARD_HEEL;

/**
 * One event. The engine reuses a single object for every event to allocate
 * nothing per sample: copy what you keep.
 */
export interface GaitEvent {
  type: number; // EVENT_*
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

export interface Calibration {
  /** unit vector: gravity reaction (up) in the sensor frame while the foot is flat */
  up: number[];
  /** unit vector: the toe direction in the sensor frame, perpendicular to up */
  toe: number[];
}

export interface GaitEngine {
  push(t_ms: number, ax_g: number, ay_g: number, az_g: number, gx_dps: number, gy_dps: number, gz_dps: number): void;
  setWrongRule(rule: number): void;
  getCalibration(): Calibration | null;
  setCalibration(c: Calibration | null): void;
  calState(): number;
  /** Forget the swing in progress (the IMU was stopped or restarted). */
  resetMotion(): void;
  /** How long the foot has been quiet (stance-still), ms: the pod idles the IMU after a while. */
  quietFor_ms(): number;
}

const DEG = 180 / Math.PI;
const RAD = Math.PI / 180;

export function createGaitEngine(onEvent: (e: GaitEvent) => void, wrongRule?: number): GaitEngine {
  let rule = wrongRule === undefined ? WRONG_DEFAULT : wrongRule;
  const ev: GaitEvent = { type: 0, t_ms: 0, direction: 0, first: 0, pitch_deg: 0, wrong: false, stride_m: 0, cadence_spm: 0, calibrated: false, cal_state: CAL_NONE };

  // orientation world<-sensor, row-major; rows are the world axes in sensor coordinates
  const R = new Float64Array(9);
  // orientation at the last stance (the frame travel is measured in)
  const R0 = new Float64Array(9);
  // calibration, sensor frame
  const up = new Float64Array(3);
  const toe = new Float64Array(3);
  const toeSum = new Float64Array(3);
  // still-period gravity accumulator
  const stillSum = new Float64Array(3);
  let stillN = 0;
  // what this accelerometer reads for 1 g (g), measured while standing still (CAL_STILL_MS or longer).
  // A sensor's zero-g offset (LSM6DS3: +-40 mg typical) makes it read 0.96-1.04 at rest; subtracting
  // a flat 1 g integrated a 25 mg error into ~0.1 m of height over a swing (a real gaitmap sensor reads
  // 0.975). Not from a stance: a quick walker's foot is flat for 1-3 samples, too few to measure it.
  let gRest_g = 1;
  // |acc|^2 bounds (g^2) of a sample that shows gravity alone: within LEVEL_ACC_TOL_G of gRest_g
  let levelLo_g2 = LEVEL_ACC_LO_G2, levelHi_g2 = LEVEL_ACC_HI_G2;
  // |acc|^2 bounds (g^2) of a sample that may show a stance's pose: within STANCE_ACC_TOL_G of gRest_g
  let poseLo_g2 = (1 - STANCE_ACC_TOL_G) * (1 - STANCE_ACC_TOL_G), poseHi_g2 = (1 + STANCE_ACC_TOL_G) * (1 + STANCE_ACC_TOL_G);
  // gravity over this stance's steady samples, sensor frame: the frame is levelled from their mean
  const levelSum = new Float64Array(3);
  // provisional toe axis for an uncalibrated stride, sensor frame
  const xs = new Float64Array(3);
  let cal = CAL_NONE;
  let toeCount = 0;
  let staleCount = 0;

  let lastT = -1;
  let havePose = false; // R is valid (levelled at least once)
  let quiet_ms = 0; // how long the current quiet run has lasted
  let still_ms = 0; // same, for the calibration still test
  let motion_ms = 0; // time since the last stance
  let landed = false; // a contact happened, no stance since
  let armed = false; // travel and speed make a stride possible
  let vx = 0, vy = 0, vz = 0; // velocity, m/s, world
  let dx = 0, dy = 0, dz = 0; // travel, m, world
  let peakSpeed = 0;
  let pfx = 0, pfy = 0, pfz = 0; // previous specific force (g), world
  let rwx = 0, rwy = 0, rwz = 0, rw2 = 0; // reference rotation (sensor, dps) for reversal detection
  let pgx = 0, pgy = 0, pgz = 0; // previous gyro sample (dps): the rotation over a sample interval uses the mean of its two ends
  let pax = 0, pay = 0, paz = 0; // previous accelerometer sample (g, sensor frame): a ringing shoe is not steady
  let thPrev = 0, thCur = 0, th0 = 0; // pitch (deg) previous, current, at stance
  let lastContact = -1;
  let inBout = false;
  let period_ms = 0;
  let stanceCos = 1; // cosine between gravity at the last stance and the calibrated up
  const stanceUp = new Float64Array(3); // gravity direction at the last stance, sensor frame
  const misfitUp = new Float64Array(3); // ...at the last stride-like swing from a stance that did not fit (a run of them: misfit)
  const relearnUp = new Float64Array(3); // while relearning (CAL_STALE): the pose the moved pod was found in
  let refitCount = 0; // while relearning: strides in a row that fit the old mount after all
  let misfitT = -1;
  let pendingT = -1; // a contact waiting for its stance to tell a stair from a high landing, or a slow foot from a lifted shoe (-1: none)
  let pendingPrev = false;
  let thMin = 0, thMax = 0; // pitch range over the swing so far (deg)
  let dzMax = 0; // highest point of the swing so far (m above the last stance)
  let stillInStance = false; // the foot turned slower than ZUPT_GYRO_DPS in the current quiet run
  let steadyN = 0; // how many of this quiet run's steady samples levelSum holds (once there is one, stanceUp is their gravity)
  let slapEnd = false; // the first steady sample followed a fast turn (its interval's mean rate over LEVEL_GYRO_DPS): until the next sample
  let stanceFit = 0; // how well stanceUp fits the mount (cosine to the calibrated up; -|gyro|^2 before calibration)
  let poseTier = 0; // how well the sample stanceUp came from shows the pose (stancePose)
  let poseKnown = false; // this quiet run has had a stance sample (the pose variables below are its own)
  let minW2 = 0; // lowest |gyro|^2 of this quiet run's samples levelled on so far for want of a steady one (1 g, or calm: see push)
  let calm_ms = 0; // how long the stance test has passed, the speed test aside

  function emit(type: number, t: number): void {
    ev.type = type;
    ev.t_ms = t;
    ev.cal_state = cal;
    ev.calibrated = cal === CAL_DONE;
    onEvent(ev);
  }

  function setCal(state: number, t: number): void {
    if (cal === state) return;
    cal = state;
    emit(EVENT_CALIBRATION, t);
  }

  /** Level R from gravity (specific force a, any magnitude) with world x along the toe (or any horizontal axis). */
  function level(ax: number, ay: number, az: number): void {
    let n = Math.sqrt(ax * ax + ay * ay + az * az);
    if (n < 1e-6) return;
    const ux = ax / n, uy = ay / n, uz = az / n;
    let hx: number, hy: number, hz: number;
    if (cal === CAL_DONE) {
      hx = toe[0]; hy = toe[1]; hz = toe[2];
    } else {
      // any sensor axis well away from vertical will do until the toe is known
      const aax = ux < 0 ? -ux : ux, aay = uy < 0 ? -uy : uy, aaz = uz < 0 ? -uz : uz;
      hx = 0; hy = 0; hz = 0;
      if (aax <= aay && aax <= aaz) hx = 1;
      else if (aay <= aaz) hy = 1;
      else hz = 1;
    }
    // remove the vertical part of h
    const d = hx * ux + hy * uy + hz * uz;
    hx -= d * ux; hy -= d * uy; hz -= d * uz;
    n = Math.sqrt(hx * hx + hy * hy + hz * hz);
    if (n < 1e-6) return;
    hx /= n; hy /= n; hz /= n;
    R[0] = hx; R[1] = hy; R[2] = hz;
    // y = z x x: world left
    R[3] = uy * hz - uz * hy; R[4] = uz * hx - ux * hz; R[5] = ux * hy - uy * hx;
    R[6] = ux; R[7] = uy; R[8] = uz;
    havePose = true;
  }

  /** Turn R by the mean body rate (dps) over dt seconds (Rodrigues, exact for a constant rate). */
  function rotate(mgx: number, mgy: number, mgz: number, dt: number): void {
    const wn = Math.sqrt(mgx * mgx + mgy * mgy + mgz * mgz);
    if (wn <= 1e-3) return;
    const phi = wn * RAD * dt;
    const kx = mgx / wn, ky = mgy / wn, kz = mgz / wn;
    const s = Math.sin(phi), c = Math.cos(phi), c1 = 1 - c;
    const d00 = c + c1 * kx * kx, d01 = c1 * kx * ky - s * kz, d02 = c1 * kx * kz + s * ky;
    const d10 = c1 * kx * ky + s * kz, d11 = c + c1 * ky * ky, d12 = c1 * ky * kz - s * kx;
    const d20 = c1 * kx * kz - s * ky, d21 = c1 * ky * kz + s * kx, d22 = c + c1 * kz * kz;
    for (let i = 0; i < 9; i += 3) {
      const r0 = R[i], r1 = R[i + 1], r2 = R[i + 2];
      R[i] = r0 * d00 + r1 * d10 + r2 * d20;
      R[i + 1] = r0 * d01 + r1 * d11 + r2 * d21;
      R[i + 2] = r0 * d02 + r1 * d12 + r2 * d22;
    }
  }

  /**
   * steady: re-level from gravity, the foot feels ~1 g and hardly turns. As the heel starts to rise
   * the foot still turns slowly (a "stance" sample) but accelerates at 0.1-0.3 g, which would tilt
   * the frame by 5-15 deg and send that much of the swing's push into height. Otherwise the
   * integrated attitude is kept (push has turned it by this sample's rotation).
   * Gravity is the mean over the stance's steady samples (levelSum), not the latest one: a roll-off
   * starts with the foot turning slowly but already accelerating (the angular acceleration comes
   * first), and its first samples still look steady; levelling on them alone tilted the frame ~9 deg
   * on a heel-counter pod and cut a fifth off every backward stride.
   */
  function zeroVelocity(ax: number, ay: number, az: number, a2: number, steady: boolean): void {
    if (steady) level(levelSum[0], levelSum[1], levelSum[2]);
    else if (!havePose) level(ax, ay, az);
    for (let i = 0; i < 9; i++) R0[i] = R[i];
    vx = vy = vz = 0;
    dx = dy = dz = 0;
    motion_ms = 0;
    peakSpeed = 0;
    armed = false;
    landed = false;
    rw2 = 0;
    // world specific force right now: straight up after levelling
    pfx = 0;
    pfy = 0;
    pfz = Math.sqrt(a2);
    th0 = cal === CAL_DONE ? pitchOf(R, toe[0], toe[1], toe[2]) : 0;
    thMin = thMax = th0;
    dzMax = 0;
    // the stance's pose: gravity as levelled on steady samples (not a later sample of the heel rising about
    // the toes, nor the calmest 1 g (or calm) sample levelled on for want of a steady one: on a rolling walker that can
    // be 25 deg into the heel rise, and the stance misfit the mount; stancePose has the flattest then)
    if (steady && steadyN > 0) {
      stanceUp[0] = R[6]; stanceUp[1] = R[7]; stanceUp[2] = R[8];
      stanceCos = cal === CAL_DONE ? stanceUp[0] * up[0] + stanceUp[1] * up[1] + stanceUp[2] * up[2] : 1;
    }
  }

  /**
   * A stance that is never levelled: its pose is its flattest sample (the calmest before the mount is
   * known), rolling ones included, from the samples that show it best: gravity alone (oneG), else near
   * 1 g, else any. A rolling walker's foot passes through flat on its way from heel strike to lift-off,
   * 30-45 deg about its toes: its last sample misfit the mount by 31 deg, its calmest by up to 37, and a
   * shoe still ringing after the impact by 37 (real gaitmap walker). A stance with no sample near 1 g
   * still has a pose (its flattest sample): counting it as fitting let a pod turned over in the hand make
   * strides (tuning seeds 31-130, handled: 6 -> 11 in 16.7 h at 26 Hz).
   * In a walk (a stride within MAX_STRIDE_PERIOD_MS), calibrated, a sample that is not gravity alone is read
   * through the frame instead: its up as the gyro carried it from the last levelled stance. A foot
   * that jogs on its toes and never comes flat accelerates through its whole stance, and its
   * flattest-looking sample misfit the mount by 40-110 deg (simulated slow walkers jogging backward,
   * 104 Hz: 2.4% of strides lost). Not outside a walk: a seated foot tapping at 26 Hz carries its frame
   * from tap to tap without levelling it, and every tap counted (26 Hz, tuning seeds: 3 -> 196).
   */
  function stancePose(ax: number, ay: number, az: number, a2: number, w2: number, oneG: boolean): void {
    if (!poseKnown) {
      // the stance's first sample
      poseKnown = true;
      stanceFit = -Infinity;
      poseTier = 0;
    }
    // how well the sample shows the pose: gravity alone (2), near 1 g (1: a landing's impact passes through
    // 0.7 g pointing anywhere), or not (0)
    const tier = oneG ? 2 : a2 > poseLo_g2 && a2 < poseHi_g2 ? 1 : 0;
    if (tier < poseTier) return;
    let n = Math.sqrt(a2);
    if (n < 1e-6) return;
    // in a walk, the frame shows the pose better than a sample that is not gravity alone (see above)
    const frame = tier < 2 && havePose && cal === CAL_DONE && lastContact >= 0 && lastT - lastContact <= MAX_STRIDE_PERIOD_MS;
    if (frame) {
      ax = R[6]; ay = R[7]; az = R[8];
      n = 1;
    }
    const fit = cal === CAL_DONE ? (ax * up[0] + ay * up[1] + az * up[2]) / n : -w2;
    if (fit <= stanceFit && tier === poseTier) return;
    stanceFit = fit;
    poseTier = tier;
    stanceUp[0] = ax / n; stanceUp[1] = ay / n; stanceUp[2] = az / n;
    stanceCos = cal === CAL_DONE ? fit : 1;
  }

  /**
   * A pivoting foot (a2: |acc|^2, within PIVOT_TILT_ACC_TOL_G of what it reads at rest) feels gravity
   * and little else: turn the frame (about a horizontal world axis) so that the specific force points
   * dt / PIVOT_TILT_TAU_S of the way closer to straight up.
   */
  function tiltToward(ax: number, ay: number, az: number, a2: number, dt: number): void {
    const r = a2 / (gRest_g * gRest_g);
    if (r < PIVOT_TILT_LO || r > PIVOT_TILT_HI) return;
    const gain = dt / PIVOT_TILT_TAU_S;
    const fx = R[0] * ax + R[1] * ay + R[2] * az;
    const fy = R[3] * ax + R[4] * ay + R[5] * az;
    const fz = R[6] * ax + R[7] * ay + R[8] * az;
    const h = Math.sqrt(fx * fx + fy * fy);
    if (h < 1e-9) return;
    const ang = Math.atan2(h, fz) * (gain < 1 ? gain : 1);
    // axis f x z (horizontal), unit
    const kx = fy / h, ky = -fx / h;
    const s = Math.sin(ang), c = Math.cos(ang), c1 = 1 - c;
    const c00 = c + c1 * kx * kx, c01 = c1 * kx * ky, c02 = s * ky;
    const c10 = c01, c11 = c + c1 * ky * ky, c12 = -s * kx;
    const c20 = -c02, c21 = -c12, c22 = c;
    for (let j = 0; j < 3; j++) {
      const r0 = R[j], r1 = R[3 + j], r2 = R[6 + j];
      R[j] = c00 * r0 + c01 * r1 + c02 * r2;
      R[3 + j] = c10 * r0 + c11 * r1 + c12 * r2;
      R[6 + j] = c20 * r0 + c21 * r1 + c22 * r2;
    }
  }

  /** Pitch (deg, toe up +) of sensor-frame direction (x,y,z) under rotation M. */
  function pitchOf(M: Float64Array, x: number, y: number, z: number): number {
    let s = M[6] * x + M[7] * y + M[8] * z;
    if (s > 1) s = 1;
    else if (s < -1) s = -1;
    return Math.asin(s) * DEG;
  }

  /** Provisional toe axis from this stride's travel (assumed forward), in sensor coordinates at the last stance. */
  function travelAxis(): number {
    const n = Math.sqrt(dx * dx + dy * dy);
    if (n < 1e-6) return 0;
    const hx = dx / n, hy = dy / n;
    // sensor coords of world vector (hx, hy, 0): R0^T h
    xs[0] = R0[0] * hx + R0[3] * hy;
    xs[1] = R0[1] * hx + R0[4] * hy;
    xs[2] = R0[2] * hx + R0[5] * hy;
    return n;
  }

  function learnToe(t: number): void {
    travelAxis();
    if (toeCount > 0) {
      const n = Math.sqrt(toeSum[0] * toeSum[0] + toeSum[1] * toeSum[1] + toeSum[2] * toeSum[2]);
      const c = (xs[0] * toeSum[0] + xs[1] * toeSum[1] + xs[2] * toeSum[2]) / n;
      if (c < CAL_AGREE_COS) toeCount = 0; // a turn on the spot or a backward stride: start again
    }
    if (toeCount === 0) toeSum[0] = toeSum[1] = toeSum[2] = 0;
    toeSum[0] += xs[0]; toeSum[1] += xs[1]; toeSum[2] += xs[2];
    toeCount++;
    if (toeCount < CAL_STRIDES) return;
    // perpendicular to gravity: as measured standing still if it was (a long, quiet measurement),
    // else at the last stance (a stance is short and may not be flat: a real walker's stance up was
    // 20-37 deg off the standing one)
    const still = cal === CAL_GRAVITY;
    const ux = still ? up[0] : R0[6], uy = still ? up[1] : R0[7], uz = still ? up[2] : R0[8];
    const d = toeSum[0] * ux + toeSum[1] * uy + toeSum[2] * uz;
    let x = toeSum[0] - d * ux, y = toeSum[1] - d * uy, z = toeSum[2] - d * uz;
    const n = Math.sqrt(x * x + y * y + z * z);
    x /= n; y /= n; z /= n;
    toe[0] = x; toe[1] = y; toe[2] = z;
    up[0] = ux; up[1] = uy; up[2] = uz;
    toeCount = 0;
    staleCount = 0;
    setCal(CAL_DONE, t);
  }

  /** The mount no longer fits: learn it again from strides that start from this stance's pose (relearnUp). */
  function relearn(t: number): void {
    staleCount = 0;
    toeCount = 0;
    refitCount = 0;
    relearnUp[0] = stanceUp[0]; relearnUp[1] = stanceUp[1]; relearnUp[2] = stanceUp[2];
    setCal(CAL_STALE, t);
  }

  /** This stride travelled along the calibrated toe axis (forward or backward), within CAL_STALE_COS. */
  function alongToeAxis(): boolean {
    travelAxis();
    const c = xs[0] * toe[0] + xs[1] * toe[1] + xs[2] * toe[2];
    return (c < 0 ? -c : c) >= CAL_STALE_COS;
  }

  function checkStillFits(t: number): void {
    if (alongToeAxis()) {
      staleCount = 0;
      return;
    }
    if (++staleCount < CAL_STALE_STRIDES) return;
    // the pod was turned on the shoe about its up: learn the toe axis again from the next strides, which
    // start from this stance's pose (see contact)
    relearn(t);
  }

  /**
   * A stride-like swing from a stance that is not the calibrated foot-flat
   * pose. Once in a while that is a shoe in the hands; CAL_STALE_STRIDES in
   * a row, at walking pace, all from the same (new) pose, is a pod that was
   * moved on the shoe: learn the mount again. Only a stance that showed
   * gravity alone (steady, or a 1 g sample not ringing) says what the new
   * pose is: a seated foot tapping at 26 Hz stops for one sample at ~1 g
   * mid-tap, 80 deg off gravity, at the same pose every tap, and those
   * "poses" made the mount be learnt again, after which every tap counted.
   */
  function misfit(t: number): void {
    // (a steady stance's first steady sample went through stancePose as tier 2, so this covers it too; at
    // a contact poseTier is still the take-off stance's: stancePose runs after contact in a sample)
    if (poseTier < 2) return;
    const same = stanceUp[0] * misfitUp[0] + stanceUp[1] * misfitUp[1] + stanceUp[2] * misfitUp[2] >= MISFIT_SAME_COS;
    if (misfitT < 0 || t - misfitT > MAX_STRIDE_PERIOD_MS || !same) staleCount = 0;
    misfitT = t;
    misfitUp[0] = stanceUp[0]; misfitUp[1] = stanceUp[1]; misfitUp[2] = stanceUp[2];
    if (++staleCount < CAL_STALE_STRIDES) return;
    relearn(t);
  }

  function classify(pitch: number): number {
    return pitch >= HEEL_MIN_PITCH_DEG ? FIRST_HEEL : pitch <= TOE_MAX_PITCH_DEG ? FIRST_TOE : FIRST_FLAT;
  }

  function isWrong(direction: number, first: number): boolean {
    if (direction === DIR_BACKWARD) {
      return (first === FIRST_HEEL && (rule & WRONG_BACKWARD_HEEL) !== 0) || (first === FIRST_FLAT && (rule & WRONG_BACKWARD_FLAT) !== 0);
    }
    if (direction === DIR_FORWARD) {
      return (first === FIRST_TOE && (rule & WRONG_FORWARD_TOE) !== 0) || (first === FIRST_FLAT && (rule & WRONG_FORWARD_FLAT) !== 0);
    }
    return false;
  }

  /** atStance: called at the stance after the landing (dz is then the foot's new height, not the pod's at first contact). */
  function contact(t: number, usePrev: boolean, atStance: boolean): void {
    landed = true;
    armed = false;
    // high at first contact: a stair up, or a toe landing with the pod near the heel (jogging backward);
    // the stance that follows tells them apart (the heel comes down, a stair stays up)
    const travel = Math.sqrt(dx * dx + dy * dy);
    // a frame tilted by a few degrees reads height in proportion to the travel (TILT_RISE_PER_M)
    const tiltRise = TILT_RISE_PER_M * (travel < TILT_RISE_MAX_TRAVEL_M ? travel : TILT_RISE_MAX_TRAVEL_M);
    if (!atStance && dz > MAX_STRIDE_RISE_M && dz > tiltRise) {
      pendingT = t;
      pendingPrev = usePrev;
      return;
    }
    // not strides (see constants.ts for each): a stair, a foot that barely turned or rose (a shuffle),
    // a "landing" at an angle no foot lands at, a swing that did not start from a foot flat on the ground,
    // a shoe lifted off the floor (still rising at the top of its motion)
    if ((dz > (atStance ? MAX_STANCE_RISE_M : MAX_STRIDE_RISE_M) || dz < -MAX_STRIDE_DROP_M) && (dz < 0 ? -dz : dz) > tiltRise) return;
    if (travel > MAX_STRIDE_M) return;
    const calibrated = cal === CAL_DONE;
    if (calibrated && stanceCos < MIN_STANCE_COS) return misfit(t);
    // relearning the mount: strides start from the pose the moved pod was found in, or from the old one
    // (it was not moved after all), not from any pose: a shoe being put on, turned every way, counted as
    // it came down once the mount was taken for moved. A run of strides from yet another pose is a pod
    // moved again (misfit): without that, a pod re-clipped while the shoe was handled never counted again
    const oldPose = cal === CAL_STALE && stanceUp[0] * up[0] + stanceUp[1] * up[1] + stanceUp[2] * up[2] >= MIN_STANCE_COS;
    if (cal === CAL_STALE && !oldPose && stanceUp[0] * relearnUp[0] + stanceUp[1] * relearnUp[1] + stanceUp[2] * relearnUp[2] < MISFIT_SAME_COS) return misfit(t);
    if (thMax - thMin < MIN_SWING_PITCH_RANGE_DEG || dzMax < MIN_SWING_LIFT_M) return;
    // (a frame tilted by ~11 deg reads TILT_RISE_PER_M of the foot's horizontal speed as rising: a real
    // walker's landing after a turn read +0.21 m/s with its frame 17 deg off)
    if (!atStance && vz > MAX_CONTACT_RISE_MPS + TILT_RISE_PER_M * Math.sqrt(vx * vx + vy * vy) && dzMax - dz < APEX_BAND_M) return;
    // a swing slower than walking (SURE_SWING_SPEED_MPS) waits for its stance too: a shoe picked up "lands"
    // at the top of the lift and is first still when put down, too late (LANDING_TO_STANCE_MS). (After the
    // tests above, which see the contact itself; the stance re-runs them, and a misfit has returned already.)
    if (!atStance && peakSpeed < SURE_SWING_SPEED_MPS) {
      pendingT = t;
      pendingPrev = usePrev;
      return;
    }
    let pitch = usePrev && (thPrev < 0 ? -thPrev : thPrev) > (thCur < 0 ? -thCur : thCur) ? thPrev : thCur;
    pitch -= th0;
    if (pitch > MAX_CONTACT_PITCH_DEG || pitch < -MAX_CONTACT_PITCH_DEG) return;
    let direction = DIR_FORWARD;
    // from the old pose, travelling along the old toe axis: the old mount fits after all (its direction
    // holds, and CAL_STALE_STRIDES in a row restore it); otherwise learn the toe axis from this stride
    let fits = calibrated;
    if (oldPose) {
      fits = alongToeAxis();
      refitCount = fits ? refitCount + 1 : 0;
      if (refitCount >= CAL_STALE_STRIDES) {
        // (misfits counted while relearning, strides from a third pose, start again, as after learnToe)
        toeCount = 0;
        staleCount = 0;
        setCal(CAL_DONE, t);
      }
    }
    if (fits) {
      // along the toe as it pointed at the last stance: a stance with no sample to level on keeps the
      // gyro-carried frame, whose x axis need not be the toe heading (a real walker's rolling stance
      // left it 87 deg off and the stride read as sideways)
      const along = dx * (R0[0] * toe[0] + R0[1] * toe[1] + R0[2] * toe[2]) + dy * (R0[3] * toe[0] + R0[4] * toe[1] + R0[5] * toe[2]);
      direction = along >= 0 ? DIR_FORWARD : DIR_BACKWARD;
      if (calibrated) checkStillFits(t);
    } else {
      learnToe(t);
    }
    if (lastContact >= 0) {
      const p = t - lastContact;
      if (p <= MAX_STRIDE_PERIOD_MS) period_ms = period_ms > 0 ? period_ms + CADENCE_SMOOTHING * (p - period_ms) : p;
    }
    if (!inBout) {
      inBout = true;
      period_ms = 0;
      emit(EVENT_BOUT_START, t);
    }
    lastContact = t;
    const first = classify(pitch);
    ev.direction = direction;
    ev.first = first;
    ev.pitch_deg = pitch;
    ev.wrong = isWrong(direction, first);
    ev.stride_m = travel;
    ev.cadence_spm = period_ms > 0 ? 120000 / period_ms : 0;
    emit(EVENT_CONTACT, t);
  }

  function resetMotion(): void {
    lastT = -1;
    havePose = false;
    quiet_ms = 0;
    still_ms = 0;
    landed = false;
    armed = false;
    vx = vy = vz = 0;
    motion_ms = 0;
    calm_ms = 0;
  }

  function push(t: number, ax: number, ay: number, az: number, gx: number, gy: number, gz: number): void {
    let dt_ms = lastT < 0 ? 0 : t - lastT;
    if (dt_ms <= 0 || dt_ms > MAX_SAMPLE_GAP_MS) {
      // first sample or a gap: nothing to integrate across
      if (lastT >= 0) havePose = false;
      dt_ms = 0;
    }
    lastT = t;
    if (inBout && t - lastContact > BOUT_GAP_MS) {
      inBout = false;
      emit(EVENT_BOUT_END, lastContact);
    }
    const w2 = gx * gx + gy * gy + gz * gz;
    const a2 = ax * ax + ay * ay + az * az;
    // trapezoidal integration: the mean rate over the interval (a 52 Hz sample of a 400 dps swing
    // turns 8 deg; using only its end rate tilts the frame by degrees and the stride by decimetres)
    const mgx = (gx + pgx) * 0.5, mgy = (gy + pgy) * 0.5, mgz = (gz + pgz) * 0.5;
    pgx = gx; pgy = gy; pgz = gz;
    // the force's change from the sample before that the turn does not explain (a still force seen from a
    // sensor turning at w changes by -w x a dt): a ringing shoe, not a foot rolling at 100+ dps
    const kr = dt_ms * (RAD / 1000);
    const dax = ax - pax + (mgy * paz - mgz * pay) * kr;
    const day = ay - pay + (mgz * pax - mgx * paz) * kr;
    const daz = az - paz + (mgx * pay - mgy * pax) * kr;
    // (after a gap or at the first sample the sample before says nothing: not ringing)
    const ringing = dt_ms > 0 && dax * dax + day * day + daz * daz >= LEVEL_JERK_G * LEVEL_JERK_G;
    pax = ax; pay = ay; paz = az;
    const gyroLimit = landed ? LANDED_STANCE_GYRO_DPS : STANCE_GYRO_DPS;
    const accTol = landed ? LANDED_STANCE_ACC_TOL_G : STANCE_ACC_TOL_G;
    const lo = 1 - accTol, hi = 1 + accTol;
    // mid-swing the rotation can pass through zero with little force: a foot still moving fast is not standing
    // (early in the motion, or while a stride is armed: see MID_SWING_MS) (tested last: only on the few samples
    // that pass the cheap checks)
    // (a foot calm for CALM_BEATS_SPEED_MS is standing whatever the integrated speed says: that speed is then an error)
    // a foot pivoting on the ground (the heel rising slowly about the toes, |acc| still 1 g) stays in
    // its stance: a slow walker's heel rises at 60-140 dps for 300-500 ms (a real gaitmap walker), and
    // timing it as swing made a 0.45 s swing look 1 s long. Only in a walk (a stride landed within
    // MAX_STRIDE_PERIOD_MS): a foot pivoting while its owner sits down or stands up is not walking
    const calm =
      (w2 < gyroLimit * gyroLimit && a2 > lo * lo && a2 < hi * hi) ||
      (quiet_ms > 0 && w2 < PIVOT_GYRO_DPS * PIVOT_GYRO_DPS && a2 > levelLo_g2 && a2 < levelHi_g2 && lastContact >= 0 && t - lastContact <= MAX_STRIDE_PERIOD_MS);
    let rolling = false;
    calm_ms = calm ? calm_ms + dt_ms : 0;
    if (calm && (landed || (motion_ms > MID_SWING_MS && !armed) || calm_ms >= CALM_BEATS_SPEED_MS || vx * vx + vy * vy <= STANCE_MAX_SPEED_MPS * STANCE_MAX_SPEED_MPS)) {
      if (quiet_ms === 0) {
        // a quiet run starts (done here, not on every swing sample)
        stillInStance = false;
        steadyN = 0;
        poseKnown = false;
        minW2 = STANCE_GYRO_DPS * STANCE_GYRO_DPS;
      }
      quiet_ms += dt_ms;
      // an armed swing that goes quiet may be a slow foot just before it lands: wait SOFT_LANDING_MS
      const need_ms = armed && !landed ? SOFT_LANDING_MS : STANCE_MIN_MS;
      // no pose yet (start, a gap, the IMU woken mid-stride): wait for a real stance, not one quiet sample mid-swing
      if (quiet_ms >= need_ms || (landed && dt_ms > 0)) {
        // a landing soft enough to show neither impact nor rotation reversal: the foot is down and still
        if (armed && !landed) {
          if (a2 > SOFT_LANDING_ACC_LO_G2 && a2 < SOFT_LANDING_ACC_HI_G2) contact(t, false, true);
          else armed = false; // quiet but not at rest (a foot going round on a pedal): no landing
        } else if (pendingT >= 0 && t - pendingT <= LANDING_TO_STANCE_MS) contact(pendingT, pendingPrev, true); // (later: not a landing)
        pendingT = -1;
        // once the foot has been still in this stance, a sample turning faster than ZUPT_GYRO_DPS may be
        // the roll-off starting: keep integrating (zeroed again if it goes still). Before that (the
        // foot rolling flat after a landing) every stance sample is zeroed.
        rolling = stillInStance && w2 >= ZUPT_GYRO_DPS * ZUPT_GYRO_DPS;
        // gravity alone: within LEVEL_ACC_TOL_G of what the sensor reads at rest (gRest_g; 1 g until the still
        // test below has measured it, which uses this test too), and not a ringing shoe passing through 1 g
        const oneG = a2 > levelLo_g2 && a2 < levelHi_g2 && !ringing;
        // (a stance levelled on steady samples has their gravity as its pose: zeroVelocity)
        if (steadyN === 0) stancePose(ax, ay, az, a2, w2, oneG);
        if (!rolling) {
          // a stance sample that is not levelled still turns the frame (rolling samples are turned below):
          // a foot turning on the ground (shuffling, pivoting) at 30-60 dps levels at most on its calmest
          // sample, and dropping the other turns tilted the frame by ~5 deg a second
          // turning slowly enough to level on (LEVEL_GYRO_DPS)
          const slow = w2 < LEVEL_GYRO_DPS * LEVEL_GYRO_DPS;
          let steady = oneG && slow;
          // the stance's first steady sample came straight after a fast turn (slapEnd), and the very next
          // "rings" against it though it is steady in itself: the first is the one that is off, so start
          // again from the next. At 26 Hz a sample is the mean of the 38 ms before it: the first after a
          // foot slap held the slap's end, 15 deg off gravity (simulated slow walker, heel counter), and
          // levelling on it alone sent 0.5 m of a stride into height. (Not after a calm sample: a pod in a
          // car, quiet between bumps, then made a stride.)
          if (steadyN === 1 && slapEnd) {
            slapEnd = false;
            if (ringing && slow && a2 > levelLo_g2 && a2 < levelHi_g2) {
              steadyN = 0;
              steady = true;
            }
          }
          if (steady) {
            if (steadyN === 0) {
              levelSum[0] = levelSum[1] = levelSum[2] = 0;
              slapEnd = mgx * mgx + mgy * mgy + mgz * mgz >= LEVEL_GYRO_DPS * LEVEL_GYRO_DPS;
            }
            steadyN++;
            levelSum[0] += ax; levelSum[1] += ay; levelSum[2] += az;
          } else if (steadyN === 0 && w2 < minW2 && (oneG || (poseTier < 2 && slow && !ringing && lastContact >= 0 && t - lastContact <= MAX_STRIDE_PERIOD_MS && a2 > CALM_LEVEL_LO_G2 * gRest_g * gRest_g && a2 < CALM_LEVEL_HI_G2 * gRest_g * gRest_g))) {
            // no steady sample yet: a quick or unsteady walker's foot may never turn slower than
            // LEVEL_GYRO_DPS (a real gaitmap walker: 16-40 dps at best, for ~100 ms), and a frame that
            // is only ever turned by the gyro drifts without bound. Level on the calmest 1 g sample so
            // far until a steady one comes; while no sample of the stance so far was 1 g (poseTier < 2: see
            // stancePose) and in a walk, on the calmest sample that hardly turns within CALM_LEVEL_ACC_TOL_G
            // (a heel-counter pod as the heel starts to rise; not a shuffle's turning points, 15-20 deg off
            // gravity). A 1 g sample after that levels only if calmer still.
            minW2 = w2;
            levelSum[0] = ax; levelSum[1] = ay; levelSum[2] = az;
            steady = true;
          }
          if (havePose && dt_ms > 0 && !steady) {
            rotate(mgx, mgy, mgz, dt_ms / 1000);
            // in its stance only as a pivot (turning faster than a stance, |acc| at gravity): see tiltToward below
            if (w2 >= gyroLimit * gyroLimit) tiltToward(ax, ay, az, a2, dt_ms / 1000);
          }
          zeroVelocity(ax, ay, az, a2, steady);
        }
        if (w2 < ZUPT_GYRO_DPS * ZUPT_GYRO_DPS) stillInStance = true;
        if (oneG && w2 < STANCE_GYRO_DPS * STANCE_GYRO_DPS) {
          // truly still: measure gravity for the mount, and what the sensor reads for 1 g
          if (still_ms === 0) {
            stillSum[0] = stillSum[1] = stillSum[2] = 0;
            stillN = 0;
          }
          still_ms += dt_ms > 0 ? dt_ms : 1;
          stillSum[0] += ax; stillSum[1] += ay; stillSum[2] += az;
          stillN++;
          const n = still_ms >= CAL_STILL_MS ? Math.sqrt(stillSum[0] * stillSum[0] + stillSum[1] * stillSum[1] + stillSum[2] * stillSum[2]) : 0;
          if (n > 0) {
            gRest_g = n / stillN;
            levelLo_g2 = LEVEL_ACC_LO_G2 * gRest_g * gRest_g;
            levelHi_g2 = LEVEL_ACC_HI_G2 * gRest_g * gRest_g;
            poseLo_g2 = (1 - STANCE_ACC_TOL_G) * (1 - STANCE_ACC_TOL_G) * gRest_g * gRest_g;
            poseHi_g2 = (1 + STANCE_ACC_TOL_G) * (1 + STANCE_ACC_TOL_G) * gRest_g * gRest_g;
          }
          if (n > 0 && cal === CAL_NONE) {
            up[0] = stillSum[0] / n; up[1] = stillSum[1] / n; up[2] = stillSum[2] / n;
            setCal(CAL_GRAVITY, t);
          }
        } else still_ms = 0;
        if (!rolling) return;
      }
    } else {
      quiet_ms = 0;
      still_ms = 0;
    }
    if (!havePose || dt_ms === 0) return;
    if (!rolling) motion_ms += dt_ms; // a rolling foot is still on the ground: its swing has not started
    if (motion_ms > MAX_SWING_MS) {
      armed = false;
      return; // too long for a stride: wait for the next stance
    }
    const dt = dt_ms / 1000;
    rotate(mgx, mgy, mgz, dt);
    // a foot pivoting on the ground feels gravity (and little else): pull the frame's vertical toward it
    if (rolling && w2 >= gyroLimit * gyroLimit) tiltToward(ax, ay, az, a2, dt);
    // specific force in the world frame, g
    const fx = R[0] * ax + R[1] * ay + R[2] * az;
    const fy = R[3] * ax + R[4] * ay + R[5] * az;
    const fz = R[6] * ax + R[7] * ay + R[8] * az;
    const jx = fx - pfx, jy = fy - pfy, jz = fz - pfz;
    const jerk2 = jx * jx + jy * jy + jz * jz;
    const k = GRAVITY_MPS2 * dt;
    const ovx = vx, ovy = vy, ovz = vz;
    vx += (fx + pfx) * 0.5 * k; vy += (fy + pfy) * 0.5 * k; vz += ((fz + pfz) * 0.5 - gRest_g) * k;
    pfx = fx; pfy = fy; pfz = fz;
    dx += (vx + ovx) * 0.5 * dt; dy += (vy + ovy) * 0.5 * dt; dz += (vz + ovz) * 0.5 * dt;
    if (landed) return; // the foot is rolling flat after a contact
    // the speed before this sample: an impact's own spike must not count as the swing still speeding up
    const speed2 = ovx * ovx + ovy * ovy;
    if (speed2 > peakSpeed * peakSpeed) peakSpeed = Math.sqrt(speed2);
    // pitch of the toe (calibrated) or of this stride's travel axis (learning)
    thPrev = thCur;
    if (cal === CAL_DONE) thCur = pitchOf(R, toe[0], toe[1], toe[2]);
    else if (travelAxis() > 0.05) thCur = pitchOf(R, xs[0], xs[1], xs[2]);
    if (thCur < thMin) thMin = thCur;
    else if (thCur > thMax) thMax = thCur;
    if (dz > dzMax) dzMax = dz;
    // rotation reversal: the swing's rotation ends at contact (heel slap or heel drop)
    const dot = gx * rwx + gy * rwy + gz * rwz;
    const reversed = rw2 > 10000 && dot < 0 && w2 > 900;
    if (dot < 0 || w2 > rw2) {
      rwx = gx; rwy = gy; rwz = gz; rw2 = w2;
    }
    if (!armed) {
      armed = motion_ms >= MIN_SWING_MS && peakSpeed >= MIN_SWING_SPEED_MPS && dx * dx + dy * dy >= MIN_STRIDE_M * MIN_STRIDE_M;
      if (!armed) return;
    }
    if (speed2 > MAX_CONTACT_SPEED_FRACTION * MAX_CONTACT_SPEED_FRACTION * peakSpeed * peakSpeed) return; // still speeding up: toe-off, not a landing
    if (reversed) contact(t, true, false);
    else if (jerk2 >= IMPACT_JERK_G * IMPACT_JERK_G && (jz > 0 || speed2 < IMPACT_SPEED_FRACTION * IMPACT_SPEED_FRACTION * peakSpeed * peakSpeed)) contact(t, false, false);
  }

  return {
    push: push,
    setWrongRule: function (r: number) {
      rule = r;
    },
    getCalibration: function () {
      if (cal !== CAL_DONE) return null;
      return { up: [up[0], up[1], up[2]], toe: [toe[0], toe[1], toe[2]] };
    },
    setCalibration: function (c: Calibration | null) {
      if (c === null) {
        toeCount = 0;
        cal = CAL_NONE;
        return;
      }
      up[0] = c.up[0]; up[1] = c.up[1]; up[2] = c.up[2];
      toe[0] = c.toe[0]; toe[1] = c.toe[1]; toe[2] = c.toe[2];
      cal = CAL_DONE;
    },
    calState: function () {
      return cal;
    },
    resetMotion: resetMotion,
    quietFor_ms: function () {
      return quiet_ms;
    },
  };
}
