/**
 * The virtual pod's cost model: JavaScript time per IMU sample in
 * reference-loop iterations (the unit the real interpreter is measured in,
 * bench/real-pod/), predicted without the interpreter from the tokens of the
 * statements the bundle executes per sample (bench/instrument.ts):
 *
 *   refloops = DISPATCH_REFLOOPS x calls + REFLOOPS_PER_TOKEN x tokens
 *
 * per sample the IMU takes, calls being the share of samples handed to the
 * pod's listener (all of them walking; idle, only those the IMU's wake-up
 * interrupt raises INT1 for).
 *
 * Espruino executes source text, so a statement's cost follows the tokens it
 * lexes. (Counting statements instead held while they were of a fairly even
 * size; the idle path's few short statements made it read 70% high.) One
 * factor fitted on the walking path is checked on the idle one. The two
 * constants come from the real interpreter (`npm run bench pod-real` prints
 * the values to put here, and whether the model is within 25% of what it
 * measured): see docs/decisions.md, "Recalibrating the shim".
 */
import fs from 'node:fs';
import { minify } from 'terser';
import { readBundle } from '../host/src/firmware-bundle.js';
import { Flash, FLASH_PAGE_BYTES, STORAGE_PAGES } from '../host/src/sim/flash.js';
import { runDay } from '../host/src/sim/pod-scenarios.js';
import type { Segment } from '../host/src/sim/walker.js';
import { ESPRUINO_GLOBALS } from '../scripts/espruino-globals.mjs';
import { instrumentStatements, TOKEN_COUNTER } from './instrument.js';

/**
 * Fitted on the 32-bit -Os build (docs/decisions.md): the do-nothing listener costs DISPATCH_REFLOOPS; a
 * walking sample of ~848 tokens cost 21.1-22.2 reference loops in the runs of 2026-12-04 after the
 * engine-cpu merge (0.024-0.026 a token), an idle one of ~67 tokens 1.63-2.34 (before idle moved to the
 * IMU's wake-up interrupt, when every idle sample still reached the pod). 0.024 put both within 25%.
 * Refitted 2026-12-05, once the per-sample state moved into closure variables (a slot read `e[3]` of
 * four tokens became one name, for about the same time): ~733 tokens cost 20.9-21.9 against the run's
 * checkpoint trials (0.028 a token), and 17.6-17.9 against the reference loop run between the walking
 * batches, the measure pod-real reports since (0.024). 0.027 is within 25% of both, and the idle model
 * stays under 0.1.
 * Not counted, and so in the factor: what Espruino reads without running it (a branch not taken, the rest
 * of a function after its return).
 */
export const DISPATCH_REFLOOPS = 0.4;
export const REFLOOPS_PER_TOKEN = 0.027;

export interface TokenCounts {
  /** tokens of the statements executed per sample at the walking and the idle rate */
  walk: number;
  idle: number;
  /** the share of samples at each rate that reached the pod's listener */
  walkCalls: number;
  idleCalls: number;
}

/**
 * The readable bundle minified without joining statements (top-level names too: the bundle runs at the top
 * level, scripts/build-firmware.mjs), a tick counted per statement executed.
 */
export async function countingBundle(): Promise<{ code: string; statements: number }> {
  const readable = fs.readFileSync('dist/firmware/retrostep.js', 'utf8');
  const unjoined = (await minify(readable, { ecma: 5, compress: false, toplevel: true, mangle: { toplevel: true, reserved: ESPRUINO_GLOBALS }, format: { ascii_only: true } })).code!;
  return instrumentStatements(unjoined);
}

/**
 * Storage for the counting bundle: it is larger than the shipping one, and in the Puck's 40 KB Storage it
 * would leave no room for the day's records, so it boots from a Storage grown by its extra bytes; the
 * shipping bundle's footprint is what memory() measures.
 */
export function countingFlash(code: string): Flash {
  return new Flash({ pages: STORAGE_PAGES + Math.max(0, Math.ceil((code.length - readBundle().length) / FLASH_PAGE_BYTES)) });
}

/** Tokens per sample over a session (the counting bundle, as bench/pod.ts counts them). */
export async function tokensPerSample(segments: Segment[], seed: number): Promise<TokenCounts> {
  const { code } = await countingBundle();
  const day = runDay({ bundle: code, flash: countingFlash(code), seed, segments, countStatements: (pod) => Number(pod.runtime!.globalValue(TOKEN_COUNTER)) });
  const per = (rate: number) => (day.statements.get(rate) ?? 0) / (day.samples.get(rate) ?? 1);
  const calls = (rate: number) => (day.delivered.get(rate) ?? 0) / (day.samples.get(rate) ?? 1);
  return { walk: per(52), idle: per(1.6), walkCalls: calls(52), idleCalls: calls(1.6) };
}

/** Reference-loop iterations per sample the model predicts for a token count, calls: listener calls per sample (1: every sample reaches it). */
export function modelRefloops(tokens: number, calls = 1): number {
  return DISPATCH_REFLOOPS * calls + REFLOOPS_PER_TOKEN * tokens;
}
