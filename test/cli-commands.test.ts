/**
 * The pod commands as a user runs them (the built CLI, --sim: an in-process
 * virtual pod whose flash persists in a state file between invocations),
 * plus what the pod does for them, checked in the virtual pod itself.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readBundle } from '../host/src/firmware-bundle.js';
import { MAX_SETTINGS_FILE_BYTES, parseSettings } from '../host/src/commands/config.js';
import { toStride } from '../host/src/commands/live.js';
import { PodClient } from '../host/src/pod-client.js';
import { MemoryTransport } from '../host/src/transports/memory.js';
import { type Ending, untilStopped } from '../host/src/until-stopped.js';
import { gattMemoryTransport } from '../host/src/sim/gatt-link.js';
import { sourceFrom } from '../host/src/sim/pod-scenarios.js';
import { advanceDelivering, withRunningPod } from '../host/src/sim/run-pod.js';
import { talkToPod, VIRTUAL_POD_PASSKEY } from '../host/src/sim/talk-to-pod.js';
import { createWalker } from '../host/src/sim/walker.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import type { Message } from '../shared/protocol/messages.js';
import { BIN, runCli } from './helpers/cli.js';
import { withHeldFifo } from './helpers/held-fifo.js';
import { waitFor } from './helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-cmds-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const G = ['--db', path.join(dir, 'x.db'), '--state', path.join(dir, 'pod.flash'), '--sim'];
const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('retrostep config', () => {
  it('set changes the pod (kept in its flash across runs) and the user weight (in the database)', () => {
    const set = runCli([...G, 'config', 'set', 'coach_steps=20', 'buzz_on=0', 'weight_kg=81.5']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    const got = JSON.parse(runCli([...G, 'config', 'get', '--json']).stdout);
    // `config show` is `config get` (the command says it shows the settings)
    expect(JSON.parse(runCli([...G, 'config', 'show', '--json']).stdout)).toEqual(got);
    expect(got.pod).toMatchObject({ coach_steps: 20, buzz_on: 0, wrong_rule: 1 });
    expect(got.user).toEqual({ weight_kg: 81.5 });
  });

  it('a bad value changes nothing: one line, exit 2', () => {
    const before = runCli([...G, 'config', 'get', '--json']).stdout;
    for (const bad of [['coach_steps=20', 'buzz_on=7'], ['daily_goal_min=abc'], ['nope=1'], ['weight_kg=5'], ['coach_steps']]) {
      const r = runCli([...G, 'config', 'set', ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr).toMatch(/^retrostep: /);
    }
    expect(runCli([...G, 'config', 'get', '--json']).stdout).toBe(before);
  });
});

describe('retrostep config set with the database held by another program', () => {
  it("sets the pod and says so, and notes the settings are not kept for the plan, exit 0 (it said only \"locked\", exit 3, of a change the pod had made)", () => {
    const db = path.join(dir, 'held.db');
    const own = ['--db', db, '--state', path.join(dir, 'held.flash'), '--sim'];
    expect(runCli([...own, 'sync']).code).toBe(0);
    // a write held open (the sqlite3 shell's `BEGIN IMMEDIATE;`) for as long as `config set` runs (its 5 s busy wait)
    const other = new Database(db);
    other.exec('BEGIN IMMEDIATE');
    let r;
    try {
      r = runCli([...own, 'config', 'set', 'coach_steps=10']);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(r.stdout).toBe('coach_steps = 10 (pod: backward steps to ask for at each minute of a walk, 0 coach off)\n');
    expect(r.stderr).toMatch(/^note: the pod is set, but .+held\.db did not keep its settings for `retrostep plan` \(database .+held\.db is locked by another program .+\); the next sync keeps them\n$/);
    expect(r.code).toBe(0);
    expect(JSON.parse(runCli([...own, 'config', 'get', '--json']).stdout).pod.coach_steps).toBe(10);
  });
});

describe('retrostep config set: coach mode with the buzzes off', () => {
  it('says the pod cannot ask for the steps while buzz_on=0 (its records still count each minute as asked, and summary read "coach intervals 0 of 9 completed" of prompts never felt)', () => {
    const own = ['--db', path.join(dir, 'coach.db'), '--state', path.join(dir, 'coach.flash'), '--sim'];
    const NOTE = 'note: buzz_on is 0, so the pod cannot ask for the coach\'s steps (the prompt is a buzz), though each minute of a walk still counts as asked: `retrostep config set buzz_on=1` turns the buzzes on, coach_steps=0 the coach off';
    const both = runCli([...own, 'config', 'set', 'coach_steps=20', 'buzz_on=0']);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout.trim().split('\n').at(-1)).toBe(NOTE);
    // the buzzes off earlier, the coach on now: said too
    expect(runCli([...own, 'config', 'set', 'coach_steps=30']).stdout).toContain(NOTE);
    // nothing to say once either is undone, or of a setting that is neither
    expect(runCli([...own, 'config', 'set', 'daily_goal_min=15']).stdout).not.toContain('note:');
    expect(runCli([...own, 'config', 'set', 'buzz_on=1']).stdout).not.toContain('note:');
    expect(runCli([...own, 'config', 'set', 'coach_steps=0', 'buzz_on=0']).stdout).not.toContain('note:');
  });
});

describe('retrostep config set: an odd coach_steps', () => {
  it('says the pod counts strides of two steps, so it asks for the next even number (21 steps: 11 strides, 22 steps); an even number or another setting, nothing', () => {
    const own = ['--db', path.join(dir, 'odd.db'), '--state', path.join(dir, 'odd.flash'), '--sim'];
    const odd = runCli([...own, 'config', 'set', 'coach_steps=21']);
    expect(odd.code, odd.stderr).toBe(0);
    expect(odd.stdout.trim().split('\n').at(-1)).toBe('note: the pod sees one foot and counts its strides, two steps each, so coach_steps=21 asks for 11 strides: 22 steps');
    expect(runCli([...own, 'config', 'set', 'coach_steps=1']).stdout).toContain('coach_steps=1 asks for 1 stride: 2 steps');
    expect(runCli([...own, 'config', 'set', 'coach_steps=20']).stdout).not.toContain('note:');
    expect(runCli([...own, 'config', 'set', 'daily_goal_min=15']).stdout).not.toContain('note:');
  });
});

describe('retrostep config get: what each setting does', () => {
  it('each pod setting is shown with what it does (it read "wrong_rule 1 (pod)"), and the stride lengths, which the pod never reads, say so', () => {
    const r = runCli([...G, 'config', 'get']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => /^wrong_rule +1 +\(pod: which strides are wrong gait, bits added: 1 backward heel first, 2 backward flat, 4 forward toe first, 8 forward flat\)$/.test(l))).toHaveLength(1);
    // what each does starts in one column, the pod's and yours alike ("1   (", "130   (" was ragged)
    expect(new Set(lines.map((l) => l.indexOf('('))).size).toBe(1);
    expect(lines.filter((l) => /^(fwd|bwd)_stride_cm /.test(l)).every((l) => l.endsWith('(pod: not used: the pod measures each stride)'))).toBe(true);
    // every pod setting says something after "pod:", not a bare "(pod)"
    expect(lines.filter((l) => l.includes('(pod')).every((l) => /\(pod: \S/.test(l))).toBe(true);
    const set = runCli([...G, 'config', 'set', 'fwd_stride_cm=120']);
    expect(set.stdout).toBe('fwd_stride_cm = 120 (pod: not used: the pod measures each stride)\n');
  });
});

describe('retrostep config set: a key written another way', () => {
  it('in capitals or with a hyphen: named as the setting it means (it was refused as "not key=value")', () => {
    expect(() => parseSettings(['COACH_STEPS=20'])).toThrow(/^unknown setting "COACH_STEPS": did you mean coach_steps\?$/);
    expect(() => parseSettings(['coach-steps=20'])).toThrow(/^unknown setting "coach-steps": did you mean coach_steps\?$/);
    expect(() => parseSettings(['Weight_KG=70'])).toThrow(/did you mean weight_kg\?$/);
    // (an object's own names are no settings, in any case)
    expect(() => parseSettings(['CONSTRUCTOR=1'])).toThrow(/^unknown setting "CONSTRUCTOR": pod settings are /);
    expect(() => parseSettings(['=5'])).toThrow(/"=5" is not key=value/);
  });
});

describe('retrostep config set: a key given twice', () => {
  it('with two values: one line, exit 2, nothing changed (the last was set, the first dropped without a word); the same value twice is one', () => {
    const before = runCli([...G, 'config', 'get', '--json']).stdout;
    const r = runCli([...G, 'config', 'set', 'coach_steps=10', 'coach_steps=30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('retrostep: coach_steps is given twice, as "10" and as "30": give it once\n');
    expect(runCli([...G, 'config', 'get', '--json']).stdout).toBe(before);
    // (a settings file and a typed value for the same key count as twice too)
    const file = path.join(dir, 'twice.json');
    fs.writeFileSync(file, JSON.stringify({ weight_kg: 70 }));
    expect(runCli([...G, 'config', 'set', '--file', file, 'weight_kg=90']).stderr).toMatch(/weight_kg is given twice, as "70" and as "90"/);
    expect(parseSettings(['buzz_on=0', 'buzz_on=0']).pod).toEqual({ buzz_on: 0 });
  });
});

describe('retrostep config set --file', () => {
  it('takes a JSON object of settings; malformed files are one line each and change nothing', () => {
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ daily_goal_min: 15, weight_kg: 66 }));
    expect(runCli([...G, 'config', 'set', '--file', good]).code).toBe(0);
    const before = runCli([...G, 'config', 'get', '--json']).stdout;
    expect(JSON.parse(before)).toMatchObject({ pod: { daily_goal_min: 15 }, user: { weight_kg: 66 } });
    const cases: [string, string, RegExp][] = [
      ['trunc.json', '{"coach_steps": 2', /not valid JSON/],
      ['array.json', '[1,2]', /one JSON object/],
      ['string.json', '{"coach_steps": "20"}', /must be a number/],
      ['range.json', '{"coach_steps": 61}', /from 0 to 60/],
      ['unknown.json', '{"volume": 3}', /unknown setting "volume"/],
      // (the last of the two was set, the first dropped without a word, as JSON.parse does)
      ['twice.json', '{"coach_steps": 20, "weight_kg": 70, "coach_steps": 30}', /twice\.json gives coach_steps twice \(JSON would keep the last\): give it once$/m],
      ['twice-escaped.json', '{"coach_steps": 20, "coach\\u005fsteps": 30}', /gives coach_steps twice/],
      // a binary file: its bytes are not echoed (line breaks, a terminal's escape sequences)
      ['binary.json', '{"a":\n\u001b[31mred\n\u0000\u0007', /^retrostep: .*binary\.json is not valid JSON: Unexpected token '\\u001b'\n$/],
    ];
    for (const [name, text, want] of cases) {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      const r = runCli([...G, 'config', 'set', '--file', f]);
      expect(r.code, name).toBe(2);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(r.stderr.trimEnd(), name).not.toMatch(/[\u0000-\u001f]/);
      expect(r.stderr, name).toMatch(want);
    }
    const missing = runCli([...G, 'config', 'set', '--file', path.join(dir, 'nope.json')]);
    expect(missing.stderr).toMatch(/no such file/);
    // breaks it: settingsFile without its folder check (EISDIR in the system's words)
    const folder = runCli([...G, 'config', 'set', '--file', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`retrostep: ${dir} is a folder, not a settings file: give the file of settings, one JSON object like {"coach_steps": 20}\n`);
    expect(runCli([...G, 'config', 'get', '--json']).stdout).toBe(before);
  });

  // breaks it: settingsFile without refuseBeforeRead (/dev/zero was read without end, the FIFO waited on for good)
  it('a device, a pipe whose writer stays open, or a file larger than any settings file: refused before it is read, one line, exit 2', () => {
    const before = runCli([...G, 'config', 'get', '--json']).stdout;
    const reads = 'config set reads settings saved in a file (or give them as key=value)';
    const zero = runCli([...G, 'config', 'set', '--file', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe(`retrostep: /dev/zero is not a regular file (a device): ${reads}\n`);
    const fifo = path.join(dir, 'settings.fifo');
    withHeldFifo(fifo, () => {
      const r = runCli([...G, 'config', 'set', '--file', fifo]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`retrostep: ${fifo} is not a regular file (a pipe): ${reads}\n`);
    });
    // (a valid settings object padded with spaces past the cap: only its size refuses it)
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, JSON.stringify({ weight_kg: 66 }).padEnd(MAX_SETTINGS_FILE_BYTES + 1, ' '));
    const large = runCli([...G, 'config', 'set', '--file', big]);
    expect(large.code).toBe(2);
    // (in bytes, one over: rounded alike, it read "is 66 KB, more than any settings file holds (66 KB ...)")
    expect(large.stderr).toBe(`retrostep: ${big} is 65,537 bytes, more than any settings file holds (65,536 bytes; every setting there is takes under 200 bytes): give the file of settings, one JSON object like {"coach_steps": 20}\n`);
    expect(runCli([...G, 'config', 'get', '--json']).stdout).toBe(before);
    // the largest it takes is read (weight_kg is kept in the database: no --sim)
    fs.truncateSync(big, MAX_SETTINGS_FILE_BYTES);
    expect(runCli(['--db', path.join(dir, 'x.db'), 'config', 'set', '--file', big]).stdout).toBe('weight_kg = 66 (you)\n');
  });

  it('a file saved with a byte-order mark (some Windows editors) is read as the JSON it holds', () => {
    const bom = path.join(dir, 'bom.json');
    fs.writeFileSync(bom, '\uFEFF' + JSON.stringify({ daily_goal_min: 17 }));
    const r = runCli([...G, 'config', 'set', '--file', bom]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(runCli([...G, 'config', 'get', '--json']).stdout)).toMatchObject({ pod: { daily_goal_min: 17 } });
  });
});

describe('retrostep buzz', () => {
  it('plays a named pattern; an unknown name is one line, exit 2', () => {
    const ok = runCli([...G, 'buzz', 'goal']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/buzzed "goal"/);
    const bad = runCli([...G, 'buzz', 'loud']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("retrostep: command-argument value 'loud' is invalid for argument 'pattern'. Allowed choices are wrong, prompt, done, goal, battery. (run `retrostep buzz --help` for usage)\n");
  });

  it('takes a pattern in any case (`buzz WRONG` was refused, where `--format FIT` is taken)', () => {
    const r = runCli([...G, 'buzz', 'Prompt']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/buzzed "prompt"/);
  });

  it('on the pod, each pattern drives the motor, distinctly', async () => {
    const pod = new VirtualPod({ bundle: readBundle(), passkey: VIRTUAL_POD_PASSKEY });
    pod.boot();
    const onTimes: number[] = [];
    for (const pattern of [1, 2, 3, 4, 5]) {
      const before = pod.hapticsLog.length;
      await talkToPod(pod, (client) => client.request('buzz', { pattern }, 'ok'));
      pod.advance(3000);
      const pulses = pod.hapticsLog.slice(before);
      expect(pulses.length, `pattern ${pattern}`).toBeGreaterThan(0);
      onTimes.push(pulses.reduce((a, p) => a + p.duration_ms, 0) * 10 + pulses.length);
    }
    expect(new Set(onTimes).size).toBe(5); // no two patterns feel the same
  });
});

describe('retrostep live', () => {
  it('runs for --seconds and stops cleanly', () => {
    const r = runCli([...G, 'live', '--seconds', '0.5']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/live strides/);
  });

  it('over --sim, whose pod stands still, says no stride will come and how to get a pod that walks (it waited without a word); record says it records standing', () => {
    const state = G[G.indexOf('--state') + 1];
    const live = runCli([...G, 'live', '--seconds', '0.5']);
    expect(live.code).toBe(0);
    expect(live.stderr).toContain(`note: the --sim pod stands still, so no stride will come: for a pod that walks, run \`retrostep --state ${state} sim --walk\`, then \`retrostep --port PATH live\` with the path it prints\n`);
    const out = path.join(dir, 'standing.csv');
    const record = runCli([...G, 'record', '--seconds', '0.5', '--out', out, '--force']);
    expect(record.code).toBe(0);
    expect(record.stderr).toContain(`note: the --sim pod stands still, so this records it standing: for a pod that walks, run \`retrostep --state ${state} sim --walk\`, then \`retrostep --port PATH record --out ${out}\` with the path it prints\n`);
  });

  for (const command of ['live', 'record']) {
    it(`${command}: Ctrl-C stops it at once, --seconds or not (the time left kept it waiting)`, async () => {
      // (an hour: a run that waits for its time to be up cannot end within the wait below)
      const args = command === 'live' ? ['live', '--seconds', '3600'] : ['record', '--seconds', '3600', '--out', path.join(dir, 'ctrl-c.csv'), '--force'];
      const child = spawn(process.execPath, [BIN, ...G, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b) => (err += b));
      await waitFor(() => /live strides|recording from/.test(err), `${command} started`, 30_000);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running 30 s after Ctrl-C'), 30_000))]);
      if (code !== 0) child.kill('SIGKILL');
      expect(code).toBe(0);
    }, 90_000);
  }

  it('--seconds longer than a timer can hold (over 24.8 days): still waits, not stops at once', async () => {
    const t = new MemoryTransport();
    await t.open();
    let ended: Ending | undefined;
    const wait = untilStopped(t, 1e9);
    void wait.ended.then((e) => (ended = e));
    await new Promise((r) => setTimeout(r, 200));
    expect(ended).toBeUndefined();
    wait.stop();
    expect(await wait.ended).toBeNull();
    await t.close();
  });

  it('--seconds keeps time on the monotonic clock: the system clock set back an hour does not stretch it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const t = new MemoryTransport();
      await t.open();
      const wait = untilStopped(t, 0.3);
      vi.setSystemTime(Date.now() - 3_600_000);
      const got = await Promise.race([wait.ended, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3000))]);
      expect(got).toBeNull();
      await t.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('the pod sends a contact per stride while subscribed, decoded as the command prints them', async () => {
    const w = createWalker([{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'forward', strides: 12 }, { kind: 'walk', direction: 'backward', strides: 6, odd: [2] }], { seed: 9 });
    const pod = new VirtualPod({ bundle: readBundle(), passkey: '123456' });
    pod.boot();
    const strides: ReturnType<typeof toStride>[] = [];
    const link = gattMemoryTransport(pod.peripheral, { passkey: '123456' });
    const client = new PodClient(link);
    client.onUnsolicited((m: Message) => {
      if (m.name === 'contact') strides.push(toStride(m.payload));
    });
    await withRunningPod(pod, async () => {
      await link.open();
      await client.request('hello', {}, 'info');
      await client.request('live_subscribe', { on: 1 }, 'ok');
    });
    // then the walk, from the moment the host is subscribed (the subscription runs in real time: on a busy
    // machine it took long enough that a walk started at boot was half over), stepped in 20 ms slices so each
    // slice's notifications reach the host before the next
    pod.setImuSource(sourceFrom(pod, w.source));
    await advanceDelivering(pod, w.duration_ms + 2000);
    await withRunningPod(pod, () => link.close());
    expect(strides.filter((s) => s.direction === 'forward').length).toBeGreaterThanOrEqual(11);
    expect(strides.filter((s) => s.direction === 'backward').length).toBe(6);
    expect(strides.filter((s) => s.wrong)).toHaveLength(1);
    expect(strides.find((s) => s.wrong)).toMatchObject({ direction: 'backward', first: 'heel' });
    expect(strides.filter((s) => s.direction === 'backward' && !s.wrong).every((s) => s.first === 'toe')).toBe(true);
  });
});

describe('retrostep --sim scan', () => {
  it('lists the virtual pod, the one in range, with how to reach it; no radio is asked', () => {
    const r = runCli([...G, 'scan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^retrostep-[0-9a-f]{4}\s+[0-9a-f]{12}\s+the virtual pod \(no radio\)$/m);
    expect(r.stdout).toMatch(/retrostep --sim sync/);
    const j = JSON.parse(runCli([...G, 'scan', '--json']).stdout);
    expect(j.pods).toHaveLength(1);
    expect(j.pods[0].name).toBe(`retrostep-${j.pods[0].address.slice(8, 12)}`);
  });
});

describe('retrostep calibrate', () => {
  it('the --sim pod, which stands still, is refused at once with the way to calibrate a walking one, its --state kept (it waited its whole timeout; then it left --state out, and `sim --walk` walked the data folder\'s pod)', () => {
    const r = runCli([...G, 'calibrate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`retrostep: the --sim pod stands still, so it never walks the steps calibration needs: run \`retrostep --state ${path.join(dir, 'pod.flash')} sim --walk\`, then \`retrostep --port PATH calibrate\` with the path it prints\n`);
    // the default state (refused before it is opened): nothing to add
    expect(runCli(['--db', path.join(dir, 'x.db'), '--sim', 'calibrate']).stderr).toBe('retrostep: the --sim pod stands still, so it never walks the steps calibration needs: run `retrostep sim --walk`, then `retrostep --port PATH calibrate` with the path it prints\n');
    expect(r.stdout).toBe('');
  });

  it('a --timeout that is not a number of seconds: one line, exit 2, before the pod is asked anything', () => {
    for (const bad of ['abc', '0', '-1', '99999']) {
      const r = runCli([...G, 'calibrate', '--timeout', bad]);
      expect(r.code, bad).toBe(2);
      expect(oneLine(r.stderr), bad).toBe(true);
      expect(r.stderr, bad).toMatch(new RegExp(`--timeout must be .* not "${bad}"`));
      expect(r.stdout, bad).not.toMatch(/stand still/);
    }
  });
});
