/**
 * The swing strapdown (shared/gait/strapdown.ts), fed a known rigid-body
 * motion: a foot pose over time (heel path, yaw, toe-up pitch, roll) with the
 * pod clipped on in each of the simulator's mountings. The test derives the
 * pod's specific force and body rate from the pose itself (second difference
 * of its position, relative rotation), so the truth is the pose, not the
 * simulator.
 */
import { describe, expect, it } from 'vitest';
import { rotationZYX } from '../host/src/replay/run.js';
import { MOUNTS } from '../host/src/sim/walker.js';
import { createStrapdown } from '../shared/gait/strapdown.js';
import { ALONG, LIFT_M, measuresOf, newStride, RISE_M, SAMPLE_AX, SAMPLE_AY, SAMPLE_AZ, SAMPLE_T, TRAVEL_M, UP } from '../shared/gait/stride.js';

const RAD = Math.PI / 180;
const G_MPS2 = 9.80665;

/** A foot pose: heel point (m, world, z up), heading (yaw), toe-up pitch and roll (deg). */
interface Pose {
  x: number;
  y: number;
  z: number;
  yaw: number;
  pitch: number;
  roll: number;
}
type Motion = (t_s: number) => Pose;

type M3 = number[];
const mul = (a: M3, b: M3): M3 => [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c]));
const apply = (m: M3, v: number[]) => [0, 1, 2].map((r) => m[3 * r] * v[0] + m[3 * r + 1] * v[1] + m[3 * r + 2] * v[2]);
const applyT = (m: M3, v: number[]) => [0, 1, 2].map((c) => m[c] * v[0] + m[3 + c] * v[1] + m[6 + c] * v[2]);
const norm = (v: ArrayLike<number>) => Math.hypot(v[0], v[1], v[2]);
const angleDeg = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.acos(Math.max(-1, Math.min(1, (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (norm(a) * norm(b))))) / RAD;

/** A pod on the foot: its rotation (sensor -> foot) and where it sits from the heel (foot frame). */
interface Pod {
  m: M3;
  at_m: number[];
}

/** The pod's attitude (sensor -> world) and position (world) at a pose. */
function podAt(pod: Pod, p: Pose): { R: M3; pos: number[] } {
  const foot = rotationZYX(p.yaw, -p.pitch, p.roll); // toe-up pitch is a negative rotation about y
  const off = apply(foot, pod.at_m);
  return { R: mul(foot, pod.m), pos: [p.x + off[0], p.y + off[1], p.z + off[2]] };
}

/** What the pod measures at t: specific force (g) and body rate (dps), sensor frame. */
function imuAt(motion: Motion, pod: Pod, t: number): { acc: number[]; gyro: number[] } {
  const h = 1e-3;
  const a = podAt(pod, motion(t - h)), b = podAt(pod, motion(t)), c = podAt(pod, motion(t + h));
  const world = [0, 1, 2].map((k) => (a.pos[k] - 2 * b.pos[k] + c.pos[k]) / (h * h) / G_MPS2 + (k === 2 ? 1 : 0));
  // body rate: the skew part of A^T C over 2h
  const d = (i: number, j: number) => a.R[i] * c.R[j] + a.R[3 + i] * c.R[3 + j] + a.R[6 + i] * c.R[6 + j];
  const s = 1 / (4 * h) / RAD;
  return { acc: applyT(b.R, world), gyro: [(d(2, 1) - d(1, 2)) * s, (d(0, 2) - d(2, 0)) * s, (d(1, 0) - d(0, 1)) * s] };
}

/** 0 -> 1 with no jump in speed or acceleration (minimum jerk). */
const smooth = (u: number) => {
  const x = Math.max(0, Math.min(1, u));
  return x * x * x * (10 - 15 * x + 6 * x * x);
};
/** 0 -> 1 -> 0, zero rate at both ends. */
const hump = (u: number) => (u <= 0 || u >= 1 ? 0 : Math.sin(Math.PI * u) ** 2);

interface StrideSpec {
  /** heel travel along the heading it starts with (m; negative: backward), its rise (m), the swing's extra lift (m) */
  along_m: number;
  rise_m?: number;
  lift_m?: number;
  /** heading change over the stride (deg), pitch at mid-swing (deg, toe up +), the pitch it ends at (deg) */
  turn_deg?: number;
  swingPitch_deg?: number;
  endPitch_deg?: number;
  endRoll_deg?: number;
}

/** A stride: still for REST_S, swinging for SWING_S, still again until the end. */
const REST_S = 0.2, SWING_S = 0.8;
function stride(s: StrideSpec, from: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0, roll: 0 }, t0 = 0): Motion {
  return (t) => {
    const u = (t - t0 - REST_S) / SWING_S;
    const k = smooth(u);
    const c = Math.cos(from.yaw * RAD), sn = Math.sin(from.yaw * RAD);
    return {
      x: from.x + s.along_m * k * c,
      y: from.y + s.along_m * k * sn,
      z: from.z + (s.rise_m ?? 0) * k + (s.lift_m ?? 0.08) * hump(u),
      yaw: from.yaw + (s.turn_deg ?? 0) * k,
      pitch: from.pitch + (s.swingPitch_deg ?? -25) * hump(u) + ((s.endPitch_deg ?? 0) - from.pitch) * k,
      roll: from.roll + ((s.endRoll_deg ?? 0) - from.roll) * k,
    };
  };
}

/**
 * The strapdown as the engine drives it (shared/gait/stride.ts: the sample goes into the stride record, the
 * measures come out of it), with calls in terms of a sample's time and force.
 */
function strapdown() {
  const R = newStride();
  const sd = createStrapdown(R);
  const sample = (t_ms: number, ax: number, ay: number, az: number) => {
    R[SAMPLE_T] = t_ms;
    R[SAMPLE_AX] = ax;
    R[SAMPLE_AY] = ay;
    R[SAMPLE_AZ] = az;
  };
  /** the displacement so far (m, start frame), from the record's travel, direction and rise */
  const displacement = () => {
    sd.peek();
    return [0, 1, 2].map((k) => R[TRAVEL_M] * R[ALONG + k] + R[RISE_M] * R[UP + k]);
  };
  return {
    reference: (t_ms: number, ax: number, ay: number, az: number, rest_g2?: number) => {
      sample(t_ms, ax, ay, az);
      sd.reference(rest_g2);
    },
    beginStride: () => sd.beginStride(),
    /** one sample: dt (ms) since the last, the sum of this and the last sample's rate (dps), the force (g) */
    integrate: (t_ms: number, dt_ms: number, sum: number[], acc: number[]) => {
      sample(t_ms, acc[0], acc[1], acc[2]);
      sd.turn(dt_ms, sum[0], sum[1], sum[2]);
      return sd.integrate(dt_ms, acc[0], acc[1], acc[2]);
    },
    fold: (t_ms: number, ax: number, ay: number, az: number) => {
      sample(t_ms, ax, ay, az);
      sd.fold();
      return measuresOf(R);
    },
    measures: () => measuresOf(R),
    startUp: () => R.slice(UP, UP + 3),
    lift_m: () => {
      sd.peek();
      return R[LIFT_M];
    },
    along_m: (hx: number, hy: number, hz: number) => {
      const d = displacement();
      return d[0] * hx + d[1] * hy + d[2] * hz;
    },
    pitch_deg: (hx: number, hy: number, hz: number) => sd.pitch_deg(hx === 0 && hy === 0 && hz === 0 ? null : [hx, hy, hz]),
    offGravity_deg: (ax: number, ay: number, az: number) => sd.offGravity_deg(ax, ay, az),
  };
}

/** Runs a motion through the strapdown as the engine does: the first sample is the reference, then a stride begins; folds at `foldAt` (s). */
function integrate(motion: Motion, pod: Pod, rate_hz: number, end_s: number, opts: { foldAt?: number[]; refAcc?: (acc: number[]) => number[]; gain?: number } = {}) {
  const sd = strapdown();
  const n = Math.round(end_s * rate_hz);
  // (a sensor whose gain is off reads every force scaled by it)
  const read = (t: number) => {
    const s = imuAt(motion, pod, t);
    return opts.gain ? { ...s, acc: s.acc.map((x) => x * opts.gain!) } : s;
  };
  let prev = read(0);
  sd.reference(0, ...((opts.refAcc ? opts.refAcc(prev.acc) : prev.acc) as [number, number, number]));
  sd.beginStride();
  const foldAt = new Set((opts.foldAt ?? []).map((t) => Math.round(t * rate_hz)));
  let last = prev;
  for (let i = 1; i <= n; i++) {
    const t = i / rate_hz;
    const s = read(t);
    sd.integrate(t * 1000, 1000 / rate_hz, [0, 1, 2].map((k) => s.gyro[k] + prev.gyro[k]), s.acc);
    if (foldAt.has(i)) sd.fold(t * 1000, s.acc[0], s.acc[1], s.acc[2]);
    prev = s;
    last = s;
  }
  return { sd, last };
}

/** The pod's true displacement from t=0 to t, in the start frame: horizontal travel, rise, and its horizontal direction in sensor axes. */
function truthOf(motion: Motion, pod: Pod, t: number) {
  const a = podAt(pod, motion(0)), b = podAt(pod, motion(t));
  const d = [0, 1, 2].map((k) => b.pos[k] - a.pos[k]);
  const h = [d[0], d[1], 0];
  return { travel_m: Math.hypot(d[0], d[1]), rise_m: d[2], along: applyT(a.R, h.map((x) => x / Math.hypot(d[0], d[1]))) };
}

const PODS: [string, Pod][] = Object.entries(MOUNTS).map(([name, m]) => [name, { m: rotationZYX(...m.deg), at_m: m.at_m }]);
const END_S = REST_S + SWING_S + 0.2;

/** How close the integration comes, by sample rate (m): the trapezoid's and the first-order attitude step's error grow with the sample period. */
const TOL_M: Record<number, number> = { 1000: 0.005, 104: 0.01, 52: 0.02 };

describe('a known rigid-body motion gives back its travel and height', () => {
  const strides: [string, StrideSpec][] = [
    ['a forward stride, 1.4 m', { along_m: 1.4 }],
    ['a backward stride, 0.8 m, toe up in the swing', { along_m: -0.8, swingPitch_deg: 20 }],
    ['a stair step up, 0.6 m and 0.17 m', { along_m: 0.6, rise_m: 0.17, lift_m: 0.1 }],
    ['a step down a kerb, 0.9 m and -0.15 m', { along_m: 0.9, rise_m: -0.15 }],
  ];
  for (const rate of [1000, 104, 52]) {
    for (const [what, spec] of strides) {
      it(`${what}, every mounting, at ${rate} Hz`, () => {
        for (const [name, pod] of PODS) {
          const motion = stride(spec);
          const { sd, last } = integrate(motion, pod, rate, END_S);
          const m = sd.fold(END_S * 1000, last.acc[0], last.acc[1], last.acc[2]);
          const truth = truthOf(motion, pod, END_S);
          expect(Math.abs(m.travel_m - truth.travel_m), `${name}: travel ${m.travel_m.toFixed(3)} of ${truth.travel_m.toFixed(3)} m`).toBeLessThan(TOL_M[rate]);
          expect(Math.abs(m.rise_m - truth.rise_m), `${name}: rise ${m.rise_m.toFixed(3)} of ${truth.rise_m.toFixed(3)} m`).toBeLessThan(TOL_M[rate]);
          expect(angleDeg(m.along, truth.along), `${name}: travel direction`).toBeLessThan(2);
          // back on the ground as it left: no turn, gravity where it was
          expect(m.turn_deg, `${name}: turn`).toBeLessThan(1);
          expect(m.tilt_deg, `${name}: tilt`).toBeLessThan(1);
        }
      });
    }
  }

  it('the start stance up is the reference force, as a unit vector in sensor axes', () => {
    for (const [name, pod] of PODS) {
      const { sd } = integrate(stride({ along_m: 1 }), pod, 52, 0.1);
      const trueUp = applyT(podAt(pod, stride({ along_m: 1 })(0)).R, [0, 0, 1]);
      expect(angleDeg(sd.startUp(), trueUp), name).toBeLessThan(0.1);
      expect(norm(sd.startUp())).toBeCloseTo(1, 9);
    }
  });

  it('the highest point of the swing (lift)', () => {
    for (const [name, pod] of PODS) {
      const motion = stride({ along_m: 1.2, lift_m: 0.1, swingPitch_deg: -30 });
      const { sd } = integrate(motion, pod, 104, END_S);
      let top = -Infinity;
      const z0 = podAt(pod, motion(0)).pos[2];
      for (let t = 0; t <= END_S; t += 0.001) top = Math.max(top, podAt(pod, motion(t)).pos[2] - z0);
      expect(Math.abs(sd.lift_m() - top), `${name}: lift ${sd.lift_m().toFixed(3)} of ${top.toFixed(3)} m`).toBeLessThan(TOL_M[104]);
    }
  });

  it('a turning stride: its turn about the vertical', () => {
    for (const [name, pod] of PODS) {
      const motion = stride({ along_m: 0.3, turn_deg: 100 });
      const { sd, last } = integrate(motion, pod, 52, END_S);
      const m = sd.fold(END_S * 1000, last.acc[0], last.acc[1], last.acc[2]);
      expect(Math.abs(m.turn_deg - 100), name).toBeLessThan(2);
      expect(Math.abs(m.travel_m - truthOf(motion, pod, END_S).travel_m), name).toBeLessThan(TOL_M[52]);
    }
  });

  // constants.ts MAX_POSE_TILT_DEG: "a stride is a step only if its own up axis is within this of where it
  // was: a shoe set down on its side turned it by 90" (MAX_TILT_DEG asks the force, which here is gravity alone)
  it('a shoe set down on its side has its up axis 90 deg from where it left, though at rest it feels gravity alone', () => {
    const [, pod] = PODS[0];
    const motion = stride({ along_m: 0.3, endRoll_deg: 90 });
    const { sd, last } = integrate(motion, pod, 104, END_S);
    expect(sd.offGravity_deg(last.acc[0], last.acc[1], last.acc[2])).toBeLessThan(2);
    const m = sd.fold(END_S * 1000, last.acc[0], last.acc[1], last.acc[2]);
    expect(Math.abs(m.tilt_deg - 90)).toBeLessThan(2);
  });

  it('a foot back flat, turned 60 deg about the vertical, has not tilted', () => {
    const [, pod] = PODS[0];
    const { sd, last } = integrate(stride({ along_m: 0.3, turn_deg: 60 }), pod, 104, END_S);
    const m = sd.fold(END_S * 1000, last.acc[0], last.acc[1], last.acc[2]);
    expect(m.tilt_deg).toBeLessThan(2);
    expect(Math.abs(m.turn_deg - 60)).toBeLessThan(2);
  });
});

describe('the de-drift', () => {
  // the reference sample's force is off the true gravity by a constant tilt (a stance sample taken while the
  // foot still accelerated a little), or the sensor's gain is off (every sample scaled: what it reads at the
  // reference is its 1 g, so the stride is measured in the sensor's own g)
  /** a turned by deg about an axis square to it. */
  const tilt = (a: number[], deg: number, k0 = [0.3, -0.5, 0.8]) => {
    const k = [a[1] * k0[2] - a[2] * k0[1], a[2] * k0[0] - a[0] * k0[2], a[0] * k0[1] - a[1] * k0[0]];
    const n = norm(k);
    const u = k.map((x) => x / n);
    const c = Math.cos(deg * RAD), sn = Math.sin(deg * RAD);
    const x = [u[1] * a[2] - u[2] * a[1], u[2] * a[0] - u[0] * a[2], u[0] * a[1] - u[1] * a[0]];
    return a.map((v, i) => v * c + x[i] * sn); // (u . a = 0)
  };
  const errors: [string, (a: number[]) => number[], number | undefined][] = [
    ['a gravity estimate tilted 3 deg at the reference', (a) => tilt(a, 3), undefined],
    ['a sensor gain of 1.04', (a) => a, 1.04],
    ['a sensor gain of 0.95, and the reference tilted 2 deg another way', (a) => tilt(a, 2, [-0.7, 0.2, 0.1]), 0.95],
  ];
  for (const [what, err, gain] of errors) {
    it(`${what} leaves no trace in the stride`, () => {
      for (const [name, pod] of PODS) {
        const motion = stride({ along_m: 1.3, rise_m: 0.05 });
        const clean = integrate(motion, pod, 104, END_S);
        const off = integrate(motion, pod, 104, END_S, { refAcc: err, gain });
        // the test's premise: before the de-drift a tilt's error is there, tens of cm over the stride
        const at = (sd: typeof clean.sd) => [sd.along_m(1, 0, 0), sd.along_m(0, 1, 0), sd.along_m(0, 0, 1)];
        const a0 = at(clean.sd), a1 = at(off.sd);
        const raw = Math.hypot(a1[0] - a0[0], a1[1] - a0[1], a1[2] - a0[2]);
        // (a gain alone is taken out before it: the reference's force is the sensor's 1 g)
        if (gain === undefined || what.includes('tilted')) expect(raw, `${name}: error before the de-drift`).toBeGreaterThan(0.1);
        const a = clean.sd.fold(END_S * 1000, clean.last.acc[0], clean.last.acc[1], clean.last.acc[2]);
        const ca = { travel_m: a.travel_m, rise_m: a.rise_m };
        const b = off.sd.fold(END_S * 1000, off.last.acc[0], off.last.acc[1], off.last.acc[2]);
        expect(Math.abs(b.travel_m - ca.travel_m), `${name}: travel`).toBeLessThan(0.01);
        // (the height is measured against the erring reference's own up: a tilt of e turns the travel's height by sin e)
        expect(Math.abs(b.rise_m - ca.rise_m), `${name}: rise`).toBeLessThan(0.01 + ca.travel_m * Math.sin(3.5 * RAD));
      }
    });
  }
});

describe('a reference at the rest level', () => {
  // a foot that rolls as it stops turning reads the roll's push along its up axis too (constants.ts, ROLL_G)
  const up = [0.2, -0.3, 0.93].map((x, _i, a) => x / Math.hypot(a[0], a[1], a[2]));
  /** speed (g ms) after 500 ms standing still (the sensor reading its rest level, 1 g), from a reference that read 1.3 g */
  const speedAfter = (rest_g2?: number) => {
    const sd = strapdown();
    sd.reference(0, 1.3 * up[0], 1.3 * up[1], 1.3 * up[2], rest_g2);
    sd.beginStride();
    let v2 = 0;
    for (let t = 10; t <= 500; t += 10) v2 = sd.integrate(t, 10, [0, 0, 0], up);
    return Math.sqrt(v2);
  };
  it('given the rest level, gravity is the reading\'s direction at that size: the foot stays at rest', () => {
    expect(speedAfter(1)).toBeLessThan(1);
  });
  it('without it, gravity is the reading: 0.3 g too much, 150 g ms of speed in half a second', () => {
    expect(speedAfter()).toBeGreaterThan(140);
  });
  it('given the rest level, the stride is measured in metres at that level', () => {
    const sd = strapdown();
    sd.reference(0, 1.3 * up[0], 1.3 * up[1], 1.3 * up[2], 1);
    sd.beginStride();
    // 0.1 g along a horizontal axis for 200 ms, then 200 ms back: 0.1 * 9.80665 * 0.2^2 = 0.039 m
    const h = [up[1], -up[0], 0].map((x, _i, a) => x / Math.hypot(a[0], a[1], a[2]));
    for (let t = 10; t <= 400; t += 10) {
      const k = t <= 200 ? 0.1 : -0.1;
      sd.integrate(t, 10, [0, 0, 0], [up[0] + k * h[0], up[1] + k * h[1], up[2] + k * h[2]]);
    }
    expect(sd.fold(400, up[0], up[1], up[2]).travel_m).toBeCloseTo(0.039, 2);
  });
});

describe('folding', () => {
  /** A stride of 1.0 m turning 90 deg left, a stance, then a stride of 0.6 m along the new heading. */
  const FIRST: StrideSpec = { along_m: 1.0, turn_deg: 90 };
  const t1 = END_S;
  const firstEnd = stride(FIRST)(t1);
  const motion: Motion = (t) => (t <= t1 ? stride(FIRST)(t) : stride({ along_m: 0.6, swingPitch_deg: -20 }, firstEnd, t1)(t));
  const total = 2 * END_S;

  it('composes the travel through a turn: two strides folded at the stance between measure as one, in the first stance frame', () => {
    for (const [name, pod] of PODS) {
      for (const rate of [104, 52]) {
        // folded at a sample of the stance after the first stride, then measured at the end
        const { sd, last } = integrate(motion, pod, rate, total, { foldAt: [t1 - 0.05] });
        const m = sd.fold(total * 1000, last.acc[0], last.acc[1], last.acc[2]);
        const truth = truthOf(motion, pod, total);
        expect(Math.abs(m.travel_m - truth.travel_m), `${name} at ${rate} Hz: travel ${m.travel_m.toFixed(3)} of ${truth.travel_m.toFixed(3)}`).toBeLessThan(TOL_M[rate]);
        expect(angleDeg(m.along, truth.along), `${name} at ${rate} Hz: direction`).toBeLessThan(2);
        expect(Math.abs(m.turn_deg - 90), `${name} at ${rate} Hz: turn`).toBeLessThan(2);
        expect(m.tilt_deg, name).toBeLessThan(1);
      }
    }
  });

  it('measures() is what the last fold measured', () => {
    const [, pod] = PODS[0];
    const { sd, last } = integrate(motion, pod, 52, total, { foldAt: [t1 - 0.05] });
    const m = sd.fold(total * 1000, last.acc[0], last.acc[1], last.acc[2]);
    const copy = { travel_m: m.travel_m, rise_m: m.rise_m, turn_deg: m.turn_deg, tilt_deg: m.tilt_deg, along: Array.from(m.along) };
    const again = sd.measures();
    expect({ travel_m: again.travel_m, rise_m: again.rise_m, turn_deg: again.turn_deg, tilt_deg: again.tilt_deg, along: Array.from(again.along) }).toEqual(copy);
  });

  it('folding at more samples of the same stance changes nothing', () => {
    for (const [name, pod] of PODS) {
      const once = integrate(motion, pod, 104, total, { foldAt: [t1 - 0.05] });
      const often = integrate(motion, pod, 104, total, { foldAt: [t1 - 0.15, t1 - 0.12, t1 - 0.1, t1 - 0.05, t1 - 0.01] });
      const a = once.sd.fold(total * 1000, once.last.acc[0], once.last.acc[1], once.last.acc[2]);
      const ra = { travel_m: a.travel_m, rise_m: a.rise_m, turn_deg: a.turn_deg };
      const b = often.sd.fold(total * 1000, often.last.acc[0], often.last.acc[1], often.last.acc[2]);
      expect(Math.abs(b.travel_m - ra.travel_m), name).toBeLessThan(0.005);
      expect(Math.abs(b.rise_m - ra.rise_m), name).toBeLessThan(0.005);
      expect(Math.abs(b.turn_deg - ra.turn_deg), name).toBeLessThan(0.5);
    }
  });
});

describe('pitch of an axis', () => {
  /** The toe axis in sensor axes: the foot's x seen by the pod. */
  const toeOf = (pod: Pod) => applyT(pod.m, [1, 0, 0]);

  for (const endPitch of [20, -15]) {
    it(`the toe axis pitched ${endPitch} deg (toe up +) reads ${endPitch}, on every mounting`, () => {
      for (const [name, pod] of PODS) {
        const motion = stride({ along_m: 1.0, endPitch_deg: endPitch });
        const { sd } = integrate(motion, pod, 104, END_S);
        const [hx, hy, hz] = toeOf(pod);
        expect(Math.abs(sd.pitch_deg(hx, hy, hz) - endPitch), name).toBeLessThan(1);
        // the heel axis is the toe's opposite: its pitch is the opposite
        expect(Math.abs(sd.pitch_deg(-hx, -hy, -hz) + endPitch), name).toBeLessThan(1);
      }
    });
  }

  it('relative to the start stance: a pod whose foot starts pitched reads the change', () => {
    const [, pod] = PODS[0];
    const start: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 10, roll: 0 };
    const { sd } = integrate(stride({ along_m: 1.0, endPitch_deg: 25 }, start), pod, 104, END_S);
    const [hx, hy, hz] = toeOf(pod);
    expect(Math.abs(sd.pitch_deg(hx, hy, hz) - 15)).toBeLessThan(1);
  });

  it('with no axis given, the stride\'s own travel direction: a forward stride landing toe up reads up, a backward one down', () => {
    for (const [name, pod] of PODS) {
      const fwd = integrate(stride({ along_m: 1.0, endPitch_deg: 15 }), pod, 104, END_S).sd;
      expect(Math.abs(fwd.pitch_deg(0, 0, 0) - 15), `${name} forward`).toBeLessThan(1.5);
      const back = integrate(stride({ along_m: -0.7, endPitch_deg: 15 }), pod, 104, END_S).sd;
      expect(Math.abs(back.pitch_deg(0, 0, 0) + 15), `${name} backward`).toBeLessThan(1.5);
    }
  });

  it('the travel so far along an axis: forward along the toe +, backward -', () => {
    for (const [name, pod] of PODS) {
      const [hx, hy, hz] = toeOf(pod);
      const fwd = integrate(stride({ along_m: 1.0 }), pod, 104, END_S).sd;
      expect(fwd.along_m(hx, hy, hz), name).toBeGreaterThan(0.9);
      const back = integrate(stride({ along_m: -0.7 }), pod, 104, END_S).sd;
      expect(back.along_m(hx, hy, hz), name).toBeLessThan(-0.6);
    }
  });
});
