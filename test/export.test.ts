/**
 * `retrostep export` as a user runs it, over a real database with two walks:
 * CSV with a header, versioned JSON, and a FIT file that Garmin's own decoder
 * reads back without errors, with laps per bout and the stride totals.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Decoder, Stream } from '@garmin/fitsdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRecords, openDb, upsertPod } from '../host/src/store/db.js';
import { RECORD_CLOCK_VALID, RECORD_FOLDED, type MinuteRecord } from '../shared/protocol/records.js';
import { runCli } from './helpers/cli.js';
import { dayLabel } from '../host/src/report/buckets.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-export-'));
const db = path.join(dir, 'x.db');
const POD = 'aabbccddeeff';
/** Yesterday 08:00 local, then two walks: 12 minutes, a 2-hour pause, 5 minutes. */
const day = new Date();
const t0 = new Date(day.getFullYear(), day.getMonth(), day.getDate() - 1, 8).getTime() / 1000;
const WALKS = [
  { start_s: t0, minutes: 12 },
  { start_s: t0 + 7200, minutes: 5 },
];
/** The FIT file of yesterday's walks when a longer period (the default week) is exported to `out`: named by its day. */
const dated = (out: string) => out.replace(/\.fit$/, `-${dayLabel(new Date(t0 * 1000))}.fit`);

beforeAll(() => {
  const d = openDb(db);
  upsertPod(d, { pod_id: POD }, 1);
  let seq = 0;
  for (const w of WALKS) {
    const rows = Array.from({ length: w.minutes }, (_, m) => {
      const start_s = w.start_s + m * 60 + (m === 0 ? 1 : 0); // a clock set mid-minute puts one start a second off
      const rec: MinuteRecord = { seq: seq++, start_s, flags: RECORD_CLOCK_VALID, forward: 40, backward: 12, heel: 40, flat: 0, toe: 12, wrong: 2, buzzes: 2, cadence_spm: 104, active_s: 60 };
      return { rec, start_s, estimated: false };
    });
    insertRecords(d, POD, rows, 1);
  }
  d.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MINUTES = 17;

describe('retrostep export', () => {
  it('csv: a header row and one row per minute', () => {
    const r = runCli(['--db', db, 'export', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // (folded: a minute the full pod added later ones into, each count capped at 255; wrong_judges_forward, last: its
    // wrong strides are of forward ones too)
    expect(lines[0]).toBe('time_utc,pod_id,seq,start_s,time_estimated,forward,backward,heel,flat,toe,wrong,buzzes,cadence_spm,active_s,coach_prompted,coach_done,folded,wrong_judges_forward');
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(Array(MINUTES).fill('0'));
    expect(lines).toHaveLength(1 + MINUTES);
    expect(lines[1].split(',')[5]).toBe('40');
    // "--out -" is standard output, as Unix tools read it (no file named "-"); a FIT file, binary, still needs a name
    // (the CLI runs in this process's folder: no "-" may appear there)
    expect(fs.existsSync('-')).toBe(false);
    const dash = runCli(['--db', db, 'export', '--format', 'csv', '--out', '-']);
    expect(dash.code).toBe(0);
    expect(dash.stdout).toBe(r.stdout);
    expect(fs.existsSync('-')).toBe(false);
    const fit = runCli(['--db', db, 'export', '--format', 'fit', '--out', '-']);
    expect(fit.code).toBe(2);
    expect(fit.stderr).toBe('retrostep: a FIT file is binary: give --out FILE.fit\n');
    // the format in capitals, as FIT and CSV are mostly written: the same (FIT refused "--format must be one of")
    expect(runCli(['--db', db, 'export', '--format', 'CSV']).stdout).toBe(r.stdout);
    expect(runCli(['--db', db, 'export', '--format', 'FIT', '--out', '-']).stderr).toBe('retrostep: a FIT file is binary: give --out FILE.fit\n');
  });

  it('csv to a named pipe another program reads (mkfifo, `cat` at its other end): written there, as to standard output (it was waited on for good, its first bytes looked at as a recording\'s might be)', async () => {
    const fifo = path.join(dir, 'minutes.fifo'), got = path.join(dir, 'from-fifo.csv');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('sh', ['-c', 'exec cat "$1" > "$2"', 'sh', fifo, got]); // (exec: a kill reaches cat itself)
    const done = new Promise((resolve) => reader.once('close', resolve));
    try {
      const r = runCli(['--db', db, 'export', '--format', 'csv', '--out', fifo]);
      expect(r.stderr).toMatch(new RegExp(`^wrote ${MINUTES} minutes .* to ${fifo}\\n$`));
      expect(r.code).toBe(0);
      await done;
      expect(fs.readFileSync(got, 'utf8')).toBe(runCli(['--db', db, 'export', '--format', 'csv']).stdout);
    } finally {
      reader.kill();
    }
  });

  it('json: schema version, totals as summary computes them, every minute', () => {
    const out = path.join(dir, 'x.json');
    const r = runCli(['--db', db, 'export', '--format', 'json', '--out', out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(j.schema_version).toBe(1);
    expect(j.records).toHaveLength(MINUTES);
    expect(j.totals).toMatchObject({ forward: 40 * MINUTES, backward: 12 * MINUTES, wrong: 2 * MINUTES });
    const summary = JSON.parse(runCli(['--db', db, 'summary', '--week', '--json']).stdout).summary;
    expect(j.totals).toEqual(summary);
  });

  it('fit: Garmin\'s decoder reads it with no errors: one walking session, a lap per walk, the stride totals', () => {
    const out = path.join(dir, 'x.fit');
    const r = runCli(['--db', db, 'export', '--format', 'fit', '--out', out]);
    expect(r.code).toBe(0);
    // (a week walked on one day: named by that day, as a week walked on two days is; it was x.fit)
    expect(r.stderr).toBe(`wrote ${MINUTES} minutes (${JSON.parse(runCli(['--db', db, 'summary', '--json']).stdout).period.label}) to ${dated(out)}\n`);
    expect(fs.existsSync(out)).toBe(false);
    const decoder = new Decoder(Stream.fromByteArray(fs.readFileSync(dated(out))));
    expect(decoder.isFIT()).toBe(true);
    expect(decoder.checkIntegrity()).toBe(true);
    const { messages, errors } = decoder.read();
    expect(errors).toEqual([]);
    expect(messages.fileIdMesgs?.[0]).toMatchObject({ type: 'activity', manufacturer: 'development' });
    expect(messages.sessionMesgs).toHaveLength(1);
    const session = messages.sessionMesgs![0];
    expect(session).toMatchObject({ sport: 'walking', numLaps: 2, totalStrides: 52 * MINUTES });
    const laps = messages.lapMesgs!;
    expect(laps.map((l) => l.totalStrides)).toEqual([52 * 12, 52 * 5]);
    expect(laps.map((l) => l.totalTimerTime)).toEqual([720, 300]);
    expect(new Date(laps[1].startTime as Date).getTime() / 1000).toBe(WALKS[1].start_s + 1);
    // kcal: MET 4.3 forward, 6.0 backward, split by stride shares, default 70 kg
    const kcal = ((4.3 * 40 + 6.0 * 12) / 52) * 70 * (MINUTES / 60);
    expect(Math.abs((session.totalCalories as number) - kcal)).toBeLessThanOrEqual(1);
    expect(messages.recordMesgs).toHaveLength(MINUTES);
    expect(messages.activityMesgs?.[0]).toMatchObject({ numSessions: 1 });
  });

  it('bad input: unknown format, fit without --out, a folder that does not exist, an empty period: one line each', () => {
    for (const args of [['--format', 'gpx'], ['--format', 'fit'], ['--format', 'csv', '--out', path.join(dir, 'no', 'x.csv')], ['--format', 'fit', '--out', path.join(dir, 'e.fit'), '--day', '2001-01-01']]) {
      const r = runCli(['--db', db, 'export', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('a day with no walking: csv and json still written, a valid file for a script (the header row; zero totals), and one note on stderr saying why, to standard output and to --out (the CSV came without a word)', () => {
    const note = (where: string, held: string) => `note: no walking stored for 2001-01-01: ${where} holds ${held} (run \`retrostep sync\` first)\n`;
    const csv = runCli(['--db', db, 'export', '--format', 'csv', '--day', '2001-01-01']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')).toEqual([expect.stringMatching(/^time_utc,pod_id,/), '']);
    expect(csv.stderr).toBe(note('the CSV', 'its header row only'));
    const json = runCli(['--db', db, 'export', '--format', 'json', '--day', '2001-01-01']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ records: [], totals: { minutes: 0 } });
    expect(json.stderr).toBe(note('the JSON', 'no records and totals of zero'));
    const out = path.join(dir, 'none.csv');
    const file = runCli(['--db', db, 'export', '--format', 'csv', '--day', '2001-01-01', '--out', out]);
    expect(file.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(csv.stdout);
    expect(file.stderr).toBe(note(out, 'its header row only'));
    // (with --pod, whose walking is missing)
    expect(runCli(['--db', db, 'export', '--format', 'csv', '--day', '2001-01-01', '--pod', POD]).stderr).toMatch(/^note: no walking stored for 2001-01-01 by pod aabbccddeeff: the CSV holds its header row only/);
    // (a period with walking says nothing but what it wrote)
    expect(runCli(['--db', db, 'export', '--format', 'csv']).stderr).toBe('');
  });

  it('--out named for another format (--format csv --out week.fit, or week.html, the report\'s): one line, exit 2, the file there left as it was (CSV text was written into week.fit)', () => {
    const fit = path.join(dir, 'kept.fit');
    fs.writeFileSync(fit, 'a FIT file of before');
    const r = runCli(['--db', db, 'export', '--format', 'csv', '--out', fit]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`retrostep: --out ${fit} ends in .fit, but --format is csv: name it ${path.join(dir, 'kept.csv')}, or give --format fit\n`);
    expect(fs.readFileSync(fit, 'utf8')).toBe('a FIT file of before');
    expect(runCli(['--db', db, 'export', '--format', 'fit', '--out', path.join(dir, 'w.JSON')]).stderr).toMatch(/ends in \.JSON, but --format is fit: name it .*w\.fit, or give --format json/);
    // (nor under the report's name, as record refuses it: the CSV was written over the report's page)
    const html = path.join(dir, 'week.html');
    fs.writeFileSync(html, 'a report of before');
    const page = runCli(['--db', db, 'export', '--format', 'csv', '--out', html]);
    expect(page.stderr).toBe(`retrostep: --out ${html} ends in .html, but --format is csv: name it ${path.join(dir, 'week.csv')}\n`);
    expect(page.code).toBe(2);
    expect(fs.readFileSync(html, 'utf8')).toBe('a report of before');
    // (a name of no format's, or of the format given in capitals, is written as asked)
    for (const name of ['walks.txt', 'walks.CSV']) expect(runCli(['--db', db, 'export', '--format', 'csv', '--out', path.join(dir, name)]).code, name).toBe(0);
  });
});

describe('retrostep export --format fit with two pods', () => {
  it('asks for --pod (one device per activity), and with it exports that pod only', () => {
    const d = openDb(db);
    upsertPod(d, { pod_id: '112233445566' }, 1);
    const start_s = WALKS[0].start_s + 30; // overlapping the first walk
    insertRecords(d, '112233445566', [{ rec: { seq: 0, start_s, flags: RECORD_CLOCK_VALID, forward: 10, backward: 0, heel: 10, flat: 0, toe: 0, wrong: 0, buzzes: 0, cadence_spm: 100, active_s: 60 }, start_s, estimated: false }], 1);
    d.close();
    const out = path.join(dir, 'two.fit');
    const r = runCli(['--db', db, 'export', '--format', 'fit', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 pods .* --pod/);
    const one = runCli(['--db', db, 'export', '--format', 'fit', '--out', out, '--pod', POD]);
    expect(one.code).toBe(0);
    const { messages, errors } = new Decoder(Stream.fromByteArray(fs.readFileSync(dated(out)))).read();
    expect(errors).toEqual([]);
    expect(messages.sessionMesgs![0].totalStrides).toBe(52 * MINUTES);
  });

  it('json says whose walking its totals sum, as summary --json does: two pods on the same minutes (every step counted twice), one pod with --pod (it said nothing)', () => {
    const d = openDb(db);
    upsertPod(d, { pod_id: '665544332211' }, 1);
    const start_s = WALKS[0].start_s + 60; // the first walk's second minute, on the other foot
    insertRecords(d, '665544332211', [{ rec: { seq: 0, start_s, flags: RECORD_CLOCK_VALID, forward: 40, backward: 12, heel: 40, flat: 0, toe: 12, wrong: 2, buzzes: 2, cadence_spm: 104, active_s: 60 }, start_s, estimated: false }], 1);
    d.close();
    const whose = (j: { pod: unknown; demo_included: unknown; pods_together: unknown }) => ({ pod: j.pod, demo_included: j.demo_included, pods_together: j.pods_together });
    const all = JSON.parse(runCli(['--db', db, 'export', '--format', 'json']).stdout);
    // (the first walk's first minute is 112233445566's too, 30 s in: the test above)
    expect(whose(all)).toEqual({ pod: null, demo_included: null, pods_together: { pods: ['112233445566', '665544332211', POD].sort(), minutes: 2 } });
    expect(whose(all)).toEqual(whose(JSON.parse(runCli(['--db', db, 'summary', '--json']).stdout)));
    const one = JSON.parse(runCli(['--db', db, 'export', '--format', 'json', '--pod', POD]).stdout);
    expect(whose(one)).toEqual({ pod: POD, demo_included: null, pods_together: null });
    expect(one.totals.forward).toBe(40 * MINUTES);
  });

  it('a period the pod named by --pod did not walk says whose walking is missing (the other pods walked it)', () => {
    const d = openDb(db);
    upsertPod(d, { pod_id: '99aabbccddee' }, 1);
    d.close();
    const r = runCli(['--db', db, 'export', '--format', 'fit', '--out', path.join(dir, 'none.fit'), '--day', dayLabel(new Date(t0 * 1000)), '--pod', '99aabbccddee']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`retrostep: no walking stored for ${dayLabel(new Date(t0 * 1000))} by pod 99aabbccddee: nothing to put in a FIT activity (run \`retrostep sync\` first)\n`);
  });
});

describe('retrostep export over days with walking', () => {
  // two days before and the day before today, 08:00 and 18:00 local: 10, 5 and 3 minutes
  const days = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-export-days-'));
  afterAll(() => fs.rmSync(days, { recursive: true, force: true }));
  const file = path.join(days, 'd.db');
  const at = (daysBack: number, hour: number) => new Date(day.getFullYear(), day.getMonth(), day.getDate() - daysBack, hour).getTime() / 1000;
  const ymd = (s: number) => { const d = new Date(s * 1000); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };
  const walks = [{ start_s: at(2, 8), minutes: 10 }, { start_s: at(1, 8), minutes: 5 }, { start_s: at(1, 18), minutes: 3 }];
  beforeAll(() => {
    const d = openDb(file);
    upsertPod(d, { pod_id: POD }, 1);
    let seq = 0;
    for (const w of walks) {
      insertRecords(d, POD, Array.from({ length: w.minutes }, (_, m) => {
        const start_s = w.start_s + m * 60;
        return { rec: { seq: seq++, start_s, flags: RECORD_CLOCK_VALID, forward: 30, backward: 10, heel: 30, flat: 0, toe: 10, wrong: 0, buzzes: 0, cadence_spm: 100, active_s: 60 }, start_s, estimated: false };
      }), 1);
    }
    d.close();
  });

  it('fit: one activity per day, the day in each file\'s name, each holding that day\'s walks only', () => {
    const r = runCli(['--db', file, 'export', '--format', 'fit', '--out', path.join(days, 'walks.fit')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/as 2 FIT activities, one per day with walking/);
    const one = path.join(days, `walks-${ymd(walks[0].start_s)}.fit`), two = path.join(days, `walks-${ymd(walks[1].start_s)}.fit`);
    expect(fs.existsSync(path.join(days, 'walks.fit'))).toBe(false);
    const read = (f: string) => new Decoder(Stream.fromByteArray(fs.readFileSync(f))).read();
    const a = read(one), b = read(two);
    expect([a.errors, b.errors]).toEqual([[], []]);
    expect(a.messages.sessionMesgs!.map((s) => [s.numLaps, s.totalStrides])).toEqual([[1, 40 * 10]]);
    expect(b.messages.sessionMesgs!.map((s) => [s.numLaps, s.totalStrides])).toEqual([[2, 40 * 8]]);
    // each file its own (Garmin Connect tells files apart by device and creation time): created at its first walk
    expect([a, b].map((f) => new Date(f.messages.fileIdMesgs![0].timeCreated as Date).getTime() / 1000)).toEqual([walks[0].start_s, walks[1].start_s]);
    // the session lasts its day's walking, not the week
    expect(b.messages.sessionMesgs![0].totalElapsedTime).toBe(walks[2].start_s + 3 * 60 - walks[1].start_s);
  });

  it('fit: a day\'s file that cannot be written after another was: one line naming both, exit 2 (it named only the one that failed)', () => {
    const out = path.join(days, 'part.fit');
    const [one, two] = [walks[0], walks[1]].map((w) => path.join(days, `part-${ymd(w.start_s)}.fit`));
    fs.mkdirSync(two);
    const r = runCli(['--db', file, 'export', '--format', 'fit', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`retrostep: cannot write ${two}: it is a folder, not a file (already written: ${one}; not written: this one)\n`);
    expect(fs.existsSync(one)).toBe(true);
  });

  it("fit: a day's file named as the database (walks-DAY.fit) is refused before any day is written, as --out is (it was written over)", () => {
    const kept = path.join(days, `keep-${ymd(walks[1].start_s)}.fit`);
    fs.copyFileSync(file, kept);
    const size = fs.statSync(kept).size;
    const r = runCli(['--db', kept, 'export', '--format', 'fit', '--out', path.join(days, 'keep.fit')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`retrostep: cannot write ${kept}: it is the database, and writing over it would lose every stored record: pick another --out\n`);
    expect(fs.statSync(kept).size).toBe(size);
    expect(fs.existsSync(path.join(days, `keep-${ymd(walks[0].start_s)}.fit`))).toBe(false);
  });

  it("fit: a longer period walked on one day only, whose one file is named by its day as the database is, is refused too (only two or more days' names were checked)", () => {
    const kept = path.join(days, `lone-kept-${ymd(walks[0].start_s)}.fit`);
    fs.copyFileSync(file, kept);
    const size = fs.statSync(kept).size;
    const r = runCli(['--db', kept, 'export', '--format', 'fit', '--out', path.join(days, 'lone-kept.fit'), '--from', ymd(walks[0].start_s - 86400), '--to', ymd(walks[0].start_s)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`retrostep: cannot write ${kept}: it is the database, and writing over it would lose every stored record: pick another --out\n`);
    expect(fs.statSync(kept).size).toBe(size);
  });

  it('--day gives that day\'s activity under the name given; --month exports a calendar month', () => {
    const out = path.join(days, 'one.fit');
    expect(runCli(['--db', file, 'export', '--format', 'fit', '--out', out, '--day', ymd(walks[1].start_s)]).code).toBe(0);
    expect(new Decoder(Stream.fromByteArray(fs.readFileSync(out))).read().messages.sessionMesgs![0].totalStrides).toBe(40 * 8);
    // (--from and --to the same day is one day too)
    const same = path.join(days, 'same.fit');
    expect(runCli(['--db', file, 'export', '--format', 'fit', '--out', same, '--from', ymd(walks[0].start_s), '--to', ymd(walks[0].start_s)]).code).toBe(0);
    expect(fs.existsSync(same)).toBe(true);
    // a longer period walked on one day only: named by its day, as one walked on two (it was `--out` itself, so the
    // names a weekly script should look for hung on how many days were walked)
    const two = path.join(days, 'two-days.fit');
    expect(runCli(['--db', file, 'export', '--format', 'fit', '--out', two, '--from', ymd(walks[0].start_s), '--to', ymd(walks[0].start_s + 86400 + 3600)]).code).toBe(0);
    const lone = path.join(days, 'lone.fit');
    const r = runCli(['--db', file, 'export', '--format', 'fit', '--out', lone, '--from', ymd(walks[0].start_s - 86400), '--to', ymd(walks[0].start_s)]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(lone)).toBe(false);
    expect(fs.readdirSync(days).filter((f) => f.endsWith('.fit')).sort()).toEqual(expect.arrayContaining([`lone-${ymd(walks[0].start_s)}.fit`, `two-days-${ymd(walks[0].start_s)}.fit`, `two-days-${ymd(walks[1].start_s)}.fit`]));
    const month = ymd(walks[1].start_s).slice(0, 7);
    const csv = runCli(['--db', file, 'export', '--format', 'csv', '--month', month]);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(walks.filter((w) => ymd(w.start_s).startsWith(month)).reduce((n, w) => n + w.minutes, 0));
  });
});

describe('retrostep export --format fit of a minute the full pod folded later ones into', () => {
  // 3 minutes at 104 steps/min, then the one a full pod added the next weeks' walking into: 255 strides each
  // way counted, 255 active seconds, in one minute (RECORD_FOLDED)
  it('counts its strides; its cadence and its active time past its own minute are left out, as summary does', () => {
    const fdb = path.join(dir, 'folded.db');
    const d = openDb(fdb);
    upsertPod(d, { pod_id: POD }, 1);
    const rows = [0, 1, 2, 3].map((m) => {
      const start_s = t0 + m * 60;
      const folded = m === 3;
      const rec: MinuteRecord = folded
        ? { seq: m, start_s, flags: RECORD_CLOCK_VALID | RECORD_FOLDED, forward: 255, backward: 255, heel: 255, flat: 0, toe: 255, wrong: 0, buzzes: 0, cadence_spm: 240, active_s: 255 }
        : { seq: m, start_s, flags: RECORD_CLOCK_VALID, forward: 40, backward: 12, heel: 40, flat: 0, toe: 12, wrong: 0, buzzes: 0, cadence_spm: 104, active_s: 60 };
      return { rec, start_s, estimated: false };
    });
    insertRecords(d, POD, rows, 1);
    d.close();
    const out = path.join(dir, 'folded.fit');
    const r = runCli(['--db', fdb, 'export', '--format', 'fit', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const { messages, errors } = new Decoder(Stream.fromByteArray(fs.readFileSync(dated(out)))).read();
    expect(errors).toEqual([]);
    const [lap] = messages.lapMesgs!;
    expect(lap.totalStrides).toBe(3 * 52 + 510);
    // (52 strides a minute in the three whole ones; 510 in 255 s would read 120)
    expect(lap.avgCadence).toBe(52);
    expect(messages.sessionMesgs![0].avgCadence).toBe(52);
    // (the timer no longer than the lap: 3 minutes and the folded one's own)
    expect(lap.totalTimerTime).toBe(240);
    expect(lap.totalTimerTime as number).toBeLessThanOrEqual(lap.totalElapsedTime as number);
    expect(messages.recordMesgs!.map((m) => m.cadence)).toEqual([52, 52, 52, undefined]);
    // the folded minute alone: no average cadence at all (0 would read as standing still)
    const odb = path.join(dir, 'folded-only.db');
    const o = openDb(odb);
    upsertPod(o, { pod_id: POD }, 1);
    insertRecords(o, POD, rows.slice(3), 1);
    o.close();
    const only = path.join(dir, 'folded-only.fit');
    expect(runCli(['--db', odb, 'export', '--format', 'fit', '--out', only]).code).toBe(0);
    const alone = new Decoder(Stream.fromByteArray(fs.readFileSync(dated(only)))).read();
    expect(alone.errors).toEqual([]);
    expect(alone.messages.lapMesgs!.map((l) => l.avgCadence)).toEqual([undefined]);
    expect(alone.messages.sessionMesgs![0].avgCadence).toBeUndefined();
  });
});

describe('retrostep export --format fit of minutes walked without a clock', () => {
  // 3 minutes with the pod's clock, then 10 it walked without one (a reset, a new cell): the host stamps those
  // with the minute it stored them (store/sync-store.ts), all ten in one minute of the clock
  it("leaves them out of the activity and says so: every record message at a time of its own (ten shared one timestamp, the sync's minute, and the lap held ten minutes' strides in one); summary still counts them", () => {
    const edb = path.join(dir, 'no-clock.db');
    const d = openDb(edb);
    upsertPod(d, { pod_id: POD }, 1);
    const rec = (seq: number, flags: number): MinuteRecord => ({ seq, start_s: t0 + seq * 60, flags, forward: 40, backward: 12, heel: 40, flat: 0, toe: 12, wrong: 0, buzzes: 0, cadence_spm: 104, active_s: 60 });
    insertRecords(d, POD, [0, 1, 2].map((m) => ({ rec: rec(m, RECORD_CLOCK_VALID), start_s: t0 + m * 60, estimated: false })), 1);
    const untimed = Array.from({ length: 10 }, (_, i) => ({ rec: rec(3 + i, 0), start_s: t0 + 180, estimated: true }));
    insertRecords(d, POD, untimed, 1);
    d.close();
    const out = path.join(dir, 'no-clock.fit');
    const r = runCli(['--db', edb, 'export', '--format', 'fit', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const kept = ' (CSV and JSON hold them, time_estimated 1; summary counts them)';
    expect(r.stderr.split('\n')[0]).toBe(`note: 10 minutes were walked before the pod's clock was set, their time not known, so they are left out of the FIT activities${kept}`);
    expect(r.stderr.split('\n')[1]).toMatch(/^wrote 3 minutes /);
    const { messages, errors } = new Decoder(Stream.fromByteArray(fs.readFileSync(dated(out)))).read();
    expect(errors).toEqual([]);
    const times = messages.recordMesgs!.map((m) => (m.timestamp as Date).getTime() / 1000);
    expect(times).toEqual([1, 2, 3].map((m) => t0 + m * 60));
    const [lap] = messages.lapMesgs!;
    const session = messages.sessionMesgs![0];
    expect(lap.totalStrides).toBe(3 * 52);
    expect(lap.avgCadence).toBe(52);
    expect(lap.totalElapsedTime).toBe(180);
    expect(lap.totalTimerTime).toBe(180);
    expect(session.totalTimerTime as number).toBeLessThanOrEqual(session.totalElapsedTime as number);
    const summary = JSON.parse(runCli(['--db', edb, 'summary', '--json']).stdout);
    expect(summary.summary.forward + summary.summary.backward).toBe(13 * 52);
    // the period's walking all without a clock: nothing to put in an activity, refused in one line
    const odb = path.join(dir, 'no-clock-only.db');
    const o = openDb(odb);
    upsertPod(o, { pod_id: POD }, 1);
    insertRecords(o, POD, untimed, 1);
    o.close();
    const only = runCli(['--db', odb, 'export', '--format', 'fit', '--out', path.join(dir, 'no-clock-only.fit')]);
    expect(only.code).toBe(2);
    expect(only.stderr).toMatch(new RegExp(`^retrostep: no walking stored for .* with a time: 10 minutes were walked before the pod's clock was set, their time not known, so there is nothing to put in a FIT activity \\(CSV and JSON hold them, time_estimated 1; summary counts them\\)\n$`));
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('no-clock-only') && f.endsWith('.fit'))).toEqual([]);
  });
});

/**
 * Yesterday's minutes (`minute(k)` for k of `ks`) in a database of their own, `name`.db, exported as that day's FIT
 * file: Garmin's decoder's messages of it, the database and the day (for `summary --day`).
 */
function dayFit(name: string, ks: number[], minute: (k: number) => MinuteRecord) {
  const file = path.join(dir, `${name}.db`);
  const d = openDb(file);
  upsertPod(d, { pod_id: POD }, 1);
  insertRecords(d, POD, ks.map((k) => ({ rec: minute(k), start_s: minute(k).start_s, estimated: false })), 1);
  d.close();
  const out = path.join(dir, `${name}.fit`);
  const day = dayLabel(new Date(t0 * 1000));
  expect(runCli(['--db', file, 'export', '--format', 'fit', '--day', day, '--out', out]).code).toBe(0);
  const { messages, errors } = new Decoder(Stream.fromByteArray(fs.readFileSync(out))).read();
  expect(errors).toEqual([]);
  return { messages, db: file, day };
}

describe("retrostep export --format fit of a day's short walks", () => {
  // yesterday, three walks of one minute, 12 s backward each (1.4 kcal at 70 kg: 6.0 MET x 70 kg x 12 s), hours apart
  it("gives its laps whole kcal that sum to the session's, the day's kcal as summary rounds it (each rounded alone, laps of 1, 1 and 1 under a session of 4)", () => {
    const { messages, db: sdb, day } = dayFit('short-walks', [0, 1, 2], (k) => ({ seq: k, start_s: t0 + k * 3600, flags: RECORD_CLOCK_VALID, forward: 0, backward: 10, heel: 0, flat: 0, toe: 10, wrong: 0, buzzes: 0, cadence_spm: 100, active_s: 12 }));
    const laps = messages.lapMesgs!.map((l) => l.totalCalories as number);
    expect(laps).toHaveLength(3);
    const session = messages.sessionMesgs![0].totalCalories as number;
    expect(laps.reduce((a, k) => a + k, 0)).toBe(session);
    for (const k of laps) expect(Math.abs(k - 1.4)).toBeLessThan(1);
    const summary = runCli(['--db', sdb, 'summary', '--no-chart', '--day', day]).stdout;
    expect(/energy\s+(\d+) kcal/.exec(summary)![1]).toBe(String(session));
    expect(session).toBe(4);
  });
});

describe('retrostep export --format fit of a cadence of an odd number of steps a minute', () => {
  // yesterday, two minutes: 55 and 54 strides in 60 s each, 109 strides in 120 s: 109 steps/min, 54.5 strides/min;
  // the pod's own cadence of each minute 110 and 109 (the CSV's cadence_spm)
  it("carries the fraction of a stride a minute (avg_fractional_cadence, fractional_cadence), so the lap and session read summary's 109 steps/min and each minute the CSV's (written whole, 55 strides: 110)", () => {
    const strides = [55, 54];
    const { messages, db: cdb, day } = dayFit('odd-cadence', [0, 1], (k) => ({ seq: k, start_s: t0 + k * 60, flags: RECORD_CLOCK_VALID, forward: strides[k] - 10, backward: 10, heel: strides[k] - 10, flat: 0, toe: 10, wrong: 0, buzzes: 0, cadence_spm: [110, 109][k], active_s: 60 }));
    const stepsPerMin = (m: { avgCadence?: unknown; avgFractionalCadence?: unknown }) => 2 * ((m.avgCadence as number) + ((m.avgFractionalCadence as number | undefined) ?? 0));
    expect(messages.recordMesgs!.map((m) => 2 * ((m.cadence as number) + ((m.fractionalCadence as number | undefined) ?? 0)))).toEqual([110, 109]);
    const summary = runCli(['--db', cdb, 'summary', '--no-chart', '--day', day]).stdout;
    expect(/cadence\s+(\d+) steps\/min/.exec(summary)![1]).toBe('109');
    expect(Math.round(stepsPerMin(messages.lapMesgs![0]))).toBe(109);
    expect(Math.round(stepsPerMin(messages.sessionMesgs![0]))).toBe(109);
  });
});

describe('retrostep export --format fit of a cadence a hair under a whole stride a minute', () => {
  // yesterday, a walk of 7 minutes: 412 strides in 419 s (six of 59 strides in 60 s, one of 58 in 59 s), 58.998
  // strides a minute, 118 steps/min in summary. FIT's fraction is in 128ths: 0.998 of a stride is 128 of them
  it('writes it as the next whole stride and no fraction (59, 0), not 58 and a "fraction" of 128/128', () => {
    const { messages, db: hdb, day } = dayFit('hair-under', [0, 1, 2, 3, 4, 5, 6], (k) => {
      const strides = k === 6 ? 58 : 59;
      return { seq: k, start_s: t0 + k * 60, flags: RECORD_CLOCK_VALID, forward: strides - 10, backward: 10, heel: strides - 10, flat: 0, toe: 10, wrong: 0, buzzes: 0, cadence_spm: 118, active_s: k === 6 ? 59 : 60 };
    });
    const summary = runCli(['--db', hdb, 'summary', '--no-chart', '--day', day]).stdout;
    expect(/cadence\s+(\d+) steps\/min/.exec(summary)![1]).toBe('118');
    for (const m of [messages.lapMesgs![0], messages.sessionMesgs![0]]) {
      expect(m.avgCadence).toBe(59);
      expect(m.avgFractionalCadence).toBe(0);
    }
  });
});
