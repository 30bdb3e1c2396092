/**
 * The virtual pod's cost model: JavaScript time per IMU sample in
 * reference-loop iterations (the unit the real interpreter is measured in,
 * bench/real-pod/), predicted without the interpreter from the statements
 * the bundle executes per sample (bench/instrument.ts):
 *
 *   refloops = DISPATCH_REFLOOPS + REFLOOPS_PER_STATEMENT x statements
 *
 * Espruino executes source text, so a statement's cost follows the tokens it
 * lexes; the bundle's statements are of a fairly even size, and one factor
 * fitted on the walking path is checked on the idle one. The two constants
 * come from the real interpreter (`npm run bench pod-real` prints the values
 * to put here, and whether the model is within 25% of what it measured):
 * see docs/decisions.md, "Recalibrating the shim".
 */
import fs from 'node:fs';
import { minify } from 'terser';
import { runDay } from '../host/src/sim/pod-scenarios.js';
import type { Segment } from '../host/src/sim/walker.js';
import { instrumentStatements, STATEMENT_COUNTER } from './instrument.js';

/**
 * Fitted on the 32-bit -Os build (docs/decisions.md): a walking sample cost
 * WALK_REFLOOPS_AT_FIT with STATEMENTS_AT_FIT statements, the do-nothing
 * listener DISPATCH_REFLOOPS.
 */
export const DISPATCH_REFLOOPS = 0.5;
export const REFLOOPS_PER_STATEMENT = 0.44;

export interface StatementCounts {
  /** statements executed per sample at the walking and the idle rate */
  walk: number;
  idle: number;
}

/** Statements per sample over a session (the readable bundle minified without joining statements, as bench/pod.ts counts them). */
export async function statementsPerSample(segments: Segment[], seed: number, readablePath = 'dist/firmware/retrostep.js'): Promise<StatementCounts> {
  const readable = fs.readFileSync(readablePath, 'utf8');
  const unjoined = (await minify(readable, { ecma: 5, compress: false, mangle: true, format: { ascii_only: true } })).code!;
  const { code } = instrumentStatements(unjoined);
  const day = runDay({ bundle: code, seed, segments, countStatements: (pod) => Number(pod.runtime!.globalValue(STATEMENT_COUNTER)) });
  const per = (rate: number) => (day.statements.get(rate) ?? 0) / (day.samples.get(rate) ?? 1);
  return { walk: per(52), idle: per(1.6) };
}

/** Reference-loop iterations per sample the model predicts for a statement count. */
export function modelRefloops(statements: number): number {
  return DISPATCH_REFLOOPS + REFLOOPS_PER_STATEMENT * statements;
}
