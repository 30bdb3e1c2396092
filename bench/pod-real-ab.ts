/**
 * `ESPRUINO_BIN=... npm run bench pod-real-ab -- <a.tok.js> <b.tok.js> [rounds]`: two pod bundles' steady
 * walking cost on the real interpreter (pod-real's steady run, reference loops a sample), their runs
 * interleaved a b, b a, a b, ... (the machine's load drifts over minutes: one bundle's runs all together,
 * or always first in a round, would read that drift as a difference). For a change smaller than one
 * pod-real run's noise (0.3 reference loops): one bundle against itself, 3 rounds, gave medians 0.04 apart
 * (runs within 17.9-18.5); a change of 0.3 came out 0.25-0.34 in three comparisons. A bundle is
 * dist/firmware/retrostep.tok.js as built from the sources to compare: copy it aside, change the sources,
 * build again (npm run build:firmware). Paths are taken from where npm was run. With valgrind on PATH, each
 * bundle's walking sample is also counted in instructions (bench/real-pod/count.ts) and b_minus_a_by_count
 * gives the difference exactly: the same bundle against itself came out 6 instructions a sample apart, of
 * 1,245,655 (0.18 reference loops apart timed, in one round).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CountFailed, countInstalled, countOrWhyNot, type PodCount } from './real-pod/count.js';
import { espruinoBinary, HOW_TO_ENABLE, install, measure, median, RealInterpreterUnavailable, scenario } from './real-pod/real-pod.js';

type Line = (name: string, value: string | number, unit?: string) => void;

/** Rounds when none is given: each bundle's median of 4 runs. */
const DEFAULT_ROUNDS = 4;

/** The command was not given two bundles (or a round count) it can use: its one line says what it needs. */
export class AbUsage extends Error {}

export async function benchPodRealAb(line: Line, args: string[]): Promise<void> {
  const bin = espruinoBinary();
  if (!bin) throw new RealInterpreterUnavailable(HOW_TO_ENABLE);
  const usage = 'pod-real-ab needs two bundles: npm run bench pod-real-ab -- <a.tok.js> <b.tok.js> [rounds]';
  if (args.length < 2 || args.length > 3) throw new AbUsage(usage);
  // (npm runs the bench from the project's root: a path is the person's, from where they ran npm)
  const [a, b] = args.slice(0, 2).map((f) => path.resolve(process.env.INIT_CWD ?? process.cwd(), f));
  for (const f of [a, b]) if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new AbUsage(`pod-real-ab: ${f} is not a file (${usage})`);
  const rounds = args[2] === undefined ? DEFAULT_ROUNDS : Number(args[2]);
  if (!Number.isInteger(rounds) || rounds < 1) throw new AbUsage(`pod-real-ab: rounds must be a whole number from 1 (got ${args[2]})`);
  const bundles = [a, b].map((file) => ({ file, dir: '', runs: [] as number[], vars: [] as number[], errors: [] as string[] }));
  let counts: PodCount[] | string = '';
  try {
    for (const x of bundles) {
      x.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-ab-'));
      try {
        await install(bin, x.dir, x.file);
      } catch {
        throw new AbUsage(`pod-real-ab: ${x.file} did not install in the interpreter's Storage (not a pod bundle?)`);
      }
    }
    for (let r = 0; r < rounds; r++) {
      for (const x of r % 2 === 0 ? bundles : [...bundles].reverse()) {
        const run = await measure(bin, x.dir, scenario('steady')).catch((e: Error) => {
          throw new AbUsage(`pod-real-ab: ${x.file} did not run as a pod bundle: ${e.message.split('\n')[0]}`);
        });
        x.runs.push(run.walk_refloops);
        if (run.vars.walking !== undefined) x.vars.push(run.vars.walking);
        x.errors.push(...run.errors);
      }
    }
    // (after the timed rounds: valgrind's runs would load the machine they are timed on)
    counts = await countOrWhyNot(async (valgrind) => {
      const each: PodCount[] = [];
      for (const x of bundles) {
        each.push(
          await countInstalled(valgrind, bin, x.dir).catch((e: Error) => {
            throw e instanceof CountFailed ? new CountFailed(`${x.file}: ${e.message}`) : e;
          }),
        );
      }
      return each;
    });
  } finally {
    for (const x of bundles) if (x.dir) fs.rmSync(x.dir, { recursive: true, force: true });
  }
  bundles.forEach((x, i) => {
    const name = `pod_real_ab.${'ab'[i]}`;
    line(`${name}.bundle`, `${x.file} (${fs.statSync(x.file).size} B)`);
    line(`${name}.walking_steady`, median(x.runs).toFixed(2), `reference loops per 52 Hz sample, median of ${x.runs.length} (${x.runs.map((v) => v.toFixed(2)).join(', ')})`);
    if (typeof counts !== 'string') {
      const c = counts[i];
      line(`${name}.instructions_per_sample.walking`, Math.round(c.walk_instructions), `(${c.walk_refloops.toFixed(2)} reference loops by count; ${Math.round(c.ref_instructions)} instructions a reference loop)`);
    }
    line(`${name}.vars_walking`, x.vars.length ? median(x.vars).toFixed(0) : 'not measured');
    line(`${name}.errors`, x.errors.length ? x.errors.join(' | ') : 'none');
  });
  const failed = bundles.some((x) => x.errors.length > 0);
  line('pod_real_ab.b_minus_a', (median(bundles[1].runs) - median(bundles[0].runs)).toFixed(2), `reference loops per sample (medians)${failed ? ': NOT comparable, a run had errors (above)' : ''}`);
  if (typeof counts === 'string') line('pod_real_ab.count', counts);
  else {
    // (in a's reference loops: the loop is counted with each bundle loaded, its Math looked up past the bundle's
    // top-level names, so b's own loop would mix that in)
    const [ca, cb] = counts;
    const d = cb.walk_instructions - ca.walk_instructions;
    line('pod_real_ab.b_minus_a_by_count', Math.round(d), `instructions a walking sample (${(d / ca.ref_instructions).toFixed(3)} reference loops, ${((d / ca.walk_instructions) * 100).toFixed(2)}%): exact, the same on any machine`);
  }
}
