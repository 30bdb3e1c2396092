/**
 * `summary` and `plan` as a user runs them (the built CLI in a child
 * process) over a real SQLite database filled with a known week.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_POD_NAME, insertRecords, openDb, savePodConfig, setPodName, setSetting, upsertPod } from '../host/src/store/db.js';
import { configDefaults } from '../shared/protocol/config.js';
import { RECORD_CLOCK_VALID, RECORD_COACH_DONE, RECORD_COACH_PROMPTED, RECORD_FOLDED, type MinuteRecord } from '../shared/protocol/records.js';
import { podWasFull } from '../host/src/pod-notices.js';
import { BIN, runCli } from './helpers/cli.js';
import { localMinute, resolvePeriod } from '../host/src/report/period.js';
import { reportData } from '../host/src/report/report-data.js';
import { dayLabel } from '../host/src/report/buckets.js';
import { formatPlan, PLAN, planJson, planStatus } from '../host/src/report/plan.js';
import { makeKnownYears, YEARS_DAYS_AGO } from './helpers/known-years.js';

/** The plan as it stands today in a database file. */
function planStatusOf(file: string) {
  const d = openDb(file);
  try {
    return planStatus(d);
  } finally {
    d.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-report-'));
const file = path.join(dir, 'week.db');
const POD = 'aabbccddeeff';

/** Local noon, `daysAgo` days before today, plus m minutes. */
function at(daysAgo: number, m: number): number {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - daysAgo, 12, m).getTime() / 1000;
}

/** Minutes of walking on a day: `backward` strides of one foot each minute (2x steps). */
function walk(seq0: number, daysAgo: number, minutes: number, backward: number, coach = false): { rec: MinuteRecord; start_s: number; estimated: boolean }[] {
  return Array.from({ length: minutes }, (_, m) => {
    const start_s = at(daysAgo, m);
    const flags = RECORD_CLOCK_VALID | (coach ? RECORD_COACH_PROMPTED | (m % 2 === 0 ? RECORD_COACH_DONE : 0) : 0);
    const rec: MinuteRecord = { seq: seq0 + m, start_s, flags, forward: 50 - backward, backward, heel: 50 - backward, flat: 0, toe: backward, wrong: 1, buzzes: 1, cadence_spm: 100, active_s: 60 };
    return { rec, start_s, estimated: false };
  });
}

/** A database at `file` (made, or added to) holding each of `pods`, synced at `synced_s`, with 3 minutes it walked 40 days ago. */
function podsSynced(file: string, pods: string[], synced_s: number): void {
  const d = openDb(file);
  for (const pod of pods) {
    upsertPod(d, { pod_id: pod }, synced_s);
    insertRecords(d, pod, walk(0, 40, 3, 5), synced_s);
  }
  d.close();
}

beforeAll(() => {
  const db = openDb(file);
  upsertPod(db, { pod_id: POD }, 1);
  // three days of 10 minutes with 10 backward steps (5 strides) a minute: stage 1 done
  insertRecords(db, POD, [...walk(0, 5, 10, 5, true), ...walk(100, 4, 10, 5), ...walk(200, 3, 12, 6)], 1);
  // today: 10 minutes at 20 steps a minute (one day of stage 2)
  insertRecords(db, POD, walk(300, 0, 10, 10), 1);
  // far outside the week: must not be summed
  insertRecords(db, POD, walk(400, 30, 5, 20), 1);
  setSetting(db, 'weight_kg', '80');
  db.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('retrostep summary', () => {
  it('--week --json sums the 7 days ending today and nothing older', () => {
    const r = runCli(['--db', file, 'summary', '--week', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schema_version).toBe(1);
    const minutes = 10 + 10 + 12 + 10;
    const backward = 10 * 5 + 10 * 5 + 12 * 6 + 10 * 10;
    expect(j.summary.minutes).toBe(minutes);
    expect(j.summary.backward).toBe(backward);
    expect(j.summary.forward).toBe(minutes * 50 - backward);
    expect(j.summary.steps_est).toBe(2 * minutes * 50);
    expect(j.summary.wrong).toBe(minutes);
    expect(j.summary.coach_prompted).toBe(10);
    expect(j.summary.coach_done).toBe(5);
    expect(j.summary.weight_kg).toBe(80);
    // energy: each minute split by stride shares, MET 4.3 forward / 6.0 backward, 80 kg
    const kcal = (4.3 * 80 * (minutes * 60 - j.summary.backward_s) + 6.0 * 80 * j.summary.backward_s) / 3600;
    expect(j.summary.kcal).toBeCloseTo(kcal, 6);
    expect(j.summary.retro_min).toBeCloseTo((backward / 50) * 1, 6); // 60 s x share per minute
    expect(j.buckets).toHaveLength(7);
    expect(j.buckets.reduce((a: number, b: { backward: number }) => a + b.backward, 0)).toBe(backward);
  });

  it('--day shows that day only, with a chart and the interval line', () => {
    const r = runCli(['--db', file, 'summary', '--day']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/backward strides\s+100\b/);
    expect(r.stdout).toMatch(/strides per hour/);
    const day5 = runCli(['--db', file, 'summary', '--day', fmt(5), '--no-chart']);
    expect(day5.stdout).toMatch(/coach intervals\s+5 of 10 completed/);
    expect(day5.stdout).not.toMatch(/strides per/);
  });

  it('a period of days of which only today has begun (this month on its 1st; here a week ending in six days) draws today\'s hours, as --day does: one day\'s column was no chart at all', () => {
    const r = runCli(['--db', file, 'summary', '--week', fmt(-6)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/backward strides\s+100\b/);
    const lines = r.stdout.split('\n').map((l) => stripVTControlCharacters(l));
    expect(lines.find((l) => /strides per/.test(l))).toMatch(/strides per hour:/);
    // (today's walk is at noon: the 12h column is the one above zero)
    expect(lines.filter((l) => /[┼┤]/.test(l)).length).toBeGreaterThan(2);
  });

  it('a period that ends after today (a week ending in two days): its chart stops at today and says so (the days to come were drawn as days walked with nothing counted)', () => {
    const r = runCli(['--db', file, 'summary', '--week', fmt(-2)]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').map((l) => stripVTControlCharacters(l));
    const caption = lines.findIndex((l) => /strides per day/.test(l));
    expect(lines[caption]).toMatch(/strides per day \(the 2 days still to come not drawn\):/);
    // (the labels under the plot: today's weekday and date is the last, every column one of the 5 days begun)
    const short = (daysAgo: number) => new Date(at(daysAgo, 0) * 1000).toLocaleDateString('en-GB', { weekday: 'short', day: '2-digit' }).replace(/^(\w+),? (\d+)$/, '$1 $2');
    expect(lines[caption - 1].trim().split(/\s{2,}/).pop()).toBe(short(0));
    expect(lines[caption - 1]).not.toContain(short(-1));
    const plotted = lines.filter((l) => /[┼┤]/.test(l));
    expect(Math.max(...plotted.map((l) => l.trimEnd().length)) - 9).toBe(5 * 6);
  });

  it('a long period: its chart sums days into weeks, months or years, within a terminal\'s 80 columns (a year drew 340 columns, --from 1970-01-01 20,800), from its first walk', () => {
    // (six years of walks, a walk every 4 to 12 days)
    const years = path.join(dir, 'years.db');
    makeKnownYears(years);
    for (const [from, unit] of [[fmt(60), 'day'], [fmt(400), 'week'], [fmt(1000), 'month'], ['1970-01-01', 'year']]) {
      const r = runCli(['--db', years, 'summary', '--from', from]);
      expect(r.code, from).toBe(0);
      // (the plot's rows and the labels under them; the caption after them is a sentence)
      const lines = r.stdout.split('\n');
      const rows = lines.filter((l) => /[┼┤]/.test(l));
      expect(rows.length, from).toBeGreaterThan(0);
      const labels = lines[lines.lastIndexOf(rows[rows.length - 1]) + 1];
      // (columns seen, not characters: with CI set, picocolors colours the plot)
      expect([...rows, labels].filter((l) => stripVTControlCharacters(l).length > 80), from).toEqual([]);
      expect(r.stdout, from).toMatch(new RegExp(`strides per ${unit}[ :]`));
    }
    // (1970 on: 7 years from the first walk, not 57 columns of empty years first)
    const all = runCli(['--db', years, 'summary', '--from', '1970-01-01']).stdout;
    expect(all).toMatch(new RegExp(`strides per year from your first walk in the period \\(${fmt(YEARS_DAYS_AGO)}\\): `));
    const allLines = all.split('\n');
    const under = allLines[allLines.findLastIndex((l) => /[┼┤]/.test(l)) + 1];
    expect(stripVTControlCharacters(under).trim().split(/\s+/)[0]).toBe(fmt(YEARS_DAYS_AGO).slice(0, 4));
    // (a period of days is drawn as it is, from its first day: no first-walk note)
    expect(runCli(['--db', years, 'summary', '--from', fmt(60)]).stdout).not.toMatch(/first walk/);
    // (the figures are the period's, whatever the chart sums them into)
    const j = JSON.parse(runCli(['--db', file, 'summary', '--from', fmt(400), '--json']).stdout);
    expect(j.buckets.length).toBe(401);
  });

  it('a bad date is one line and exit 2; an empty period says how to get data', () => {
    const bad = runCli(['--db', file, 'summary', '--from', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual(['retrostep: --from "2026-02-30" is not a date like 2026-11-22']);
    const empty = runCli(['--db', file, 'summary', '--day', '2001-01-01']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/no walking stored/);
  });

  // breaks it: refuseBadDbPath and openDb making RETROSTEP_DB's folder as they make the data folder's
  it("a RETROSTEP_DB in a folder that is not there (mistyped, in a shell profile) is refused as --db's is, by read and write commands: its folder and an empty database were made, and summary said a week of zeros", () => {
    const typo = path.join(dir, 'retrostpe', 'week.db');
    const folder = path.dirname(typo);
    for (const args of [['summary'], ['plan'], ['config', 'set', 'weight_kg=72']]) {
      const r = runCli(args, { RETROSTEP_DB: typo });
      expect(r.stderr, args.join(' ')).toBe(`retrostep: cannot open database ${typo}: folder ${folder} does not exist (create it or pick another --db, or change RETROSTEP_DB (it names this file))\n`);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(runCli(['--db', typo, 'summary']).stderr).toBe(`retrostep: cannot open database ${typo}: folder ${folder} does not exist (create it or pick another --db)\n`);
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('a mistyped --db (or RETROSTEP_DB) is refused by read commands, not made: its zeros read as a week not walked', () => {
    const typo = path.join(dir, 'wek.db');
    const makeIt = `check the name; \`retrostep sync --db ${typo}\` (or \`retrostep demo --db ${typo}\`) makes it\n`;
    const reads: string[][] = [['summary'], ['summary', '--json'], ['report', '--out', path.join(dir, 'wek.html')], ['export', '--format', 'csv'], ['plan'], ['config', 'get', '--local']];
    for (const args of reads) {
      const byOption = runCli(['--db', typo, ...args]);
      // (RETROSTEP_DB, set perhaps long ago, is named as where the file came from; sync and demo need no --db then)
      const byEnv = runCli(args, { RETROSTEP_DB: typo });
      expect(byOption.stderr, args.join(' ')).toBe(`retrostep: no database at ${typo}: ${makeIt}`);
      expect(byEnv.stderr, args.join(' ')).toBe(`retrostep: no database at ${typo} (RETROSTEP_DB): check the name; \`retrostep sync\` (or \`retrostep demo\`) makes it\n`);
      for (const r of [byOption, byEnv]) {
        expect(r.code, args.join(' ')).toBe(3);
        expect(r.stdout, args.join(' ')).toBe('');
      }
    }
    expect(fs.existsSync(typo)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'wek.html'))).toBe(false);
    // (an empty file, `--db notes.csv` just made by touch: SQLite would take it for an empty database and summary
    // would write its tables into it)
    const empty = path.join(dir, 'notes.csv');
    fs.writeFileSync(empty, '');
    const e = runCli(['--db', empty, 'summary']);
    expect(e.code).toBe(3);
    expect(e.stderr).toBe(`retrostep: ${empty} is an empty file, not a retrostep database: check the name; \`retrostep sync --db ${empty}\` (or \`retrostep demo --db ${empty}\`) makes it\n`);
    expect(fs.statSync(empty).size).toBe(0);
    // (a name with a space: the command to make it is quoted, to be copied as it is)
    const spaced = path.join(dir, "bob's week.db");
    expect(runCli(['--db', spaced, 'plan']).stderr).toBe(`retrostep: no database at ${spaced}: check the name; \`retrostep sync --db '${dir}/bob'\\''s week.db'\` (or \`retrostep demo --db '${dir}/bob'\\''s week.db'\`) makes it\n`);
  });

  it('an empty period says which database has no pods at all, and with --pod whose walking is missing', () => {
    // (a database with settings and no pods: `config set` made it)
    const fresh = path.join(dir, 'fresh.db');
    expect(runCli(['--db', fresh, 'config', 'set', 'weight_kg=72']).code).toBe(0);
    const none = runCli(['--db', fresh, 'summary']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain(`  (no walking stored: ${fresh} has no pods yet; run \`retrostep sync\`, or \`retrostep demo\` to try it)\n`);
    const pod = runCli(['--db', file, 'summary', '--day', '2001-01-01', '--pod', POD]);
    // (this file's pod was synced at 1 s past 1970: before the day asked for)
    expect(pod.stdout).toContain(`  (no walking stored for this period by pod ${POD}, last synced ${localMinute(1)}: \`retrostep sync\` copies anything it walked since)\n`);
    // (every pod, a period none walked: as it was)
    expect(runCli(['--db', file, 'summary', '--day', '2001-01-01']).stdout).toContain('  (no walking stored for this period: run `retrostep sync`, or `retrostep demo` to try it)\n');
  });

  // breaks it: nothingStored without the last sync's test (the walkthrough: a pod synced since said "run sync" of a
  // week it walked none of, sending its wearer to look for minutes that are not there)
  it('with --pod, a period that ended before the pod\'s last sync: it walked none then, said with when it was synced', () => {
    const synced = path.join(dir, 'synced.db');
    const now_s = Math.floor(Date.now() / 1000);
    podsSynced(synced, [POD], now_s);
    const before = runCli(['--db', synced, 'summary', '--day', '2001-01-01', '--pod', POD]);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`  (no walking by pod ${POD} in this period: its last sync, ${localMinute(now_s)}, came after it)\n`);
    // (today is not over: minutes walked since the sync may be on the pod still; when it was synced is said)
    const today = runCli(['--db', synced, 'summary', '--day', '--pod', POD]);
    expect(today.stdout).toContain(`  (no walking stored for this period by pod ${POD}, last synced ${localMinute(now_s)}: \`retrostep sync\` copies anything it walked since)\n`);
  });

  // breaks it: nothingStored without its every-pod test (the twenty-seventh walkthrough: `summary --month` of the
  // month before a week walked and synced said "run `retrostep sync`, or `retrostep demo` to try it")
  it('without --pod, a period that ended before every pod\'s last sync: none walked it, said so; one pod synced before it: run sync', () => {
    const both = path.join(dir, 'both-synced.db');
    const now_s = Math.floor(Date.now() / 1000);
    podsSynced(both, [POD, 'c0de30000001'], now_s);
    const r = runCli(['--db', both, 'summary', '--day', '2001-01-01']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  (no walking by any pod in this period: each pod's last sync came after it)\n");
    // (a pod last synced before the period ended may have walked it since: sync is the way still)
    podsSynced(both, ['aa0000000001'], 1);
    expect(runCli(['--db', both, 'summary', '--day', '2001-01-01']).stdout).toContain('  (no walking stored for this period: run `retrostep sync`, or `retrostep demo` to try it)\n');
    // (nor a pod met but never synced, which has no sync time: not taken as synced)
    const met = path.join(dir, 'synced-and-met.db');
    const m = openDb(met);
    upsertPod(m, { pod_id: POD }, now_s);
    insertRecords(m, POD, walk(0, 40, 3, 5), now_s);
    upsertPod(m, { pod_id: 'aa0000000002' }, now_s);
    m.close();
    expect(runCli(['--db', met, 'summary', '--day', '2001-01-01']).stdout).toContain('run `retrostep sync`');
  });

  // breaks it: report's page or export's FIT refusal without syncedAfterWords (they said "sync your pod" / "run
  // `retrostep sync` first" of a period every pod was synced after, where summary said none walked it)
  it('report and a FIT export of a period every pod was synced after say none walked it, as summary does; one pod synced before it: sync', () => {
    const synced = path.join(dir, 'all-synced-after.db');
    const now_s = Math.floor(Date.now() / 1000);
    podsSynced(synced, [POD, 'c0de30000002'], now_s);
    const page = path.join(dir, 'all-synced-after.html');
    expect(runCli(['--db', synced, 'report', '--day', '2001-01-01', '--out', page]).code).toBe(0);
    expect(fs.readFileSync(page, 'utf8')).toContain(`<p class="empty">No walking in this period: each pod's last sync came after it, so none walked it.</p>`);
    expect(runCli(['--db', synced, 'report', '--day', '2001-01-01', '--pod', POD, '--out', page]).code).toBe(0);
    expect(fs.readFileSync(page, 'utf8')).toContain('No walking in this period: the pod was last synced after it, so none walked it.');
    const fit = runCli(['--db', synced, 'export', '--format', 'fit', '--day', '2001-01-01', '--out', path.join(dir, 'none.fit')]);
    expect(fit.code).toBe(2);
    expect(fit.stderr).toBe("retrostep: no walking stored for 2001-01-01: nothing to put in a FIT activity (each pod's last sync came after it, so none walked it)\n");
    // (a pod last synced before the period ended may hold walking of it still)
    const before = openDb(synced);
    upsertPod(before, { pod_id: 'aa0000000003' }, 1);
    before.close();
    expect(runCli(['--db', synced, 'report', '--day', '2001-01-01', '--out', page]).code).toBe(0);
    expect(fs.readFileSync(page, 'utf8')).toContain('No walking is stored for this period. Sync your pod');
    expect(runCli(['--db', synced, 'export', '--format', 'fit', '--day', '2001-01-01', '--out', path.join(dir, 'none.fit')]).stderr).toContain('(run `retrostep sync` first)');
  });

  // breaks it: nothingStored taking a pod with no sync time as synced (at 0, or now)
  it('with --pod, a pod whose only sync stopped before it copied anything (no sync time): run sync to copy its latest', () => {
    const met = path.join(dir, 'met.db');
    const d = openDb(met);
    // (sync meets the pod, hello and info, before it reads a minute or saves a status: a link lost there leaves this)
    upsertPod(d, { pod_id: POD }, Math.floor(Date.now() / 1000));
    d.close();
    const r = runCli(['--db', met, 'summary', '--week', '--pod', POD]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  (no walking stored for this period by pod ${POD}: run \`retrostep sync\` to copy its latest)\n`);
  });

  it('a year before 1970 (0026 for 2026) is one line and exit 2, not read as 1926 (a JavaScript Date takes years 0-99 as 1900-1999)', () => {
    const cases: [string[], string][] = [
      [['summary', '--day', '0026-11-22'], '--day "0026-11-22"'],
      [['summary', '--from', '0099-01-01', '--to', '2026-01-01'], '--from "0099-01-01"'],
      [['report', '--month', '0000-01', '--out', path.join(dir, 'never.html')], '--month "0000-01"'],
      [['export', '--format', 'csv', '--week', '1969-12-31'], '--week "1969-12-31"'],
    ];
    for (const [args, said] of cases) {
      const r = runCli(['--db', file, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: ${said} is before 1970: no walk is stored that early\n`);
    }
    expect(fs.existsSync(path.join(dir, 'never.html'))).toBe(false);
  });

  it('a --to more than a year after today (a slip in the year) is one line and exit 2: summary --json of --to 9999-12-31 ran a minute and failed, "unexpected error: Invalid string length (this is a bug)"', () => {
    const r = runCli(['--db', file, 'summary', '--from', fmt(3), '--to', '9999-12-31', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('retrostep: --to 9999-12-31 is more than a year after today: nothing is walked there yet (a slip in the year?)\n');
    // (this year, ending up to a year on, is a period as any other)
    const year = new Date().getFullYear();
    const thisYear = runCli(['--db', file, 'summary', '--from', `${year}-01-01`, '--to', `${year}-12-31`, '--json']);
    expect(thisYear.code, thisYear.stderr).toBe(0);
    expect(JSON.parse(thisYear.stdout).period.label).toBe(`${year}-01-01 to ${year}-12-31`);
  });

  it('an empty date (--day "$DAY" with DAY unset) is one line and exit 2, not quietly the last 7 days', () => {
    for (const flag of ['--day', '--week', '--month', '--from', '--to']) {
      const r = runCli(['--db', file, 'summary', flag, '']);
      expect(r.code, flag).toBe(2);
      expect(r.stderr, flag).toBe(`retrostep: ${flag} is empty: give a ${flag === '--month' ? 'month like 2026-11' : 'date like 2026-11-22'}\n`);
      expect(r.stdout, flag).toBe('');
    }
  });

  it('two periods at once, a period after today, or a pod the database does not know: one line, exit 2, not a guess', () => {
    const cases: [string[], RegExp][] = [
      [['summary', '--day', '--week'], /^retrostep: choose one period: --day and --week were both given$/],
      [['report', '--week', '--month', '--out', path.join(os.tmpdir(), 'never.html')], /choose one period: --week and --month/],
      [['export', '--format', 'csv', '--day', fmt(1), '--from', fmt(3)], /choose one period: --day and --from\/--to/],
      [['summary', '--from', '2999-01-01'], /^retrostep: --from 2999-01-01 is after today, where the period ends without --to$/],
      // (a period wholly after today is said whichever flag gave it, not summed as zeros: a slip in the year)
      [['summary', '--day', '2999-01-01'], /^retrostep: --day 2999-01-01 is after today: nothing is walked there yet$/],
      [['summary', '--week', '2999-01-01'], /^retrostep: --week 2999-01-01 is after today: nothing is walked there yet$/],
      [['report', '--month', '2999-01', '--out', path.join(os.tmpdir(), 'never.html')], /^retrostep: --month 2999-01 is after today: nothing is walked there yet$/],
      [['export', '--format', 'csv', '--from', '2999-01-01', '--to', '2999-02-01'], /^retrostep: --from 2999-01-01 is after today: nothing is walked there yet$/],
      [['summary', '--pod', 'bogus'], new RegExp(`^retrostep: no pod bogus in .*: its pods are ${POD}$`)],
      // (an empty --pod, a script's unset variable: said, not "no pod  in x.db"; with the ids to choose from, as
      // summary, which it pointed at, lists none)
      [['export', '--format', 'csv', '--pod', ''], new RegExp(`^retrostep: --pod is empty: give a pod id \\(this database's pods are ${POD}\\), or leave it out for every pod$`)],
      [['export', '--format', 'json', '--pod', 'bogus'], /no pod bogus/],
      // (a flag given twice: commander kept the last without a word)
      // (in our one line, as --db, --port and --state given twice are: it was commander's "option '--day [date]'
      // argument '...' is invalid. --day was given twice ..." and a usage hint)
      [['summary', '--day', fmt(1), '--day', fmt(2)], new RegExp(`^retrostep: --day was given twice \\(${fmt(1)}, then ${fmt(2)}\\): give it once$`)],
      [['report', '--from', fmt(3), '--from', fmt(2), '--out', path.join(os.tmpdir(), 'never.html')], new RegExp(`^retrostep: --from was given twice \\(${fmt(3)}, then ${fmt(2)}\\): give it once$`)],
      [['export', '--format', 'csv', '--month', '--month', '2026-11'], /^retrostep: --month was given twice \(once with no date, then 2026-11\): give it once$/],
      // (the second without its optional date was taken without a word: `--month 2026-11 --month` read this month)
      [['summary', '--month', '2026-11', '--month'], /^retrostep: --month was given twice \(2026-11, then with no date\): give it once$/],
      [['summary', '--day', '--day'], /^retrostep: --day was given twice, with no date both times: give it once$/],
    ];
    for (const [args, want] of cases) {
      const r = runCli(['--db', file, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim(), args.join(' ')).toMatch(want);
    }
    expect(runCli(['--db', file, 'summary', '--pod', POD, '--json']).code).toBe(0);
  });

  it('--pod takes the pod\'s address as sim and scan print it (AA:BB:.. or aa:bb:..), as well as its id (the address was "no pod")', () => {
    const want = runCli(['--db', file, 'summary', '--pod', POD, '--json']).stdout;
    const address = POD.match(/../g)!.join(':');
    for (const given of [address, address.toUpperCase(), POD.toUpperCase()]) {
      const r = runCli(['--db', file, 'summary', '--pod', given, '--json']);
      expect(r.stderr, given).toBe('');
      expect(r.stdout, given).toBe(want);
    }
    const csv = path.join(dir, 'by-address.csv');
    expect(runCli(['--db', file, 'export', '--format', 'csv', '--pod', address.toUpperCase(), '--out', csv]).code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8')).toContain(`${POD},`);
  });

  it('--pod takes the pod\'s name as the report shows it (retrostep-XXXX: it was "no pod"); a name two pods share is refused with their ids', () => {
    const named = path.join(dir, 'named.db');
    fs.copyFileSync(file, named);
    const db = openDb(named);
    const name = `retrostep-${POD.slice(8, 12)}`;
    setPodName(db, POD, name);
    db.close();
    const want = runCli(['--db', named, 'summary', '--pod', POD, '--json']).stdout;
    const r = runCli(['--db', named, 'summary', '--pod', name, '--json']);
    expect(r.stderr).toBe('');
    // (the same figures, and the pod said by its id)
    expect(r.stdout).toBe(want);
    const html = path.join(dir, 'named.html');
    expect(runCli(['--db', named, 'report', '--pod', name, '--out', html]).code).toBe(0);
    const csv = path.join(dir, 'named.csv');
    expect(runCli(['--db', named, 'export', '--format', 'csv', '--pod', name, '--out', csv]).code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8')).toContain(`${POD},`);
    // (in any case, as ids and addresses are; one not there is listed with the names)
    expect(runCli(['--db', named, 'summary', '--pod', name.toUpperCase(), '--json']).stdout).toBe(want);
    const typo = runCli(['--db', named, 'summary', '--pod', 'retrostep-0000']);
    expect(typo.stderr).toBe(`retrostep: no pod retrostep-0000 in ${named}: its pods are ${POD} (${name})\n`);
    const twin = openDb(named);
    const TWIN = `00112233${POD.slice(8, 12)}`;
    upsertPod(twin, { pod_id: TWIN }, 1);
    setPodName(twin, TWIN, name);
    twin.close();
    const both = runCli(['--db', named, 'summary', '--pod', name]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(`retrostep: 2 pods in ${named} are named ${name}: give one's id (${TWIN}, ${POD})\n`);
  });

  it('a folder for --out: report and export say so in words, as replay and --db do (not EISDIR), exit 2', () => {
    for (const args of [['report', '--out', dir], ['export', '--format', 'csv', '--out', dir], ['export', '--format', 'json', '--out', dir], ['export', '--format', 'fit', '--out', dir]]) {
      const r = runCli(['--db', file, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: cannot write ${dir}: it is a folder, not a file\n`);
    }
    // (nor a FIT file per day written beside it, as `<folder>-<day>.fit`)
    expect(fs.readdirSync(path.dirname(dir)).filter((f) => f.startsWith(`${path.basename(dir)}-`))).toEqual([]);
    const replay = runCli(['replay', dir]);
    expect(replay.stderr).toBe(`retrostep: ${dir} is a folder, not a recording\n`);
  });

  it('a path through a file (--out notes.txt/week.html): report, export, record, --db and --state say so in one line, not "unexpected error: ENOTDIR"', () => {
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'not a folder\n');
    const inside = (name: string) => path.join(notes, name);
    const cases: [string[], number, string][] = [
      [['--db', file, 'report', '--out', inside('week.html')], 2, `cannot write ${inside('week.html')}: a folder in its path is a file`],
      [['--db', file, 'export', '--format', 'csv', '--out', inside('week.csv')], 2, `cannot write ${inside('week.csv')}: a folder in its path is a file`],
      [['--db', file, 'export', '--format', 'fit', '--day', fmt(0), '--out', inside('week.fit')], 2, `cannot write ${inside('week.fit')}: a folder in its path is a file`],
      [['--db', file, '--state', path.join(dir, 'through.flash'), 'record', '--sim', '--seconds', '1', '--out', inside('walk.csv')], 2, `cannot write ${inside('walk.csv')}: a folder in its path is a file`],
      [['--db', inside('x.db'), 'summary'], 3, `cannot open database ${inside('x.db')}: ${notes} is a file, not a folder (pick another --db)`],
      [['--db', file, '--state', inside('pod.flash'), '--sim', 'sync'], 2, `cannot keep the virtual pod's state in ${inside('pod.flash')}: a folder in its path is a file`],
    ];
    for (const [args, code, want] of cases) {
      const r = runCli(args);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: ${want}\n`);
      expect(r.code, args.join(' ')).toBe(code);
    }
    expect(fs.readFileSync(notes, 'utf8')).toBe('not a folder\n');
  });

  it('an empty --out (a script\'s unset variable): report, export and record say so, exit 2', () => {
    for (const args of [['report', '--out='], ['export', '--format', 'csv', '--out='], ['export', '--format', 'fit', '--out='], ['record', '--sim', '--out=']]) {
      const r = runCli(['--db', file, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe('retrostep: --out is empty: give a file name\n');
    }
  });

  it('report --out named for another kind of file (week.csv beside the export, week.fit, week.json, a database\'s): one line naming the .html name, exit 2, the file there left as it was (the page was written over the CSV export, "open it in any browser")', () => {
    for (const name of ['week.csv', 'week.FIT', 'week.json', 'walks.db']) {
      const out = path.join(dir, `kind-${name}`);
      fs.writeFileSync(out, 'the file of before');
      const r = runCli(['--db', file, 'report', '--out', out]);
      const typed = path.extname(name);
      expect(r.stderr, name).toBe(`retrostep: --out ${out} ends in ${typed}, but a report is an HTML page: name it ${out.slice(0, -typed.length + 1)}html\n`);
      expect(r.code, name).toBe(2);
      expect(fs.readFileSync(out, 'utf8'), name).toBe('the file of before');
    }
    // (its own endings, in any case, and an ending of no kind's are written as asked)
    for (const name of ['kind.HTM', 'kind.txt']) expect(runCli(['--db', file, 'report', '--out', path.join(dir, name)]).code, name).toBe(0);
  });

  it('an --out ending in / (a folder\'s name, there or not): report, export and record say so, exit 2, nothing written (export fit wrote week.-DAY.fit beside it)', () => {
    const gone = path.join(dir, 'no-such-folder');
    for (const [args, out] of [[['report'], `${gone}.html/`], [['export', '--format', 'csv'], `${gone}.fit/`], [['export', '--format', 'fit'], `${gone}.fit/`], [['record', '--sim'], `${gone}.csv/`]] as const) {
      const r = runCli(['--db', file, ...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: --out ${out} ends in /, as a folder's name does: give a file name\n`);
    }
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('no-such-folder'))).toEqual([]);
  });

  it('the line saying what was written goes to standard error, as export and record say theirs (it was on standard output)', () => {
    const out = path.join(dir, 'said.html');
    const r = runCli(['--db', file, 'report', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.*minute records, \\d+ KB\\): open it in any browser\n$`));
    expect(fs.statSync(out).size).toBeGreaterThan(0);
  });

  it('--out - writes the report to standard output, as export --out - does (it wrote a file named "-" in the current folder)', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'cwd-'));
    const r = spawnSync(process.execPath, [BIN, '--db', file, 'report', '--out', '-'], { cwd, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/i);
    expect(r.stdout.trimEnd()).toMatch(/<\/html>$/);
    expect(r.stderr).toBe('');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('record --out -: one line, exit 2, no file named "-" made (standard output to export and report)', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'cwd-'));
    const r = spawnSync(process.execPath, [BIN, '--db', file, '--state', path.join(cwd, 'pod.flash'), 'record', '--sim', '--seconds', '1', '--out', '-'], { cwd, encoding: 'utf8', input: '' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe('retrostep: --out -: a recording is written to a file, for replay to read: give a name, e.g. --out walk.csv\n');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('the database for --out: report, export and record --force refuse it before writing (every record kept), exit 2', () => {
    const copy = path.join(dir, 'copy.db');
    fs.copyFileSync(file, copy);
    const link = path.join(dir, 'link-to-copy.db');
    fs.symlinkSync(copy, link);
    const before = JSON.parse(runCli(['--db', copy, 'summary', '--json']).stdout).summary.minutes;
    expect(before).toBeGreaterThan(0);
    const cases = [['report', '--out', copy], ['export', '--format', 'csv', '--out', copy], ['export', '--format', 'json', '--out', link], ['export', '--format', 'fit', '--day', fmt(0), '--out', copy], ['record', '--sim', '--force', '--out', copy]];
    for (const args of cases) {
      const r = runCli(['--db', copy, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: cannot write ${args[args.length - 1]}: it is the database, and writing over it would lose every stored record: pick another --out\n`);
    }
    const after = runCli(['--db', copy, 'summary', '--json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).summary.minutes).toBe(before);
  });

  it('a recording or another database for --out: report and export refuse it before writing (it cannot be made again), exit 2; record --force still writes over a recording', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'kept-'));
    // (walk.csv: the name `record --out -` is told to give, and an export's CSV's; the other database: the week's, by another name)
    const recording = path.join(cwd, 'walk.csv');
    fs.copyFileSync(new URL('./fixtures/gaitmap/walk-2x20m-left-52hz.csv', import.meta.url), recording);
    const other = path.join(cwd, 'last-year.db');
    fs.copyFileSync(file, other);
    const before = { recording: fs.readFileSync(recording), other: fs.readFileSync(other) };
    const recordingLine = (out: string) => `retrostep: cannot write ${out}: it is a recording (\`retrostep record\`), which cannot be made again: pick another --out\n`;
    const databaseLine = (out: string) => `retrostep: cannot write ${out}: it is an SQLite database (another retrostep database?), and writing over it would lose what it holds: pick another --out\n`;
    const cases: [string[], string][] = [
      [['report', '--out', recording], recordingLine(recording)],
      [['export', '--format', 'csv', '--out', recording], recordingLine(recording)],
      [['export', '--format', 'fit', '--day', fmt(0), '--out', recording], recordingLine(recording)],
      [['report', '--out', other], databaseLine(other)],
      [['export', '--format', 'json', '--out', other], databaseLine(other)],
      [['record', '--sim', '--force', '--seconds', '1', '--out', other], databaseLine(other)],
    ];
    for (const [args, line] of cases) {
      const r = runCli(['--db', file, '--state', path.join(cwd, 'pod.flash'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(line);
    }
    expect(fs.readFileSync(recording).equals(before.recording)).toBe(true);
    expect(fs.readFileSync(other).equals(before.other)).toBe(true);
    // --force is asked for: the recording is written over, as before
    const forced = spawnSync(process.execPath, [BIN, '--db', file, '--state', path.join(cwd, 'pod.flash'), 'record', '--sim', '--force', '--seconds', '1', '--out', recording], { cwd, encoding: 'utf8', input: '' });
    expect(forced.status, forced.stderr).toBe(0);
    expect(fs.readFileSync(recording, 'utf8')).toMatch(/^# retrostep recording v1\n# rate_hz=52 pod=/);
  });

  it('a disk that cannot take the whole file: report and export leave the file there before as it was, and nothing beside it (the report was cut off part way over it, the CSV at a row), exit 2', () => {
    const cwd = fs.mkdtempSync(path.join(dir, 'full-'));
    const years = path.join(cwd, 'years.db');
    makeKnownYears(years);
    // (a full disk, as the system's file size limit gives it: writes past it fail, EFBIG, as ENOSPC would, as in
    // cli-record.test.ts: bash's ulimit -f counts 1024-byte blocks, and Node ignores SIGXFSZ. Above SQLite's 32 KB
    // shared-memory file, which the reading commands make beside the database)
    const LIMIT_KB = 48;
    const LIMIT_BYTES = LIMIT_KB * 1024;
    const limited = (args: string[]) => spawnSync('bash', ['-c', `ulimit -f ${LIMIT_KB} && exec "$0" "$@"`, process.execPath, BIN, '--db', years, ...args], { cwd, encoding: 'utf8' });
    for (const [args, out] of [[['report', '--from', fmt(400)], 'week.html'], [['export', '--format', 'csv', '--from', '1970-01-01'], 'walks.csv']] as const) {
      // (what they write is larger than the limit: else nothing here is tried)
      expect(runCli(['--db', years, ...args, '--out', '-']).stdout.length, args[0]).toBeGreaterThan(LIMIT_BYTES);
      const before = `the ${args[0]} of last week\n`;
      fs.writeFileSync(path.join(cwd, out), before);
      const r = limited([...args, '--out', out]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toBe(`retrostep: cannot write ${out}: it would be larger than a file may be here (ulimit -f)\n`);
      expect(fs.readFileSync(path.join(cwd, out), 'utf8'), args[0]).toBe(before);
    }
    expect(fs.readdirSync(cwd).filter((f) => !f.startsWith('years.db')).sort()).toEqual(['walks.csv', 'week.html']);
  });
  it('the virtual pod\'s state file for --out (--state, RETROSTEP_SIM_STATE or the data folder\'s sim-pod.flash): report, export and record --force refuse it before writing (its unsynced minutes kept), exit 2', () => {
    const data = fs.mkdtempSync(path.join(dir, 'data-'));
    const state = path.join(data, 'retrostep', 'sim-pod.flash');
    fs.mkdirSync(path.dirname(state));
    const flash = 'the virtual pod\'s flash: minutes not synced yet';
    fs.writeFileSync(state, flash);
    const link = path.join(dir, 'link-to-state.flash');
    fs.symlinkSync(state, link);
    const byState = ['--state', state];
    const cases: [string[], NodeJS.ProcessEnv][] = [
      [[...byState, 'report', '--out', state], {}],
      [[...byState, 'export', '--format', 'csv', '--out', link], {}],
      [[...byState, 'export', '--format', 'fit', '--day', fmt(0), '--out', state], {}],
      [[...byState, 'record', '--sim', '--force', '--out', state], {}],
      [['report', '--out', state], { RETROSTEP_SIM_STATE: state }],
      // (the default: sim-pod.flash in the data folder, under XDG_DATA_HOME on Linux)
      ...(process.platform === 'linux' ? [[['export', '--format', 'json', '--out', state], { XDG_DATA_HOME: data, RETROSTEP_SIM_STATE: undefined }] as [string[], NodeJS.ProcessEnv]] : []),
    ];
    for (const [args, env] of cases) {
      const r = runCli(['--db', file, ...args], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`retrostep: cannot write ${args[args.length - 1]}: it is the virtual pod's state file, and writing over it would lose the minutes the virtual pod has not synced: pick another --out\n`);
    }
    expect(fs.readFileSync(state, 'utf8')).toBe(flash);
    expect(fs.readdirSync(path.dirname(state))).toEqual(['sim-pod.flash']);
  });

  it('the virtual pod\'s state file for --db: read and write commands alike say so, exit 3, the file unchanged and no database made there (it was "damaged ... move it aside and sync again", or a sync made a database where the state was to be)', () => {
    const data = fs.mkdtempSync(path.join(dir, 'state-db-'));
    const state = path.join(data, 'pod.flash');
    const flash = 'the virtual pod\'s flash: minutes not synced yet';
    fs.writeFileSync(state, flash);
    const unborn = path.join(data, 'new.flash');
    const cases: [string[], NodeJS.ProcessEnv][] = [
      // (--state is refused by the commands that do not reach the virtual pod: RETROSTEP_SIM_STATE names it for them)
      [['--db', state, 'summary'], { RETROSTEP_SIM_STATE: state }],
      [['--db', state, '--state', state, '--sim', 'sync'], {}],
      [['--db', state, 'report', '--out', path.join(data, 'r.html')], { RETROSTEP_SIM_STATE: state }],
      [['plan'], { RETROSTEP_DB: state, RETROSTEP_SIM_STATE: state }],
      // (a state not made yet: the sync made a database there, then refused it as the pod's state)
      [['--db', unborn, '--state', unborn, '--sim', 'sync'], {}],
    ];
    for (const [args, env] of cases) {
      const r = runCli(args, env);
      const named = env.RETROSTEP_DB ?? args[1];
      expect(r.code, args.join(' ')).toBe(3);
      const wayOut = env.RETROSTEP_DB ? 'pick another --db, or change RETROSTEP_DB (it names this file)' : 'pick another --db';
      expect(r.stderr, args.join(' ')).toBe(`retrostep: ${named} is the virtual pod's state file, not a database: ${wayOut}\n`);
    }
    expect(fs.readFileSync(state, 'utf8')).toBe(flash);
    expect(fs.readdirSync(data)).toEqual(['pod.flash']);
  });
});

function fmt(daysAgo: number): string {
  const d = new Date(at(daysAgo, 0) * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

describe('summary --day of a day the clocks change', () => {
  const clocks = path.join(dir, 'clocks.db');
  const utc = (month: number, day: number, hour: number, minute: number) => Date.UTC(2026, month - 1, day, hour, minute) / 1000;
  /** 10 minutes of walking from `start_s`, `backward` backward steps each minute. */
  const tenMinutes = (seq0: number, start_s: number, backward: number) =>
    Array.from({ length: 10 }, (_, m) => ({ rec: { seq: seq0 + m, start_s: start_s + 60 * m, flags: RECORD_CLOCK_VALID, forward: 50 - backward, backward, heel: 50 - backward, flat: 0, toe: backward, wrong: 0, buzzes: 0, cadence_spm: 100, active_s: 60 }, start_s: start_s + 60 * m, estimated: false }));

  beforeAll(() => {
    const db = openDb(clocks);
    upsertPod(db, { pod_id: POD }, 1);
    insertRecords(db, POD, [
      // London, 2026-10-25: 01:30 BST (00:30 UTC), then the clocks go back at 02:00 BST and it is 01:30 again, GMT
      ...tenMinutes(0, utc(10, 25, 0, 30), 4),
      ...tenMinutes(100, utc(10, 25, 1, 30), 8),
      // New York, 2026-11-01: 01:30 EDT (05:30 UTC), then 01:30 EST (06:30 UTC)
      ...tenMinutes(200, utc(11, 1, 5, 30), 4),
      ...tenMinutes(300, utc(11, 1, 6, 30), 8),
      // London, 2026-03-29: the clocks go forward at 01:00 GMT to 02:00 BST; 02:30 BST is 01:30 UTC
      ...tenMinutes(400, utc(3, 29, 1, 30), 6),
    ], 1);
    db.close();
  });

  const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}h`);

  it('a day the clocks go back: 25 hours, each label once, the second 01h "01h+" (both were "01h", in the JSON and the chart), other hours as any day\'s', () => {
    for (const [TZ, day] of [['Europe/London', '2026-10-25'], ['America/New_York', '2026-11-01']]) {
      const r = runCli(['--db', clocks, 'summary', '--day', day, '--json'], { TZ });
      expect(r.stderr, TZ).toBe('');
      expect(r.code, TZ).toBe(0);
      const buckets: { label: string; from_s: number; backward: number }[] = JSON.parse(r.stdout).buckets;
      const labels = buckets.map((b) => b.label);
      expect(labels, TZ).toEqual([...HOURS.slice(0, 2), '01h+', ...HOURS.slice(2)]);
      expect(buckets[2].from_s - buckets[1].from_s, TZ).toBe(3600);
      expect(buckets.filter((b) => b.backward > 0).map((b) => [b.label, b.backward]), TZ).toEqual([['01h', 40], ['01h+', 80]]);
      // the chart's ticks: each a whole label, none twice (the two 01h's, or 01h+ run into the next)
      const chart = runCli(['--db', clocks, 'summary', '--day', day], { TZ });
      expect(chart.code, TZ).toBe(0);
      const lines = chart.stdout.split('\n').map((l) => stripVTControlCharacters(l));
      const ticks = lines[lines.findIndex((l) => /strides per hour/.test(l)) - 1].trim().split(/\s+/);
      expect(ticks.length, TZ).toBeGreaterThan(5);
      for (const t of ticks) expect(t, TZ).toMatch(/^\d\dh\+?$/);
      expect(new Set(ticks).size, TZ).toBe(ticks.length);
    }
  });

  it('a day the clocks go forward: 23 hours, no 01h (it did not happen), the walk at 02:30 in 02h', () => {
    const r = runCli(['--db', clocks, 'summary', '--day', '2026-03-29', '--json'], { TZ: 'Europe/London' });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.buckets.map((b: { label: string }) => b.label)).toEqual(HOURS.filter((h) => h !== '01h'));
    expect(j.buckets.filter((b: { backward: number }) => b.backward > 0).map((b: { label: string; backward: number }) => [b.label, b.backward])).toEqual([['02h', 60]]);
    expect(j.summary.backward).toBe(60);
    expect(runCli(['--db', clocks, 'summary', '--day', '2026-03-29'], { TZ: 'Europe/London' }).stdout).toMatch(/strides per hour/);
  });
});

describe('retrostep plan', () => {
  it('stage 1 is done after three qualifying days; stage 2 is current with one day of three', () => {
    const r = runCli(['--db', file, 'plan', '--json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.stages[0]).toMatchObject({ done: true, days: 4 }); // the 20-step day also reaches 10 steps
    expect(p.stages[1]).toMatchObject({ done: false, days: 1 }); // today; the day 30 days ago reached 40 steps in only 5 minutes
    // current is the stage number the text marks [>], as stages[].stage and plan[].stage count (it was 1, an index)
    expect(p.schema_version).toBe(2);
    expect(p.current).toBe(2);
    expect(p.stages.find((s: { stage: number }) => s.stage === p.current)).toMatchObject({ done: false, days: 1 });
    expect(p.plan.find((s: { stage: number }) => s.stage === p.current)).toMatchObject({ steps_per_min: 20 });
    const text = runCli(['--db', file, 'plan']).stdout;
    expect(text).toMatch(/\[x\] 1\. 10 backward steps/);
    expect(text).toMatch(/\[>\] 2\. 20 backward steps/);
    expect(text).toMatch(/Now: 20 backward steps every minute/);
    // days, as the stage counts them (it said "2 more walks": two walks on one day count once)
    expect(text).toMatch(/Next: 2 more days with 10\+ minutes of 20 backward steps, then/);
    // the pod's coach mode, set to the stage the plan is at
    expect(text).toMatch(/retrostep config set coach_steps=20/);
  });

  it('offers `config set coach_steps=N` only to a pod whose coach is not at the step: its settings as `sync` or `config set` last saw them (it offered coach_steps=20 to a pod at 20)', () => {
    const [db, again, state] = [path.join(dir, 'coach.db'), path.join(dir, 'coach-again.db'), path.join(dir, 'coach.flash')];
    const plan = (file: string) => runCli(['--db', file, 'plan']).stdout;
    const offer = 'The pod can ask for them: `retrostep config set coach_steps=10`';
    expect(runCli(['--db', db, '--state', state, '--sim', 'sync']).code).toBe(0);
    // (a new pod, coach off: the step's command, and what the pod said)
    expect(plan(db)).toMatch(/The pod can ask for them: `retrostep config set coach_steps=10` buzzes .*; retrostep-[0-9a-f]{4}'s coach was off on \d{4}-\d\d-\d\d\.\n/);
    expect(runCli(['--db', db, '--state', state, '--sim', 'config', 'set', 'coach_steps=10']).code).toBe(0);
    const set = plan(db);
    expect(set).toMatch(/Your pod asks for them: retrostep-[0-9a-f]{4}'s coach is at coach_steps=10 \(as it said on \d{4}-\d\d-\d\d\), and buzzes at each minute of a walk/);
    expect(set).not.toContain(offer);
    // a database the pod is new to: its sync reads the settings
    expect(runCli(['--db', again, '--state', state, '--sim', 'sync']).code).toBe(0);
    expect(plan(again)).not.toContain(offer);
    expect(JSON.parse(runCli(['--db', again, 'plan', '--json']).stdout).pod_coach).toMatchObject({ coach_steps: 10 });
  });

  it("does not say the pod asks for the steps when its buzzes are off (buzz_on=0: the coach's prompt is a buzz): the command that turns them on (it said \"Your pod asks for them ... and buzzes\")", () => {
    const [db, state] = [path.join(dir, 'silent.db'), path.join(dir, 'silent.flash')];
    const plan = () => runCli(['--db', db, 'plan']).stdout;
    const pod = ['--db', db, '--state', state, '--sim'];
    expect(runCli([...pod, 'sync']).code).toBe(0);
    expect(runCli([...pod, 'config', 'set', 'coach_steps=10', 'buzz_on=0']).code).toBe(0);
    const silent = plan();
    expect(silent).not.toContain('Your pod asks for them');
    expect(silent).toMatch(/\nretrostep-[0-9a-f]{4}'s coach is at coach_steps=10 \(as it said on \d{4}-\d\d-\d\d\), but its buzzes are off \(buzz_on=0\), so it cannot ask for them: `retrostep config set buzz_on=1` turns them on\.\n/);
    // (the coach off too: the command turns both on)
    expect(runCli([...pod, 'config', 'set', 'coach_steps=0']).code).toBe(0);
    expect(plan()).toMatch(/The pod can ask for them: `retrostep config set coach_steps=10 buzz_on=1` buzzes .*; retrostep-[0-9a-f]{4}'s coach was off, its buzzes off, on \d{4}-\d\d-\d\d\.\n/);
    expect(JSON.parse(runCli(['--db', db, 'plan', '--json']).stdout).pod_coach).toMatchObject({ coach_steps: 0, buzz_on: 0 });
  });

  it('judges the coach of each pod in use, by name, with the command for each that does not ask for the steps; a pod put away a month before the last one heard is not judged (it judged only the pod last heard from: "Your pod asks for them" of one foot\'s pod while the other\'s coach was off)', () => {
    const file = path.join(dir, 'two-coaches.db');
    const db = openDb(file);
    const now_s = Math.floor(Date.now() / 1000);
    const pods: [string, string, number, number, number][] = [
      ['aaaaaaaaaaaa', 'retrostep-aaaa', 10, 1, now_s - 3600],
      ['bbbbbbbbbbbb', 'retrostep-bbbb', 0, 1, now_s - 7200],
      ['cccccccccccc', 'retrostep-cccc', 0, 0, now_s - 7200 - 31 * 86400],
    ];
    for (const [pod_id, name, coach_steps, buzz_on, seen_s] of pods) {
      upsertPod(db, { pod_id, name }, 1);
      savePodConfig(db, pod_id, { ...configDefaults(), coach_steps, buzz_on }, seen_s);
    }
    db.close();
    const day = (s: number) => dayLabel(new Date(s * 1000));
    const text = runCli(['--db', file, 'plan']).stdout;
    expect(text).toContain(`\nYour 2 pods: retrostep-aaaa asks for them (coach_steps=10, as it said on ${day(pods[0][4])}); retrostep-bbbb's coach was off on ${day(pods[1][4])}. \`retrostep --ble retrostep-bbbb config set coach_steps=10\` sets it to buzz at each minute of a walk`);
    expect(text).not.toContain('retrostep-cccc');
    expect(text).not.toContain('Your pod asks for them');
    expect(JSON.parse(runCli(['--db', file, 'plan', '--json']).stdout).pods_coach.map((p: { name: string }) => p.name)).toEqual(['retrostep-aaaa', 'retrostep-bbbb']);
  });

  it('a minute walked is one minute, however many pods recorded it, and the demo\'s made-up walk is left out (pods on both feet made 5 minutes a qualifying day; the demo filled the week)', () => {
    const both = path.join(dir, 'both-feet.db');
    const db = openDb(both);
    const [LEFT, RIGHT, DEMO] = ['1eff00000001', '219h00000002', 'de0000000003'];
    for (const id of [LEFT, RIGHT, DEMO]) upsertPod(db, { pod_id: id }, 1);
    setPodName(db, DEMO, DEMO_POD_NAME);
    // three days of 5 minutes at 10 backward steps a minute, a pod on each foot: 5 minutes a day, not 10
    for (const id of [LEFT, RIGHT]) insertRecords(db, id, [...walk(0, 5, 5, 5), ...walk(100, 4, 5, 5), ...walk(200, 3, 5, 5)], 1);
    // six days ago, one minute: the left pod's cut in two records by a restart (30 s each), the right's whole
    const rec = (seq: number, start_s: number, active_s: number, backward: number) => ({ rec: { seq, start_s, flags: RECORD_CLOCK_VALID, forward: 3 * backward, backward, heel: 3 * backward, flat: 0, toe: backward, wrong: 0, buzzes: 0, cadence_spm: 100, active_s }, start_s, estimated: false });
    insertRecords(db, LEFT, [rec(300, at(6, 0), 30, 3), rec(301, at(6, 0) + 30, 30, 3)], 1);
    insertRecords(db, RIGHT, [rec(300, at(6, 0), 60, 6)], 1);
    // the demo's 10 minutes at 10 steps on three days would finish step 1 on their own
    insertRecords(db, DEMO, [...walk(0, 2, 10, 5), ...walk(100, 1, 10, 5), ...walk(200, 0, 10, 5)], 1);
    db.close();
    const p = JSON.parse(runCli(['--db', both, 'plan', '--json']).stdout);
    expect(p.stages[0]).toMatchObject({ done: false, days: 0 });
    expect(p.current).toBe(1);
    // 16 minutes of 60 active seconds each, once (the minute in two records a whole one)
    expect(p.week_active_min).toBeCloseTo(16, 6);
    expect(p.week_retro_min).toBeCloseTo(15 * (5 / 50) + 1 / 4, 6);
    expect(p.demo_left_out).toBe(true);
    expect(runCli(['--db', both, 'plan']).stdout).toContain('The walk of `retrostep demo` is made up: your plan leaves it out.');
    // the report's rows count the period's walking as summary does (the demo's too, said on the page), but its
    // days are judged as the plan judges them, each minute once and the demo's left out: a both-feet day did not
    // reach step 1 with its 5 minutes, and a demo day did not with its 10 (it read "3 of 7 days reached it"
    // above a plan at 0/3 days); `--pod` the demo's pod shows its walk judged
    const d = openDb(both);
    const rows = reportData(d, resolvePeriod({ week: true })).rows;
    const demoRows = reportData(d, resolvePeriod({ week: true }), DEMO).rows;
    d.close();
    expect(rows.map((r) => [r.plan_min, r.reached_days])).toEqual([[1, 0], [5, 0], [5, 0], [5, 0], [0, 0], [0, 0], [0, 0]]);
    expect(rows.slice(4).map((r) => r.retro_min)).toEqual(demoRows.slice(4).map((r) => r.retro_min));
    expect(demoRows.map((r) => [r.plan_min, r.reached_days])).toEqual([[0, 0], [0, 0], [0, 0], [0, 0], [10, 1], [10, 1], [10, 1]]);
  });

  it('says this week\'s figures are short when a full pod folded its walking into one minute this week, as summary does (it read "This week: 13 active minutes" and "0/4 days" of a pod full since 3 days ago, without a word)', () => {
    const full = path.join(dir, 'full-pod.db');
    const db = openDb(full);
    upsertPod(db, { pod_id: POD }, 1);
    // 10 minutes walked 4 days ago, then 3 days ago the one minute a full pod added the days after into, 255 each way
    const folded_s = at(3, 0);
    insertRecords(db, POD, [...walk(0, 4, 10, 20), { rec: { seq: 10, start_s: folded_s, flags: RECORD_CLOCK_VALID | RECORD_FOLDED, forward: 255, backward: 255, heel: 255, flat: 0, toe: 255, wrong: 0, buzzes: 0, cadence_spm: 240, active_s: 255 }, start_s: folded_s, estimated: false }], 1);
    db.close();
    const r = runCli(['--db', full, 'plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`This week's figures are short of what you walked: ${podWasFull(folded_s)} (sync at least every few weeks).`);
    expect(JSON.parse(runCli(['--db', full, 'plan', '--json']).stdout).week_folded_from_s).toBe(folded_s);
    // a fill before this week is not this week's (summary and report of its days say it): no word
    const older = path.join(dir, 'full-before.db');
    const odb = openDb(older);
    upsertPod(odb, { pod_id: POD }, 1);
    insertRecords(odb, POD, [{ rec: { seq: 0, start_s: at(8, 0), flags: RECORD_CLOCK_VALID | RECORD_FOLDED, forward: 255, backward: 255, heel: 255, flat: 0, toe: 255, wrong: 0, buzzes: 0, cadence_spm: 240, active_s: 255 }, start_s: at(8, 0), estimated: false }], 1);
    odb.close();
    expect(runCli(['--db', older, 'plan']).stdout).not.toMatch(/was full/);
  });
});

describe('minutes walked without a clock', () => {
  it('each is a minute of its own, as summary counts them, not one minute (a pod that lost its clock has each minute stamped with the sync\'s: 10 minutes at the step read 1, and the day did not count)', () => {
    const clockless = path.join(dir, 'clockless.db');
    const db = openDb(clockless);
    const ID = 'c10c00000001';
    upsertPod(db, { pod_id: ID }, 1);
    // a new cell, no sync since: 10 minutes at 10 backward steps, each stamped with the minute the host stored them
    const synced_s = at(0, 30);
    insertRecords(db, ID, walk(0, 0, 10, 5).map(({ rec }) => ({ rec: { ...rec, flags: 0 }, start_s: synced_s, estimated: true })), synced_s);
    const rows = reportData(db, resolvePeriod({ day: true })).rows;
    db.close();
    expect(JSON.parse(runCli(['--db', clockless, 'summary', '--day', '--json']).stdout).summary.minutes).toBe(10);
    expect(rows.map((r) => [r.plan_min, r.reached_days])).toEqual([[10, 1]]);
    expect(planStatusOf(clockless).stages[0]).toMatchObject({ days: 1, qualifying_days: [dayLabel(new Date(synced_s * 1000))] });
  });
});

describe('the continuous step with pods on both feet', () => {
  it('a day is judged on its backward minutes counted once, as the plan counts them (summed over the two pods, 6 minutes walked read 12 and reached the 10-minute step)', () => {
    const both = path.join(dir, 'continuous-both-feet.db');
    const db = openDb(both);
    const [LEFT, RIGHT] = ['1eff00000011', '219h00000012'];
    for (const id of [LEFT, RIGHT]) upsertPod(db, { pod_id: id }, 1);
    // three days of 10 minutes at 30 backward steps finish the three interval steps at once (on the left foot only)
    insertRecords(db, LEFT, [...walk(0, 6, 10, 15), ...walk(100, 5, 10, 15), ...walk(200, 4, 10, 15)], 1);
    // then, at the continuous step: 6 minutes of backward walking on both feet (every stride backward)
    const allBackward = (seq0: number, daysAgo: number) => walk(seq0, daysAgo, 6, 50).map((r) => ({ ...r, rec: { ...r.rec, forward: 0 } }));
    for (const id of [LEFT, RIGHT]) insertRecords(db, id, allBackward(300, 2), 1);
    const rows = reportData(db, resolvePeriod({ week: true })).rows;
    db.close();
    expect(planStatusOf(both).current).toBe(3);
    expect(JSON.parse(runCli(['--db', both, 'plan', '--json']).stdout).current).toBe(4);
    expect(runCli(['--db', both, 'plan']).stdout).toMatch(/\[>\] 4\. continuous/);
    // at the top of the plan no stage is marked [>], and current says none
    const top = planStatusOf(both);
    top.stages.forEach((s) => { s.done = true; });
    expect(formatPlan({ ...top, current: PLAN.length })).not.toContain('[>]');
    expect(planJson({ ...top, current: PLAN.length }).current).toBeNull();
    const day2 = rows[4];
    expect(day2.aims.map((a) => a.steps_per_min)).toEqual([undefined]);
    expect(day2.plan_min).toBeCloseTo(6, 6);
    expect(day2.reached_days).toBe(0);
  });
});

describe('a database another program holds locked', () => {
  it('gives one line saying so, naming more than another retrostep (here it is another program), exit 3, and changes nothing', () => {
    const holder = new Database(file);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const r = runCli(['--db', file, 'config', 'set', 'weight_kg=90']);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(`retrostep: database ${file} is locked by another program (another retrostep, or an SQLite browser or shell with changes not yet written?): wait for it to finish and try again\n`);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(JSON.parse(runCli(['--db', file, 'summary', '--json']).stdout).summary.weight_kg).toBe(80);
  });
});
