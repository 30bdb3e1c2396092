/** `retrostep sim` as a child process: start it, learn its pty path, stop it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from './cli.js';

export interface SimProcess {
  child: ChildProcess;
  path: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startSim(globalArgs: string[], simArgs: string[] = [], timeout_ms = 120_000): Promise<SimProcess> {
  const child = spawn(process.execPath, [BIN, ...globalArgs, 'sim', ...simArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sim did not start:\n${out}`)), timeout_ms);
    const check = () => {
      const m = /is on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve({
          child,
          path: m[1],
          output: () => out,
          async stop(signal = 'SIGINT') {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sim exited (${code}) before serving:\n${out}`));
    });
  });
}
