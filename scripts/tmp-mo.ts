import { runEngine } from '../host/src/replay/run.js';
import { motionSource, MOTION_KINDS, stairsScript } from '../host/src/sim/motions.js';
import { createWalker, sampleWalker } from '../host/src/sim/walker.js';
const rate = 52;
const dur_s = 600;
for (const kind of MOTION_KINDS) for (const seed of [1, 2, 3]) {
  let t_ms: Float64Array, samples: Float32Array;
  if (kind === 'stairs') {
    const w = createWalker(stairsScript(10), { seed });
    ({ t_ms, samples } = sampleWalker(w, rate));
  } else {
    const src = motionSource(kind, seed);
    const n = dur_s * rate;
    t_ms = new Float64Array(n); samples = new Float32Array(n * 6);
    const out = new Float64Array(6);
    let maxA = 0, maxW = 0;
    for (let i = 0; i < n; i++) { t_ms[i] = (i * 1000) / rate; src(t_ms[i], rate, out); samples.set(out, i * 6); maxA = Math.max(maxA, Math.hypot(out[0], out[1], out[2])); maxW = Math.max(maxW, Math.hypot(out[3], out[4], out[5])); }
    if (seed === 1) console.log(kind, 'max |a|', maxA.toFixed(2), 'max |w|', maxW.toFixed(0));
  }
  const got = runEngine(t_ms, samples);
  const hours = t_ms[t_ms.length - 1] / 3600000;
  console.log(kind.padEnd(12), seed, 'strides', got.length, 'per hour', (got.length / hours).toFixed(1));
}
