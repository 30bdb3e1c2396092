import { runEngine } from '../host/src/replay/run.js';
import { scoreContacts } from '../host/src/replay/score.js';
import { createWalker, demoScript, MOUNTS, sampleWalker } from '../host/src/sim/walker.js';
for (const [name, mount] of Object.entries(MOUNTS)) for (const rate of [52]) {
  const w = createWalker(demoScript(), { seed: 1001, mount });
  const { t_ms, samples } = sampleWalker(w, rate);
  const s = scoreContacts(w.truth, runEngine(t_ms, samples));
  console.log(name.padEnd(26), rate, `found ${s.matched}/${s.truth} extra ${s.extra} dir ${s.directionCorrect} class ${s.firstCorrect}`);
}
