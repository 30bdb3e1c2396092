import { runEngine } from '../host/src/replay/run.js';
import { createGaitEngine } from '../shared/gait/engine.js';
import { motionSource, MOTION_KINDS, stairsScript } from '../host/src/sim/motions.js';
import { createWalker, demoScript, MOUNTS, sampleWalker } from '../host/src/sim/walker.js';
const rate = 52;
const dur_s = 600;
// calibration from a walk
const w0 = createWalker(demoScript().slice(0, 2), { seed: 77, mount: MOUNTS.laces });
const s0 = sampleWalker(w0, rate);
let cal: any = null;
runEngine(s0.t_ms, s0.samples, { onEvent: () => {} });
{ const e = createGaitEngine(() => {}); for (let i = 0; i < s0.t_ms.length; i++) { const k = i * 6; e.push(s0.t_ms[i], s0.samples[k], s0.samples[k+1], s0.samples[k+2], s0.samples[k+3], s0.samples[k+4], s0.samples[k+5]); } cal = e.getCalibration(); }
console.log('cal', JSON.stringify(cal));
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
    for (let i = 0; i < n; i++) { t_ms[i] = (i * 1000) / rate; src(t_ms[i], rate, out); samples.set(out, i * 6); }
  }
  const got = runEngine(t_ms, samples, { calibration: cal });
  const hours = t_ms[t_ms.length - 1] / 3600000;
  console.log(kind.padEnd(12), seed, 'strides', got.length, 'per hour', (got.length / hours).toFixed(1), got.slice(0, 6).map((c) => `${(c.t_ms/1000).toFixed(1)}s ${c.direction[0]} ${c.stride_m.toFixed(2)}m ${c.pitch_deg.toFixed(0)}°`).join(' | '));
}
