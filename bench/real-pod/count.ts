/**
 * The pod's cost per sample by count, not by clock: valgrind's instruction total (cachegrind without its cache
 * simulation, "I refs") of pod-real's steady walk on the real interpreter. The timed figure moves with the
 * machine and its load (16.5 on one, 17.6 on another, the same bundle); the count repeats to a few instructions
 * in a million on any machine running the same interpreter binary, so two bundles compare exactly
 * (docs/decisions.md, "The pod's cost by instruction count").
 *
 * Four runs in copies of one installed Storage read the same samples (runner.js, CFG.count) and differ only
 * in what they hand the listener and in the reference loop they run at the end:
 *   fed:    standing and walking fed, REF(0)
 *   unfed:  standing fed, walking read and not fed, REF(0)
 *   ref:    as unfed, then REF(REF_COUNT_ITERATIONS)
 *   still:  nothing fed, REF(0)
 * A walking sample is (fed - unfed) / walking samples; an iteration of the reference loop (ref - unfed) /
 * iterations; a standing sample (unfed - still) / standing samples.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { install, INTERPRETER_ERROR, prepareRun, runInDir, scenario, type Scenario } from './real-pod.js';

/** valgrind failed, printed no count, or the interpreter's run under it ended early or with errors: one line. */
export class CountFailed extends Error {}

/** What the line that says the count was skipped tells. */
const HOW_TO_COUNT = 'valgrind is not on PATH (apt-get install valgrind: it counts the instructions a sample, the same on any machine)';

/**
 * Reference-loop iterations counted (REF(n) less REF(0)): ~760 million instructions, against runs that differ
 * by ~20,000 with nothing changed (the stdin thread's polls), so the figure an iteration holds to 0.01%.
 */
export const REF_COUNT_ITERATIONS = 10_000;

/** Wall-clock limit of one run under valgrind: the fed one, ~8 billion instructions, took 20 s here. */
const COUNT_RUN_TIMEOUT_MS = 300_000;

const VALGRIND_ARGS = ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null'];

/** valgrind on PATH, or null. */
export function valgrindBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, 'valgrind');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not in this folder: the next one on PATH
    }
  }
  return null;
}

/** The instructions cachegrind counted, from what valgrind printed on stderr ("==pid== I   refs:      1,234,567"). */
export function instructionTotal(valgrindOutput: string): number {
  const m = /^==\d+== I\s+refs:\s+([\d,]+)\s*$/m.exec(valgrindOutput);
  if (!m) {
    const last = valgrindOutput.trim().split('\n').pop()?.trim();
    throw new CountFailed(`valgrind printed no instruction total${last ? ` (its last line: ${last})` : ''}`);
  }
  return Number(m[1].replace(/,/g, ''));
}

export interface CountTotals {
  fed: number;
  unfed: number;
  ref: number;
  still: number;
}

export interface CountFigures {
  /** instructions a walking sample, a standing one, an iteration of the reference loop */
  walk_instructions: number;
  stand_instructions: number;
  ref_instructions: number;
  /** a sample's instructions over an iteration's: reference loops by count */
  walk_refloops: number;
  stand_refloops: number;
}

/** The figures from the four runs' totals (module comment); a difference that is not positive is a run gone wrong. */
export function countFigures(t: CountTotals, n: { walk: number; stand: number; refIterations: number }): CountFigures {
  const per = (more: number, less: number, count: number, what: string) => {
    if (!(more > less) || !(count > 0)) throw new CountFailed(`${what} counted ${more - less} instructions over ${count}: a run did not do what it should`);
    return (more - less) / count;
  };
  const walk = per(t.fed, t.unfed, n.walk, 'the walking samples');
  const stand = per(t.unfed, t.still, n.stand, 'the standing samples');
  const ref = per(t.ref, t.unfed, n.refIterations, 'the reference loop');
  return { walk_instructions: walk, stand_instructions: stand, ref_instructions: ref, walk_refloops: walk / ref, stand_refloops: stand / ref };
}

interface CountRun {
  name: keyof CountTotals;
  stand: boolean;
  walk: boolean;
  refIterations: number;
}

const RUNS: CountRun[] = [
  { name: 'fed', stand: true, walk: true, refIterations: 0 },
  { name: 'unfed', stand: true, walk: false, refIterations: 0 },
  { name: 'ref', stand: true, walk: false, refIterations: REF_COUNT_ITERATIONS },
  { name: 'still', stand: false, walk: false, refIterations: 0 },
];

/** What one run under valgrind counted: its instructions, and the samples the runner read as walking and as standing. */
interface RunTotal {
  instructions: number;
  walk: number;
  stand: number;
}

/** One run under valgrind in its own copy of the installed Storage. */
async function countRun(valgrind: string, bin: string, installed: string, sc: Scenario, run: CountRun): Promise<RunTotal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `retrostep-count-${run.name}-`));
  try {
    // (no reference trials and no do-nothing batches, and the runner's count path times nothing: the runs differ
    // by the listener calls alone)
    const count = { stand: run.stand, walk: run.walk, refIterations: run.refIterations };
    const { script } = prepareRun(installed, dir, sc, { refTrials: 0, nopBatches: 0, count });
    const { stdout, stderr } = await runInDir(valgrind, [...VALGRIND_ARGS, bin, 'run.js'], dir, script, COUNT_RUN_TIMEOUT_MS).catch((e: Error) => {
      throw new CountFailed(e.message);
    });
    const what = `the interpreter's run under valgrind (${run.name})`;
    const errors = stdout.split('\n').filter((l) => INTERPRETER_ERROR.test(l) || /^@(error|mismatch) /.test(l)).map((l) => l.trim());
    const done = /^@counted (\d+) (\d+) (.*)$/m.exec(stdout);
    if (!done) throw new CountFailed(`${what} ended early${errors.length ? `: ${errors[0]}` : ''}`);
    if (done[3]) errors.push(`E.getErrorFlags(): ${done[3]}`);
    if (errors.length) throw new CountFailed(`${what}: ${errors.join(' | ')}`);
    // (walking and standing are told apart a batch at a time, as in the timed runs: the numbers are the runner's)
    const [walk, stand] = [Number(done[1]), Number(done[2])];
    if (walk + stand !== sc.walkSamples) throw new CountFailed(`${what} read ${walk + stand} of its ${sc.walkSamples} samples`);
    return { instructions: instructionTotal(stderr), walk, stand };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface PodCount extends CountFigures {
  samples: { walk: number; stand: number };
  wall_s: number;
}

/** The count of a bundle already installed in Storage (install, real-pod.ts): the steady walk, every sample of it. */
export async function countInstalled(valgrind: string, bin: string, installed: string): Promise<PodCount> {
  const t0 = performance.now();
  const sc = scenario('steady');
  const totals = {} as CountTotals;
  const runs: RunTotal[] = [];
  // (one after the other: a count does not depend on the machine's load, but another job's timings here do)
  for (const run of RUNS) {
    const r = await countRun(valgrind, bin, installed, sc, run);
    totals[run.name] = r.instructions;
    runs.push(r);
  }
  const samples = { walk: runs[0].walk, stand: runs[0].stand };
  if (runs.some((r) => r.walk !== samples.walk)) throw new CountFailed(`the runs under valgrind read ${runs.map((r) => r.walk).join(', ')} walking samples of the same file`);
  return { ...countFigures(totals, { ...samples, refIterations: REF_COUNT_ITERATIONS }), samples, wall_s: (performance.now() - t0) / 1000 };
}

/** The count of a bundle file: installed in a Storage of its own, counted, the Storage removed. */
export async function countBundle(valgrind: string, bin: string, bundleFile: string): Promise<PodCount> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-count-install-'));
  try {
    await install(bin, dir, bundleFile);
    return await countInstalled(valgrind, bin, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * count(valgrind), or the one line a bench prints in its place: valgrind not on PATH (how to get it), or a
 * run that failed (what went wrong). Other errors are the bench's own and are thrown.
 */
export async function countOrWhyNot<T>(count: (valgrind: string) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T | string> {
  const valgrind = valgrindBinary(env);
  if (!valgrind) return `skipped: ${HOW_TO_COUNT}`;
  try {
    return await count(valgrind);
  } catch (e) {
    if (e instanceof CountFailed) return `not counted: ${e.message}`;
    throw e;
  }
}
