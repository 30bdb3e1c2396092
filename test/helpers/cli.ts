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
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
