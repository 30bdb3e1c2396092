/**
 * Node processes that do one thing at the same instant (open one new database, take one lock), to race each other:
 * each says when it has started, and is told the instant once all have. A time fixed at the spawn (600 ms or 3 s
 * on) came before some had started on a loaded machine, and had each spin until then on an idle one (16 processes
 * spun 30 s of CPU between them on two cores).
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** How long after the last one has started they go on: time for each to be told (ms). */
const GO_AFTER_MS = 100;

/**
 * `script` (an ES module) as n processes; in it, `await atOnce()` returns at the instant go() gives them, once every
 * one has started (or ended: its output says why), GO_AFTER_MS on.
 */
export function spawnRacers(n: number, script: string, stderr: 'pipe' | 'inherit' = 'pipe'): { racers: ChildProcess[]; go: () => Promise<void> } {
  const prelude = `const atOnce = () => new Promise((go) => { process.once('message', (at) => { process.disconnect(); while (Date.now() < at) {} go(); }); process.send('started'); });\n`;
  const racers = Array.from({ length: n }, () => spawn(process.execPath, ['--input-type=module', '-e', prelude + script], { stdio: ['pipe', 'pipe', stderr, 'ipc'] }));
  const started = racers.map((c) => new Promise<void>((resolve) => (c.once('message', () => resolve()), c.once('exit', () => resolve()))));
  return {
    racers,
    async go() {
      await Promise.all(started);
      const at = Date.now() + GO_AFTER_MS;
      for (const c of racers) if (c.connected) c.send(at);
    },
  };
}
