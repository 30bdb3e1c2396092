/**
 * A real IMU's errors, put on a recording: the gain and zero-g offsets real
 * accelerometers have (the Puck.js's LSM6DS3: +-40 mg zero-g offset per axis
 * and a sensitivity tolerance of its own; half the voisard sensors read
 * 1.04-1.10 g at rest) and a gyro's zero-rate offset (a few dps), and how
 * the steps of two runs differ. The
 * engine must count the same steps through them (test/gait-real-data, and
 * the bench's gait.fixture.*.sensor_errors lines).
 */
import type { DetectedContact } from './score.js';

export interface SensorError {
  name: string;
  gain: number;
  /** zero-g offset per axis (g) */
  offset_g: [number, number, number];
  /** the gyro's zero-rate offset per axis (dps); none if absent */
  gyro_dps?: [number, number, number];
}

/**
 * Gain 0.94-1.06 and +-60 mg on each axis, alone and together, each axis's sign varied; a gyro reading 5 dps
 * on each axis at rest (8.7 dps in all), alone and with the accelerometer's errors. The engine learns the
 * gyro's offset while the foot stands (GYRO_OFFSET_LEARN_S): a walk that starts without standing 0.8 s
 * still walks on whatever offset it has.
 */
export const SENSOR_ERRORS: SensorError[] = [
  { name: 'gain 0.94', gain: 0.94, offset_g: [0, 0, 0] },
  { name: 'gain 1.06', gain: 1.06, offset_g: [0, 0, 0] },
  { name: 'offset +60 -60 -60 mg', gain: 1, offset_g: [0.06, -0.06, -0.06] },
  { name: 'gain 0.94, offset +60 +60 +60 mg', gain: 0.94, offset_g: [0.06, 0.06, 0.06] },
  { name: 'gain 0.94, offset -60 -60 -60 mg', gain: 0.94, offset_g: [-0.06, -0.06, -0.06] },
  { name: 'gain 0.94, offset +60 -60 +60 mg', gain: 0.94, offset_g: [0.06, -0.06, 0.06] },
  { name: 'gain 1.06, offset +60 +60 +60 mg', gain: 1.06, offset_g: [0.06, 0.06, 0.06] },
  { name: 'gain 1.06, offset -60 -60 -60 mg', gain: 1.06, offset_g: [-0.06, -0.06, -0.06] },
  { name: 'gain 1.06, offset -60 +60 -60 mg', gain: 1.06, offset_g: [-0.06, 0.06, -0.06] },
  { name: 'gyro offset +5 -5 +5 dps', gain: 1, offset_g: [0, 0, 0], gyro_dps: [5, -5, 5] },
  { name: 'gain 0.94, offset +60 -60 +60 mg, gyro offset -5 +5 -5 dps', gain: 0.94, offset_g: [0.06, -0.06, 0.06], gyro_dps: [-5, 5, -5] },
];

/** The samples (n x 6: acc g, gyro dps) as a sensor with this error reads them: a copy. */
export function withSensorError(samples: ArrayLike<number>, e: SensorError): Float32Array {
  const s = Float32Array.from(samples);
  const g = e.gyro_dps ?? [0, 0, 0];
  for (let i = 0; i < s.length; i += 6) {
    for (let k = 0; k < 3; k++) {
      s[i + k] = s[i + k] * e.gain + e.offset_g[k];
      s[i + 3 + k] += g[k];
    }
  }
  return s;
}

/**
 * "The same step" in another run: within this fraction of the walk's median step period of the base run's
 * step (the voisard bench's match window, bench/voisard.ts: nearer than that it cannot be another step).
 */
const SAME_STEP_FRACTION = 0.35;

/** The tolerance for "the same step" on a run's steps: SAME_STEP_FRACTION of their median period (ms). */
export function sameStepTolerance_ms(steps: { t_ms: number }[]): number {
  const gaps = steps.slice(1).map((c, i) => c.t_ms - steps[i].t_ms).sort((a, b) => a - b);
  return gaps.length ? SAME_STEP_FRACTION * gaps[Math.floor(gaps.length / 2)] : 0;
}

/** Another run's steps against a base run's: base steps with none within tol_ms, steps the base does not have, and steps found the other way. */
export function diffSteps(base: DetectedContact[], other: DetectedContact[], tol_ms: number): { lost: string[]; added: string[]; turned: string[] } {
  const nearest = (c: DetectedContact, in_: DetectedContact[]) => in_.reduce((b, x) => (Math.abs(x.t_ms - c.t_ms) < Math.abs(b.t_ms - c.t_ms) ? x : b), in_[0]);
  const s = (t: number) => (t / 1000).toFixed(2);
  const lost: string[] = [], added: string[] = [], turned: string[] = [];
  for (const c of base) {
    const o = other.length ? nearest(c, other) : undefined;
    if (!o || Math.abs(o.t_ms - c.t_ms) > tol_ms) lost.push(`${s(c.t_ms)} s: none within ${tol_ms.toFixed(0)} ms${o ? ` (nearest ${(o.t_ms - c.t_ms).toFixed(0)} ms off)` : ''}`);
    else if (o.direction !== c.direction) turned.push(`${s(c.t_ms)} s: ${o.direction}, unmodified ${c.direction}`);
  }
  for (const o of other) if (!base.some((c) => Math.abs(o.t_ms - c.t_ms) <= tol_ms)) added.push(`${s(o.t_ms)} s: a step the unmodified run does not have`);
  return { lost, added, turned };
}

/** diffSteps as lines for a person (empty: the same steps), the counts first when they differ. */
export function stepsDiffer(base: DetectedContact[], other: DetectedContact[], tol_ms: number): string[] {
  const d = diffSteps(base, other, tol_ms);
  const differ = [...d.lost, ...d.turned, ...d.added];
  if (other.length !== base.length) differ.unshift(`${other.length} steps, unmodified ${base.length}`);
  return differ;
}
