/** `retrostep web` as a child process, as a user starts it: its URL from what it prints, then stop it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { BIN } from '../helpers/cli.js';

export interface WebProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** `env`: added to this process's for the server (TZ: the time zone it draws the report's days in). */
export function startWeb(args: string[], timeout_ms = 30_000, env: NodeJS.ProcessEnv = {}): Promise<WebProcess> {
  const child = spawn(process.execPath, [BIN, ...args, 'web'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`retrostep web did not start:\n${out}`)), timeout_ms);
    const check = () => {
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({
        child,
        url: m[1],
        output: () => out,
        async stop() {
          child.kill('SIGINT');
          return exited;
        },
      });
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`retrostep web exited (${code}) before serving:\n${out}`));
    });
  });
}
