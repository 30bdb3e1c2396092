/**
 * Stage: swing strapdown. Integrates the gyro into an attitude and the
 * gravity-free force into velocity and travel, in a reference frame: the
 * sensor's own axes at the calmest sample of the stance the stride left from
 * (no levelling, no Euler angles; any mounting works). Gravity there is the
 * force the sensor measured at that sample, so its scale and zero-g offset
 * cancel out of the subtraction.
 *
 * A stride is measured from one stance's reference to the next stance's
 * calmest sample. While a landed stride waits for its stance, each calmer
 * stance sample becomes the new reference and the travel so far is folded
 * into the stride (composed through the attitude), so the stride ends at the
 * calmest point of the new stance whatever order the samples come in.
 *
 * Velocity error grows with time from the last zero-velocity point (a
 * reference or a still sample); at the stride's end the foot is at rest, so
 * the velocity left there is that error and a linear drift is taken out of
 * the travel (de-drift): a gravity estimate that was off by a constant (a
 * tilted or scaled reference) then leaves no trace in the stride.
 *
 * Units inside: force in g (what the sensor reads), time in ms, so velocity
 * in g ms and travel in g ms^2; the reference's scale (m/s^2 per g as this
 * sensor reads it, and ms^2 -> s^2) turns travel into metres where a stride
 * is measured, not on every sample.
 *
 * Pod code (on the pod a closure variable costs two 16-byte variables, a
 * typed-array slot 2/3 of one, a parameter one in every function declaring
 * it): the sample comes in and the measures go out through the stride's
 * record (stride.ts), not parameters and objects (but the force, given to
 * integrate and offGravity_deg: the engine keeps it in closure variables,
 * and an argument costs half a slot read); the state is a
 * Float64Array with named slots, but for what the per-sample path reads and
 * writes on every sample (attitude, velocity, last force, gravity, travel,
 * the start's up, the scale, the lift: closure variables, as a typed-array
 * access costs Espruino ~0.05 reference loops more); nothing is allocated
 * per sample.
 */
import { GRAVITY_MPS2 } from './constants.js';
import { ALONG, LIFT_M, RISE_M, SAMPLE_AX, SAMPLE_AY, SAMPLE_AZ, SAMPLE_T, TILT_DEG, TRAVEL_M, TURN_DEG, UP } from './stride.js';
import { sqrt } from '../math.js';

const DEG = 180 / Math.PI;
/** A step's half-angle (rad) per ms and per dps of the SUM of two samples' rates (twice their mean). */
const HALF_TURN_PER_MS_SUM_DPS = Math.PI / 180 / 4000;

// the state's slots (the per-sample path's own state is in closure variables: see createStrapdown)
/** when velocity was last known to be zero (ms) */
const T_ZERO = 0;
/** the stride: the current reference -> the stride's start frame (quaternion), and the reference's origin there (m) */
const SW = 1, SX = 2, SY = 3, SZ = 4, SPX = 5, SPY = 6, SPZ = 7;
const SLOTS = 8;

export interface Strapdown {
  /**
   * The sample is the new reference: attitude identity, at rest, gravity = its force; or, given what the
   * sensor reads at rest (|acc|^2, g^2), gravity = its force's direction at that size (a foot that rolls as
   * it stops turning reads the roll's push too: ROLL_G).
   */
  reference(rest_g2?: number): void;
  /** Zero velocity and travel at the sample, at t_ms (the foot is standing still), keeping the attitude. */
  zero(t_ms: number): void;
  /**
   * The sample, dt_ms after the last: turn by the mean body rate over dt (trapezoid; given as the SUM of
   * this and the last sample's rate, dps).
   */
  turn(dt_ms: number, sx: number, sy: number, sz: number): void;
  /**
   * After turn, unless zero follows (a still stance sample: the force would be integrated only to be
   * zeroed, ~4 reference loops on the pod): integrate the force over dt_ms into velocity and travel, and
   * track the swing's highest point. The force (g) is the sample's, given as arguments (the record holds it
   * only where a reference is taken: stride.ts SAMPLE_AX). Returns the squared speed, in (g ms)^2:
   * only ever compared with other speeds of the same swing.
   */
  integrate(dt_ms: number, ax: number, ay: number, az: number): number;
  /** A stride starts from the current reference: its frame, travel and the features tracked over its swing are reset. */
  beginStride(): void;
  /** Fold the travel so far into the stride at the sample (a stance sample) and measure it into the record; the sample becomes the reference (rest_g2: as for reference). */
  fold(rest_g2?: number): void;
  /**
   * The stride as it stands now, not folded (during its swing, at a landing), into the record: TRAVEL_M, RISE_M,
   * ALONG, LIFT_M and TURN_DEG only; TURN_DEG about the start's up (mid-stride the foot is pitched: a stride's
   * turn, folded at a stance, is from one flat pose to another).
   */
  peek(): void;
  /**
   * At a still stance sample: how far the foot moved since the last zero, de-drifted as a stride is (fold),
   * into the record (TRAVEL_M, RISE_M, ALONG, LIFT_M; against the last stride's up: a foot flat on the ground
   * both times has the same up in its own axes). Returns the time since the last zero (ms).
   */
  slide(): number;
  /**
   * The pitch (deg, toe up +) of a sensor-frame axis (unit, x y z) now, relative to the stride's start
   * (both measured against the start's gravity). With no axis (null), the stride's own travel direction
   * so far (before the toe axis is known).
   */
  pitch_deg(axis: ArrayLike<number> | null): number;
  /**
   * Angle (deg) between the sample's force (g, given: the engine keeps it), turned into the current
   * reference's axes, and the stride's start up (UP) taken in those axes: in the swing the reference is the
   * stride's start; in the stance after a fold it is a new one, and the angle holds while the foot is as flat
   * as it was at the start. A foot in the air or moving feels more.
   */
  offGravity_deg(ax: number, ay: number, az: number): number;
}

/** R: the stride's record (stride.ts): the sample comes in there, the measures go out there. */
export function createStrapdown(R: Float64Array): Strapdown {
  // read and written on every sample, so closure variables (each access ~0.05 reference loops cheaper than a
  // slot's: docs/decisions.md, "What a construct costs on the interpreter"): the attitude, the sensor now ->
  // the current reference (unit quaternion); velocity (g ms) in the current reference; the last gravity-free
  // force (g), for the trapezoid
  let qw = 1, qx = 0, qy = 0, qz = 0;
  let vx = 0, vy = 0, vz = 0, fx = 0, fy = 0, fz = 0;
  // ...and, read on every swing sample: gravity at the reference (g, sensor frame there); travel (g ms^2) in the
  // current reference; the start's up (unit, sensor frame at the start: also the record's UP, for the other
  // stages); m per g ms^2 as this sensor reads force at the reference; the swing's highest point (m)
  let gx = 0, gy = 0, gz = 1, px = 0, py = 0, pz = 0, ux = 0, uy = 0, uz = 0, m_per_gms2 = 0, lift_m = 0;
  // the attitude a sample before (the landing's pitch is read at both: the impact sample has often begun to
  // roll flat); written on every sample, so closure variables too, declared last as they are read least (a
  // name is looked up through every one declared before it)
  let bw = 1, bx = 0, by = 0, bz = 0;
  const D = new Float64Array(SLOTS);
  D[SW] = 1;

  function reference(rest_g2?: number): void {
    let ax = R[SAMPLE_AX], ay = R[SAMPLE_AY], az = R[SAMPLE_AZ];
    let n = sqrt(ax * ax + ay * ay + az * az);
    if (rest_g2) {
      // gravity at the rest level (a rolling foot's 0.3 g along its up axis, left in, would add 0.3 g x the
      // swing's time to its speed, and its landing would never show it slowing down)
      const k = sqrt(rest_g2) / n;
      ax *= k; ay *= k; az *= k;
      n *= k;
    }
    // force in g as this sensor reads it, to m/s^2: gravity here is what it reads for 1 g (a gain of 0.94-1.06
    // would otherwise scale every stride by as much)
    m_per_gms2 = (GRAVITY_MPS2 * 1e-6) / n;
    qw = 1;
    qx = qy = qz = 0;
    gx = ax; gy = ay; gz = az;
    zero(R[SAMPLE_T]);
  }

  function zero(t_ms: number): void {
    vx = vy = vz = fx = fy = fz = 0;
    px = py = pz = 0;
    D[T_ZERO] = t_ms;
  }

  /**
   * The per-sample path (52 times a second on the pod), written for Espruino, which pays for every token it
   * reads, every name it looks up (through every local declared before it) and every typed-array access:
   * its state is in closure variables, the sample's force comes as arguments, and rounding is the only change
   * from the textbook form. The turn is a second-order quaternion step, q (1 - |s|^2 / 2) + q (0, s) for
   * the half-angle s of the sample's turn (cos and sin of |s| to second order: its error is third order in
   * the angle, 8 deg at 52 Hz and 400 dps: far below what the trapezoid on the rate removes). It is not
   * renormalised: the step scales |q|^2 by 1 + |s|^4 / 4 (5e-6 at 52 Hz and 400 dps, 3e-4 over a second of
   * swing), and q starts again at identity at every reference, a stride or a dropped swing apart. (It
   * replaced a first-order step renormalised each sample: with the attitude a sample before kept in closure
   * variables instead of slots, ~0.7 reference loops a walking sample less, for the same strides.) Force
   * stays in g and time in ms.
   */
  function turn(dt: number, sx: number, sy: number, sz: number): void {
    // (no "ram" directive: see push in engine.ts)
    let k = dt * HALF_TURN_PER_MS_SUM_DPS;
    sx *= k; sy *= k; sz *= k;
    const w = (bw = qw), x = (bx = qx), y = (by = qy), z = (bz = qz);
    k = 1 - (sx * sx + sy * sy + sz * sz) * 0.5;
    qw = w * k - x * sx - y * sy - z * sz;
    qx = x * k + w * sx + y * sz - z * sy;
    qy = y * k + w * sy - x * sz + z * sx;
    qz = z * k + w * sz + x * sy - y * sx;
  }

  function integrate(dt: number, ax: number, ay: number, az: number): number {
    // force into the reference frame (v + w t + q x t, t = 2 q x v), less gravity (g)
    const tx = 2 * (qy * az - qz * ay), ty = 2 * (qz * ax - qx * az), tz = 2 * (qx * ay - qy * ax);
    const sx = ax + qw * tx + qy * tz - qz * ty - gx;
    const sy = ay + qw * ty + qz * tx - qx * tz - gy;
    const sz = az + qw * tz + qx * ty - qy * tx - gz;
    // trapezoid: velocity from this and the last force, travel from this and the last velocity
    dt *= 0.5;
    const ox = vx, oy = vy, oz = vz;
    vx += (sx + fx) * dt; vy += (sy + fy) * dt; vz += (sz + fz) * dt;
    fx = sx; fy = sy; fz = sz;
    const k = ((px += (vx + ox) * dt) * ux + (py += (vy + oy) * dt) * uy + (pz += (vz + oz) * dt) * uz) * m_per_gms2;
    if (k > lift_m) lift_m = k;
    return vx * vx + vy * vy + vz * vz;
  }

  function beginStride(): void {
    D[SW] = 1;
    D[SX] = D[SY] = D[SZ] = 0;
    D[SPX] = D[SPY] = D[SPZ] = 0;
    lift_m = 0;
    const n = sqrt(gx * gx + gy * gy + gz * gz);
    R[UP] = ux = gx / n; R[UP + 1] = uy = gy / n; R[UP + 2] = uz = gz / n;
  }

  function fold(rest_g2?: number): void {
    // de-drift: the foot is at rest here, so the velocity left is error grown linearly since the last zero
    const T = (R[SAMPLE_T] - D[T_ZERO]) / 2, m = m_per_gms2;
    const dx = (px - vx * T) * m, dy = (py - vy * T) * m, dz = (pz - vz * T) * m;
    let Qw = D[SW], Qx = D[SX], Qy = D[SY], Qz = D[SZ];
    // P += Q d
    let tx = 2 * (Qy * dz - Qz * dy), ty = 2 * (Qz * dx - Qx * dz), tz = 2 * (Qx * dy - Qy * dx);
    D[SPX] += dx + Qw * tx + Qy * tz - Qz * ty;
    D[SPY] += dy + Qw * ty + Qz * tx - Qx * tz;
    D[SPZ] += dz + Qw * tz + Qx * ty - Qy * tx;
    // Q = Q q: this sample becomes the reference
    const nw = Qw * qw - Qx * qx - Qy * qy - Qz * qz;
    const nx = Qw * qx + Qx * qw + Qy * qz - Qz * qy;
    const ny = Qw * qy - Qx * qz + Qy * qw + Qz * qx;
    const nz = Qw * qz + Qx * qy - Qy * qx + Qz * qw;
    D[SW] = Qw = nw; D[SX] = Qx = nx; D[SY] = Qy = ny; D[SZ] = Qz = nz;
    reference(rest_g2);
    travelOf(D[SPX], D[SPY], D[SPZ]);
    R[TURN_DEG] = 2 * acos1(Qw < 0 ? -Qw : Qw) * DEG;
    // the sensor axis that was up at the start (u, sensor coordinates then and now), carried into the start frame
    tx = 2 * (Qy * uz - Qz * uy); ty = 2 * (Qz * ux - Qx * uz); tz = 2 * (Qx * uy - Qy * ux);
    R[TILT_DEG] = acos1(ux * (ux + Qw * tx + Qy * tz - Qz * ty) + uy * (uy + Qw * ty + Qz * tx - Qx * tz) + uz * (uz + Qw * tz + Qx * ty - Qy * tx)) * DEG;
  }

  /** The record's travel, rise, direction and lift for a displacement x, y, z (m, the start frame), against the start's gravity. */
  function travelOf(x: number, y: number, z: number): void {
    const rise = x * ux + y * uy + z * uz;
    const hx = x - rise * ux, hy = y - rise * uy, hz = z - rise * uz;
    const travel = sqrt(hx * hx + hy * hy + hz * hz);
    R[RISE_M] = rise;
    R[TRAVEL_M] = travel;
    R[LIFT_M] = lift_m;
    if (travel > 0) {
      R[ALONG] = hx / travel; R[ALONG + 1] = hy / travel; R[ALONG + 2] = hz / travel;
    } else R[ALONG] = R[ALONG + 1] = R[ALONG + 2] = 0;
  }

  function pitch_deg(axis: ArrayLike<number> | null): number {
    let hx: number, hy: number, hz: number;
    if (axis) {
      hx = axis[0]; hy = axis[1]; hz = axis[2];
    } else {
      // the stride's own travel direction so far, horizontal in the start frame
      const r = px * ux + py * uy + pz * uz;
      hx = px - r * ux; hy = py - r * uy; hz = pz - r * uz;
      const n = sqrt(hx * hx + hy * hy + hz * hz);
      if (n === 0) return 0;
      hx /= n; hy /= n; hz /= n;
    }
    // (asin a - asin b = acos b - acos a: one inverse function for the whole stage)
    const start = acos1(hx * ux + hy * uy + hz * uz);
    const now = start - acos1(upOf(qw, qx, qy, qz, hx, hy, hz)), before = start - acos1(upOf(bw, bx, by, bz, hx, hy, hz));
    return ((now < 0 ? -now : now) >= (before < 0 ? -before : before) ? now : before) * DEG;
  }

  /** The up component (against the start's up) of sensor axis h turned by attitude w, x, y, z. */
  function upOf(w: number, x: number, y: number, z: number, hx: number, hy: number, hz: number): number {
    const tx = 2 * (y * hz - z * hy), ty = 2 * (z * hx - x * hz), tz = 2 * (x * hy - y * hx);
    return (hx + w * tx + y * tz - z * ty) * ux + (hy + w * ty + z * tx - x * tz) * uy + (hz + w * tz + x * ty - y * tx) * uz;
  }

  return {
    // (turn and integrate first: Espruino finds a property by reading the names before it, every sample)
    turn: turn,
    integrate: integrate,
    reference: reference,
    zero: zero,
    beginStride: beginStride,
    fold: fold,
    slide: function () {
      const T = R[SAMPLE_T] - D[T_ZERO], h = T / 2, m = m_per_gms2;
      travelOf((px - vx * h) * m, (py - vy * h) * m, (pz - vz * h) * m);
      return T;
    },
    peek: function () {
      // (during the swing the current reference is the stride's start: the stride's own frame is the identity,
      // and the turn so far is the attitude's)
      travelOf(px * m_per_gms2, py * m_per_gms2, pz * m_per_gms2);
      // the turn about the start's up only, the attitude's twist about it (tan of half its angle: the quaternion's
      // part along up over qw): a foot coming down 60 deg toe first has pitched, not turned. (qw 0 is a turn of
      // 180 deg: atan(Infinity); NaN only for exactly 180 deg about a level axis, a foot upside down)
      const tanHalf = (qx * ux + qy * uy + qz * uz) / qw;
      R[TURN_DEG] = 2 * Math.atan(tanHalf < 0 ? -tanHalf : tanHalf) * DEG;
    },
    pitch_deg: pitch_deg,
    offGravity_deg: function (ax: number, ay: number, az: number) {
      return acos1(upOf(qw, qx, qy, qz, ax, ay, az) / sqrt(ax * ax + ay * ay + az * az)) * DEG;
    },
  };
}

function acos1(c: number): number {
  return Math.acos(c > 1 ? 1 : c < -1 ? -1 : c);
}
