/**
 * `record` and `live` as a user runs them, against `retrostep sim --walk`
 * (a virtual pod walking the demo script, 20x real time) on a real
 * pseudo-terminal; and record's labelling over the same link, the pod's
 * messages seen beside it.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPodLink } from '../host/src/link.js';
import { PodClient } from '../host/src/pod-client.js';
import { firstWalkNote, startRecording } from '../host/src/record.js';
import { readBundle } from '../host/src/firmware-bundle.js';
import { gattMemoryTransport } from '../host/src/sim/gatt-link.js';
import { spedUpRefusal } from '../host/src/sim/sped-up-clock.js';
import { sourceFrom } from '../host/src/sim/pod-scenarios.js';
import { withRunningPod } from '../host/src/sim/run-pod.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { createWalker } from '../host/src/sim/walker.js';
import { parseRecording } from '../host/src/replay/recording.js';
import { RAW_RATE_HZ, RAW_VALUES_PER_SAMPLE } from '../shared/protocol/raw.js';
import { BIN, runCli } from './helpers/cli.js';
import { type SimProcess, startSim } from './helpers/sim-process.js';
import { waitFor } from './helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-record-'));
let sim: SimProcess;
beforeAll(async () => {
  sim = await startSim(['--state', path.join(dir, 'pod.flash')], ['--walk', '--speed', '20']);
}, 120_000);
afterAll(async () => {
  await sim?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** fn with a client on a link to the sim's pod, the link closed however fn ends. */
async function withSimClient<T>(fn: (client: PodClient) => Promise<T>): Promise<T> {
  const link = await openPodLink({ port: sim.path });
  try {
    return await fn(new PodClient(link.transport));
  } finally {
    await link.close();
  }
}

/** What `record` has written to `out` so far (whole lines): its sample lines, and those labelled (with `label`, if given). */
function written(out: string, label?: string): { samples: number; labelled: number } {
  const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => /^\d/.test(l));
  const labelled = lines.filter((l) => (label === undefined ? !l.endsWith(',') : l.endsWith(`,${label}`))).length;
  return { samples: lines.length, labelled };
}

describe('retrostep record', () => {
  it('sim run faster than real time says sync refuses it, and offers live', async () => {
    await waitFor(() => /try: retrostep --port/.test(sim.output()), 'sim to say how to reach it');
    expect(sim.output()).toContain("its clock runs 20 times real time, so sync refuses it (its minutes have no place on this computer's clock); `live` and `record` work at any speed");
    expect(sim.output()).toContain(`try: retrostep --port ${sim.path} live`);
  });

  it("and a sync is refused in one line, exit 4, nothing stored and the pod's clock left running ahead (each sync set it back to this computer's, and its next minutes were stamped over ones synced before: 110 steps/min read 131 by the minute)", async () => {
    // until the pod has closed a minute, to be synced, and its clock runs over a minute ahead of this computer's (at
    // 20x, 3-6 s; a fixed 12 s waited as long on a fast machine, and on a slow one the sim may not have got so far)
    await withSimClient(async (client) => {
      const ready = async () => {
        const info = await client.request('hello', {}, 'info');
        const status = await client.request('status_get', {}, 'status');
        return status.next_seq > status.first_seq && info.clock_s - Date.now() / 1000 > 60;
      };
      await waitFor(ready, 'a minute closed on the pod, its clock a minute ahead', 60_000, 200);
    });
    const db = path.join(dir, 'ahead.db');
    for (let i = 0; i < 2; i++) {
      const r = runCli(['--db', db, '--port', sim.path, 'sync']);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`retrostep: the pod refused: ${spedUpRefusal(20)}\n`);
    }
    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('SELECT COUNT(*) AS n FROM records').get()).toEqual({ n: 0 });
    } finally {
      d.close();
    }
    // (its clock as it ran: a minute and more ahead of this computer's, not set back)
    const info = await withSimClient((client) => client.request('hello', {}, 'info'));
    expect(info.clock_s - Date.now() / 1000).toBeGreaterThan(60);
  });

  it('writes the raw stream as a recording replay reads, labelled with what was typed', async () => {
    const out = path.join(dir, 'walk.csv');
    const child = spawn(process.execPath, [BIN, '--port', sim.path, 'record', '--out', out], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    const exited = new Promise((r) => child.once('exit', r));
    // typed once the recording holds so many contacts, not after so many seconds: its start-up took 2.3-3.6 s on a
    // busy machine (a line typed 4 s after the spawn ended a recording a second or less long), and the sim's walk
    // stands still between laps (about 20 forward contacts, then 40 heel-first backward: 1.5 s and 2.5 s at 20x)
    const gone = () => child.exitCode !== null;
    await waitFor(() => gone() || written(out).labelled >= 20, '20 labelled contacts recorded', 60_000);
    child.stdin.write('bh\n');
    await waitFor(() => gone() || written(out, 'contact backward heel').labelled >= 40, '40 contacts labelled backward heel recorded', 60_000);
    child.stdin.write('q\n');
    const code = await exited;
    expect(err).toMatch(/now labelling: contact backward heel/);
    expect(err).not.toMatch(/nothing was typed/);
    expect(code).toBe(0);
    const rec = parseRecording(fs.readFileSync(out, 'utf8'), out);
    expect(rec.rate_hz).toBe(52);
    expect(rec.t_ms.length).toBeGreaterThan(52 * 20); // at 20x, 4 s of wall time is over a minute of pod time
    const dt = rec.t_ms[101] - rec.t_ms[100];
    expect(dt).toBeCloseTo(1000 / 52, 1);
    // gravity is in the signal: |acc| averages about 1 g
    let sum = 0;
    for (let i = 0; i < rec.t_ms.length; i++) sum += Math.hypot(rec.samples[6 * i], rec.samples[6 * i + 1], rec.samples[6 * i + 2]);
    expect(sum / rec.t_ms.length).toBeGreaterThan(0.8);
    expect(rec.contacts.length).toBeGreaterThan(5);
    expect(rec.contacts.some((c) => c.direction === 'backward' && c.first === 'heel')).toBe(true);
    const replay = runCli(['replay', out]);
    expect(replay.code).toBe(0);
    // the engine finds again what the pod found, where the labels say (about half missed and as many extra when
    // each label went on the last sample that had come: the pod sends samples 8 at a time, a contact at once)
    const every = /every step: (\d+) of (\d+) found, (\d+) extra/.exec(replay.stdout);
    expect(every, replay.stdout).not.toBeNull();
    const [found, truth, extra] = every!.slice(1).map(Number);
    expect(found, every![0]).toBeGreaterThanOrEqual(0.9 * truth);
    expect(extra, every![0]).toBeLessThanOrEqual(0.1 * truth);
    // the labels sit on the pod's own detections: replay does not call the gap to them a latency
    expect(rec.meta.contact_times).toBe('pod-engine');
    expect(replay.stdout).toMatch(/time from the labels .*pod-engine.*not a latency/);
  });

  it("puts each label on the sample at its contact's own time, whether the contact came before that sample or long after", async () => {
    const SAMPLE_MS = 1000 / RAW_RATE_HZ;
    const out = path.join(dir, 'labels.csv');
    // what the pod told, as it came: each contact's time, and how it stood to the samples sent by then
    const told: number[] = [];
    let beforeItsSample = 0;
    let longAfter = 0;
    let lastSample_ms = -Infinity;
    await withSimClient(async (client) => {
      const info = await client.request('hello', {}, 'info');
      client.onUnsolicited((m) => {
        if (m.name === 'raw_imu') lastSample_ms = m.payload.t_ms + (m.payload.samples.length / (2 * RAW_VALUES_PER_SAMPLE) - 1) * SAMPLE_MS;
        if (m.name !== 'contact') return;
        told.push(m.payload.t_ms);
        if (m.payload.t_ms > lastSample_ms + SAMPLE_MS / 2) beforeItsSample++;
        // (older than the 32 samples record once held: a walk's first step, told once the next confirms the walk)
        if (m.payload.t_ms < lastSample_ms - 32 * SAMPLE_MS) longAfter++;
      });
      const session = await startRecording(client, out, { pod_id: info.pod_id });
      await waitFor(() => told.length >= 20 && longAfter >= 1, '20 contacts, a walk started among them', 60_000);
      await session.stop();
      const rec = parseRecording(fs.readFileSync(out, 'utf8'), out);
      expect(session.labels).toBe(rec.contacts.length);
      // the pod's order: most contacts come before the batch of samples that holds them
      expect(beforeItsSample).toBeGreaterThan(told.length / 2);
      // every contact inside the recording, on the sample nearest its time (within half a sample)
      const inside = told.filter((t) => t >= rec.t_ms[0] - SAMPLE_MS / 2 && t <= rec.t_ms[rec.t_ms.length - 1] + SAMPLE_MS / 2).sort((a, b) => a - b);
      expect(rec.contacts.length).toBe(inside.length);
      for (let i = 0; i < inside.length; i++) expect(Math.abs(rec.contacts[i].t_ms - inside[i]), `contact at ${inside[i]} ms`).toBeLessThanOrEqual(SAMPLE_MS / 2);
    });
  }, 120_000);

  it('a recording begun in a backward walk: says to replay it with --first-walk backward, as the pod read its first stride (replay took that walk as forward, to learn how the pod sat: every stride read the wrong way, "direction 31%")', async () => {
    // a pod that learnt how it sits from a forward walk, then recorded from the middle of a backward one
    const w = createWalker([{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'forward', strides: 14 }, { kind: 'walk', direction: 'backward', strides: 16 }], { seed: 5 });
    const pod = new VirtualPod({ bundle: readBundle(), passkey: '123456' });
    pod.boot();
    const link = gattMemoryTransport(pod.peripheral, { passkey: '123456' });
    const client = new PodClient(link);
    await withRunningPod(pod, async () => {
      await link.open();
      await client.request('hello', {}, 'info');
    });
    pod.setImuSource(sourceFrom(pod, w.source));
    const t0 = pod.sim_ms;
    const step = async (until_ms: number) => {
      while (pod.sim_ms < until_ms) {
        pod.advance(20);
        await new Promise((r) => setImmediate(r));
      }
    };
    // the forward walk and a few backward strides, then the recording
    const backwardFrom_ms = w.truth.find((c) => c.direction === 'backward')!.t_ms;
    await step(t0 + backwardFrom_ms + 3000);
    const out = path.join(dir, 'from-backward.csv');
    let session!: Awaited<ReturnType<typeof startRecording>>;
    await withRunningPod(pod, async () => (session = await startRecording(client, out, { pod_id: 'c0de00000099' })));
    await step(t0 + w.duration_ms + 2000);
    await withRunningPod(pod, async () => {
      await session.stop();
      await link.close();
    });
    expect(session.firstWay).toBe('backward');
    // why it is said: replayed as it is, its backward strides read forward; told, backward
    const ways = (args: string[]) => (JSON.parse(runCli(['replay', out, '--json', ...args]).stdout).contacts as { direction: string }[]).map((c) => c.direction);
    expect(ways([]).filter((d) => d === 'backward').length).toBeLessThan(ways([]).length / 2);
    expect(ways(['--first-walk', 'backward']).filter((d) => d === 'backward').length).toBeGreaterThan(ways([]).length / 2);
    expect(firstWalkNote(out, session.firstWay)).toBe(`the pod read the first stride in ${out} as backward: replay it with --first-walk backward (replay learns how the pod sat from a recording's first walk, taken as forward unless told)`);
    expect(firstWalkNote(out, 'forward')).toBeNull();
  }, 120_000);

  it('an --out that is there already is not written over unless --force', () => {
    const out = path.join(dir, 'keep.csv');
    fs.writeFileSync(out, 'a recording that cannot be made again\n');
    const r = runCli(['--port', sim.path, 'record', '--out', out, '--seconds', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`retrostep: ${out} is there already: pick another --out, or --force to write over it`);
    expect(fs.readFileSync(out, 'utf8')).toBe('a recording that cannot be made again\n');
    const forced = runCli(['--port', sim.path, 'record', '--out', out, '--seconds', '1', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^# retrostep recording v1/);
  });

  it('a file that can take no more (a full disk; here a file size limit): one line, exit 2, the samples up to then kept (it was a stack trace)', () => {
    const out = path.join(dir, 'full.csv');
    // (bash's ulimit -f counts 1024-byte blocks; Node ignores SIGXFSZ, so a write past it fails with EFBIG)
    const r = spawnSync('bash', ['-c', 'ulimit -f 16 && exec "$0" "$@"', process.execPath, BIN, '--port', sim.path, 'record', '--out', out, '--seconds', '60'], { encoding: 'utf8', input: '', timeout: 60_000 });
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^recording from/);
    expect(lines.slice(1)).toEqual([`retrostep: cannot write ${out}: it would be larger than a file may be here (ulimit -f): the recording stopped there: ${out} holds the samples up to then`]);
    expect(r.status).toBe(2);
    expect(fs.statSync(out).size).toBe(16 * 1024);
    const rec = parseRecording(fs.readFileSync(out, 'utf8'), out);
    expect(rec.t_ms.length).toBeGreaterThan(200);
    // (the pod stopped streaming for it: a live view after it works)
    expect(runCli(['--port', sim.path, 'live', '--seconds', '1']).code).toBe(0);
  });

  it('nothing typed: says every contact carries the label it starts with (forward heel), so the recording is not taken for a labelled one', async () => {
    const out = path.join(dir, 'untyped.csv');
    const r = await recordingFor(out);
    await waitFor(() => r.child.exitCode !== null || written(out).labelled >= 5, '5 labelled contacts recorded', 60_000);
    // ("q" is no label: still nothing typed)
    r.child.stdin.write('q\n');
    expect(await r.exited, r.err()).toBe(0);
    expect(r.err()).toContain(`note: nothing was typed, so every contact in ${out} is labelled "contact forward heel", the label a recording starts with;`);
  });

  it('"Q" stops it as "q" does (labels are read in any case; "Q" was "not a key" and the recording went on)', () => {
    const out = path.join(dir, 'caps.csv');
    // (typed at once: read once the recording has started, as the line after its prompt)
    const r = spawnSync(process.execPath, [BIN, '--port', sim.path, 'record', '--out', out], { encoding: 'utf8', input: 'B\nQ\n', timeout: 60_000 });
    expect(r.stderr).toMatch(/now labelling: contact backward toe/);
    expect(r.stderr).not.toMatch(/"Q"\?/);
    expect(r.status, r.stderr).toBe(0);
  });

  /**
   * `retrostep record` into `out` as soon as it has written samples (more have come than it holds for late labels,
   * 6.6 s of the pod's; a stop that lost those leaves the file with the few written by then): the process, its stderr
   * so far, and its exit.
   */
  async function recordingFor(out: string) {
    const child = spawn(process.execPath, [BIN, '--port', sim.path, 'record', '--out', out], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    await waitFor(() => written(out).samples > 0, 'the recording writing samples', 60_000);
    return { child, err: () => err, exited };
  }

  it('SIGTERM (a kill, `timeout`) stops it as Ctrl-C does: every sample received written (it died with the last 6.6 s held for late labels unwritten)', async () => {
    const out = path.join(dir, 'term.csv');
    const r = await recordingFor(out);
    r.child.kill('SIGTERM');
    expect(await r.exited, r.err()).toBe(0);
    const wrote = /wrote (\d+) samples/.exec(r.err());
    expect(wrote, r.err()).not.toBeNull();
    expect(parseRecording(fs.readFileSync(out, 'utf8'), out).t_ms.length).toBe(Number(wrote![1]));
  }, 120_000);

  it('the terminal closed (its output gone, then SIGHUP): every sample received written all the same', async () => {
    const out = path.join(dir, 'hup.csv');
    const r = await recordingFor(out);
    // (what a closed terminal leaves: its output has no reader, and the process is sent SIGHUP)
    r.child.stdout.destroy();
    r.child.stderr.destroy();
    r.child.kill('SIGHUP');
    expect(await r.exited, r.err()).toBe(0);
    // 1.5 s and more of a 52 Hz stream, the samples held for late labels included
    expect(parseRecording(fs.readFileSync(out, 'utf8'), out).t_ms.length).toBeGreaterThan(52);
  }, 120_000);

  it('an --out named for another format (walk.fit, .json, .html, a database): one line naming the CSV name, exit 2, nothing written (it wrote CSV under a .fit name)', () => {
    for (const name of ['walk.fit', 'walk.JSON', 'week.html', 'walks.db']) {
      const out = path.join(dir, name);
      const r = runCli(['--port', sim.path, 'record', '--out', out, '--seconds', '1']);
      expect(r.code, name).toBe(2);
      const typed = path.extname(name);
      expect(r.stderr, name).toBe(`retrostep: --out ${out} ends in ${typed}, but a recording is CSV: name it ${out.slice(0, -typed.length + 1)}csv\n`);
      expect(fs.existsSync(out), name).toBe(false);
    }
    // any other ending is written as asked
    const txt = path.join(dir, 'walk.txt');
    expect(runCli(['--port', sim.path, 'record', '--out', txt, '--seconds', '1']).code).toBe(0);
    expect(fs.readFileSync(txt, 'utf8')).toMatch(/^# retrostep recording v1/);
  });

  it('a folder that does not exist: one line, exit 2', () => {
    const r = runCli(['--port', sim.path, 'record', '--out', path.join(dir, 'nope', 'x.csv'), '--seconds', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a folder for --out: one line saying so (as report and export say it), --force or not, exit 2', () => {
    for (const force of [[], ['--force']]) {
      const r = runCli(['--port', sim.path, 'record', '--out', dir, '--seconds', '1', ...force]);
      expect(r.code, force.join(' ')).toBe(2);
      expect(r.stderr, force.join(' ')).toBe(`retrostep: cannot write ${dir}: it is a folder, not a file\n`);
    }
  });
});

describe('retrostep live', () => {
  it('prints each stride as the pod sees it (--json lines)', () => {
    const r = runCli(['--port', sim.path, 'live', '--seconds', '3', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    // (the demo's walk has wrong-gait strides: --json shows each one's buzz as an object of its own, just before it)
    for (const b of lines.filter((o) => o.kind !== undefined)) expect(b).toMatchObject({ kind: 'buzz', pattern: 'wrong' });
    const strides = lines.filter((o) => o.kind === undefined);
    expect(strides.length).toBeGreaterThan(5);
    for (const s of strides) {
      expect(['forward', 'backward']).toContain(s.direction);
      expect(['heel', 'flat', 'toe']).toContain(s.first);
      expect(typeof s.wrong).toBe('boolean');
    }
  });

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} (${signal === 'SIGTERM' ? 'a kill, `timeout`' : 'the terminal closed'}) over a port stops it as Ctrl-C does: at once, every stride shown, nothing more said, exit 0, the pod left to serve the next command`, async () => {
      const child = spawn(process.execPath, [BIN, '--port', sim.path, 'live', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (err += b));
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      await waitFor(() => /"direction"/.test(out), 'a stride shown', 60_000);
      child.kill(signal);
      expect(await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running 30 s after the signal'), 30_000))]), err).toBe(0);
      expect(err).toBe('');
      for (const line of out.trim().split('\n')) {
        const o = JSON.parse(line);
        if (o.kind === 'buzz') continue; // a wrong-gait stride's buzz, just before it
        expect(o).toHaveProperty('direction');
      }
      expect(runCli(['--port', sim.path, 'live', '--seconds', '1']).code).toBe(0);
    }, 120_000);
  }
});

describe('retrostep calibrate', () => {
  it('walks the user through standing still and walking forward until the pod reports calibrated', () => {
    const r = runCli(['--port', sim.path, 'calibrate', '--timeout', '90']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/stand still/);
    // (at 20x the pod may learn gravity and the toe between two polls: the middle step can flash by)
    expect(lines[lines.length - 1]).toMatch(/^calibrated/);
  }, 120_000);

  it('guides through the steps the pod reports; a pod left standing times out with advice (exit 4)', async () => {
    const standing = await startSim(['--state', path.join(dir, 'standing.flash')], []);
    try {
      const r = runCli(['--port', standing.path, 'calibrate', '--timeout', '3']);
      expect(r.stdout).toMatch(/stand still/);
      expect(r.stdout).toMatch(/walk forward/); // the still pod learnt gravity and moved on
      expect(r.code).toBe(4);
      expect(r.stderr).toBe('retrostep: calibration did not finish: stand still for 2 s, then walk forward in a straight line, and run it again\n');
    } finally {
      await standing.stop();
    }
  }, 60_000);
});

/** `retrostep --port PTY ...args` until `streaming(stdout)`; then the sim is killed: its exit code and output. */
async function runUntilPodKilled(args: string[], streaming: (stdout: string) => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const own = await startSim(['--state', path.join(dir, `lost-${args[0]}.flash`)], ['--walk', '--speed', '20']);
  const child = spawn(process.execPath, [BIN, '--port', own.path, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  try {
    await waitFor(() => child.exitCode !== null || streaming(stdout), `${args[0]} streaming`, 60_000);
    await own.stop('SIGKILL'); // the pod goes away mid-stream
    const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    return { code, stdout, stderr };
  } finally {
    child.kill();
    await own.stop('SIGKILL');
  }
}

describe('the pod lost mid-stream (the sim killed)', () => {
  it('live: one line "lost the pod mid-way", exit 5', async () => {
    const r = await runUntilPodKilled(['live', '--json'], (stdout) => /"direction"/.test(stdout));
    expect(r.stdout).toMatch(/"direction"/); // it was streaming
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^retrostep: lost the pod mid-way \(.+\): the live view stopped/);
    expect(r.code).toBe(5);
  }, 120_000);

  it('record: keeps what came before, says it ended early in one line, exit 5', async () => {
    const out = path.join(dir, 'lost.csv');
    // (once it writes samples: more have come than it holds for late labels)
    const r = await runUntilPodKilled(['record', '--out', out], () => written(out).samples > 0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^recording from/);
    expect(lines.slice(1)).toHaveLength(1);
    const m = /^retrostep: lost the pod mid-way \(.+\): the recording ended early: .* holds the (\d+) samples/.exec(lines[1]);
    expect(m, lines[1]).not.toBeNull();
    expect(r.stderr).not.toMatch(/wrote \d+ samples/);
    expect(r.code).toBe(5);
    const rec = parseRecording(fs.readFileSync(out, 'utf8'), out);
    expect(rec.t_ms.length).toBe(Number(m![1]));
    expect(rec.t_ms.length).toBeGreaterThan(52);
  }, 120_000);
});
