/**
 * `npm run bench`: every speed and accuracy figure of the project, one per
 * line as `name: value unit`. Tests check behaviour; this measures.
 * Sections: firmware, demo, cli (start-up), pod (memory, statements, wake, battery),
 * pod-real (the bundle on the real Espruino interpreter, ESPRUINO_BIN; its cost also counted under valgrind), gait
 * (fixtures, the real development set, held-out simulated sessions),
 * faults, fuzz, limits, resets, web (the browser bundle, a week synced by the
 * page against the CLI); and, only when asked for by name, ablate (what each
 * of the gait engine's rules buys: 8-10 minutes) and pod-real-ab (two pod
 * bundles' cost per sample on the real interpreter, their runs interleaved).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDemo } from '../host/src/demo.js';
import { openDb } from '../host/src/store/db.js';
import { AblateFailed, benchAblate } from './ablate.js';
import { benchFaults } from './faults.js';
import { benchFuzz } from './fuzz.js';
import { benchGait } from './gait.js';
import { benchLimits } from './limits.js';
import { benchPod } from './pod.js';
import { benchPodReal } from './pod-real.js';
import { AbUsage, benchPodRealAb } from './pod-real-ab.js';
import { RealInterpreterUnavailable } from './real-pod/real-pod.js';
import { benchResets } from './resets.js';
import { benchWeb } from './web.js';

function line(name: string, value: string | number, unit = ''): void {
  console.log(`${name}: ${value}${unit ? ' ' + unit : ''}`);
}

async function benchFirmware(): Promise<void> {
  line('firmware.bundle_bytes_minified', fs.statSync('dist/firmware/retrostep.min.js').size, 'B (budget 24,576: issue 19)');
  line('firmware.bundle_bytes_stored', fs.statSync('dist/firmware/retrostep.tok.js').size, 'B (pretokenised: what is uploaded and stored; budget 24,576)');
  line('firmware.bundle_bytes_readable', fs.statSync('dist/firmware/retrostep.js').size, 'B');
}

async function benchDemo(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-bench-'));
  const db = openDb(path.join(dir, 'bench.db'));
  try {
    const r = await runDemo(db);
    line('demo.wall_time', (r.wall_ms / 1000).toFixed(2), 's');
    line('demo.simulated_time', (r.duration_ms / 60000).toFixed(1), 'min');
    line('demo.forward_strides', `${r.summary.forward} counted / ${r.truth.forward} scripted`);
    line('demo.backward_strides', `${r.summary.backward} counted / ${r.truth.backward} scripted`);
    line('demo.wrong_gait', `${r.summary.wrong} counted / ${r.truth.wrong} scripted`);
    line('demo.buzzes', r.buzzes);
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How long a command takes to start (the built CLI, `retrostep --help`: loading its modules, nothing run), the
 * median of 7: what every command costs before it does anything. Vega, Garmin's FIT SDK and the web server's
 * schemas load when a command uses them (~0.6 s of 0.8 when every command loaded them).
 */
async function benchCli(): Promise<void> {
  const runs_ms: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, ['bin/retrostep.js', '--help'], { stdio: 'ignore' });
    runs_ms.push(performance.now() - t0);
  }
  runs_ms.sort((a, b) => a - b);
  line('cli.startup', `${Math.round(runs_ms[3])} ms to run \`retrostep --help\` (median of 7; ${Math.round(runs_ms[0])}-${Math.round(runs_ms[6])})`);
}

const only = process.argv[2];
// the pod bundle as the sources are now, whichever section runs: the pod sections run it, and a fresh clone has none
execFileSync(process.execPath, ['scripts/build-firmware.mjs'], { stdio: 'ignore' });
const sections: [string, () => Promise<void>][] = [
  ['firmware', benchFirmware],
  ['demo', benchDemo],
  ['cli', benchCli],
  ['pod', async () => benchPod(line)],
  ['pod-real', async () => benchPodReal(line)],
  ['pod-real-ab', async () => benchPodRealAb(line, process.argv.slice(3))],
  ['gait', async () => benchGait(line)],
  ['faults', async () => benchFaults(line)],
  ['fuzz', async () => benchFuzz(line)],
  ['limits', async () => benchLimits(line)],
  ['resets', async () => benchResets(line)],
  ['web', async () => benchWeb(line)],
  ['ablate', async () => benchAblate(line)],
];
/** Sections run only when asked for by name (`npm run bench ablate`), for what they cost in time or the arguments they need. */
const ON_REQUEST: Record<string, string> = { ablate: 'npm run bench ablate', 'pod-real-ab': 'ESPRUINO_BIN=... npm run bench pod-real-ab -- <a.tok.js> <b.tok.js>' };
if (only && !sections.some(([name]) => name === only)) {
  console.error(`bench: no section "${only}" (one of: ${sections.map(([name]) => name).join(', ')})`);
  process.exit(2);
}
try {
  for (const [name, fn] of sections) {
    if (only && only !== name) continue;
    if (!only && name in ON_REQUEST) {
      line(name, `not run: \`${ON_REQUEST[name]}\` runs it`);
      continue;
    }
    await fn();
  }
} catch (e) {
  // an interpreter that is not there, an ablation run that failed (its error's own line) or arguments the section
  // cannot use are the person's to fix: one line, not a stack trace
  if (!(e instanceof RealInterpreterUnavailable || e instanceof AblateFailed || e instanceof AbUsage)) throw e;
  console.error(`bench: ${e.message}`);
  process.exit(2);
}
