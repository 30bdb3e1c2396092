import { type Calibration } from '../../../shared/gait/engine.js';
import { type EngineContact, runEngine } from './run.js';

/**
 * A recording played backward in time: the stand-in the bench and tests have for real backward walking,
 * which none of our recordings holds. Backward gait is close to forward gait played in reverse (joint
 * angles and the foot's path mirror in time: Thorstensson 1986; Winter et al. 1989), so a real forward
 * recording reversed is a real sensor's backward walk: the foot swings heel first, lands on its toe (the
 * forward toe-off, 50-70 deg toe down: the simulator's backward steps land at 7-25) and rolls onto its heel.
 * What it does not reverse faithfully: impacts (the forward heel strike's jolt comes as the foot leaves the
 * ground, and the landing has none). Time runs backward from the same span: t' = first + last - t. The
 * force is unchanged (a second derivative); the rate changes sign.
 */
export function playedBackward(t_ms: ArrayLike<number>, samples: ArrayLike<number>): { t_ms: Float64Array; samples: Float32Array } {
  const n = t_ms.length;
  const t = new Float64Array(n);
  const s = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) {
    const j = n - 1 - i;
    t[i] = playedBackwardTime(t_ms, t_ms[j]);
    for (let k = 0; k < 3; k++) {
      s[6 * i + k] = samples[6 * j + k];
      s[6 * i + 3 + k] = -samples[6 * j + 3 + k];
    }
  }
  return { t_ms: t, samples: s };
}

/** A moment of the recording (ms) where it falls played backward. */
export function playedBackwardTime(t_ms: ArrayLike<number>, at_ms: number): number {
  return t_ms[0] + t_ms[t_ms.length - 1] - at_ms;
}

/**
 * The engine over a recording, and over it played backward from the mount it learnt walking forward, as the
 * pod learns its mount from the forward walk it asks for first: the steps of each run.
 */
export function stepsForwardAndPlayedBackward(t_ms: ArrayLike<number>, samples: ArrayLike<number>): { forward: EngineContact[]; backward: EngineContact[] } {
  let mount: Calibration | null = null;
  const forward = runEngine(t_ms, samples, { onMount: (c) => (mount = c) });
  const b = playedBackward(t_ms, samples);
  return { forward, backward: runEngine(b.t_ms, b.samples, { calibration: mount }) };
}
