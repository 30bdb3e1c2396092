/**
 * The virtual pod's state lock (host/src/sim/serve.ts lockState): one process at a time runs a state file's
 * pod, whatever order processes come in; a lock left by a process that is gone is taken over by one of them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockState } from '../host/src/sim/serve.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-sim-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
/** (beyond Linux's largest pid: no such process) */
const GONE_PID = 2 ** 22 + 12345;

/** n processes that each try to lock `state` at the same moment and hold it a while: what each got. */
async function race(state: string, n: number): Promise<string[]> {
  const serve = path.resolve('dist/host/src/sim/serve.js');
  const script = `const { lockState } = await import(${JSON.stringify(serve)});
const start = Number(process.argv[1]);
while (Date.now() < start) {}
try { const l = lockState(${JSON.stringify(state)}); console.log('got'); setTimeout(() => l.release(), 1500); }
catch (e) { console.log('refused: ' + e.message); }`;
  const start = Date.now() + 3000;
  return Promise.all(
    Array.from({ length: n }, () => new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, String(start)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (b) => (out += b));
      child.on('exit', () => resolve(out.trim()));
    })),
  );
}

describe('the virtual pod state lock', () => {
  it('8 processes at once on a stale lock: one takes it, 7 are refused with one line; nothing left behind', async () => {
    for (let trial = 0; trial < 2; trial++) {
      const state = path.join(dir, `race-${trial}.flash`);
      fs.writeFileSync(`${state}.lock`, JSON.stringify({ pid: GONE_PID }));
      const got = await race(state, 8);
      expect(got.filter((g) => g === 'got'), got.join('\n')).toHaveLength(1);
      expect(got.filter((g) => /^refused: the virtual pod in .* is in use by another retrostep \(pid \d+/.test(g))).toHaveLength(7);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith(`race-${trial}`))).toEqual([]);
    }
  }, 60_000);

  it('opened twice in one process: one lock, gone when both are released; a lock of our own pid we do not hold is a process before us', () => {
    const state = path.join(dir, 'twice.flash');
    const a = lockState(state), b = lockState(state);
    a.release();
    expect(fs.existsSync(`${state}.lock`)).toBe(true);
    b.release();
    expect(fs.existsSync(`${state}.lock`)).toBe(false);
    const old = path.join(dir, 'same-pid.flash');
    fs.writeFileSync(`${old}.lock`, JSON.stringify({ pid: process.pid, pty: '/dev/pts/999' }));
    const c = lockState(old);
    expect(JSON.parse(fs.readFileSync(`${old}.lock`, 'utf8'))).toEqual({ pid: process.pid });
    c.release();
    expect(fs.existsSync(`${old}.lock`)).toBe(false);
  });
});
