import { runEngine } from '../host/src/replay/run.js';
import { createWalker, MOUNTS, sampleWalker, type Segment } from '../host/src/sim/walker.js';
const segs: Segment[] = [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'backward', strides: 60, cadence_spm: 170, stride_m: 1.0 }];
const w = createWalker(segs, { seed: 1001, mount: MOUNTS.laces, noise: false });
const { t_ms, samples } = sampleWalker(w, 104);
const got = runEngine(t_ms, samples);
console.log(w.truth.slice(20, 30).map(t => t.t_ms.toFixed(0)).join(' '));
console.log(got.slice(18, 30).map(t => t.t_ms.toFixed(0) + '/' + t.direction[0]+t.swing_ms.toFixed(0)).join(' '));
// samples around a truth contact
const tc = w.truth[25].t_ms;
for (let i = 0; i < t_ms.length; i++) if (t_ms[i] > tc - 700 && t_ms[i] < tc + 200 && i % 2 === 0) { const k = i*6; console.log((t_ms[i]-tc).toFixed(0), Array.from(samples.slice(k, k+6)).map(v => v.toFixed(2)).join(' ')); }
