/**
 * Runs recorded samples through the shared gait engine (the same code the
 * pod runs) and collects its contacts.
 */
import { type Calibration, createGaitEngine, DIR_BACKWARD, DIR_FORWARD, EVENT_CONTACT, FIRST_HEEL, FIRST_TOE, type GaitEvent, type StrideVerdict, verdictsBy } from '../../../shared/gait/engine.js';
import type { DetectedContact } from './score.js';

export interface EngineContact extends DetectedContact {
  pitch_deg: number;
  wrong: boolean;
  stride_m: number;
  cadence_spm: number;
  calibrated: boolean;
}

export interface RunOptions {
  wrongRule?: number;
  calibration?: Calibration | null;
  onEvent?: (e: GaitEvent) => void;
  /** every landed stride's decision (step or why not) */
  onVerdict?: (v: StrideVerdict) => void;
  /** the mount the engine holds at the end (learnt, or the one given), null if none */
  onMount?: (c: Calibration | null) => void;
}

function directionName(d: number): DetectedContact['direction'] {
  return d === DIR_FORWARD ? 'forward' : d === DIR_BACKWARD ? 'backward' : 'unknown';
}

export function firstName(f: number): DetectedContact['first'] {
  return f === FIRST_HEEL ? 'heel' : f === FIRST_TOE ? 'toe' : 'flat';
}

/** samples: n x 6 interleaved (acc_g x,y,z, gyro_dps x,y,z), sensor frame. */
export function runEngine(t_ms: ArrayLike<number>, samples: ArrayLike<number>, options: RunOptions = {}): EngineContact[] {
  const out: EngineContact[] = [];
  let now_ms = 0; // the sample being pushed: when an event is emitted
  const engine = createGaitEngine((e) => {
    options.onEvent?.(e);
    if (e.type !== EVENT_CONTACT) return;
    out.push({
      t_ms: e.t_ms,
      emitted_ms: now_ms,
      direction: directionName(e.direction),
      first: firstName(e.first),
      pitch_deg: e.pitch_deg,
      wrong: e.wrong,
      stride_m: e.stride_m,
      cadence_spm: e.cadence_spm,
      calibrated: e.calibrated,
    });
  }, options.wrongRule, options.onVerdict && verdictsBy(options.onVerdict));
  if (options.calibration) engine.setCalibration(options.calibration);
  const n = t_ms.length;
  for (let i = 0, k = 0; i < n; i++, k += 6) {
    now_ms = t_ms[i];
    engine.push(t_ms[i], samples[k], samples[k + 1], samples[k + 2], samples[k + 3], samples[k + 4], samples[k + 5]);
  }
  options.onMount?.(engine.getCalibration());
  return out;
}

/** The same samples as seen by a pod mounted at another angle: rotate every vector by the 3x3 row-major matrix m. */
export function rotateSamples(samples: ArrayLike<number>, m: ArrayLike<number>): Float32Array {
  const out = new Float32Array(samples.length);
  for (let k = 0; k < samples.length; k += 3) {
    const x = samples[k], y = samples[k + 1], z = samples[k + 2];
    out[k] = m[0] * x + m[1] * y + m[2] * z;
    out[k + 1] = m[3] * x + m[4] * y + m[5] * z;
    out[k + 2] = m[6] * x + m[7] * y + m[8] * z;
  }
  return out;
}

/** Rotation matrix (row-major) from Z-Y-X Euler angles in degrees. */
export function rotationZYX(yaw_deg: number, pitch_deg: number, roll_deg: number): number[] {
  const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  rotationZYXInto(m, 0, yaw_deg, pitch_deg, roll_deg);
  return m;
}

/** rotationZYX written into out from index at: no array made per call (the walker's layout makes one a millisecond). */
export function rotationZYXInto(out: { [i: number]: number }, at: number, yaw_deg: number, pitch_deg: number, roll_deg: number): void {
  const r = Math.PI / 180;
  const cz = Math.cos(yaw_deg * r), sz = Math.sin(yaw_deg * r);
  const cy = Math.cos(pitch_deg * r), sy = Math.sin(pitch_deg * r);
  const cx = Math.cos(roll_deg * r), sx = Math.sin(roll_deg * r);
  out[at] = cz * cy; out[at + 1] = cz * sy * sx - sz * cx; out[at + 2] = cz * sy * cx + sz * sx;
  out[at + 3] = sz * cy; out[at + 4] = sz * sy * sx + cz * cx; out[at + 5] = sz * sy * cx - cz * sx;
  out[at + 6] = -sy; out[at + 7] = cy * sx; out[at + 8] = cy * cx;
}
