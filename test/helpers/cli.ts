/** Run the built `retrostep` command as a user would: a child process, its output and exit code. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait.js';

export const BIN = path.resolve('bin/retrostep.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  return runProgram(process.execPath, [BIN, ...args], env);
}

/**
 * `retrostep ...args` as an ordinary user runs it, whom a folder's permissions keep out: as root (the tests here),
 * with root's capabilities dropped (setpriv), without which root reads every folder whatever its mode.
 */
export function runCliUnprivileged(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  if (process.getuid?.() !== 0) return runCli(args, env);
  return runProgram('setpriv', ['--bounding-set=-all', '--inh-caps=-all', process.execPath, BIN, ...args], env);
}

function runProgram(program: string, args: string[], env: NodeJS.ProcessEnv): CliRun {
  // (maxBuffer: `summary --from 1970-01-01 --json` is 20,000 day buckets, some 11 MB; the default 1 MB cut it off)
  const r = spawnSync(program, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `retrostep ...args` as a child, stopped by Ctrl-C (SIGINT) once its standard output shows `shown` (`what`, for the
 * wait's failure): its exit code and output, read once its streams have closed.
 */
export function ctrlCOnceShown(args: string[], shown: string, what: string, timeout_ms = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return signalOnceShown('SIGINT', args, shown, what, timeout_ms);
}

/** As ctrlCOnceShown, stopped by `signal` (SIGTERM: a kill, `timeout`). */
export async function signalOnceShown(signal: NodeJS.Signals, args: string[], shown: string, what: string, timeout_ms = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  try {
    await waitFor(() => stdout.includes(shown), what, timeout_ms);
    child.kill(signal);
    return { code: await closed, stdout, stderr };
  } finally {
    child.kill('SIGKILL');
  }
}
