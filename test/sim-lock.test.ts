/**
 * The virtual pod's state lock (host/src/sim/serve.ts lockState): one process at a time runs a state file's
 * pod, whatever order processes come in; a lock left by a process that is gone is taken over by one of them.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockLeftBehind, lockState } from '../host/src/sim/serve.js';
import { spawnRacers } from './helpers/at-once.js';
import { BIN, runCli } from './helpers/cli.js';
import { startSim } from './helpers/sim-process.js';
import { ctrlCOnTerminal } from './helpers/terminal.js';
import { waitFor } from './helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-sim-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
/** (beyond Linux's largest pid: no such process) */
const GONE_PID = 2 ** 22 + 12345;

/**
 * n processes that each try to lock `state` at the same moment: what each got. A process that gets the lock
 * holds it until every process has answered (its stdin closed then), so one that started late on a busy
 * machine still meets a held lock, not one already let go.
 */
async function race(state: string, n: number): Promise<string[]> {
  const serve = path.resolve('dist/host/src/sim/serve.js');
  const script = `const { lockState } = await import(${JSON.stringify(serve)});
await atOnce();
try { const l = lockState(${JSON.stringify(state)}); console.log('got'); process.stdin.on('data', () => {}).on('end', () => l.release()); }
catch (e) { console.log('refused: ' + e.message); }`;
  const { racers: children, go } = spawnRacers(n, script, 'inherit');
  const outs = children.map((child) => {
    let out = '';
    child.stdout!.on('data', (b) => (out += b));
    return { text: () => out.trim(), answered: new Promise<void>((resolve) => (child.stdout!.on('data', () => out.includes('\n') && resolve()), child.on('exit', () => resolve()))), exited: new Promise<void>((resolve) => child.on('exit', () => resolve())) };
  });
  await go();
  await Promise.all(outs.map((o) => o.answered));
  for (const child of children) child.stdin!.end();
  await Promise.all(outs.map((o) => o.exited));
  return outs.map((o) => o.text());
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

  it('a lock is taken over only where one was read and its holder is gone: none there is not one to remove (a lock made there after the read was removed, and two processes held it)', () => {
    const lock = path.join(dir, 'left-behind.flash.lock');
    expect(lockLeftBehind(lock)).toBe(false);
    fs.writeFileSync(lock, JSON.stringify({ pid: GONE_PID }));
    expect(lockLeftBehind(lock)).toBe(true);
    // (a process before this one that had its pid: this one holds no lock it did not take)
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid }));
    expect(lockLeftBehind(lock)).toBe(true);
    fs.writeFileSync(lock, 'not a record');
    expect(lockLeftBehind(lock)).toBe(true);
    // (a live process: the test runner that started this one)
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid }));
    expect(lockLeftBehind(lock)).toBe(false);
    fs.rmSync(lock);
  });

  it('a lock whose holder let go and exited between the read and the look for it is not left behind: another process may have locked it since (two held it)', () => {
    const lock = path.join(dir, 'let-go.flash.lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: GONE_PID - 1 }));
    // (as its holder is looked for: it let go, exited, and a live process locked the state)
    const goneOnceLooked = () => (fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid })), false);
    expect(lockLeftBehind(lock, goneOnceLooked)).toBe(false);
    // (one that stays as read, its holder gone: left behind)
    expect(lockLeftBehind(lock, () => false)).toBe(true);
    fs.rmSync(lock);
  });

  it("a takeover a running process's pid holds (a killed holder's pid given again) is in the way for a minute, said with its file; older, it is removed", () => {
    const state = path.join(dir, 'stuck-takeover.flash');
    fs.writeFileSync(`${state}.lock`, JSON.stringify({ pid: GONE_PID }));
    fs.writeFileSync(`${state}.lock.takeover`, JSON.stringify({ pid: process.ppid }));
    expect(() => lockState(state)).toThrow(`cannot lock the virtual pod's state ${state}: other retrostep processes keep taking ${state}.lock; ${state}.lock.takeover stays in its way: delete it if no other retrostep is running, or try again in a minute`);
    const twoMinutesAgo = (Date.now() - 120_000) / 1000;
    fs.utimesSync(`${state}.lock.takeover`, twoMinutesAgo, twoMinutesAgo);
    const l = lockState(state);
    expect(JSON.parse(fs.readFileSync(`${state}.lock`, 'utf8'))).toEqual({ pid: process.pid });
    expect(fs.existsSync(`${state}.lock.takeover`)).toBe(false);
    l.release();
  });

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

/**
 * `retrostep --sim ARGS` with the state `state`, stopped by Ctrl-C `after_ms` after its lock appears (0: at once,
 * while the pod powers up and its link opens: the pod boots before anything else can run).
 */
async function simCtrlC(state: string, args: string[], after_ms = 0, signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, '--db', path.join(dir, 'ctrl-c.db'), '--state', state, '--sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  await waitFor(() => fs.existsSync(`${state}.lock`), 'the state locked', 60_000);
  await new Promise((r) => setTimeout(r, after_ms));
  child.kill(signal);
  const ended = await Promise.race([code, new Promise<string>((r) => setTimeout(() => r('still running 30 s after Ctrl-C'), 30_000))]);
  if (typeof ended === 'string') child.kill('SIGKILL');
  return { code: typeof ended === 'string' ? null : ended, stdout, stderr };
}

describe('Ctrl-C with --sim', () => {
  const stopped = (command: string, state: string) => `retrostep: ${command} stopped (Ctrl-C); the virtual pod's state is saved as it was then, in ${state}\n`;

  it('while the link opens (buzz, config set, scan, live): one line naming the command, exit 130, the pod\'s state saved and its lock let go (the lock stayed behind, for the next run to take over, and nothing was saved)', async () => {
    const cases: [string, string[]][] = [
      ['buzz', ['buzz']],
      ['config set', ['config', 'set', 'buzz_on=0']],
      ['scan', ['scan']],
      ['live', ['live', '--seconds', '3600']],
    ];
    for (const [command, args] of cases) {
      // (the Ctrl-C is sent once the state is locked; on an idle machine the in-process pod can be open, and live
      // streaming, before it lands, and the command then ends as its own Ctrl-C says, exit 0: tried again, on a
      // fresh state, until the signal lands while the link opens; a wrong answer in that window still fails)
      let state = path.join(dir, `opening-${args[0]}-0.flash`);
      let r = await simCtrlC(state, args);
      for (let attempt = 1; attempt < 5 && r.code === 0; attempt++) {
        state = path.join(dir, `opening-${args[0]}-${attempt}.flash`);
        r = await simCtrlC(state, args);
      }
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toBe(stopped(command, state));
      expect(r.stdout).toBe('');
      expect(fs.existsSync(`${state}.lock`), command).toBe(false);
      // (a new pod's state, saved: it was not there before)
      expect(fs.statSync(state).size, command).toBe(40960);
    }
  }, 240_000);

  it('mid-conversation (flash, a 12 s upload): the same, and the pod keeps what it held (a setting set before), the next command finding no lock to take over', async () => {
    const state = path.join(dir, 'mid-flash.flash');
    const set = runCli(['--db', path.join(dir, 'ctrl-c.db'), '--state', state, '--sim', 'config', 'set', 'coach_steps=25']);
    expect(set.code, set.stderr).toBe(0);
    const before = fs.statSync(state).ino;
    const r = await simCtrlC(state, ['flash', '--sim-hold-button'], 1500);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toBe(stopped('flash', state));
    expect(fs.existsSync(`${state}.lock`)).toBe(false);
    // (saved: written aside and renamed into place, a new file)
    expect(fs.statSync(state).ino).not.toBe(before);
    const got = runCli(['--db', path.join(dir, 'ctrl-c.db'), '--state', state, '--sim', 'config', 'get', '--json']);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout).pod.coach_steps).toBe(25);
  }, 120_000);

  it('on a terminal, mid-upload: the line begins a line of its own, under the progress bar (it was written on the bar\'s line)', async () => {
    const state = path.join(dir, 'bar.flash');
    const r = await ctrlCOnTerminal(['--db', path.join(dir, 'ctrl-c.db'), '--state', state, '--sim', 'flash', '--sim-hold-button'], (shown) => / \d+\/\d+ chunks/.test(shown));
    expect(r.code, r.shown).toBe(130);
    const lines = r.shown.split('\r\n');
    const line = lines.findIndex((l) => l.includes('flash stopped (Ctrl-C)'));
    expect(lines[line], r.shown).toMatch(/^retrostep: flash stopped \(Ctrl-C\); the virtual pod's state is saved/);
    expect(lines[line - 1], r.shown).toMatch(/uploading .* \d+\/\d+ chunks/);
    expect(fs.existsSync(`${state}.lock`)).toBe(false);
  }, 120_000);

  it('SIGTERM (a kill, `timeout`) and SIGHUP (the terminal closed) stop it as Ctrl-C does: one line, exit 128 + the signal, the state saved and the lock let go (the lock stayed behind)', async () => {
    const cases: [NodeJS.Signals, string, number, string[]][] = [
      ['SIGTERM', 'SIGTERM', 143, ['live', '--seconds', '3600']],
      ['SIGHUP', 'its terminal closed', 129, ['buzz']],
    ];
    for (const [signal, said, code, args] of cases) {
      const state = path.join(dir, `${signal}.flash`);
      const r = await simCtrlC(state, args, 0, signal);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stderr).toBe(`retrostep: ${args[0]} stopped (${said}); the virtual pod's state is saved as it was then, in ${state}\n`);
      expect(fs.existsSync(`${state}.lock`), signal).toBe(false);
      expect(fs.statSync(state).size, signal).toBe(40960);
    }
  }, 120_000);

  it('a process that ends with the pod open, not by a signal (a pipe closed under it: exit 0 at once), keeps its state and lets its lock go (the lock stayed behind)', () => {
    const state = path.join(dir, 'exit.flash');
    const link = path.resolve('dist/host/src/link.js');
    const script = `const { openPodLink } = await import(${JSON.stringify(link)});
await openPodLink({ sim: true, simState: ${JSON.stringify(state)}, command: 'live' });
process.exit(0);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(fs.existsSync(`${state}.lock`)).toBe(false);
    expect(fs.statSync(state).size).toBe(40960);
  }, 120_000);

  it('a state that cannot be saved then (a full disk): one line saying so, not one saying it was saved and then a second that it was not; exit 130, the lock let go', async () => {
    const state = path.join(dir, 'unsaved.flash');
    // (the save writes the state aside first: a folder there fails it, as a full disk does)
    fs.mkdirSync(`${state}.tmp`);
    const r = await simCtrlC(state, ['buzz']);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(new RegExp(`^retrostep: buzz stopped \\(Ctrl-C\\); cannot save the virtual pod's state in ${state}: EISDIR: .*: the pod stopped, its state as last saved\\n$`));
    expect(fs.existsSync(`${state}.lock`)).toBe(false);
  }, 120_000);
});

describe('the virtual pod state that cannot be saved (a full disk)', () => {
  it('sim stops with one line, exit 2, its state as last saved and its lock let go (a stack trace from its save timer)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-save-'));
    try {
      const state = path.join(dir, 'pod.flash');
      const sim = await startSim(['--state', state]);
      const code = new Promise<number | null>((r) => sim.child.once('exit', r));
      // (the next save, a second later, writes the state aside first: a folder there fails it, as a full disk does)
      fs.mkdirSync(`${state}.tmp`);
      expect(await code).toBe(2);
      const lines = sim.output().trim().split('\n');
      expect(lines.slice(2)).toEqual([expect.stringMatching(new RegExp(`^retrostep: cannot save the virtual pod's state in ${state}: EISDIR: .*: the pod stopped, its state as last saved$`))]);
      expect(fs.statSync(state).size).toBe(40960);
      expect(fs.existsSync(`${state}.lock`)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
