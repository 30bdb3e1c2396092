/** Run the built `retrostep` command as a user would: a child process, its output and exit code. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve('bin/retrostep.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  // (maxBuffer: `summary --from 1970-01-01 --json` is 20,000 day buckets, some 11 MB; the default 1 MB cut it off)
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
