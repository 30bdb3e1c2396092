import fs from 'node:fs';
import { runEngine } from '../host/src/replay/run.js';
import { parseRecording } from '../host/src/replay/recording.js';
import { createGaitEngine } from '../shared/gait/engine.js';
import { motionSource, MOTION_KINDS, stairsScript } from '../host/src/sim/motions.js';
import { createWalker, demoScript, MOUNTS, sampleWalker } from '../host/src/sim/walker.js';
const q = (a: number[], p: number) => { const v = [...a].sort((x, y) => x - y); return v[Math.min(v.length - 1, Math.floor(p * v.length))]; };
const sum = (name: string, cs: any[]) => { if (!cs.length) return console.log(name, 'none'); const sw = cs.map(c => c.swing_ms), ti = cs.map(c => c.stance_tilt_deg), pi = cs.map(c => Math.abs(c.pitch_deg)), tr = cs.map(c=>c.stride_m);
  console.log(name.padEnd(22), cs.length, 'swing', [0, 0.01, 0.5, 0.99, 1].map(p => q(sw, p).toFixed(0)).join('/'), 'tilt', [0.5, 0.99, 1].map(p => q(ti, p).toFixed(0)).join('/'), '|pitch|', [0.5,0.99,1].map(p => q(pi, p).toFixed(0)).join('/'), 'travel', [0,0.5,1].map(p=>q(tr,p).toFixed(2)).join('/'), 'rise', [0,0.01,0.5,0.99,1].map(p=>q(cs.map(c=>c.rise_m),p).toFixed(2)).join('/'), 'prange', [0,0.01,0.5].map(p=>q(cs.map(c=>c.swing_pitch_range_deg),p).toFixed(0)).join('/')); };
const rate = 52;
for (const [name, mount] of Object.entries(MOUNTS)) for (const rate of [26, 52, 104]) {
  const w = createWalker(demoScript(), { seed: 1001, mount });
  const { t_ms, samples } = sampleWalker(w, rate);
  sum(`${name} ${rate}`, runEngine(t_ms, samples).filter(c => c.calibrated));
}
for (const f of fs.readdirSync('test/fixtures/gaitmap').filter(f => f.endsWith('.csv'))) {
  const rec = parseRecording(fs.readFileSync('test/fixtures/gaitmap/' + f, 'utf8'), f);
  sum(f, runEngine(rec.t_ms, rec.samples));
}
const w0 = createWalker(demoScript().slice(0, 2), { seed: 77, mount: MOUNTS.laces });
const s0 = sampleWalker(w0, rate);
const e = createGaitEngine(() => {}); for (let i = 0; i < s0.t_ms.length; i++) { const k = i * 6; e.push(s0.t_ms[i], s0.samples[k], s0.samples[k+1], s0.samples[k+2], s0.samples[k+3], s0.samples[k+4], s0.samples[k+5]); }
const cal = e.getCalibration();
for (const kind of MOTION_KINDS) {
  const all: any[] = [];
  for (const seed of [1, 2, 3]) {
  let t_ms: Float64Array, samples: Float32Array;
  if (kind === 'stairs') { ({ t_ms, samples } = sampleWalker(createWalker(stairsScript(10), { seed }), rate)); }
  else { const src = motionSource(kind, seed); const n = 600 * rate; t_ms = new Float64Array(n); samples = new Float32Array(n * 6); const out = new Float64Array(6);
    for (let i = 0; i < n; i++) { t_ms[i] = (i * 1000) / rate; src(t_ms[i], rate, out); samples.set(out, i * 6); } }
  all.push(...runEngine(t_ms, samples, { calibration: cal }));
  }
  sum('FALSE ' + kind, all);
}
