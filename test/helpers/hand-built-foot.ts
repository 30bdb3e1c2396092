/**
 * A foot built sample by sample for the gait engine's stage tests (segmentation, the landing, the gyro's offset):
 * flat, the sensor's z up, standing still or turning about the vertical (z) only.
 *
 * By default it feels gravity alone, exactly 1 g along z. Turning so, its force never changes (gravity lies along
 * the turn's axis), so the engine sees the turn and nothing else: no force off the rest level, no force jump, and
 * the strapdown's speed stays exactly 0. Every rule that reads calmness then reads the turn alone, and a test can
 * set a rate against a threshold to the dps.
 *
 * A test may also set the force per sample (Force: in g, in the frame the foot started in, x and y level, z up;
 * gravity alone is GRAVITY_ONLY): an impact or a jolt (one sample's force jumping), a load (more than 1 g along
 * the vertical), a force off the vertical (what the engine reads as a foot tilted off the gravity it carried
 * through the swing, as a foot still in the air feels), or a foot carried over the ground (`carried`). The foot
 * turns the force into the sensor's frame by how far it has turned about the vertical (yaw_deg), so a force set
 * here stays put in that frame whatever the foot's turn.
 *
 * The engine is driven through its public API only: push, quietFor_ms, every landed stride's verdict
 * (verdictsBy) and every event (onEvent).
 */
import { DECIDE_MS, GRAVITY_MPS2, STANDING_MS, STEP_SWING_DPS, STILL_DPS, SWING_DPS } from '../../shared/gait/constants.js';
import { createGaitEngine, type GaitEngine, type GaitEvent, type StrideVerdict, verdictsBy } from '../../shared/gait/engine.js';

/** 50 Hz: near the pod's 52 Hz, and every time a whole number of ms, so a gap of exactly MAX_SAMPLE_GAP_MS is exactly that. */
export const FOOT_DT_MS = 20;

/** A swing that commits: faster than STEP_SWING_DPS, as a step's swing turns the foot. */
export const SWING_FAST_DPS = 1.25 * STEP_SWING_DPS;
/** Quiet: calmer than SWING_DPS (the foot has come down), but not standing still (STILL_DPS). */
export const QUIET_DPS = (STILL_DPS + SWING_DPS) / 2;

/** A stance long enough to settle, short of STANDING_MS (nothing learnt of the gyro's offset). */
export const STANCE_MS = STANDING_MS / 2;
/** Long enough standing after a stride for it to be judged however it landed (DECIDE_MS). */
export const AFTER_MS = DECIDE_MS + 200;

/** The force the sensor feels (g), in the frame the foot started in: x, y level, z up. */
export type Force = readonly [number, number, number];
/** A standing foot's force: gravity alone. */
export const GRAVITY_ONLY: Force = [0, 0, 1];
/** The force of each sample of a run of n: a constant, or by the sample's number in the run (1..n). */
type ForceOf = Force | ((i: number, n: number) => Force);

export interface HandBuiltFoot {
  readonly engine: GaitEngine;
  /** every landed stride's verdict, in order */
  readonly verdicts: StrideVerdict[];
  /** every event the engine emitted, in order */
  readonly events: GaitEvent[];
  /** the time (ms) of the next sample */
  readonly t_ms: number;
  /** how far the foot has turned about the vertical (deg) from its first sample: the trapezoid of the rates pushed, as the engine integrates them */
  readonly yaw_deg: number;
  /** every sample's time (ms) and yaw_deg after it */
  readonly yaws: { t_ms: number; yaw_deg: number }[];
  /** Standing still for ms (whole samples, at least that long), feeling force (GRAVITY_ONLY unless given). */
  stand(ms: number, force?: ForceOf): void;
  /** Turning about the vertical at dps for ms (whole samples, at least that long), feeling force (GRAVITY_ONLY unless given). */
  turn(dps: number, ms: number, force?: ForceOf): void;
  /** Turning back and forth about the vertical at dps, half_ms each way, for ms in all: first the way dps says. */
  rock(dps: number, half_ms: number, ms: number): void;
  /** No samples for a while: the next one comes ms after the last. */
  gap(ms: number): void;
}

/** bias_dps: what the gyro reads on top of the foot's own turn, per axis (its zero-rate offset). */
export function createFoot(opts: { dt_ms?: number; bias_dps?: [number, number, number] } = {}): HandBuiltFoot {
  const dt = opts.dt_ms ?? FOOT_DT_MS;
  const [bx, by, bz] = opts.bias_dps ?? [0, 0, 0];
  const verdicts: StrideVerdict[] = [];
  const events: GaitEvent[] = [];
  const engine = createGaitEngine((e) => events.push(e), undefined, verdictsBy((v) => verdicts.push(v)));
  const yaws: { t_ms: number; yaw_deg: number }[] = [];
  let t = 0, yaw = 0, last: { t: number; dps: number } | null = null;
  const samplesIn = (ms: number) => Math.ceil(ms / dt - 1e-9);
  function sample(dps: number, f: Force): void {
    if (last) yaw += (((last.dps + dps) / 2) * (t - last.t)) / 1000;
    // (the force into the sensor's frame: turned back by the foot's yaw)
    const c = Math.cos((yaw * Math.PI) / 180), s = Math.sin((yaw * Math.PI) / 180);
    engine.push(t, f[0] * c + f[1] * s, f[1] * c - f[0] * s, f[2], bx, by, bz + dps);
    last = { t, dps };
    yaws.push({ t_ms: t, yaw_deg: yaw });
    t += dt;
  }
  function run(dps: (i: number) => number, ms: number, force: ForceOf): void {
    const n = samplesIn(ms);
    for (let i = 1; i <= n; i++) sample(dps(i), typeof force === 'function' ? force(i, n) : force);
  }
  return {
    engine,
    verdicts,
    events,
    yaws,
    get t_ms() {
      return t;
    },
    get yaw_deg() {
      return yaw;
    },
    stand(ms, force = GRAVITY_ONLY) {
      run(() => 0, ms, force);
    },
    turn(dps, ms, force = GRAVITY_ONLY) {
      run(() => dps, ms, force);
    },
    rock(dps, half_ms, ms) {
      const half = samplesIn(half_ms);
      run((i) => (Math.floor((i - 1) / half) % 2 === 0 ? dps : -dps), ms, GRAVITY_ONLY);
    },
    gap(ms) {
      t += ms - dt;
    },
  };
}

/** Gravity and jump_g more along the vertical: one sample of it, between samples of gravity alone, is an impact of jump_g (the force jumps by that much, and back). */
export function jolted(jump_g: number): Force {
  return [0, 0, 1 + jump_g];
}

/**
 * A force along the vertical off the rest level (1 g) by dev_g as the engine compares it: half the difference of
 * the squares (|f|^2 - 1) / 2, which is ~ |f| - 1 near 1 g (constants.ts ROLL_G). Over it, a load; under, a foot
 * still falling.
 */
export function loaded(dev_g: number): Force {
  return [0, 0, Math.sqrt(1 + 2 * dev_g)];
}

/** A force of size_g off the vertical by deg (toward x): a foot feeling it has its force that far off gravity. */
export function tilted(deg: number, size_g = 1): Force {
  const rad = (deg * Math.PI) / 180;
  return [size_g * Math.sin(rad), 0, size_g * Math.cos(rad)];
}

/**
 * The force of a foot carried along x over a run of samples (ms: their number times the interval), from rest:
 * faster for half the run, then slower (a half sine of acceleration each, so the force changes smoothly), to rest
 * (endSpeed_fraction 0), or to that fraction of its top speed, moving on. Over the run it moves travel_m as a
 * continuous foot would; sampled, within a few per cent. Its last sample feels gravity alone.
 */
export function carried(travel_m: number, ms: number, endSpeed_fraction = 0): (i: number, n: number) => Force {
  // top speed V at half the run: travel = V T / 2 + endSpeed_fraction V T / 4; a half sine of area V has a peak of V pi / T
  const T_s = ms / 1000, top_mps = (4 * travel_m) / (T_s * (2 + endSpeed_fraction));
  const up_g = (top_mps * Math.PI) / T_s / GRAVITY_MPS2;
  return (i, n) => {
    const wave = Math.sin((2 * Math.PI * i) / n);
    return [(wave >= 0 ? up_g : up_g * (1 - endSpeed_fraction)) * wave, 0, 1];
  };
}
