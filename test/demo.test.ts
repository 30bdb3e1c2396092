/**
 * `retrostep demo` end to end, run as a user runs it (the built CLI in a
 * child process): virtual pod on the real bundle, simulated walker, sync
 * over the real protocol into SQLite, summary.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoScript } from '../host/src/sim/demo-script.js';
import { createWalker, truthCounts } from '../host/src/sim/walker.js';
import { BIN, ctrlCOnceShown, runCli, signalOnceShown } from './helpers/cli.js';

/** "  forward strides      390" -> 390 */
function field(out: string, label: string): number {
  const m = out.match(new RegExp(`^\\s*${label}\\s+(\\d+)`, 'm'));
  if (!m) throw new Error(`no "${label}" line in:\n${out}`);
  return Number(m[1]);
}

describe('retrostep demo', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-demo-'));
  const db = path.join(dir, 'demo.db');
  const truth = truthCounts(createWalker(demoScript(), { seed: 1 }).truth);
  let first: ReturnType<typeof runCli>;

  /** The database as the first demo left it, for the tests that need one a demo has walked into: demoedDb's copies. */
  const demoed = path.join(dir, 'demoed.db');

  beforeAll(() => {
    first = runCli(['--db', db, 'demo']);
    fs.copyFileSync(db, demoed);
    // (the demo's closing checkpointed its write-ahead log into the file: a copy of the file alone is the database)
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
  });

  /** A database a demo has walked into, at `name`: a copy of the first demo's, not another demo walked for it. */
  function demoedDb(name: string): string {
    const file = path.join(dir, name);
    fs.copyFileSync(demoed, file);
    return file;
  }

  it('runs a 10-minute script with forward, backward and wrong strides', () => {
    const w = createWalker(demoScript(), { seed: 1 });
    expect(w.duration_ms).toBeGreaterThanOrEqual(9.5 * 60_000);
    expect(w.duration_ms).toBeLessThanOrEqual(10.5 * 60_000);
    expect(truth.forward).toBeGreaterThan(100);
    expect(truth.backward).toBeGreaterThan(50);
    expect(truth.wrong).toBeGreaterThan(0);
  });

  it('counts forward and backward strides within 1% of the script, from what it stored in SQLite', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const fwd = field(first.stdout, 'forward strides'), bwd = field(first.stdout, 'backward strides');
    expect(Math.abs(fwd - truth.forward)).toBeLessThanOrEqual(0.01 * truth.forward);
    expect(Math.abs(bwd - truth.backward)).toBeLessThanOrEqual(0.01 * truth.backward);
    expect(field(first.stdout, 'steps \\(estimated\\)')).toBe(2 * (fwd + bwd));
    // the printed figures are the database's, not the pod's memory
    const rows = new Database(db, { readonly: true }).prepare('SELECT SUM(forward) f, SUM(backward) b, COUNT(*) n FROM records').get() as { f: number; b: number; n: number };
    expect(rows.f).toBe(fwd);
    expect(rows.b).toBe(bwd);
    expect(rows.n).toBeGreaterThanOrEqual(9); // one record per active minute
    expect(first.stdout).toMatch(/retro minutes\s+\d+\.\d/);
    expect(first.stdout).toMatch(/energy\s+\d+ kcal/);
    expect(field(first.stdout, 'wrong-gait strides')).toBeGreaterThan(0);
  });

  it('run again, it replaces its last walk (never adds to it) and leaves other pods alone', () => {
    const open = () => new Database(db, { readonly: true });
    const demoSums = () => open().prepare('SELECT COUNT(*) n, SUM(forward) f, SUM(backward) b FROM records').get() as { n: number; f: number; b: number };
    const before = demoSums();
    // another pod's minute, as a sync from it stores it
    const rw = new Database(db);
    rw.prepare("INSERT INTO pods (pod_id, first_seen_s) VALUES ('other-pod', 0)").run();
    rw.prepare(
      "INSERT INTO records (pod_id, seq, start_s, forward, backward, heel, flat, toe, wrong, buzzes, cadence_spm, active_s, synced_s) VALUES ('other-pod', 0, 0, 50, 10, 40, 10, 10, 1, 1, 110, 60, 0)",
    ).run();
    rw.close();
    const perPod = () => open().prepare('SELECT pod_id, COUNT(*) n FROM records GROUP BY pod_id').all() as { pod_id: string; n: number }[];
    expect(perPod()).toHaveLength(2);
    // another walk (seed 2): the database holds that walk's counts, as printed, not the sum of the two
    const second = runCli(['--db', db, 'demo', '--seed', '2']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`replace the last demo's ${before.n}\\b`));
    expect(perPod()).toHaveLength(2);
    expect(perPod().find((p) => p.pod_id === 'other-pod')?.n).toBe(1);
    const demoPod = open().prepare("SELECT SUM(forward) f, SUM(backward) b FROM records WHERE pod_id != 'other-pod'").get() as { f: number; b: number };
    expect(demoPod.f).toBe(field(second.stdout, 'forward strides'));
    expect(demoPod.b).toBe(field(second.stdout, 'backward strides'));
    const truth2 = truthCounts(createWalker(demoScript(), { seed: 2 }).truth);
    expect(Math.abs(demoPod.f - truth2.forward)).toBeLessThanOrEqual(0.01 * truth2.forward);
    expect(demoPod.f + demoPod.b).toBeLessThan(1.2 * (before.f + before.b)); // one walk, not two
  });

  /** The records a demo left in `file`, read as another program would (the demo's process gone). */
  const recordsIn = (file: string) => {
    const d = new Database(file, { readonly: true });
    const rows = d.prepare('SELECT seq, forward, backward FROM records ORDER BY seq').all();
    d.close();
    return rows;
  };

  it('stopped part way through its sync (here a full disk, as a trigger refusing the 5th minute stores it): one line, and the last demo\'s records kept, none of the new walk\'s', () => {
    const kept = demoedDb('kept.db');
    const records = () => recordsIn(kept);
    const before = records();
    expect(before.length).toBeGreaterThan(5);
    const rw = new Database(kept);
    rw.exec("CREATE TRIGGER full BEFORE INSERT ON records WHEN (SELECT COUNT(*) FROM records) >= 4 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    rw.close();
    const r = runCli(['--db', kept, 'demo', '--seed', '2']);
    expect(r.code, r.stdout).not.toBe(0);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(records()).toEqual(before);
  });

  it('stopped by Ctrl-C as it walks: one line saying nothing of its walk is stored, exit 130, the last demo\'s records kept (it ended without a word)', async () => {
    const kept = demoedDb('ctrl-c.db');
    const records = () => recordsIn(kept);
    const before = records();
    expect(before.length).toBeGreaterThan(5);
    const { code, stderr } = await ctrlCOnceShown(['--db', kept, 'demo', '--seed', '2'], '- walking the scripted', 'the demo walking');
    expect(code, stderr).toBe(130);
    expect(stderr).toBe(`retrostep: demo stopped (Ctrl-C) before its walk was stored: nothing of it is in ${kept}, and any earlier demo's walk there is as it was; run \`retrostep --db ${kept} demo --seed 2\` again\n`);
    expect(records()).toEqual(before);
  });

  it('stopped by SIGTERM as it walks (a kill, `timeout`): the same line naming it, exit 143 (it ended without a word)', async () => {
    const kept = demoedDb('sigterm.db');
    const before = recordsIn(kept);
    const { code, stderr } = await signalOnceShown('SIGTERM', ['--db', kept, 'demo', '--seed', '2'], '- walking the scripted', 'the demo walking');
    expect(code, stderr).toBe(143);
    expect(stderr).toBe(`retrostep: demo stopped (SIGTERM) before its walk was stored: nothing of it is in ${kept}, and any earlier demo's walk there is as it was; run \`retrostep --db ${kept} demo --seed 2\` again\n`);
    expect(recordsIn(kept)).toEqual(before);
  });

  // breaks it: the stopping signals let go as runDemo returned (the window: a signal as the summary was printed found
  // no listener and ended the process, the summary cut off and no line)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stopped by ${signal} as its summary's last line is printed: the whole summary, then the line saying its walk was stored (it ended there without a word)`, () => {
      const kept = demoedDb(`${signal}-at-summary.db`);
      // (a real signal, sent by the CLI's own process to itself as it prints the summary's last line: at once, in the window)
      const atLastLine = `const log = console.log; console.log = (...a) => { log(...a); if (String(a[0]).startsWith('  ran in ')) process.kill(process.pid, '${signal}'); };`;
      const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(atLastLine)}`, BIN, '--db', kept, 'demo', '--seed', '2'], { encoding: 'utf8', timeout: 120_000 });
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status, r.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(r.stdout).toMatch(/^ {2}ran in \d+\.\d s$/m);
      expect(r.stderr).toBe(`retrostep: demo stopped (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'}) after its walk was stored in ${kept} (\`retrostep summary\` shows it)\n`);
    });
  }

  it("beside a real pod's walk today: the report names the demo's pod as the demo, and summary says the demo walk is in its totals", () => {
    const mixed = demoedDb('mixed.db');
    const rw = new Database(mixed);
    rw.prepare("INSERT INTO pods (pod_id, name, first_seen_s) VALUES ('aabbccddeeff', 'retrostep-eeff', 0)").run();
    rw.prepare(
      'INSERT INTO records (pod_id, seq, start_s, forward, backward, heel, flat, toe, wrong, buzzes, cadence_spm, active_s, synced_s) VALUES (?, 0, ?, 50, 10, 40, 10, 10, 1, 1, 110, 60, 0)',
    ).run('aabbccddeeff', Math.floor(Date.now() / 1000) - 3600);
    const demoId = (rw.prepare("SELECT pod_id FROM pods WHERE pod_id != 'aabbccddeeff'").get() as { pod_id: string }).pod_id;
    rw.close();
    const html = path.join(dir, 'mixed.html');
    expect(runCli(['--db', mixed, 'report', '--out', html]).code).toBe(0);
    // (it was listed as "retrostep-0001", a name like a real pod's)
    expect(fs.readFileSync(html, 'utf8')).toMatch(new RegExp(`<div data-pod="${demoId}"><h3>the demo \\(a virtual pod\\)</h3>`));
    // its figures say the demo's walk is in them, as summary's do (the page summed it without a word)
    expect(fs.readFileSync(html, 'utf8')).toContain(`<p class="notice" data-mixed="demo">These figures include the demo's made-up walk (pod ${demoId}, from <code>retrostep demo</code>): <code>retrostep report --pod ID</code> shows one pod.</p>`);
    expect(runCli(['--db', mixed, 'report', '--pod', 'aabbccddeeff', '--out', '-']).stdout).not.toContain('data-mixed');
    const note = `  demo walk            included (pod ${demoId}, from \`retrostep demo\`): --pod ID sums one pod`;
    expect(runCli(['--db', mixed, 'summary', '--no-chart']).stdout.split('\n')).toContain(note);
    // one pod's figures, or the demo's alone: nothing to tell apart
    expect(runCli(['--db', mixed, 'summary', '--no-chart', '--pod', 'aabbccddeeff']).stdout).not.toContain('demo walk');
    expect(runCli(['--db', db, 'summary', '--no-chart']).stdout).not.toContain('demo walk');
  });

  // breaks it: demo's runDemo without the user's weight (the twenty-seventh walkthrough: after `config set
  // weight_kg=72` the demo said "45 kcal (... 70 kg)" where `summary --pod` of its walk said "46 kcal (... 72 kg)")
  it('uses the weight `config set weight_kg` kept, as summary does of its walk', () => {
    const weighed = demoedDb('weighed.db');
    expect(runCli(['--db', weighed, 'config', 'set', 'weight_kg=95']).code).toBe(0);
    const r = runCli(['--db', weighed, 'demo']);
    expect(r.code).toBe(0);
    const energy = (out: string) => out.split('\n').find((l) => /^\s*energy\s/.test(l));
    expect(energy(r.stdout)).toMatch(/; 95 kg\)$/);
    expect(energy(r.stdout)).toBe(energy(runCli(['--db', weighed, 'summary', '--no-chart', '--pod', 'c0de30000001']).stdout));
  });

  it('a bad --db path: one line on stderr, non-zero exit, no stack trace', () => {
    for (const bad of [path.join(dir, 'no-such-folder', 'x.db'), dir]) {
      const r = runCli(['--db', bad, 'demo']);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^retrostep: cannot open database/);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
  });
});
