/**
 * Non-walking motion with the pod on the shoe (or in a hand): the sets the
 * gait engine must NOT count as strides (issue 5 point 5). Each set is a
 * foot pose over time, smooth and seeded: a pivot point and the foot's
 * yaw / pitch / roll. The IMU signal is derived from the pose the same way
 * for every set (second differences for acceleration, relative rotation for
 * body rate), then the mounting and the sensor noise of the walker apply
 * (imu-output.ts).
 *
 * Amplitudes and rates are from everyday observation and published figures
 * where there are some (cited per set); they are deliberately at the
 * vigorous end, so a pass means something.
 */
import { rotationZYX } from '../replay/run.js';
import { uniform } from './random.js';
import type { ImuSource } from './virtual-pod.js';
import { type Calibration, createGaitEngine } from '../../../shared/gait/engine.js';
import { createImuNoise, meanOverSamplePeriod } from './imu-output.js';
import { bodyRateDps, createWalker, type Mount, MOUNTS, SAMPLE_JITTER_MS, sampleWalker, type Segment } from './walker.js';

const G_MPS2 = 9.80665;
const RAD = Math.PI / 180;
/** Finite-difference step for the derivatives of the pose, s: far below a sample period, far above float noise. */
const H_S = 0.002;
/** The sensor's averaging over a sample period is taken every this many ms: the poses change over tens of ms. */
const SUB_SAMPLE_MS = 4;

/** A foot pose: pivot position in the world (m, z up) and yaw, toe-up pitch and roll (deg). */
interface Pose {
  x: number;
  y: number;
  z: number;
  yaw: number;
  pitch: number;
  roll: number;
}

type PoseFn = (t_s: number, out: Pose) => void;

export type MotionKind = 'tap-seated' | 'shuffle' | 'sit-stand' | 'cycling' | 'vehicle' | 'shoe-on' | 'handled' | 'stairs';

export const MOTION_KINDS: MotionKind[] = ['tap-seated', 'shuffle', 'sit-stand', 'stairs', 'cycling', 'vehicle', 'shoe-on', 'handled'];

/** Smooth on/off envelope of bursts: on for on_s, off for off_s, raised-cosine edges of edge_s. */
function bursts(t: number, on_s: number, off_s: number, edge_s: number): number {
  const period = on_s + off_s;
  const u = t % period;
  if (u >= on_s) return 0;
  if (u < edge_s) return 0.5 - 0.5 * Math.cos((Math.PI * u) / edge_s);
  if (u > on_s - edge_s) return 0.5 - 0.5 * Math.cos((Math.PI * (on_s - u)) / edge_s);
  return 1;
}

/** A smooth random signal: a few sinusoids in [f_lo, f_hi] Hz with random phases, amplitude ~1. */
function smoothNoise(rnd: () => number, f_lo: number, f_hi: number, parts = 4): (t: number) => number {
  const f = Array.from({ length: parts }, () => f_lo + (f_hi - f_lo) * rnd());
  const ph = Array.from({ length: parts }, () => 2 * Math.PI * rnd());
  const k = 1 / Math.sqrt(parts / 2);
  return (t) => {
    let s = 0;
    for (let i = 0; i < parts; i++) s += Math.sin(2 * Math.PI * f[i] * t + ph[i]);
    return s * k;
  };
}

/** 0 -> 1 smoothly over [t0, t0 + d] (quintic smoothstep: no jump in speed or acceleration). */
function ramp(t: number, t0: number, d: number): number {
  const u = Math.max(0, Math.min(1, (t - t0) / d));
  return u * u * u * (10 - 15 * u + 6 * u * u);
}

function poseFor(kind: Exclude<MotionKind, 'stairs'>, seed: number): PoseFn {
  const rnd = uniform(seed * 31 + 7);
  switch (kind) {
    case 'tap-seated': {
      // heel on the floor, toe tapping 10-25 deg at 2-5 Hz in bursts (or the heel bouncing with the toe down)
      const f_hz = 2 + 3 * rnd();
      const amp = 10 + 15 * rnd();
      const heelPivot = rnd() < 0.5;
      const on_s = 4 + 6 * rnd();
      const drift = smoothNoise(rnd, 0.05, 0.3);
      return (t, p) => {
        const e = bursts(t, on_s, 6, 0.3);
        const a = e * amp * (0.5 - 0.5 * Math.cos(2 * Math.PI * f_hz * t));
        p.x = 0.01 * drift(t);
        p.y = 0;
        p.z = 0;
        p.yaw = 5 * drift(t + 3);
        if (heelPivot) {
          p.pitch = a; // toe up about the heel
        } else {
          // heel up about the toe (toe 0.27 m ahead): the pivot moves with the pitch
          p.pitch = -a;
          p.x += 0.27 * (1 - Math.cos(a * RAD));
          p.z = 0.27 * Math.sin(a * RAD);
        }
        p.roll = 0;
      };
    }
    case 'shuffle': {
      // standing, sliding the foot back and forth 3-8 cm at 0.8-2 Hz and turning it a little (queueing, shifting weight)
      const f_hz = 0.8 + 1.2 * rnd();
      const amp = 0.03 + 0.05 * rnd();
      const yawN = smoothNoise(rnd, 0.2, 1);
      return (t, p) => {
        const e = bursts(t, 6, 5, 0.5);
        p.x = e * amp * Math.sin(2 * Math.PI * f_hz * t);
        p.y = e * 0.02 * Math.sin(2 * Math.PI * f_hz * 0.5 * t);
        p.z = e * 0.005 * (1 - Math.cos(2 * Math.PI * f_hz * t));
        p.yaw = e * 12 * yawN(t);
        p.pitch = e * 4 * Math.sin(2 * Math.PI * f_hz * t + 1);
        p.roll = e * 3 * yawN(t + 7);
      };
    }
    case 'sit-stand': {
      // every 12-20 s: the foot pulled back under the chair 10-20 cm and tipped onto the toes, then set flat again with a thud
      const period = 12 + 8 * rnd();
      const back = 0.1 + 0.1 * rnd();
      const tip = 15 + 15 * rnd();
      return (t, p) => {
        const u = t % period;
        const out = ramp(u, 1, 0.8) - ramp(u, 5, 0.6);
        p.x = -back * out;
        p.y = 0;
        p.z = 0.27 * Math.sin(tip * out * RAD) * 0.5;
        p.yaw = 3 * out;
        p.pitch = -tip * out;
        p.roll = 2 * out;
      };
    }
    case 'cycling': {
      // foot on a pedal: crank radius 0.17 m at 50-90 rpm, the ankle rocking 15-25 deg; stops at lights, foot down
      const rpm = 50 + 40 * rnd();
      const r = 0.17;
      const ankle = 15 + 10 * rnd();
      const w = (2 * Math.PI * rpm) / 60;
      return (t, p) => {
        const e = bursts(t, 90, 15, 2);
        // the bike's steady speed adds no acceleration: only the crank and the ankle show
        const a = w * t;
        p.x = e * r * Math.cos(a);
        p.y = 0;
        p.z = 0.3 + e * r * Math.sin(a) - (1 - e) * 0.3;
        p.yaw = 0;
        p.pitch = e * ankle * Math.sin(a + 0.6);
        p.roll = 0;
      };
    }
    case 'vehicle': {
      // feet on a bus floor: road vibration 8-25 Hz up to ~0.2 g, bumps, braking and turning
      const vib = [smoothNoise(rnd, 8, 25, 6), smoothNoise(rnd, 8, 25, 6), smoothNoise(rnd, 8, 25, 6)];
      const slow = smoothNoise(rnd, 0.02, 0.1);
      const turn = smoothNoise(rnd, 0.01, 0.05);
      const bumpEvery = 5 + 5 * rnd();
      return (t, p) => {
        // 0.15 g at ~15 Hz is 0.17 mm of displacement
        const k = (0.15 * G_MPS2) / (2 * Math.PI * 15) ** 2;
        const u = t % bumpEvery;
        const bump = u < 0.15 ? 0.0075 * (1 - Math.cos((2 * Math.PI * u) / 0.15)) : 0;
        // speeding up and braking at up to 0.2 g over a 20 s cycle (x'' = -A w^2 sin)
        const wb = 2 * Math.PI * 0.05;
        p.x = k * vib[0](t) + ((0.2 * G_MPS2) / (wb * wb)) * Math.sin(wb * t);
        p.y = k * vib[1](t);
        p.z = k * vib[2](t) + bump;
        p.yaw = 90 * turn(t);
        p.pitch = 2 * slow(t + 10);
        p.roll = 2 * slow(t + 20);
      };
    }
    case 'shoe-on': {
      // every 12-18 s: the shoe picked up 30-50 cm, turned over and about, the foot pushed in (jolts), put down and stamped
      const period = 12 + 6 * rnd();
      const lift = 0.3 + 0.2 * rnd();
      const spin = smoothNoise(rnd, 0.15, 0.6);
      const jolt = smoothNoise(rnd, 3, 6);
      const reach = 0.2 + 0.3 * rnd();
      return (t, p) => {
        const u = t % period;
        const up = ramp(u, 0.5, 0.8) - ramp(u, 5.5, 0.5);
        const inFoot = ramp(u, 2, 0.3) - ramp(u, 4.5, 0.3);
        const stamp = u > 6.2 && u < 6.6 ? 0.02 * (1 - Math.cos((2 * Math.PI * (u - 6.2)) / 0.4)) : 0;
        p.x = reach * up + 0.03 * inFoot * jolt(t);
        p.y = 0.1 * up * spin(t + 3);
        p.z = lift * up + 0.02 * inFoot * jolt(t + 1) + stamp;
        p.yaw = 60 * up * spin(t);
        p.pitch = 50 * up * spin(t + 11) + 20 * inFoot;
        p.roll = 70 * up * spin(t + 5);
      };
    }
    case 'handled': {
      // the pod in a hand: looked at, turned over, waved; put on a table between (any way up)
      const period = 8 + 6 * rnd();
      const rot = [smoothNoise(rnd, 0.1, 0.7), smoothNoise(rnd, 0.1, 0.7), smoothNoise(rnd, 0.1, 0.7)];
      const pos = [smoothNoise(rnd, 0.1, 0.8), smoothNoise(rnd, 0.1, 0.8), smoothNoise(rnd, 0.1, 0.8)];
      const restYaw = 360 * rnd(), restPitch = 180 * rnd() - 90, restRoll = 360 * rnd();
      return (t, p) => {
        const u = t % period;
        const held = ramp(u, 0.5, 0.7) - ramp(u, period - 2, 0.7);
        p.x = 0.3 * held * pos[0](t);
        p.y = 0.3 * held * pos[1](t);
        p.z = 0.4 * held + 0.15 * held * pos[2](t);
        p.yaw = restYaw + 70 * held * rot[0](t);
        p.pitch = restPitch * (1 - held) + 50 * held * rot[1](t);
        p.roll = restRoll + 70 * held * rot[2](t);
      };
    }
  }
}

/** Stairs: strides that rise (or fall) a stair pair each, 0.34 m; the engine rejects them (see MAX_RISE_M and STAIR_MIN_SLOPE). */
function stairsScript(flights: number): Segment[] {
  const segs: Segment[] = [{ kind: 'stand', duration_s: 5 }];
  for (let k = 0; k < flights; k++) {
    segs.push({ kind: 'walk', direction: 'forward', strides: 7, stride_m: 0.6, cadence_spm: 90, rise_m: 0.34 });
    segs.push({ kind: 'stand', duration_s: 3 });
    segs.push({ kind: 'walk', direction: 'forward', strides: 7, stride_m: 0.6, cadence_spm: 100, rise_m: -0.34 });
    segs.push({ kind: 'stand', duration_s: 3 });
  }
  return segs;
}

/**
 * An IMU source for a non-walking set (not stairs: see stairsScript), in the
 * sensor frame of `mount`, with the walker's sensor noise.
 */
export function motionSource(kind: Exclude<MotionKind, 'stairs'>, seed: number, mount: Mount = MOUNTS.laces): ImuSource {
  const pose = poseFor(kind, seed);
  const m = rotationZYX(...mount.deg); // sensor -> foot
  const at = kind === 'handled' ? [0, 0, 0] : mount.at_m; // in a hand the pod turns about itself
  const noise = createImuNoise(seed + 101);
  const P: Pose[] = [0, 1, 2].map(() => ({ x: 0, y: 0, z: 0, yaw: 0, pitch: 0, roll: 0 }));
  const R: number[][] = [[], [], []];
  const S: number[][] = [[], [], []];
  const clean = (t_ms: number, out: Float64Array) => {
    const t = t_ms / 1000;
    for (let i = 0; i < 3; i++) {
      pose(t + (i - 1) * H_S, P[i]);
      R[i] = rotationZYX(P[i].yaw, -P[i].pitch, P[i].roll); // foot -> world (toe-up pitch is a negative y rotation)
      const r = R[i];
      S[i] = [P[i].x + r[0] * at[0] + r[1] * at[1] + r[2] * at[2], P[i].y + r[3] * at[0] + r[4] * at[1] + r[5] * at[2], P[i].z + r[6] * at[0] + r[7] * at[1] + r[8] * at[2]];
    }
    // world acceleration of the sensor plus gravity's reaction, in g
    const fw = [0, 1, 2].map((k) => (S[2][k] - 2 * S[1][k] + S[0][k]) / (H_S * H_S) / G_MPS2 + (k === 2 ? 1 : 0));
    const r = R[1];
    // foot frame: R^T f
    const ff = [r[0] * fw[0] + r[3] * fw[1] + r[6] * fw[2], r[1] * fw[0] + r[4] * fw[1] + r[7] * fw[2], r[2] * fw[0] + r[5] * fw[1] + r[8] * fw[2]];
    // body rate from R(t-h) and R(t+h)
    const wf = [0, 0, 0];
    bodyRateDps(R[0], 0, R[2], 0, 2 * H_S, wf, 0);
    // foot frame -> sensor frame: v_sensor = M^T v_foot
    for (let k = 0; k < 2; k++) {
      const v = k === 0 ? ff : wf;
      out[3 * k] = m[0] * v[0] + m[3] * v[1] + m[6] * v[2];
      out[3 * k + 1] = m[1] * v[0] + m[4] * v[1] + m[7] * v[2];
      out[3 * k + 2] = m[2] * v[0] + m[5] * v[1] + m[8] * v[2];
    }
  };
  const sub = new Float64Array(6);
  return (t_ms, rate_hz, out) => {
    meanOverSamplePeriod(clean, t_ms, rate_hz, SUB_SAMPLE_MS, out, sub);
    noise(t_ms, rate_hz, out);
  };
}

/** A non-walking set sampled at rate_hz for `minutes` (stairs: flights of the walker), in the sensor frame of `mount`. */
export function motionSamples(kind: MotionKind, seed: number, rate_hz: number, minutes: number, mount: Mount = MOUNTS.laces): { t_ms: Float64Array; samples: Float32Array; duration_h: number } {
  if (kind === 'stairs') {
    // a flight up and down takes ~20 s
    const w = createWalker(stairsScript(Math.max(1, Math.round((minutes * 60) / 20))), { seed, mount });
    const s = sampleWalker(w, rate_hz);
    return { ...s, duration_h: w.duration_ms / 3600_000 };
  }
  const src = motionSource(kind, seed, mount);
  const n = Math.round(minutes * 60 * rate_hz);
  const t_ms = new Float64Array(n);
  const samples = new Float32Array(n * 6);
  const out = new Float64Array(6);
  const jitter = uniform(seed * 13 + 1);
  for (let i = 0; i < n; i++) {
    const t = (i * 1000) / rate_hz;
    t_ms[i] = i === 0 ? t : t + SAMPLE_JITTER_MS * (2 * jitter() - 1);
    src(t, rate_hz, out);
    samples.set(out, i * 6);
  }
  return { t_ms, samples, duration_h: minutes / 60 };
}

/** The calibration a pod on `mount` has learnt after standing and a first forward walk (what it keeps in flash). */
export function calibrationFor(mount: Mount, seed: number): Calibration {
  const w = createWalker([{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }], { seed: seed + 500, mount });
  const { t_ms, samples } = sampleWalker(w, 52);
  const engine = createGaitEngine(() => {});
  for (let i = 0, k = 0; i < t_ms.length; i++, k += 6) engine.push(t_ms[i], samples[k], samples[k + 1], samples[k + 2], samples[k + 3], samples[k + 4], samples[k + 5]);
  const cal = engine.getCalibration();
  if (!cal) throw new Error('the walker did not calibrate the engine');
  return cal;
}
