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
 * Pod code: no allocation per sample; the per-sample function is flat.
 */
import { GRAVITY_MPS2 } from './constants.js';

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/** What a stride measured when it was folded at a stance sample. */
export interface StrideMeasures {
  /** horizontal travel (m) and height change (m, up +) from the start stance, in the start's gravity */
  travel_m: number;
  rise_m: number;
  /** how far the foot turned from the start stance (deg, any axis: at a flat stance this is the turn about the vertical) */
  turn_deg: number;
  /**
   * How far the foot's own up axis turned from the start (deg): a foot back on the ground, turned about
   * the vertical only, is back within a few degrees; a shoe set down on its side, 90.
   */
  tilt_deg: number;
  /** angle between the force felt now, carried into the start frame, and gravity there (deg): a foot at rest, integrated well, within a few degrees */
  offGravity_deg: number;
  /** unit gravity (up) at the start stance and the unit horizontal travel direction, both in the sensor frame at the start */
  up: Float64Array;
  along: Float64Array;
  /** highest point of the swing above the start (m) */
  lift_m: number;
}

export interface Strapdown {
  /** This sample is the new reference: attitude identity, at rest, gravity = this force (g, sensor frame). */
  reference(t_ms: number, ax: number, ay: number, az: number): void;
  /** Zero velocity and travel here (the foot is standing still), keeping the attitude. */
  zero(t_ms: number): void;
  /**
   * One sample: turn by the mean body rate over dt (dps, trapezoid) and integrate the force (g).
   * Returns the squared speed (m^2/s^2).
   */
  integrate(dt_s: number, mgx: number, mgy: number, mgz: number, ax: number, ay: number, az: number): number;
  /** A stride starts from the current reference: its frame, travel and the features tracked over its swing are reset. */
  beginStride(): void;
  /** Fold the travel so far into the stride at this stance sample (force ax..az, g) and measure it. */
  fold(t_ms: number, ax: number, ay: number, az: number): StrideMeasures;
  /** The stride as it stands now, not folded (during its swing, at a landing): travel_m, rise_m, along and lift_m only. */
  peek(): StrideMeasures;
  /**
   * The pitch (deg, toe up +) of sensor-frame axis (hx, hy, hz) now, relative to the stride's start
   * (both measured against the start's gravity). With hx..hz = 0, the axis is the stride's own travel
   * direction so far (before the toe axis is known).
   */
  pitch_deg(hx: number, hy: number, hz: number): number;
  /** Angle (deg) between the force felt now (g, sensor frame), carried into the start frame, and gravity there, during the swing: a foot in the air or moving feels more. */
  offGravity_deg(ax: number, ay: number, az: number): number;
}

/** m: where the stride's measures go (the caller's record of the stride; a fresh one by default). */
export function createStrapdown(m: StrideMeasures = newMeasures()): Strapdown {
  // attitude: the sensor now -> the current reference (unit quaternion)
  let qw = 1, qx = 0, qy = 0, qz = 0;
  // the attitude a sample before (the landing's pitch is read at both: the impact sample has often begun to roll flat)
  let bw = 1, bx = 0, by = 0, bz = 0;
  // velocity (m/s) and travel (m) in the current reference; gravity there (g)
  let vx = 0, vy = 0, vz = 0, px = 0, py = 0, pz = 0;
  let gx = 0, gy = 0, gz = 1, kg = GRAVITY_MPS2;
  // the previous sample's gravity-free force (m/s^2), for the trapezoid
  let fx0 = 0, fy0 = 0, fz0 = 0;
  // when velocity was last known to be zero
  let tZero_ms = 0;
  // the stride: the current reference -> the stride's start frame, and the reference's origin there
  let Qw = 1, Qx = 0, Qy = 0, Qz = 0, Px = 0, Py = 0, Pz = 0;
  // the swing's highest point (m)
  let lift = 0;
  const up = m.up, along = m.along;

  function reference(t: number, ax: number, ay: number, az: number): void {
    // force in g as this sensor reads it, to m/s^2: gravity here is what it reads for 1 g (a gain of 0.94-1.06
    // would otherwise scale every stride by as much)
    kg = GRAVITY_MPS2 / Math.sqrt(ax * ax + ay * ay + az * az);
    qw = 1; qx = qy = qz = 0;
    vx = vy = vz = px = py = pz = 0;
    fx0 = fy0 = fz0 = 0;
    gx = ax; gy = ay; gz = az;
    tZero_ms = t;
  }

  function zero(t: number): void {
    vx = vy = vz = px = py = pz = 0;
    fx0 = fy0 = fz0 = 0;
    tZero_ms = t;
  }

  // The per-sample path. First-order quaternion step then renormalise: the error is third order in the
  // angle per sample (8 deg at 52 Hz and 400 dps), far below what the trapezoid on the rate removes.
  function integrate(dt: number, mgx: number, mgy: number, mgz: number, ax: number, ay: number, az: number): number {
    'ram';
    const k = dt * 0.5 * RAD;
    const hx = mgx * k, hy = mgy * k, hz = mgz * k;
    const nw = qw - qx * hx - qy * hy - qz * hz;
    const nx = qx + qw * hx + qy * hz - qz * hy;
    const ny = qy + qw * hy - qx * hz + qz * hx;
    const nz = qz + qw * hz + qx * hy - qy * hx;
    const n = 1 / Math.sqrt(nw * nw + nx * nx + ny * ny + nz * nz);
    bw = qw; bx = qx; by = qy; bz = qz;
    qw = nw * n; qx = nx * n; qy = ny * n; qz = nz * n;
    // force into the reference frame (v + w t + q x t, t = 2 q x v), less gravity, in m/s^2
    const tx = 2 * (qy * az - qz * ay), ty = 2 * (qz * ax - qx * az), tz = 2 * (qx * ay - qy * ax);
    const fx = (ax + qw * tx + qy * tz - qz * ty - gx) * kg;
    const fy = (ay + qw * ty + qz * tx - qx * tz - gy) * kg;
    const fz = (az + qw * tz + qx * ty - qy * tx - gz) * kg;
    const h = dt * 0.5;
    const ox = vx, oy = vy, oz = vz;
    vx += (fx + fx0) * h; vy += (fy + fy0) * h; vz += (fz + fz0) * h;
    fx0 = fx; fy0 = fy; fz0 = fz;
    px += (vx + ox) * h; py += (vy + oy) * h; pz += (vz + oz) * h;
    const up_m = px * up[0] + py * up[1] + pz * up[2];
    if (up_m > lift) lift = up_m;
    return vx * vx + vy * vy + vz * vz;
  }

  function beginStride(): void {
    Qw = 1; Qx = Qy = Qz = 0;
    Px = Py = Pz = 0;
    lift = 0;
    const n = Math.sqrt(gx * gx + gy * gy + gz * gz);
    up[0] = gx / n; up[1] = gy / n; up[2] = gz / n;
  }


  function fold(t: number, ax: number, ay: number, az: number): StrideMeasures {
    // de-drift: the foot is at rest here, so the velocity left is error grown linearly since the last zero
    const T = (t - tZero_ms) / 2000;
    const dx = px - vx * T, dy = py - vy * T, dz = pz - vz * T;
    // P += Q d
    let tx = 2 * (Qy * dz - Qz * dy), ty = 2 * (Qz * dx - Qx * dz), tz = 2 * (Qx * dy - Qy * dx);
    Px += dx + Qw * tx + Qy * tz - Qz * ty;
    Py += dy + Qw * ty + Qz * tx - Qx * tz;
    Pz += dz + Qw * tz + Qx * ty - Qy * tx;
    // Q = Q q: this sample becomes the reference
    const nw = Qw * qw - Qx * qx - Qy * qy - Qz * qz;
    const nx = Qw * qx + Qx * qw + Qy * qz - Qz * qy;
    const ny = Qw * qy - Qx * qz + Qy * qw + Qz * qx;
    const nz = Qw * qz + Qx * qy - Qy * qx + Qz * qw;
    Qw = nw; Qx = nx; Qy = ny; Qz = nz;
    reference(t, ax, ay, az);
    travelOf(Px, Py, Pz);
    m.turn_deg = 2 * Math.acos(Qw < 0 ? (-Qw > 1 ? 1 : -Qw) : Qw > 1 ? 1 : Qw) * DEG;
    // the force felt now, in the start frame, against the start's up
    tx = 2 * (Qy * az - Qz * ay); ty = 2 * (Qz * ax - Qx * az); tz = 2 * (Qx * ay - Qy * ax);
    const ex = ax + Qw * tx + Qy * tz - Qz * ty, ey = ay + Qw * ty + Qz * tx - Qx * tz, ez = az + Qw * tz + Qx * ty - Qy * tx;
    m.offGravity_deg = acos1((ex * up[0] + ey * up[1] + ez * up[2]) / Math.sqrt(ex * ex + ey * ey + ez * ez)) * DEG;
    // the sensor axis that was up at the start (u, sensor coordinates then and now), carried into the start frame
    tx = 2 * (Qy * up[2] - Qz * up[1]); ty = 2 * (Qz * up[0] - Qx * up[2]); tz = 2 * (Qx * up[1] - Qy * up[0]);
    m.tilt_deg = acos1(up[0] * (up[0] + Qw * tx + Qy * tz - Qz * ty) + up[1] * (up[1] + Qw * ty + Qz * tx - Qx * tz) + up[2] * (up[2] + Qw * tz + Qx * ty - Qy * tx)) * DEG;
    return m;
  }

  /** m's travel, rise and direction for a displacement (x, y, z) in the start frame, against the start's gravity. */
  function travelOf(x: number, y: number, z: number): void {
    const rise = x * up[0] + y * up[1] + z * up[2];
    const hx = x - rise * up[0], hy = y - rise * up[1], hz = z - rise * up[2];
    const travel = Math.sqrt(hx * hx + hy * hy + hz * hz);
    m.rise_m = rise;
    m.travel_m = travel;
    m.lift_m = lift;
    if (travel > 0) {
      along[0] = hx / travel; along[1] = hy / travel; along[2] = hz / travel;
    } else along[0] = along[1] = along[2] = 0;
  }

  function pitch_deg(hx: number, hy: number, hz: number): number {
    if (hx === 0 && hy === 0 && hz === 0) {
      // the stride's own travel direction so far, horizontal in the start frame
      const r = px * up[0] + py * up[1] + pz * up[2];
      hx = px - r * up[0]; hy = py - r * up[1]; hz = pz - r * up[2];
      const n = Math.sqrt(hx * hx + hy * hy + hz * hz);
      if (n === 0) return 0;
      hx /= n; hy /= n; hz /= n;
    }
    const start = asin1(hx * up[0] + hy * up[1] + hz * up[2]);
    const now = asin1(upOf(qw, qx, qy, qz, hx, hy, hz)) - start, before = asin1(upOf(bw, bx, by, bz, hx, hy, hz)) - start;
    return ((now < 0 ? -now : now) >= (before < 0 ? -before : before) ? now : before) * DEG;
  }

  /** The up component (against the start's up) of sensor axis h turned by attitude w, x, y, z. */
  function upOf(w: number, x: number, y: number, z: number, hx: number, hy: number, hz: number): number {
    const tx = 2 * (y * hz - z * hy), ty = 2 * (z * hx - x * hz), tz = 2 * (x * hy - y * hx);
    return (hx + w * tx + y * tz - z * ty) * up[0] + (hy + w * ty + z * tx - x * tz) * up[1] + (hz + w * tz + x * ty - y * tx) * up[2];
  }


  function offGravityNow(ax: number, ay: number, az: number): number {
    return acos1(upOf(qw, qx, qy, qz, ax, ay, az) / Math.sqrt(ax * ax + ay * ay + az * az)) * DEG;
  }


  return {
    offGravity_deg: offGravityNow,
    reference: reference,
    zero: zero,
    integrate: integrate,
    beginStride: beginStride,
    fold: fold,
    peek: function () {
      // (during the swing the current reference is the stride's start: Q is the identity)
      travelOf(px, py, pz);
      return m;
    },
    pitch_deg: pitch_deg,
  };
}

export function newMeasures(): StrideMeasures {
  return { travel_m: 0, rise_m: 0, turn_deg: 0, tilt_deg: 0, offGravity_deg: 0, up: new Float64Array(3), along: new Float64Array(3), lift_m: 0 };
}

function acos1(c: number): number {
  return Math.acos(c > 1 ? 1 : c < -1 ? -1 : c);
}

function asin1(s: number): number {
  return Math.asin(s > 1 ? 1 : s < -1 ? -1 : s);
}
