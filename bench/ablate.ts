/**
 * `npm run bench ablate`: what each of the gait engine's rules buys. Every accuracy figure
 * (ablate-figures.ts) is measured on the engine as it is, then again with each rule of ablations.ts taken
 * out, and each line says which figures moved, worse or better. A rule whose line reads "nothing moved" is
 * one no recording or simulated set needs (docs/decisions.md, "Rules no recording needs, taken out").
 *
 * Each run works on a copy of the sources in a temporary folder (shared/, host/src/, firmware/, bench/ and a
 * link to node_modules), edited there, so the project's own files are never touched. Runs go two at a time; the
 * simulated samples are made once and kept for the rest. 8-10 minutes on 2 cores. Without the real
 * recordings beside the project (voisard, shoe-nav) it says so, and measures the rest: a rule that moves
 * nothing then may still be needed by them.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ABLATIONS, type Ablation, ablated } from './ablations.js';
import type { Figures, FiguresRun } from './ablate-figures.js';

type Line = (name: string, value: string | number, unit?: string) => void;

/** Figures where more is worse (everything else: more is better). */
const MORE_IS_WORSE = /extra|wrong|false strides|steps changed/;

/** A figures run that failed: its message is one line for a person (bench.ts prints it so, with no stack). */
export class AblateFailed extends Error {}

/** Run the figures script of the copy at root, from the project's root (the recordings are found from there). */
function figuresOf(root: string, cacheDir: string, what: string): Promise<FiguresRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(root, 'bench/ablate-figures.ts'), cacheDir], { cwd: process.cwd(), maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (!err) return resolve(JSON.parse(stdout) as FiguresRun);
      // (the error's own line, and the next if it ends in a colon, not the stack's tail)
      const lines = stderr.split('\n').map((l) => l.trim());
      const at = lines.findIndex((l) => /\b\w*Error\b/.test(l));
      const why = at < 0 ? err.message.split('\n')[0] : lines[at].endsWith(':') && lines[at + 1] ? `${lines[at]} ${lines[at + 1]}` : lines[at];
      reject(new AblateFailed(`ablate: the figures run ${what} failed: ${why}`));
    });
  });
}

/** A copy of the sources the figures need, in dir. */
function copySources(dir: string): void {
  for (const sub of ['shared', 'host/src', 'firmware', 'bench']) fs.cpSync(sub, path.join(dir, sub), { recursive: true });
  fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'), 'dir');
}

/** What moved from base to other, worse first: "voisard 52 Hz found 1552 -> 1550; ...". */
export function moved(base: Figures, other: Figures): { worse: string[]; better: string[] } {
  const worse: string[] = [], better: string[] = [];
  for (const k of Object.keys(base)) {
    if (other[k] === base[k]) continue;
    const up = other[k] > base[k];
    (up === MORE_IS_WORSE.test(k) ? worse : better).push(`${k} ${base[k]} -> ${other[k]}`);
  }
  return { worse, better };
}

export async function benchAblate(line: Line): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-ablate-'));
  try {
    const cacheDir = path.join(tmp, 'samples');
    const baseRoot = path.join(tmp, 'base');
    copySources(baseRoot);
    const { figures: base, absent } = await figuresOf(baseRoot, cacheDir, 'on the engine as it is');
    line('ablate.figures', `${Object.keys(base).length} accuracy figures a run (bench/ablate-figures.ts), the engine as it is and then with each of ${ABLATIONS.length} rules taken out`);
    for (const a of absent) line('ablate.absent', `${a}: a rule that moves nothing below may still be needed there`);
    // two at a time: one copy per worker (the base run's is the first's), each edit made on its file and put
    // back after; after a failure no worker takes another rule, and both are waited for (their runs done)
    // before the folder goes
    const queue = ABLATIONS.map((a, i) => ({ a, i }));
    const results: string[] = new Array(ABLATIONS.length);
    let failed = false;
    async function worker(root: string): Promise<void> {
      for (let job = queue.shift(); job && !failed; job = queue.shift()) {
        const file = path.join(root, job.a.file);
        const source = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(file, ablated(source, job.a));
        try {
          results[job.i] = describe(job.a, moved(base, (await figuresOf(root, cacheDir, `without "${job.a.rule}"`)).figures));
        } catch (e) {
          failed = true;
          throw e;
        } finally {
          fs.writeFileSync(file, source);
        }
      }
    }
    const secondRoot = path.join(tmp, 'second');
    copySources(secondRoot);
    const runs = await Promise.allSettled([worker(baseRoot), worker(secondRoot)]);
    for (const r of runs) if (r.status === 'rejected') throw r.reason;
    results.forEach((r, i) => line(`ablate.${String(i + 1).padStart(2, '0')}`, r));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function describe(a: Ablation, m: { worse: string[]; better: string[] }): string {
  if (m.worse.length + m.better.length === 0) return `${a.rule}: taken out, nothing moved`;
  return `${a.rule}: taken out, worse: ${m.worse.join('; ') || 'none'}; better: ${m.better.join('; ') || 'none'}`;
}
