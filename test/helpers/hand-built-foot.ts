/**
 * A foot built sample by sample for the gait engine's stage tests (segmentation, the gyro's offset): flat, the
 * sensor's z up and reading exactly 1 g along it, standing still or turning about the vertical (z) only.
 *
 * Turning so, its force never changes (gravity lies along the turn's axis), so the engine sees the turn and
 * nothing else: no force off the rest level, no force jump, and the strapdown's speed stays exactly 0. Every
 * rule that reads calmness then reads the turn alone, and a test can set a rate against a threshold to the dps.
 * The engine is driven through its public API only: push, quietFor_ms, and every landed stride's verdict
 * (verdictsBy).
 */
import { createGaitEngine, type GaitEngine, type StrideVerdict, verdictsBy } from '../../shared/gait/engine.js';

/** 50 Hz: near the pod's 52 Hz, and every time a whole number of ms, so a gap of exactly MAX_SAMPLE_GAP_MS is exactly that. */
export const FOOT_DT_MS = 20;

export interface HandBuiltFoot {
  readonly engine: GaitEngine;
  /** every landed stride's verdict, in order */
  readonly verdicts: StrideVerdict[];
  /** the time (ms) of the next sample */
  readonly t_ms: number;
  /** how far the foot has turned about the vertical (deg) from its first sample: the trapezoid of the rates pushed, as the engine integrates them */
  readonly yaw_deg: number;
  /** every sample's time (ms) and yaw_deg after it */
  readonly yaws: { t_ms: number; yaw_deg: number }[];
  /** Standing still for ms (whole samples, at least that long). */
  stand(ms: number): void;
  /** Turning about the vertical at dps for ms (whole samples, at least that long). */
  turn(dps: number, ms: number): void;
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
  const engine = createGaitEngine(() => {}, undefined, verdictsBy((v) => verdicts.push(v)));
  const yaws: { t_ms: number; yaw_deg: number }[] = [];
  let t = 0, yaw = 0, last: { t: number; dps: number } | null = null;
  const samplesIn = (ms: number) => Math.ceil(ms / dt - 1e-9);
  function sample(dps: number): void {
    engine.push(t, 0, 0, 1, bx, by, bz + dps);
    if (last) yaw += (((last.dps + dps) / 2) * (t - last.t)) / 1000;
    last = { t, dps };
    yaws.push({ t_ms: t, yaw_deg: yaw });
    t += dt;
  }
  return {
    engine,
    verdicts,
    yaws,
    get t_ms() {
      return t;
    },
    get yaw_deg() {
      return yaw;
    },
    stand(ms) {
      for (let n = samplesIn(ms); n > 0; n--) sample(0);
    },
    turn(dps, ms) {
      for (let n = samplesIn(ms); n > 0; n--) sample(dps);
    },
    rock(dps, half_ms, ms) {
      const half = samplesIn(half_ms);
      for (let i = 0, n = samplesIn(ms); i < n; i++) sample(Math.floor(i / half) % 2 === 0 ? dps : -dps);
    },
    gap(ms) {
      t += ms - dt;
    },
  };
}
