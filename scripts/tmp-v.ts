import { runEngine } from '../host/src/replay/run.js';
import { scoreContacts } from '../host/src/replay/score.js';
import { createWalker, MOUNTS, sampleWalker, type Segment } from '../host/src/sim/walker.js';
const cases: [string, Segment[]][] = [
  ['bwd jog 170', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'backward', strides: 60, cadence_spm: 170, stride_m: 1.0 }]],
  ['bwd 140 short', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'backward', strides: 60, cadence_spm: 140, stride_m: 0.6 }]],
  ['fwd fast', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 80, cadence_spm: 130, stride_m: 1.6 }]],
  ['fwd slow', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 80, cadence_spm: 90, stride_m: 1.0 }]],
  ['incline up', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'forward', strides: 60, rise_m: 0.07 }, { kind: 'walk', direction: 'backward', strides: 40, rise_m: 0.04 }]],
  ['incline down', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'forward', strides: 60, rise_m: -0.07 }, { kind: 'walk', direction: 'backward', strides: 40, rise_m: -0.04 }]],
  ['fwd toe-first', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'forward', strides: 40, first: 'toe' }]],
  ['bwd heel-first', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'backward', strides: 40, first: 'heel' }]],
  ['flat', [{ kind: 'stand', duration_s: 5 }, { kind: 'walk', direction: 'forward', strides: 20 }, { kind: 'walk', direction: 'backward', strides: 40, first: 'flat' }, { kind: 'walk', direction: 'forward', strides: 40, first: 'flat' }]],
];
for (const [name, segs] of cases) for (const rate of [26, 52, 104]) {
  const w = createWalker(segs, { seed: 1001, mount: MOUNTS.laces });
  const { t_ms, samples } = sampleWalker(w, rate);
  const s = scoreContacts(w.truth, runEngine(t_ms, samples));
  console.log(name.padEnd(16), rate, `found ${s.matched}/${s.truth} extra ${s.extra} dir ${s.directionCorrect} class ${s.firstCorrect}`);
}
{
  const w = createWalker(cases[3][1], { seed: 1001, mount: MOUNTS.laces });
  const { t_ms, samples } = sampleWalker(w, 52);
  const got = runEngine(t_ms, samples);
  console.log(w.truth.slice(10, 16).map(t => t.t_ms.toFixed(0)).join(' '));
  console.log(got.slice(10, 16).map(t => t.t_ms.toFixed(0) + '/' + t.swing_ms.toFixed(0)).join(' '));
}
