/** `retrostep replay` as a user runs it: a real labelled recording, and malformed files. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { RECORDING_HEADER } from '../host/src/replay/recording.js';
import { MAX_RECORDING_BYTES } from '../host/src/replay/report.js';
import { createWalker, MOUNTS, sampleWalker } from '../host/src/sim/walker.js';
import { runCli } from './helpers/cli.js';
import { withHeldFifo } from './helpers/held-fifo.js';
import { openDb } from '../host/src/store/db.js';

const FIXTURE = 'test/fixtures/gaitmap/walk-2x20m-right-52hz.csv';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-replay-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The recording with its second sample repeated after the third: time goes back. */
function backInTime(text: string): string {
  const lines = text.split('\n');
  const h = lines.findIndex((l) => l.startsWith('t_ms,'));
  return [...lines.slice(0, h + 4), lines[h + 2], ...lines.slice(h + 4)].join('\n');
}

describe('retrostep replay', () => {
  it('prints a stride table and accuracy against the labels of a real recording', () => {
    const r = runCli(['replay', FIXTURE]);
    expect(r.code).toBe(0);
    const labelled = fs.readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => !l.startsWith('#') && l.includes(',contact ')).length;
    // every step: the labelled ones and the swings the labels leave out (found from the gyro), all found
    const m = r.stdout.match(/every step: (\d+) of (\d+) found, (\d+) extra/);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(labelled);
    expect(Number(m![1])).toBe(Number(m![2]));
    expect(r.stdout).toMatch(/swings the labels leave out .*: \d+ counted/);
    expect(r.stdout).toMatch(/direction 100\.0%/);
    expect(r.stdout.split('\n').filter((l) => /^\s+\d+\.\d\d\s+forward\s+heel/.test(l)).length).toBeGreaterThanOrEqual(labelled);
    // the cadence column says its unit, and the first stride (none before it to time) has none: "-", not 0
    const table = r.stdout.split('\n');
    const head = table.findIndex((l) => l.startsWith('   t (s)'));
    expect(table[head]).toContain('  steps/min  ');
    expect(table[head + 1]).toMatch(/\s-\s/);
    expect(table.slice(head + 1).filter((l) => /^\s+\d+\.\d\d\s/.test(l) && /\s0\s+(yes)?\s*(\(learning the mount\))?$/.test(l))).toEqual([]);
  });

  it('--json gives the same strides to a script, every key snake_case as the rest of the CLI\'s JSON (it had directionCorrect, labelTimes)', () => {
    const j = JSON.parse(runCli(['replay', FIXTURE, '--json']).stdout);
    expect(j.schema_version).toBe(2);
    const keys = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(keys) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keys(x)]) : []);
    expect(j.score).not.toBeNull();
    expect([...new Set(keys(j))].filter((k) => !/^[a-z0-9_]+$/.test(k))).toEqual([]);
    expect(j.score).toHaveProperty('direction_correct');
    expect(j).toHaveProperty('label_times');
    expect(j.score.missed).toBe(0);
    expect(j.contacts.length).toBeGreaterThanOrEqual(j.score.truth);
    expect(j.contacts[5]).toMatchObject({ direction: 'forward', first: 'heel' });
  });

  it('a recording whose labels do not say which part landed first: first contact "not labelled", not a score', () => {
    const r = runCli(['replay', 'test/fixtures/gaitmap/walk-4x10m-left-52hz.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/first contact not labelled/);
    expect(r.stdout).toMatch(/direction 100\.0%/);
    // the turning and starting steps are real but unlabelled: scored as steps to find, said as such
    expect(r.stdout).toMatch(/every step: \d+ of \d+ found, \d+ extra/);
    expect(r.stdout).toMatch(/of which \d+ swings the labels leave out/);
    // its contact times come from an IMU algorithm (contact_times=imu-algorithm): the gap to them is not a latency
    expect(r.stdout).toMatch(/time from the labels median -?\d+ ms.*not a latency/);
    expect(r.stdout).not.toMatch(/^\s+latency/m);
  });

  it("a recording faster than the pod is averaged to the pod's 52 Hz, as its IMU would give it; --native-rate feeds it as recorded", () => {
    const fast = 'test/fixtures/gaitmap/walk-4x10m-right-102.4hz.csv';
    const r = runCli(['replay', fast]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/at 102\.4 Hz, averaged to 52 Hz as the pod samples/);
    const j = JSON.parse(runCli(['replay', fast, '--json']).stdout);
    expect([j.rate_hz, j.engine_rate_hz]).toEqual([102.4, 52]);
    // what the pod would count: as the same walk recorded at 52 Hz (the fixture averaged from this one)
    const at52 = JSON.parse(runCli(['replay', 'test/fixtures/gaitmap/walk-4x10m-right-52hz.csv', '--json']).stdout);
    expect(at52.engine_rate_hz).toBe(52);
    expect([j.contacts.length, j.score.matched, j.score.truth]).toEqual([at52.contacts.length, at52.score.matched, at52.score.truth]);
    const native = JSON.parse(runCli(['replay', fast, '--json', '--native-rate']).stdout);
    expect(native.engine_rate_hz).toBe(102.4);
    expect(runCli(['replay', fast, '--native-rate']).stdout.split('\n')[0]).not.toMatch(/averaged/);
  });

  it('a fast recording with a long pause in it is averaged around the pause, not across it (a pause of 10^12 ms was "unexpected error: Invalid typed array length")', () => {
    const fast = fs.readFileSync('test/fixtures/gaitmap/walk-4x10m-right-102.4hz.csv', 'utf8');
    const rows = fast.split('\n').filter((l) => /^\d/.test(l));
    const pause_ms = 1e12;
    const again = rows.map((l) => l.replace(/^[^,]+/, (t) => (Number(t) + pause_ms).toFixed(2)));
    const file = path.join(dir, 'paused.csv');
    fs.writeFileSync(file, `${fast.trimEnd()}\n${again.join('\n')}\n`);
    const r = runCli(['replay', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.engine_rate_hz).toBe(52);
    const once = JSON.parse(runCli(['replay', 'test/fixtures/gaitmap/walk-4x10m-right-102.4hz.csv', '--json']).stdout).contacts.length;
    // the walk after the pause counted too, at its own times
    expect(j.contacts.filter((c: { t_ms: number }) => c.t_ms < pause_ms).length).toBe(once);
    expect(j.contacts.filter((c: { t_ms: number }) => c.t_ms > pause_ms).length).toBeGreaterThan(once - 3);
  });

  it('a recording whose first walk went backward: --first-walk backward (or first_walk=backward) reads it the right way round', () => {
    // a simulated walker stands, walks backward, then forward, the pod on the laces; labelled with the truth
    const w = createWalker([{ kind: 'stand', duration_s: 3 }, { kind: 'walk', direction: 'backward', strides: 16 }, { kind: 'walk', direction: 'forward', strides: 8 }, { kind: 'stand', duration_s: 2 }], { seed: 3, mount: MOUNTS.laces });
    const { t_ms, samples } = sampleWalker(w, 52);
    const label = new Array<string>(t_ms.length).fill('');
    for (const c of w.truth) label[Math.min(t_ms.length - 1, Math.floor(c.t_ms / (1000 / 52)))] = `contact ${c.direction} ${c.first}`;
    const rows = Array.from(t_ms, (t, i) => [t.toFixed(1), ...Array.from(samples.subarray(6 * i, 6 * i + 6), (v) => v.toFixed(4)), label[i]].join(','));
    const body = `${RECORDING_HEADER}\n${rows.join('\n')}\n`;
    const plain = path.join(dir, 'backward-first.csv');
    fs.writeFileSync(plain, `# retrostep recording v1\n# rate_hz=52\n${body}`);
    const flagged = path.join(dir, 'backward-first-flagged.csv');
    fs.writeFileSync(flagged, `# retrostep recording v1\n# rate_hz=52 first_walk=backward\n${body}`);
    const direction = (j: { score: { direction_correct: number; labelled_matched: number } }) => j.score.direction_correct / j.score.labelled_matched;
    // as the pod would: the first walk taken as forward, so every stride is read the wrong way round
    const asPod = JSON.parse(runCli(['replay', plain, '--json']).stdout);
    expect(direction(asPod)).toBeLessThan(0.1);
    expect(asPod.first_walk).toEqual({ way: 'forward', from: 'assumed' });
    // ...and the table says so, with the way out; not when the way was given
    expect(runCli(['replay', plain]).stdout.split('\n')[1]).toMatch(/first walk taken as forward.*--first-walk backward/);
    expect(runCli(['replay', flagged]).stdout).not.toMatch(/first walk taken as forward/);
    expect(runCli(['replay', plain, '--first-walk', 'backward']).stdout).not.toMatch(/first walk taken as forward/);
    // (in any case, as --format FIT is taken)
    expect(JSON.parse(runCli(['replay', plain, '--json', '--first-walk', 'Backward']).stdout).first_walk).toEqual({ way: 'backward', from: 'option' });
    expect(JSON.parse(runCli(['replay', flagged, '--json']).stdout).first_walk).toEqual({ way: 'backward', from: 'metadata' });
    for (const j of [JSON.parse(runCli(['replay', plain, '--json', '--first-walk', 'backward']).stdout), JSON.parse(runCli(['replay', flagged, '--json']).stdout)]) {
      expect(j.score.matched).toBe(w.truth.length);
      expect(direction(j)).toBe(1);
      expect(j.score.first_correct).toBe(j.score.first_labelled);
      expect(j.contacts.every((c: { calibrated: boolean }) => c.calibrated)).toBe(true);
    }
    const bad = runCli(['replay', plain, '--first-walk', 'sideways']);
    // (a usage error, as every command gives one: the problem, then where the usage is; no stack trace)
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.split('\n')[0]).toMatch(/'sideways' is invalid.*forward, backward/);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });

  it('a recording with no strides in it (the pod left standing): one line says so and how long it was, exit 0 (it printed an empty table\'s header)', () => {
    const file = path.join(dir, 'standing.csv');
    // 10 s at 52 Hz of a pod lying still, gravity on z
    const rows = Array.from({ length: 521 }, (_, i) => `${((i * 1000) / 52).toFixed(1)},0,0,1,0,0,0,`);
    fs.writeFileSync(file, `# retrostep recording v1\n# rate_hz=52\n${RECORDING_HEADER}\n${rows.join('\n')}\n`);
    const r = runCli(['replay', file]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${file}: 10.0 s at 52 Hz, 0 strides`);
    expect(lines.slice(1, -1)).toEqual(['', "no strides: the gait engine found none in the recording's 10.0 s"]);
    expect(lines.at(-1)).toMatch(/^replayed at \d+ x real time$/);
    expect(r.stdout).not.toContain('t (s)');
  });

  it('motion-capture labels give a latency', () => {
    expect(runCli(['replay', FIXTURE]).stdout).toMatch(/^\s+latency median \d+ ms, 95th percentile of \|latency\| \d+ ms$/m);
  });

  it('a recording cut off part way (stopped mid-write): the rows before the cut replayed, the cut line said', () => {
    const good = fs.readFileSync(FIXTURE, 'utf8');
    const cut = good.slice(0, Math.floor(good.length / 2)).replace(/,[^,\n]*$/, '');
    const file = path.join(dir, 'cut.csv');
    fs.writeFileSync(file, cut);
    const lineNo = cut.split('\n').length;
    const r = runCli(['replay', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe(`its last line (${lineNo}) is cut off part way: left out, the rows before it replayed`);
    const j = JSON.parse(runCli(['replay', file, '--json']).stdout);
    expect(j.cut_line).toBe(lineNo);
    // every complete row: the time of the last one before the cut
    const rows = cut.split('\n').filter((l) => /^\d/.test(l));
    expect(j.duration_s).toBeCloseTo((Number(rows[rows.length - 2].split(',')[0]) - Number(rows[0].split(',')[0])) / 1000, 3);
    expect(JSON.parse(runCli(['replay', FIXTURE, '--json']).stdout).cut_line).toBeNull();
    // cut inside a label ("contact forward he"): the same
    const inLabel = good.slice(0, good.indexOf(',contact ', good.length / 2) + ',contact forward he'.length);
    fs.writeFileSync(file, inLabel);
    const l = runCli(['replay', file, '--json']);
    expect(l.code, l.stderr).toBe(0);
    expect(JSON.parse(l.stdout).cut_line).toBe(inLabel.split('\n').length);
    // cut inside the last number (gz_dps "3.97" as "3"): seven fields, every one a number, yet cut
    const lineStart = good.indexOf('\n', good.length / 2) + 1;
    let at = lineStart;
    for (let k = 0; k < 6; k++) at = good.indexOf(',', at) + 1;
    const inNumber = good.slice(0, at + (good[at] === '-' ? 2 : 1));
    expect(inNumber.slice(lineStart).split(',')).toHaveLength(7);
    fs.writeFileSync(file, inNumber);
    const n = runCli(['replay', file, '--json']);
    expect(n.code, n.stderr).toBe(0);
    expect(JSON.parse(n.stdout).cut_line).toBe(inNumber.split('\n').length);
    // (rows that never carry the label column: a last one of seven fields is whole)
    const unlabelled = good.replace(/^(-?\d[^,\n]*(,[^,\n]*){6}),[^\n]*$/gm, '$1').trimEnd();
    fs.writeFileSync(file, unlabelled);
    const u = runCli(['replay', file, '--json']);
    expect(u.code, u.stderr).toBe(0);
    expect(JSON.parse(u.stdout).cut_line).toBeNull();
    // (rows that carry the label column only where labelled: a last one of seven fields is whole too)
    const mixed = good.replace(/^(-?\d[^,\n]*(,[^,\n]*){6}),$/gm, '$1').trimEnd();
    expect(mixed.split('\n').filter((l) => /^\d/.test(l) && l.split(',').length === 8).length).toBeGreaterThan(0);
    expect(mixed.split('\n').pop()!.split(',')).toHaveLength(7);
    fs.writeFileSync(file, mixed);
    const x = runCli(['replay', file, '--json']);
    expect(x.code, x.stderr).toBe(0);
    expect(JSON.parse(x.stdout).cut_line).toBeNull();
  });

  it('a stated rate_hz is checked against the samples\' own rate once there are enough of them (one lost sample in a few is no wrong rate)', () => {
    const good = fs.readFileSync(FIXTURE, 'utf8');
    const head = good.split('\n').filter((l) => !/^-?\d/.test(l));
    const rate = Number(/rate_hz=(\S+)/.exec(good)![1]);
    const period = 1000 / rate;
    // four samples, the second lost: intervals of 1, 2 and 1 periods... and of 1, 2, 2: half of them stretched
    // ...and twelve intervals, six of them stretched (every other sample lost over the second half)
    for (const times of [[0, 1, 3, 4], [0, 1, 3, 5], [0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18]]) {
      const rows = times.map((k) => `${(k * period).toFixed(3)},0,0,1,0,0,0,`);
      const file = path.join(dir, `short-${times.join('')}.csv`);
      fs.writeFileSync(file, `${[...head.filter((l) => l.trim() !== ''), ...rows].join('\n')}\n`);
      const r = runCli(['replay', file]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('a recording saved with a byte order mark replays as without it', () => {
    const good = fs.readFileSync(FIXTURE, 'utf8');
    const file = path.join(dir, 'bom.csv');
    fs.writeFileSync(file, `\ufeff${good}`);
    const a = JSON.parse(runCli(['replay', file, '--json']).stdout), b = JSON.parse(runCli(['replay', FIXTURE, '--json']).stdout);
    expect(a.contacts).toEqual(b.contacts);
  });

  // (a test per file: each runs the CLI once, so a busy machine cannot push fifteen runs past one test's time limit)
  describe('missing, truncated and malformed files: one line naming the problem, exit 2', () => {
    const good = fs.readFileSync(FIXTURE, 'utf8');
    /** A retrostep database's bytes, as `sync` makes one. */
    const databaseBytes = () => {
      const file = path.join(dir, 'made.db');
      openDb(file).close();
      return fs.readFileSync(file);
    };
    /** Its metadata, header and first 8 samples: fewer intervals than a stated rate is checked against. */
    const shortFile = (text: string) => text.split('\n').slice(0, text.split('\n').findIndex((l) => /^\d/.test(l)) + 8).join('\n') + '\n';
    const cases: [string, string | Buffer, RegExp][] = [
      ['missing', '', /no such file/],
      ['no-header.csv', '1,2,3\n', /header/],
      // (empty, or only blank lines: said empty, not "line 1 should be the header")
      ['empty.csv', '', /empty\.csv is empty: a recording starts with the header/],
      ['blank.csv', '\n\n', /blank\.csv is empty/],
      // (its metadata alone, as a recording stopped before its header was written: not "line 3 should be the header")
      ['comments.csv', '# retrostep recording v1\n# rate_hz=52\n\n', /comments\.csv holds only comment lines \(#\): a recording's header "t_ms,/],
      // (a short last line with a newline after it is malformed, not cut off)
      ['short-last.csv', `${good.slice(0, Math.floor(good.length / 2)).replace(/,[^,\n]*$/, '')}\n`, /fields/],
      ['text.csv', good.replace(/\n(\d+(\.\d+)?),/, '\nabc,'), /"abc" is not a number/],
      ['empty-field.csv', good.replace(/\n(\d+(\.\d+)?),([^,\n]*),/, '\n$1,,'), /"" is not a number/],
      ['label.csv', good.replace(/contact forward heel/, 'contact sideways heel'), /unknown label/],
      ['time.csv', backInTime(good), /does not increase/],
      ['first-walk.csv', good.replace('\n', '\n# first_walk=sideways\n'), /first_walk=sideways.*forward or backward/],
      ['rate-negative.csv', good.replace(/rate_hz=\S+/, 'rate_hz=-5'), /rate_hz=-5 in its metadata is not a sample rate/],
      ['rate-word.csv', good.replace(/rate_hz=\S+/, 'rate_hz=fast'), /rate_hz=fast in its metadata is not a sample rate/],
      // (a stated rate its samples do not come at: it would decide wrongly whether replay averages)
      ['rate-wrong.csv', good.replace(/rate_hz=\S+/, 'rate_hz=200'), /rate_hz=200 in its metadata, but its samples come at \d+\.\d Hz/],
      // (no IMU's rate, in a file too short to check it against its samples: it was taken, and averaged to nothing)
      ['rate-infinite.csv', shortFile(good).replace(/rate_hz=\S+/, 'rate_hz=Infinity'), /rate_hz=Infinity in its metadata is not a sample rate \(an IMU's, 5-10000 Hz\)/],
      ['rate-huge.csv', shortFile(good).replace(/rate_hz=\S+/, 'rate_hz=1e9'), /rate_hz=1e9 in its metadata is not a sample rate/],
      // (a time in hexadecimal read as a number, 0x10 as 16 ms)
      ['hex.csv', good.replace(/\n(\d+)(\.\d+)?,/, (_m, t) => `\n0x${Number(t).toString(16)},`), /line \d+: "0x[0-9a-f]+" is not a number/],
      // (times in another unit than ms: in seconds, with no rate_hz, it read as 52,083 Hz, averaged into two samples,
      // "0 strides", exit 0; with rate_hz, it was told to correct its rate_hz)
      ['seconds.csv', good.replace(/ rate_hz=\S+/, '').replace(/^(\d+(\.\d+)?),/gm, (_m, t) => `${Number(t) / 1000},`), /seconds\.csv: its samples come 0\.0192 ms apart \(52100 Hz\), faster than an IMU samples: t_ms is in milliseconds; times in seconds read so/],
      ['microseconds.csv', good.replace(/^(\d+(\.\d+)?),/gm, (_m, t) => `${Number(t) * 1000},`), /its samples come 19200 ms apart \(0\.0521 Hz\), slower than an IMU samples a walk: .*times in microseconds read so/],
      // (an accelerometer in m/s²: a stride in six lost, exit 0)
      ['metres.csv', good.replace(/^(\d[^,\n]*),([^,]+),([^,]+),([^,]+),/gm, (_m, t, x, y, z) => `${t},${[x, y, z].map((v) => (Number(v) * 9.80665).toFixed(4)).join(',')},`), /metres\.csv: its accelerometer's median is 11\.\d, where a foot's is about 1 g: ax_g, ay_g and az_g are in g; these look like m\/s²: divide them by 9\.81$/m],
      ['minutes.csv', 'time_utc,pod_id,seq,start_s,time_estimated,forward,backward\n2026-12-06T13:26:00.000Z,c0de30000001,0,1796563560,0,40,0\n', /minutes\.csv holds minutes from `retrostep export`, not a recording: replay reads the raw samples `retrostep record` writes$/m],
      ['walk.csv.gz', zlib.gzipSync(good), /walk\.csv\.gz is compressed \(gzip\): replay reads the CSV itself: gunzip it first$/m],
      // (the other files retrostep writes and keeps, by their first bytes: each was "line 1 should be the header")
      ['week.db', databaseBytes(), /week\.db is an SQLite database \(the minutes `retrostep sync` stores\), not a recording: replay reads the raw samples `retrostep record` writes \(CSV\)$/m],
      ['week.fit', Buffer.concat([Buffer.from([14, 0x20, 0x52, 0x08, 0x3d, 0x01, 0, 0]), Buffer.from('.FIT'), Buffer.from([0, 0])]), /week\.fit is a FIT activity \(`retrostep export --format fit`\), not a recording/],
      ['week.html', '<!doctype html>\n<html lang="en">\n<head>\n', /week\.html is a web page \(`retrostep report`\?\), not a recording/],
      ['week.json', '{\n  "schema_version": 1,\n  "generator": "retrostep",\n', /week\.json is JSON \(`retrostep export --format json`\?\), not a recording/],
      ['sim-pod.flash', Buffer.from('+P\0\0.bootcde\0\0\0\0', 'latin1'), /sim-pod\.flash is a binary file, not a recording/],
      // (a gyro in rad/s: no stride at all, exit 0)
      ['radians.csv', good.replace(/^(\d[^,\n]*),([^,]+),([^,]+),([^,]+),([^,]+),([^,]+),([^,\n]+)/gm, (_m, t, x, y, z, ...g) => `${t},${x},${y},${z},${g.slice(0, 3).map((v: string) => (Number(v) / 57.29578).toFixed(4)).join(',')}`), /radians\.csv: its gyro reads [\d.]+ \(99th percentile\) though its accelerometer shows a walk, .*: gx_dps, gy_dps and gz_dps are in degrees\/s; these look like rad\/s: multiply them by 57\.3$/m],
      ['one-sample.csv', good.split('\n').filter((l, k, all) => !/^\d/.test(l) || all.findIndex((x) => /^\d/.test(x)) === k).join('\n'), /only one sample: a recording needs two or more/],
    ];
    for (const [name, text, want] of cases) {
      it(name, () => {
        const file = path.join(dir, name);
        if (name !== 'missing') fs.writeFileSync(file, text);
        const r = runCli(['replay', file]);
        expect(r.code, name).toBe(2);
        expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
        expect(r.stderr, name).toMatch(want);
      });
    }
  });

  describe('what is no recording file, refused before it is read: one line, exit 2', () => {
    it('a device: /dev/zero was read without end', () => {
      const r = runCli(['replay', '/dev/zero']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('retrostep: /dev/zero is not a regular file (a device): replay reads a recording saved in a file\n');
    });

    it('a pipe whose writer stays open was waited on for good', () => {
      const fifo = path.join(dir, 'walk.fifo');
      withHeldFifo(fifo, () => {
        const r = runCli(['replay', fifo]);
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`retrostep: ${fifo} is not a regular file (a pipe): replay reads a recording saved in a file\n`);
      });
    });

    it('a file larger than replay can hold as text (the largest plausible recording): said by its size, not read whole first', () => {
      // (sparse: its size without its bytes; read, it is zeros, "a binary file" after seconds of reading)
      const big = path.join(dir, 'huge.csv');
      fs.copyFileSync(FIXTURE, big);
      fs.truncateSync(big, 2 * MAX_RECORDING_BYTES);
      // (a heap that holds the largest: on a machine of under 2 GB Node's own would say the heap's bound, below)
      const r = runCli(['replay', big], { NODE_OPTIONS: '--max-old-space-size=4096' });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`retrostep: ${big} is 1074 MB, more than replay can read (537 MB, 15 hours at 204.8 Hz): cut it into shorter recordings\n`);
      fs.rmSync(big);
    });

    it("a recording bigger than Node's heap holds (a small machine's): one line saying how to give it more, not V8's \"heap out of memory\" and a stack trace; one under that bound replays in the same heap", () => {
      // (a heap of 112 MB, 64 of them old space: it holds a recording of 25 MB, 24 MiB)
      const heap = { NODE_OPTIONS: '--max-old-space-size=64' };
      const good = fs.readFileSync(FIXTURE, 'utf8');
      const rows = good.split('\n').filter((l) => /^\d/.test(l)).map((l) => l.slice(l.indexOf(',')));
      const period_ms = 1000 / Number(/rate_hz=(\S+)/.exec(good)![1]);
      const walk = (mb: number) => {
        const out = [good.slice(0, good.indexOf(RECORDING_HEADER) + RECORDING_HEADER.length)];
        for (let k = 0, size = 0; size < mb * 1e6; k++) {
          const row = `${(k * period_ms).toFixed(1)}${rows[k % rows.length].replace(/,contact [^,]*$/, ',')}`;
          out.push(row);
          size += row.length + 1;
        }
        return `${out.join('\n')}\n`;
      };
      const big = path.join(dir, 'long.csv');
      fs.writeFileSync(big, walk(30));
      const refused = runCli(['replay', big], heap);
      expect(refused.stderr).toMatch(new RegExp(`^retrostep: ${big} is 30 MB, more than replay can hold in this machine's memory \\(25 MB, in Node's 112 MB heap\\): cut it into shorter recordings, or give Node more \\(NODE_OPTIONS=--max-old-space-size=\\d+\\)\n$`));
      expect(refused.code).toBe(2);
      fs.writeFileSync(big, walk(20));
      const replayed = runCli(['replay', big], heap);
      expect(replayed.stderr).toBe('');
      expect(replayed.code).toBe(0);
      expect(replayed.stdout).toMatch(/^\S+long\.csv: \d+\.\d s at 52 Hz, \d+ strides\n/);
      fs.rmSync(big);
    });
  });
});
