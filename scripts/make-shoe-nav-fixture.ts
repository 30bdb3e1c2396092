/**
 * Writes test/fixtures/shoe-nav/: one of shoe-nav's fast hallway walks (recording 43, 1.7 m/s, MIT: see the
 * LICENSE beside it) as a `retrostep recording v1` at the pod's 52 Hz, and its stride ends. Run beside a
 * checkout of ../shared: `npx tsx scripts/make-shoe-nav-fixture.ts`.
 */
import fs from 'node:fs';
import { loadShoeNav } from '../bench/shoe-nav.js';

const NAME = '43';
const RATE_HZ = 52;
const OUT = 'test/fixtures/shoe-nav';

const rec = loadShoeNav(RATE_HZ).find((r) => r.name === NAME);
if (!rec) throw new Error(`shoe-nav recording ${NAME} not found beside the project (../shared/data/shoe-nav-mit)`);
const lines = [
  '# retrostep recording v1',
  `# source: shoe-nav (mtahakoroglu/gait-driven-inertial-navigation-dataset, MIT, see LICENSE), recording ${NAME}, one shoe, sensor axes as mounted, resampled 250 -> ${RATE_HZ} Hz by averaging`,
  `# rate_hz=${RATE_HZ} mount=shoe subject=shoe-nav-1 labels=none`,
  't_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps,label',
];
for (let i = 0; i < rec.t_ms.length; i++) {
  const s = rec.samples;
  const a = [0, 1, 2].map((k) => s[i * 6 + k].toFixed(4));
  const g = [3, 4, 5].map((k) => s[i * 6 + k].toFixed(2));
  lines.push(`${rec.t_ms[i].toFixed(1)},${a.join(',')},${g.join(',')},`);
}
fs.writeFileSync(`${OUT}/fast-${NAME}-${RATE_HZ}hz.csv`, lines.join('\n') + '\n');
fs.writeFileSync(`${OUT}/fast-${NAME}-stride-ends.json`, JSON.stringify({ recording: NAME, stride_end_ms: rec.labels_ms.map((t) => Math.round(t * 10) / 10) }) + '\n');
console.log(`wrote ${rec.t_ms.length} samples and ${rec.labels_ms.length} stride ends`);
