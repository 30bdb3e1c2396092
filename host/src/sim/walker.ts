/**
 * A simulated walker: the IMU signal of a pod clipped to one shoe, with the
 * truth of every stride. Used by the demo, the tests and the bench.
 *
 * How the signal is made (physics, not templates): for each walking segment
 * the heel point's path and the foot's pitch and heading are laid out stride
 * by stride at INTERNAL_HZ (pre-swing roll about the toe or heel, swing,
 * first contact, roll to foot-flat, still stance), smoothed like a shoe sole
 * does, then the sensor's position and orientation are differentiated:
 * specific force = R^T (a + g) and body rate come out physically consistent,
 * so a strapdown integration of them gives back the stride. The swing lands
 * with the speed a real foot has (heel ~0.3 m/s down), which the sole's
 * compliance turns into a 2-3 g impact. Then the mounting rotation, bias,
 * gyro drift and noise of an LSM6DS3 are applied (imu-output.ts).
 *
 * One pod sees one foot: a "stride" here is that foot's gait cycle (two
 * steps). Cadence is given in steps per minute, as people count it.
 */
import { rotationZYX, rotationZYXInto } from '../replay/run.js';
import { createImuNoise, meanOverSamplePeriod } from './imu-output.js';
import { gaussian, uniform } from './random.js';
import type { ImuSource } from './virtual-pod.js';

type Direction = 'forward' | 'backward';
type FirstContact = 'heel' | 'flat' | 'toe';

/** What really happened at one ground contact. */
export interface StrideTruth {
  /** time the foot first touched the ground, session ms */
  t_ms: number;
  direction: Direction;
  first: FirstContact;
  /** foot pitch at first contact, positive toe up */
  pitch_deg: number;
  /** the default wrong-gait rule: backward and heel first */
  wrong: boolean;
  stride_m: number;
}

export type Segment =
  | { kind: 'stand'; duration_s: number }
  | {
      kind: 'walk';
      direction: Direction;
      strides: number;
      /** steps per minute (2 per stride); default 110 forward, 120 backward */
      cadence_spm?: number;
      /** foot travel per stride; default 1.35 m forward, 0.8 m backward */
      stride_m?: number;
      /** how each stride lands; default heel forward, toe backward */
      first?: FirstContact;
      /** indexes (0-based) of strides in this segment that land the other way: heel for backward, toe for forward */
      odd?: number[];
      /** heading change over the segment, deg (a turn) */
      turn_deg?: number;
      /** rise per stride, m (5% incline on a 1.4 m stride: 0.07) */
      rise_m?: number;
    };

/**
 * How a person walks beyond the stride plan, and how their sensor errs. The
 * default is a brisk walker (gaitmap 2 x 20 m); a slow, rolling walker
 * (gaitmap 4 x 10 m) has a foot that never stops turning while flat (it
 * rolls on toward lift-off at 15-60 dps, and its force stays within 0.03 g
 * of what the sensor reads at rest), a heel that rises slowly for 300-500 ms
 * before the toe leaves the floor, and in that recording a sensor that reads
 * 0.975 g at rest.
 */
export interface GaitStyle {
  /** heel (or toe) rise before lift-off, s */
  preswing_s: number;
  /** ...taking at most this share of the stance */
  preswingMaxShare: number;
  /** share of the lift-off pitch the foot rolls through from foot flat to lift-off on top of the heel rise proper (0: it stands still while flat) */
  flatRoll: number;
  /** accelerometer gain: what it reads for 1 g */
  accScale: number;
}

export const STYLE_BRISK: GaitStyle = { preswing_s: 0.25, preswingMaxShare: 0.45, flatRoll: 0, accScale: 1 };

export interface WalkerOptions {
  seed?: number;
  /** default STYLE_BRISK */
  style?: GaitStyle;
  /** mounting of the sensor on the shoe: yaw, pitch, roll of the sensor frame in the foot frame, deg (default: flat on the laces, sloping 20 deg) */
  mount_deg?: [number, number, number];
  /** a mounting from MOUNTS (orientation and position); mount_deg, when given, overrides its orientation */
  mount?: Mount;
  /** default true: a real sensor (the seed's gain and offsets, LSM6DS3 noise, slow gyro drift: sensorErrorsFor, imu-output.ts); false: ideal */
  noise?: boolean;
}

export interface Walker {
  source: ImuSource;
  truth: StrideTruth[];
  duration_ms: number;
  segments: Segment[];
}

/** Internal simulation rate: fine enough that a 52-104 Hz sample sees a smooth signal. */
const INTERNAL_HZ = 1000;
const G_MPS2 = 9.80665;
const RAD = Math.PI / 180;
/** Foot length heel to toe contact point (an adult shoe, EU 42). */
const FOOT_L_M = 0.27;
/**
 * The heel rises about the ball of the foot (the metatarsal heads, ~73% of
 * the foot's length from the heel), not the tip of the toe: the toes stay on
 * the floor and the shoe bends there. A real slow walker's side-of-shoe
 * sensor reads within 0.03 g of rest through its heel rise (gaitmap 4 x 10 m);
 * pivoting about the toe tip put that sensor 0.15 m from the pivot and read
 * up to 1.10 g (0.975 g at rest).
 */
const BALL_FROM_HEEL_M = 0.2;
/** Where the pod sits from the heel: on the laces, 17 cm forward and 7 cm up. */
const SENSOR_FROM_HEEL_M = [0.17, 0, 0.07];
/**
 * The sole and the soft tissue spread a landing over about 20 ms: two boxcar
 * passes of this width (a triangle), which turns a 0.3 m/s touchdown into the
 * 2-3 g impact seen at 52 Hz in real recordings.
 */
const SOLE_SMOOTHING_MS = 12;
/**
 * Extra heel lift in the swing, m, shaped u^2 (1-u) x 27/4: no vertical jump
 * at lift-off and the heel still coming down at ~0.5 m/s when it lands.
 */
const SWING_RISE_M = 0.03;
/** Heel (or toe) speed at first contact, along the walking direction and downwards (m/s; gait-lab figures 0.4-1.0 and 0.2-0.5). */
const LANDING_ALONG_MPS = 0.6;
const LANDING_DOWN_MPS = 0.35;
/** Roll from first contact to foot flat, s (loading response ~10% of the cycle), at most this share of the stance (jogging: short stance, every phase shorter). */
const LOADING_S = 0.1;
const LOADING_MAX_STANCE = 0.3;
/** The heel (or toe) rise starts at least this long after foot flat, s (a backward jogger's brisk stance: ~75 ms; the slow gaitmap walker's: ~100 ms; a rolling walker's foot already rolls on then: GaitStyle.flatRoll). */
const FLAT_MIN_S = 0.075;
/** Pitch before lift-off: forward toe-off with the heel up (real: -30 to -40); backward the toe rises and the foot leaves heel last. */
const TOE_OFF_PITCH_DEG = -35;
const BACKWARD_LIFT_PITCH_DEG = 20;
/** Pitch at first contact by class: heel strike ~ +15-25 deg, toe first ~ -10 to -20, flat within +-2. */
const HEEL_PITCH_DEG: [number, number] = [14, 6];
const TOE_PITCH_DEG: [number, number] = [-14, 5];
/**
 * The foot does not only pitch: it rolls outward (inverts) in the swing,
 * lands a little inverted and rolls flat as it loads, and points a little
 * outward of the way it travels (foot progression angle). Mean and spread,
 * deg, from gait-lab figures for adults.
 */
const SWING_ROLL_DEG: [number, number] = [6, 3];
const LANDING_ROLL_DEG: [number, number] = [4, 2];
const TOE_OUT_DEG: [number, number] = [7, 3];
/**
 * Sample-time jitter (ms, uniform +-): a recording's timestamps are not exactly one period apart (a host
 * stamping samples as they arrive, a sensor clock against the pod's). The engine takes each sample's
 * own time; a real recording here jitters by up to 6 ms (shoe-nav recording 40).
 */
export const SAMPLE_JITTER_MS = 1;

const MOUNT_LACES: [number, number, number] = [0, -20, 0];

/** Where a pod can be clipped on, and how it can sit there (issue 5 point 1). */
export interface Mount {
  /** yaw, pitch, roll of the sensor frame in the foot frame, deg */
  deg: [number, number, number];
  /** sensor position from the heel's ground point, foot frame (x toe, y left, z up), m */
  at_m: [number, number, number];
}

export const MOUNTS: { [name: string]: Mount } = {
  laces: { deg: MOUNT_LACES, at_m: [0.17, 0, 0.07] },
  'laces-sideways': { deg: [90, 0, -20], at_m: [0.17, 0, 0.07] },
  'laces-upside-down': { deg: [0, -20, 180], at_m: [0.17, 0, 0.07] },
  'laces-pointing-back': { deg: [180, 20, 0], at_m: [0.17, 0, 0.07] },
  'side-of-shoe': { deg: [0, 0, 90], at_m: [0.12, 0.05, 0.04] },
  'side-of-shoe-tilted': { deg: [30, 10, 75], at_m: [0.12, 0.05, 0.04] },
  'heel-counter': { deg: [0, -80, 0], at_m: [-0.01, 0, 0.06] },
  'heel-counter-upside-down': { deg: [180, 80, 0], at_m: [-0.01, 0, 0.06] },
};

/** The heel point when the foot pivots about a point arm_m ahead of the heel (the toe tip, or the ball at tx, tz) at this pitch (toe up positive). */
function heelAboutToe(tx: number, tz: number, pitch_deg: number, arm_m = FOOT_L_M): [number, number] {
  const a = pitch_deg * RAD;
  return [tx - arm_m * Math.cos(a), tz - arm_m * Math.sin(a)];
}

/**
 * Quintic Hermite from (p0, rate v0) to (p1, rate v1) over u in 0..1 with
 * zero acceleration at both ends (rates per unit u): a swing that starts and
 * ends with the foot's real speeds and no jump in force.
 */
function quintic(u: number, p0: number, v0: number, p1: number, v1: number): number {
  const u2 = u * u, u3 = u2 * u, u4 = u3 * u, u5 = u4 * u;
  return (1 - 10 * u3 + 15 * u4 - 6 * u5) * p0 + (u - 6 * u3 + 8 * u4 - 3 * u5) * v0 + (-4 * u3 + 7 * u4 - 3 * u5) * v1 + (10 * u3 - 15 * u4 + 6 * u5) * p1;
}

/** Minimum-jerk position profile 0..1 over u in 0..1. */
function minJerk(u: number): number {
  return u * u * u * (10 - 15 * u + 6 * u * u);
}

/** One walking segment laid out at INTERNAL_HZ: world specific force (g) and body rate (dps) of the FOOT frame. */
interface Track {
  start_ms: number;
  n: number;
  f_g: Float32Array; // n x 3, foot frame
  w_dps: Float32Array; // n x 3, foot frame
}

interface PlannedStride {
  direction: Direction;
  first: FirstContact;
  pitch_deg: number;
  stride_m: number;
  period_s: number;
  swing_s: number;
  /** roll (inversion +) at mid-swing and at first contact, deg */
  swingRoll_deg: number;
  landRoll_deg: number;
  /** the foot's yaw from the walking direction (toe-out +), deg: one value per walk */
  toeOut_deg: number;
}

function planStrides(seg: Extract<Segment, { kind: 'walk' }>, rnd: () => number, gauss: () => number, gaussRoll: () => number): PlannedStride[] {
  const out: PlannedStride[] = [];
  const toeOut = TOE_OUT_DEG[0] + TOE_OUT_DEG[1] * gaussRoll();
  const fwd = seg.direction === 'forward';
  const cadence = seg.cadence_spm ?? (fwd ? 110 : 120);
  const stride = seg.stride_m ?? (fwd ? 1.35 : 0.8);
  const normal: FirstContact = seg.first ?? (fwd ? 'heel' : 'toe');
  const other: FirstContact = fwd ? 'toe' : 'heel';
  const odd = new Set(seg.odd ?? []);
  const jog = cadence > 150;
  for (let i = 0; i < seg.strides; i++) {
    const first = odd.has(i) ? other : normal;
    const [m, s] = first === 'heel' ? HEEL_PITCH_DEG : first === 'toe' ? TOE_PITCH_DEG : [0, 0.7];
    let pitch = m + s * gauss();
    // keep the drawn pitch inside its class, away from the class borders by 2 deg (truth must be unambiguous)
    if (first === 'heel') pitch = Math.max(pitch, 7);
    if (first === 'toe') pitch = Math.min(pitch, -7);
    if (first === 'flat') pitch = Math.max(-2, Math.min(2, pitch));
    const period = (120 / cadence) * (1 + 0.03 * gauss());
    // swing takes ~40% of a walking cycle, ~60% jogging (short stance)
    const swing = period * (jog ? 0.6 : 0.4) * (1 + 0.03 * gauss());
    const swingRoll = SWING_ROLL_DEG[0] + SWING_ROLL_DEG[1] * gaussRoll();
    const landRoll = LANDING_ROLL_DEG[0] + LANDING_ROLL_DEG[1] * gaussRoll();
    out.push({ direction: seg.direction, first, pitch_deg: pitch, stride_m: stride * (1 + 0.06 * gauss()), period_s: period, swing_s: swing, swingRoll_deg: swingRoll, landRoll_deg: landRoll, toeOut_deg: toeOut });
    void rnd;
  }
  return out;
}

/**
 * Lays out the heel point (x, z in the walking plane, plus heading) and
 * pitch of the foot for a walking segment, then derives the foot-frame
 * specific force and body rate.
 */
function layOut(seg: Extract<Segment, { kind: 'walk' }>, strides: PlannedStride[], start_ms: number, truth: StrideTruth[], sensor_m: number[] = SENSOR_FROM_HEEL_M, style: GaitStyle = STYLE_BRISK, samples = true): Track {
  const dt = 1 / INTERNAL_HZ;
  const lead_s = 0.3; // still before the first lift and after the last landing
  let total_s = 2 * lead_s;
  for (const s of strides) total_s += s.period_s;
  // no samples: every fill below does nothing, and the stride timing (all the truth reads) runs alone
  const n = samples ? Math.ceil(total_s * INTERNAL_HZ) + 1 : 0;
  const hx = new Float64Array(n), hz = new Float64Array(n), th = new Float64Array(n), psi = new Float64Array(n), ro = new Float64Array(n);
  const rise = seg.rise_m ?? 0;
  const turn = (seg.turn_deg ?? 0) * RAD;
  let i = 0;
  let x = 0, z = 0, heading = 0;
  const fill = (until_s: number, f: (t_s: number) => void) => {
    for (; i < n && i * dt < until_s; i++) f(i * dt);
  };
  let t0 = lead_s;
  fill(t0, () => {
    hx[i] = x; hz[i] = z; th[i] = 0; psi[i] = heading;
  });
  for (let k = 0; k < strides.length; k++) {
    const s = strides[k];
    const sign = s.direction === 'forward' ? 1 : -1;
    // pre-swing roll: forward about the ball of the foot (heel rises), backward about the heel (toe rises).
    // The roll speeds up to lift-off (ease-in), so the foot leaves the ground still turning and moving.
    const liftPitch = s.direction === 'forward' ? TOE_OFF_PITCH_DEG : BACKWARD_LIFT_PITCH_DEG;
    const stance_s = s.period_s - s.swing_s;
    const loading_s = Math.min(LOADING_S, LOADING_MAX_STANCE * stance_s);
    const preswing_s = Math.max(0, Math.min(style.preswing_s, style.preswingMaxShare * stance_s, stance_s - loading_s - FLAT_MIN_S));
    const pre0 = t0 + stance_s - preswing_s - loading_s;
    const pre1 = pre0 + preswing_s;
    const x0 = x, z0 = z, h0 = heading;
    const aboutToeAtLift = s.direction === 'forward';
    // foot flat, then the heel (backward: the toe) rises. A rolling walker's foot rolls on through
    // flatRoll of the lift-off pitch from the end of loading to lift-off, its rate rising from 0 and
    // falling back to 0 (1 - cos: no jolt), under the heel rise proper
    const flat0 = t0, roll_s = Math.max(1e-3, pre1 - t0), rollShare = style.flatRoll;
    const rolled = (t: number) => {
      const u = (t - flat0) / roll_s;
      return rollShare * (u - Math.sin(2 * Math.PI * u) / (2 * Math.PI));
    };
    // 0 -> 1 with rate 0 -> 2.5 and a gentle start (heel rise builds up: ~0.1 g at the pod, not a jolt)
    const easeIn = (u: number) => 0.5 * u * u * (1 + u);
    const pose = (p: number) => {
      const [ex, ez] = aboutToeAtLift ? heelAboutToe(x0 + BALL_FROM_HEEL_M, z0, p, BALL_FROM_HEEL_M) : [x0, z0];
      hx[i] = ex; hz[i] = ez; th[i] = p; psi[i] = h0;
    };
    fill(pre0, (t) => pose(liftPitch * rolled(t)));
    fill(pre1, (t) => pose(liftPitch * (rolled(t) + (1 - rollShare) * easeIn((t - pre0) / preswing_s))));
    // state at lift-off: pitch rate (deg/s) and heel velocity (m/s) carry into the swing (the roll's own rate is 0 there)
    const liftRate = (2.5 * (1 - rollShare) * liftPitch) / preswing_s;
    const [lx, lz] = aboutToeAtLift ? heelAboutToe(x0 + BALL_FROM_HEEL_M, z0, liftPitch, BALL_FROM_HEEL_M) : [x0, z0];
    const la = liftPitch * RAD, lw = liftRate * RAD;
    const lvx = aboutToeAtLift ? BALL_FROM_HEEL_M * Math.sin(la) * lw : 0;
    const lvz = aboutToeAtLift ? -BALL_FROM_HEEL_M * Math.cos(la) * lw : 0;
    // landing: the contact point (heel or toe) is on the ground at the end of the swing, still moving
    const x1 = x0 + sign * s.stride_m, z1 = z0 + rise, h1 = h0 + turn / Math.max(1, strides.length);
    const landToe = s.pitch_deg < 0;
    const [cx, cz] = landToe ? heelAboutToe(x1 + FOOT_L_M, z1, s.pitch_deg) : [x1, z1];
    const sw0 = pre1, sw1 = pre1 + s.swing_s, T = s.swing_s;
    fill(sw1, (t) => {
      const u = (t - sw0) / T;
      hx[i] = quintic(u, lx, lvx * T, cx, sign * LANDING_ALONG_MPS * T);
      hz[i] = quintic(u, lz, lvz * T, cz, -LANDING_DOWN_MPS * T) + SWING_RISE_M * 6.75 * u * u * (1 - u);
      th[i] = quintic(u, liftPitch, liftRate * T, s.pitch_deg, 0);
      psi[i] = h0 + (h1 - h0) * minJerk(u);
      ro[i] = s.swingRoll_deg * Math.sin(Math.PI * u) + s.landRoll_deg * minJerk(u);
    });
    truth.push({
      t_ms: start_ms + sw1 * 1000,
      direction: s.direction,
      first: s.first,
      pitch_deg: s.pitch_deg,
      wrong: s.direction === 'backward' && s.first === 'heel',
      stride_m: s.stride_m,
    });
    // loading: the contact point stops dead; the foot rolls flat about it
    const ld1 = sw1 + loading_s;
    fill(ld1, (t) => {
      const p = s.pitch_deg * (1 - minJerk((t - sw1) / loading_s));
      const [ex, ez] = landToe ? heelAboutToe(x1 + FOOT_L_M, z1, p) : [x1, z1];
      hx[i] = ex; hz[i] = ez; th[i] = p; psi[i] = h1;
      ro[i] = s.landRoll_deg * (1 - minJerk((t - sw1) / loading_s));
    });
    x = x1; z = z1; heading = h1;
    t0 += s.period_s;
  }
  fill(total_s + 1, () => {
    hx[i] = x; hz[i] = z; th[i] = 0; psi[i] = heading;
  });
  if (!samples) return { start_ms, n, f_g: new Float32Array(0), w_dps: new Float32Array(0) };
  const w = Math.max(1, Math.round((SOLE_SMOOTHING_MS / 1000) * INTERNAL_HZ));
  for (const a of [hx, hz, th, psi, ro]) {
    boxcar(a, w);
    boxcar(a, w);
  }
  return derive(start_ms, n, hx, hz, th, psi, ro, (strides[0]?.toeOut_deg ?? 0) * RAD, sensor_m);
}

/** Centred moving average in place (edges held). */
function boxcar(a: Float64Array, w: number): void {
  const n = a.length, half = w >> 1, last = n - 1;
  const src = Float64Array.from(a);
  let acc = 0;
  for (let k = -half; k < w - half; k++) acc += src[k < 0 ? 0 : k > last ? last : k];
  for (let i = 0; i < n; i++) {
    a[i] = acc / w;
    const into = i + w - half, out = i - half;
    acc += src[into > last ? last : into] - src[out < 0 ? 0 : out];
  }
}

/**
 * Foot pose -> foot-frame specific force (g) and body rate (dps) at the sensor.
 * The heel moves in the walking plane (hx along the path heading psi, hz up);
 * the foot points psi + toeOut (toe-out: feet point 5-10 deg outward of the
 * way they travel) and is pitched th (toe up +) and rolled ro (inversion +).
 * R = Rz(yaw) Ry(-th) Rx(ro) takes foot to world; the sensor sits at
 * sensor_m in the foot frame.
 */
function derive(start_ms: number, n: number, hx: Float64Array, hz: Float64Array, th: Float64Array, psi: Float64Array, ro: Float64Array, toeOut_rad: number, sensor_m: number[]): Track {
  const [sx, sy, sz] = sensor_m;
  const px = new Float64Array(n), py = new Float64Array(n), pz = new Float64Array(n);
  const Rs = new Float64Array(9 * n);
  let heelX = 0, heelY = 0;
  for (let i = 0; i < n; i++) {
    // the heel's path is laid out along the walking direction: each step of it goes the way the walk heads now
    if (i === 0) {
      heelX = hx[0] * Math.cos(psi[0]);
      heelY = hx[0] * Math.sin(psi[0]);
    } else {
      heelX += (hx[i] - hx[i - 1]) * Math.cos(psi[i]);
      heelY += (hx[i] - hx[i - 1]) * Math.sin(psi[i]);
    }
    const r = 9 * i;
    rotationZYXInto(Rs, r, (psi[i] + toeOut_rad) / RAD, -th[i], ro[i]);
    px[i] = heelX + Rs[r] * sx + Rs[r + 1] * sy + Rs[r + 2] * sz;
    py[i] = heelY + Rs[r + 3] * sx + Rs[r + 4] * sy + Rs[r + 5] * sz;
    pz[i] = hz[i] + Rs[r + 6] * sx + Rs[r + 7] * sy + Rs[r + 8] * sz;
  }
  const f = new Float32Array(n * 3), w = new Float32Array(n * 3);
  const inv = INTERNAL_HZ * INTERNAL_HZ;
  for (let i = 0; i < n; i++) {
    const a = i === 0 ? 1 : i === n - 1 ? n - 2 : i;
    const ax = (px[a + 1] - 2 * px[a] + px[a - 1]) * inv;
    const ay = (py[a + 1] - 2 * py[a] + py[a - 1]) * inv;
    const az = (pz[a + 1] - 2 * pz[a] + pz[a - 1]) * inv + G_MPS2;
    // foot frame: R^T (a + g up)
    const r = 9 * i;
    f[3 * i] = (Rs[r] * ax + Rs[r + 3] * ay + Rs[r + 6] * az) / G_MPS2;
    f[3 * i + 1] = (Rs[r + 1] * ax + Rs[r + 4] * ay + Rs[r + 7] * az) / G_MPS2;
    f[3 * i + 2] = (Rs[r + 2] * ax + Rs[r + 5] * ay + Rs[r + 8] * az) / G_MPS2;
    bodyRateDps(Rs, 9 * (a - 1), Rs, 9 * (a + 1), 2 / INTERNAL_HZ, w, 3 * i);
  }
  return { start_ms, n, f_g: f, w_dps: w };
}

/** The session timeline: segment start times and the walking tracks, made on demand and forgotten once passed. */
export function createWalker(segments: Segment[], options: WalkerOptions = {}): Walker {
  const seed = options.seed ?? 1;
  const rnd = uniform(seed);
  const gauss = gaussian(seed ^ 0x9e3779b9);
  // a generator of its own, so that adding roll left every other draw (and so every session's truth) as it was
  const gaussRoll = gaussian(seed * 131 + 17);
  const truth: StrideTruth[] = [];
  const starts: number[] = [];
  const plans: (PlannedStride[] | null)[] = [];
  const lengths: number[] = [];
  let t = 0;
  for (const seg of segments) {
    starts.push(t);
    if (seg.kind === 'stand') {
      plans.push(null);
      lengths.push(seg.duration_s * 1000);
    } else {
      const p = planStrides(seg, rnd, gauss, gaussRoll);
      plans.push(p);
      let len = 600;
      for (const s of p) len += s.period_s * 1000;
      lengths.push(len);
    }
    t += lengths[lengths.length - 1];
  }
  const duration_ms = t;
  // every walking segment's truth now, from its stride timing (layOutTruth); its track laid out only when the signal
  // reaches it, and only the one in use kept
  const style = options.style ?? STYLE_BRISK;
  const trackFor = (k: number): Track => layOut(segments[k] as Extract<Segment, { kind: 'walk' }>, plans[k]!, starts[k], [], options.mount?.at_m, style);
  for (let k = 0; k < segments.length; k++) {
    if (plans[k]) layOutTruth(segments[k] as Extract<Segment, { kind: 'walk' }>, plans[k]!, starts[k], truth);
  }

  const m = rotationZYX(...(options.mount_deg ?? options.mount?.deg ?? MOUNT_LACES)); // sensor -> foot
  const noise = options.noise ?? true ? createImuNoise(seed) : null;
  let segIdx = 0;
  let track: Track | null = null;
  let trackIdx = -1;
  const foot = new Float64Array(6);
  const sub = new Float64Array(6);

  const source: ImuSource = (t_ms, rate_hz, out) => {
    if (t_ms < starts[segIdx]) segIdx = 0;
    while (segIdx + 1 < segments.length && t_ms >= starts[segIdx + 1]) segIdx++;
    if (plans[segIdx] && t_ms < starts[segIdx] + lengths[segIdx]) {
      if (trackIdx !== segIdx) {
        track = trackFor(segIdx);
        trackIdx = segIdx;
      }
      const tr = track!;
      meanOverSamplePeriod((t, o) => trackAt(tr, t, o), t_ms, rate_hz, 1000 / INTERNAL_HZ, foot, sub);
    } else {
      foot[0] = 0; foot[1] = 0; foot[2] = 1; foot[3] = 0; foot[4] = 0; foot[5] = 0;
    }
    // foot frame -> sensor frame: v_sensor = M^T v_foot
    for (let k = 0; k < 2; k++) {
      const b = 3 * k;
      const x = foot[b], y = foot[b + 1], z = foot[b + 2];
      out[b] = m[0] * x + m[3] * y + m[6] * z;
      out[b + 1] = m[1] * x + m[4] * y + m[7] * z;
      out[b + 2] = m[2] * x + m[5] * y + m[8] * z;
    }
    noise?.(t_ms, rate_hz, out);
    if (style.accScale !== 1) for (let k = 0; k < 3; k++) out[k] *= style.accScale;
  };
  return { source, truth, duration_ms, segments };
}

/**
 * Body rate (dps, body frame) of a body whose orientation (body to world,
 * row-major 3x3) is A at offset ai and, span_s later, B at offset bi: the
 * skew part of A^T B over the span.
 */
export function bodyRateDps(A: ArrayLike<number>, ai: number, B: ArrayLike<number>, bi: number, span_s: number, out: { [i: number]: number }, oi: number): void {
  const scale = 1 / (2 * span_s) / RAD;
  out[oi] = (columnDot(A, ai, B, bi, 2, 1) - columnDot(A, ai, B, bi, 1, 2)) * scale;
  out[oi + 1] = (columnDot(A, ai, B, bi, 0, 2) - columnDot(A, ai, B, bi, 2, 0)) * scale;
  out[oi + 2] = (columnDot(A, ai, B, bi, 1, 0) - columnDot(A, ai, B, bi, 0, 1)) * scale;
}

/** Column k of A (row-major 3x3 at ai) dotted with column j of B (at bi): (A^T B)[k][j]. A function, not a closure: none made per call. */
function columnDot(A: ArrayLike<number>, ai: number, B: ArrayLike<number>, bi: number, k: number, j: number): number {
  return A[ai + k] * B[bi + j] + A[ai + 3 + k] * B[bi + 3 + j] + A[ai + 6 + k] * B[bi + 6 + j];
}

/** The foot-frame signal of a laid-out track at session time t_ms (linear between internal samples). */
function trackAt(tr: Track, t_ms: number, out: Float64Array): void {
  const pos = ((t_ms - tr.start_ms) / 1000) * INTERNAL_HZ;
  const i0 = Math.max(0, Math.min(tr.n - 2, Math.floor(pos)));
  const fr = Math.max(0, Math.min(1, pos - i0));
  for (let k = 0; k < 3; k++) {
    out[k] = tr.f_g[3 * i0 + k] * (1 - fr) + tr.f_g[3 * i0 + 3 + k] * fr;
    out[3 + k] = tr.w_dps[3 * i0 + k] * (1 - fr) + tr.w_dps[3 * i0 + 3 + k] * fr;
  }
}

/**
 * The truth of a segment without laying out its track (the same stride timing, so the same numbers): laying
 * out every 1 kHz track only to read its contact times took 2 s for the 35-minute walk of each power cut in
 * test/pod-resets, whose pod walked 3 minutes of it.
 */
function layOutTruth(seg: Extract<Segment, { kind: 'walk' }>, plan: PlannedStride[], start_ms: number, truth: StrideTruth[]): void {
  layOut(seg, plan, start_ms, truth, SENSOR_FROM_HEEL_M, STYLE_BRISK, false);
}

/**
 * Samples of a whole session at one rate, for the engine on the host (replay, tests, bench). Each
 * sample's timestamp is off its period by up to jitter_ms (default SAMPLE_JITTER_MS; 0: exact).
 */
export function sampleWalker(w: Walker, rate_hz: number, jitter_ms = SAMPLE_JITTER_MS): { t_ms: Float64Array; samples: Float32Array } {
  const n = Math.floor((w.duration_ms / 1000) * rate_hz);
  const t_ms = new Float64Array(n);
  const samples = new Float32Array(n * 6);
  const out = new Float64Array(6);
  const jitter = uniform(n * 31 + Math.round(rate_hz));
  for (let i = 0; i < n; i++) {
    const t = (i * 1000) / rate_hz;
    t_ms[i] = i === 0 ? t : t + jitter_ms * (2 * jitter() - 1);
    w.source(t, rate_hz, out);
    samples.set(out, i * 6);
  }
  return { t_ms, samples };
}

/** Counts of a script's truth, as the demo and the pod report them. */
export function truthCounts(truth: StrideTruth[]): { forward: number; backward: number; wrong: number; heel: number; flat: number; toe: number } {
  const c = { forward: 0, backward: 0, wrong: 0, heel: 0, flat: 0, toe: 0 };
  for (const s of truth) {
    c[s.direction]++;
    c[s.first]++;
    if (s.wrong) c.wrong++;
  }
  return c;
}
