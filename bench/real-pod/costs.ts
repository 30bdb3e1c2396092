/**
 * What single constructs cost on the real interpreter (bench/real-pod/costs.js), in reference loops: the
 * price list for the per-sample path (docs/decisions.md, "What a construct costs on the interpreter").
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'costs.js');

/** name -> what it is, and how many of it the case runs beyond the `none` case (0: a whole call, not a difference) */
const CASES: Record<string, [string, number]> = {
  call0: ['a method call, no arguments', 0],
  call7: ['a method call with seven arguments (the engine\'s push)', 0],
  local: ['reading a local, and adding it (a sum of ten)', 10],
  closure: ['reading a closure variable, and adding it', 10],
  slot: ['reading a typed-array slot, and adding it', 10],
  closureWrite: ['writing a closure variable', 10],
  slotWrite: ['writing a typed-array slot', 10],
  declare: ['declaring a local', 10],
  multiply: ['a multiplication with its operand read', 10],
  skipped: ['a token in a block not run (if false; the test shared out over its 27 tokens)', 27],
  afterReturn: ['a token after a return, to the function\'s end', 28],
  sqrt: ['Math.sqrt', 10],
};

export interface ConstructCost {
  name: string;
  what: string;
  refloops: number;
}

export function constructCosts(bin: string): Promise<ConstructCost[]> {
  return new Promise((resolve, reject) => {
    execFile(bin, [SCRIPT], { timeout: 120_000, encoding: 'latin1' }, (err, stdout) => {
      const raw: Record<string, number> = {};
      for (const m of stdout.matchAll(/^@C (\w+) ([\d.-]+)/gm)) raw[m[1]] = Number(m[2]);
      if (raw.none === undefined) return reject(new Error(`${bin} did not run ${SCRIPT}${err ? `: ${err.message.split('\n')[0]}` : ''}`));
      resolve(
        Object.entries(CASES)
          .filter(([name]) => raw[name] !== undefined)
          .map(([name, [what, n]]) => ({ name, what, refloops: n ? (raw[name] - raw.none) / n : raw[name] })),
      );
    });
  });
}
