import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError } from '../host/src/errors.js';
import { summarise, totals, wrongText } from '../host/src/report/summary.js';
import Database from 'better-sqlite3';
import { DEMO_POD_NAME, insertRecords, lastSeq, listPods, openDb, podsWalkingTogether, savePodConfig, savePodStatus, SCHEMA_VERSION, seenPodConfigs, setPodName, translateDbError, upsertPod } from '../host/src/store/db.js';
import { configDefaults } from '../shared/protocol/config.js';
import { spawnRacers } from './helpers/at-once.js';
import { backToSchema } from './helpers/older-schema.js';
import { runCli } from './helpers/cli.js';
import { type MinuteRecord, RECORD_WRONG_JUDGES_FORWARD } from '../shared/protocol/records.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-db-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function rec(seq: number, forward: number, backward: number): MinuteRecord {
  return { seq, start_s: 1_790_000_000 + seq * 60, flags: 1, forward, backward, heel: forward, flat: 0, toe: backward, wrong: 0, buzzes: 0, cadence_spm: 110, active_s: 60 };
}

describe('SQLite store', () => {
  it('creates the schema at the current version and reopens it', () => {
    const file = path.join(tmp(), 'a.db');
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const again = openDb(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('keys records by (pod, seq): storing the same batch twice adds nothing', () => {
    const db = openDb(path.join(tmp(), 'b.db'));
    upsertPod(db, { pod_id: 'aabbccddeeff' }, 1);
    const rows = [0, 1, 2].map((s) => ({ rec: rec(s, 50, 10), start_s: 1_790_000_000 + s * 60, estimated: false }));
    expect(insertRecords(db, 'aabbccddeeff', rows, 2)).toBe(3);
    expect(insertRecords(db, 'aabbccddeeff', rows, 3)).toBe(0);
    expect(lastSeq(db, 'aabbccddeeff')).toBe(2);
    // a second pod with the same seqs is a different pod
    upsertPod(db, { pod_id: '112233445566' }, 1);
    expect(insertRecords(db, '112233445566', rows.slice(0, 1), 3)).toBe(1);
    const t = totals(db);
    expect(t.forward).toBe(200);
    expect(t.backward).toBe(40);
    const s = summarise(totals(db, { pod_id: 'aabbccddeeff' }), 70);
    expect(s.steps_est).toBe(2 * (150 + 30));
    // 180 s of walking split 5:1 forward:backward -> 30 s backward
    expect(s.retro_min).toBeCloseTo(0.5, 5);
    expect(s.kcal).toBeCloseTo(4.3 * 70 * (150 / 3600) + 6.0 * 70 * (30 / 3600), 6);
    db.close();
  });

  it('a folder that does not exist is a DatabaseError naming it', () => {
    const file = path.join(tmp(), 'missing', 'x.db');
    expect(() => openDb(file)).toThrow(DatabaseError);
    expect(() => openDb(file)).toThrow(/does not exist/);
  });

  it('no file ("" or ":memory:", which SQLite keeps only until it closes) is a DatabaseError, not a database that vanishes', () => {
    for (const file of ['', ':memory:']) {
      expect(() => openDb(file), file).toThrow(DatabaseError);
      expect(() => openDb(file), file).toThrow(/names no file: records synced there would be gone/);
    }
  });

  it('a file that is not a database is a DatabaseError, and the file is left alone', () => {
    const file = path.join(tmp(), 'junk.db');
    fs.writeFileSync(file, 'this is not sqlite'.repeat(100));
    const before = fs.readFileSync(file);
    // (said as another file of the user's: "damaged ... move it aside and sync again" was for a database)
    expect(() => openDb(file)).toThrow(`${file} is not a database (not an SQLite file: an export, a report, a recording?): left as it was; pick another --db`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('a database damaged past its first bytes is said to be damaged, and left alone', () => {
    const file = path.join(tmp(), 'damaged.db');
    openDb(file).close();
    const image = fs.readFileSync(file);
    // (SQLite's own header kept, the rest of its first page, its page size among it, overwritten)
    image.fill(0xa5, 16, 100);
    fs.writeFileSync(file, image);
    expect(() => openDb(file)).toThrow(/^database .* is damaged or not a retrostep database: move it aside/);
    expect(fs.readFileSync(file).equals(image)).toBe(true);
  });

  it("another program's SQLite database is refused and left as it was, byte for byte", () => {
    const file = path.join(tmp(), 'theirs.db');
    const theirs = new Database(file);
    theirs.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');");
    theirs.close();
    const before = fs.readFileSync(file);
    expect(() => openDb(file)).toThrow(DatabaseError);
    expect(() => openDb(file)).toThrow(/another program's SQLite database.*pick another --db/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    // an empty file, or a new one, is ours to make
    const empty = path.join(tmp(), 'empty.db');
    fs.writeFileSync(empty, '');
    openDb(empty).close();
  });

  it('retrosteps opening the same new file at once each open it: none takes the other\'s half-made file for another program\'s, or migrates it twice', async () => {
    // (separate processes, as `web` and `sync` started together: the built store, each opening at the same instant)
    const store = pathToFileURL(path.resolve('dist/host/src/store/db.js')).href;
    const failures: string[] = [];
    for (let round = 0; round < 8; round++) {
      const file = path.join(tmp(), 'new.db');
      const { racers, go } = spawnRacers(
        6,
        `import { openDb } from ${JSON.stringify(store)};
        await atOnce();
        try { openDb(${JSON.stringify(file)}).close(); } catch (e) { console.error(e.message); process.exitCode = 1; }`,
      );
      const closed = racers.map((child) => {
        let err = '';
        child.stderr!.on('data', (b: Buffer) => (err += b));
        return new Promise<void>((resolve) => child.on('close', (code) => (code !== 0 && failures.push(err.trim() || `exit ${code}`), resolve())));
      });
      await go();
      await Promise.all(closed);
      const db = openDb(file);
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      db.close();
    }
    expect(failures).toEqual([]);
  });

  it("SQLite's extended codes read as their family: a read-only folder says so, a busy WAL says another program has it (another retrostep, or an SQLite browser)", () => {
    // (a folder root can write to cannot be made read-only here: the errors better-sqlite3 gives, as it gives them)
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
    const cases: [string, string, RegExp][] = [
      ['SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database', /^cannot use database week\.db: its folder is read-only, and SQLite writes its journal beside it \(week\.db-wal, -shm\): copy it to a folder you can write to$/],
      ['SQLITE_BUSY_RECOVERY', 'database is locked', /^database week\.db is locked by another program \(another retrostep, or an SQLite browser or shell with changes not yet written\?\): wait for it to finish and try again$/],
      ['SQLITE_CANTOPEN_ISDIR', 'unable to open database file', /^cannot open database week\.db: .*\(check the path and its permissions\)$/],
      ['SQLITE_CORRUPT_INDEX', 'database disk image is malformed', /^database week\.db is damaged or not a retrostep database/],
    ];
    for (const [code, message, want] of cases) {
      const e = translateDbError(sqlite(code, message), 'week.db');
      expect(e, code).toBeInstanceOf(DatabaseError);
      expect(e.message, code).toMatch(want);
    }
  });

  it('a full disk is said as one, also where SQLite calls it a disk I/O error (WAL\'s -shm file could not grow)', () => {
    // (errors as better-sqlite3 gave them on a full 300 KB tmpfs: SQLITE_FULL storing a page, SQLITE_IOERR_SHMSIZE
    // opening the database; the free space is handed in, as the drive here is not full)
    const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
    const say = (code: string, message: string, free: number | undefined) => translateDbError(sqlite(code, message), 'week.db', () => free).message;
    const full = /^database week\.db: the disk it is on is full \(27 KB free\): free some space and run it again \(records a sync could not store stay on the pod\)$/;
    expect(say('SQLITE_IOERR_SHMSIZE', 'disk I/O error', 28_000)).toMatch(full);
    expect(say('SQLITE_IOERR_WRITE', 'disk I/O error', 28_000)).toMatch(full);
    expect(say('SQLITE_FULL', 'database or disk is full', 28_000)).toMatch(full);
    expect(say('SQLITE_FULL', 'database or disk is full', undefined)).toMatch(/the disk it is on is full: free some space/);
    // SQLITE_FULL with room beside the database: its temporary files' folder is the one full
    expect(say('SQLITE_FULL', 'database or disk is full', 50e9)).toMatch(/^database week\.db: SQLite ran out of room, though the disk it is on has some: the folder for temporary files \(TMPDIR/);
    // an I/O error on a drive with room, or one that is not a write, is not called a full disk
    expect(say('SQLITE_IOERR_SHMSIZE', 'disk I/O error', 50e9)).toBe('database week.db: disk I/O error');
    expect(say('SQLITE_IOERR_SHMSIZE', 'disk I/O error', undefined)).toBe('database week.db: disk I/O error');
    expect(say('SQLITE_IOERR_READ', 'disk I/O error', 28_000)).toBe('database week.db: disk I/O error');
  });

  it('two pods walking the same minutes (both feet: every step summed twice) are found, and summary says so', () => {
    const file = path.join(tmp(), 'two.db');
    const db = openDb(file);
    const now_s = Math.floor(Date.now() / 60_000) * 60 - 3 * 3600; // whole minutes, 3 h ago
    const add = db.prepare('INSERT INTO pods (pod_id, name, first_seen_s) VALUES (?, ?, 0)');
    add.run('aaaaaaaaaaaa', 'retrostep-aaaa');
    add.run('bbbbbbbbbbbb', 'retrostep-bbbb');
    add.run('dddddddddddd', DEMO_POD_NAME);
    const rec = db.prepare('INSERT INTO records (pod_id, seq, start_s, time_estimated, forward, backward, heel, flat, toe, wrong, buzzes, cadence_spm, active_s, synced_s) VALUES (?, ?, ?, ?, 50, 0, 50, 0, 0, 0, 0, 100, ?, 0)');
    for (let m = 0; m < 5; m++) rec.run('aaaaaaaaaaaa', m, now_s + m * 60, 0, 60);
    // b: the same minutes 1-3; minute 4 with no walking in it; minute 0 stamped by the host's estimate
    // (minute 1 started 17 s off the minute: the one a pod runs when its clock is set; still minute 1, as the plan counts it)
    for (let m = 1; m < 4; m++) rec.run('bbbbbbbbbbbb', m, now_s + m * 60 + (m === 1 ? 17 : 0), 0, 60);
    rec.run('bbbbbbbbbbbb', 4, now_s + 4 * 60, 0, 0);
    rec.run('bbbbbbbbbbbb', 0, now_s, 1, 60);
    // the demo's made-up walk in the same minutes has its own note
    for (let m = 0; m < 5; m++) rec.run('dddddddddddd', m, now_s + m * 60, 0, 60);
    expect(podsWalkingTogether(db, now_s, now_s + 3600)).toEqual({ pods: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'], minutes: 3 });
    expect(podsWalkingTogether(db, now_s + 4 * 60, now_s + 3600)).toBeNull();
    db.close();
    const line = '  pods together        aaaaaaaaaaaa and bbbbbbbbbbbb walked the same 3 minutes: worn on both feet, those steps are counted twice here; --pod ID sums one pod';
    expect(runCli(['--db', file, 'summary', '--no-chart']).stdout.split('\n')).toContain(line);
    expect(runCli(['--db', file, 'summary', '--no-chart', '--pod', 'aaaaaaaaaaaa']).stdout).not.toContain('pods together');
    // --json says what the notes say, for a script summing the totals (it said neither)
    const json = JSON.parse(runCli(['--db', file, 'summary', '--json']).stdout);
    expect([json.pod, json.demo_included, json.pods_together]).toEqual([null, 'dddddddddddd', { pods: ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'], minutes: 3 }]);
    const one = JSON.parse(runCli(['--db', file, 'summary', '--json', '--pod', 'AA:AA:AA:AA:AA:AA']).stdout);
    expect([one.pod, one.demo_included, one.pods_together]).toEqual(['aaaaaaaaaaaa', null, null]);
    // the report says so too (its figures are summary's, and it summed them without a word), and the demo's walk in them
    const page = runCli(['--db', file, 'report', '--out', '-']).stdout;
    expect(page).toContain('<p class="notice" data-mixed="together">Pods aaaaaaaaaaaa and bbbbbbbbbbbb walked the same 3 minutes: worn on both feet, those steps are counted twice here; <code>retrostep report --pod ID</code> shows one pod.</p>');
    expect(page).toContain('<p class="notice" data-mixed="demo">These figures include the demo\'s made-up walk (pod dddddddddddd');
    expect(runCli(['--db', file, 'report', '--pod', 'aaaaaaaaaaaa', '--out', '-']).stdout).not.toContain('data-mixed');
  });

  it('a device for the database (--db /dev/null) is refused before SQLite touches it, not "disk I/O error" with /dev/null-journal made beside it', () => {
    const journal = '/dev/null-journal';
    const there = fs.existsSync(journal);
    try {
      expect(() => openDb('/dev/null')).toThrow(new DatabaseError('cannot open database /dev/null: it is not a file (a device?): give a file, e.g. --db week.db'));
      expect(fs.existsSync(journal)).toBe(there);
    } finally {
      if (!there) fs.rmSync(journal, { force: true });
    }
  });

  it('a newer schema than we know is refused rather than touched, the file named (it said "database schema N is newer ..." of whichever file it read)', () => {
    const file = path.join(tmp(), 'new.db');
    const db = openDb(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    // (a newer retrostep might keep its journal otherwise: ours is switched to WAL only once the version is ours)
    db.pragma('journal_mode = DELETE');
    db.close();
    expect(() => openDb(file)).toThrow(`database ${file} was written by a newer retrostep (its schema ${SCHEMA_VERSION + 5}; this one understands up to ${SCHEMA_VERSION}): left as it was; update retrostep, or pick another --db`);
    const after = new Database(file, { readonly: true });
    expect(after.pragma('journal_mode', { simple: true })).toBe('delete');
    after.close();
  });

  it('a version-1 database (before pod status was kept) migrates with its records, and then keeps each pod\'s last status', () => {
    const file = path.join(tmp(), 'v1.db');
    // the version-1 schema exactly as it shipped: the first migration only
    const v1 = new Database(file);
    v1.exec(`CREATE TABLE pods (pod_id TEXT PRIMARY KEY, name TEXT, fw_version TEXT, first_seen_s INTEGER NOT NULL, last_sync_s INTEGER);
      CREATE TABLE records (pod_id TEXT NOT NULL REFERENCES pods(pod_id), seq INTEGER NOT NULL, start_s INTEGER NOT NULL, time_estimated INTEGER NOT NULL DEFAULT 0,
        forward INTEGER NOT NULL, backward INTEGER NOT NULL, heel INTEGER NOT NULL, flat INTEGER NOT NULL, toe INTEGER NOT NULL, wrong INTEGER NOT NULL,
        buzzes INTEGER NOT NULL, cadence_spm INTEGER NOT NULL, active_s INTEGER NOT NULL, coach_prompted INTEGER NOT NULL DEFAULT 0, coach_done INTEGER NOT NULL DEFAULT 0,
        synced_s INTEGER NOT NULL, PRIMARY KEY (pod_id, seq));
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO pods VALUES ('aabbccddeeff', 'retrostep-ddee', '1.0', 1, 2);
      INSERT INTO records VALUES ('aabbccddeeff', 7, 1790000000, 0, 40, 10, 40, 0, 10, 1, 1, 100, 60, 0, 0, 2);
      PRAGMA user_version = 1;`);
    v1.close();
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(lastSeq(db, 'aabbccddeeff')).toBe(7);
    // (its records were made before a full pod's folded records were marked: not folded, and none in its totals)
    expect(db.prepare('SELECT folded FROM records').all()).toEqual([{ folded: 0 }]);
    expect(totals(db)).toMatchObject({ folded: 0, folded_from_s: null, unfolded_active_s: 60, unfolded_strides: 50 });
    expect(listPods(db)).toEqual([{ pod_id: 'aabbccddeeff', name: 'retrostep-ddee', fw_version: '1.0', last_sync_s: 2, status_s: null, status: null }]);
    const status = { battery_pct: 12, flags: 64, first_seq: 0, next_seq: 8, stored: 8, capacity: 1900, ram_pending: 0, mode: 0 };
    savePodStatus(db, 'aabbccddeeff', { ...status, extra: 'dropped' } as typeof status, 50);
    expect(listPods(db)[0]).toMatchObject({ status_s: 50, status });
    db.close();
  });

  it('a version-5 database (before records said their rule judged forward strides) migrates with its records, their wrong-gait share of backward strides; records after it judged forward share over both', () => {
    const file = path.join(tmp(), 'v5.db');
    // version 5 exactly: the current schema less the records' wrong_judges_forward
    const made = openDb(file);
    upsertPod(made, { pod_id: 'aabbccddeeff', name: 'retrostep-ddee' }, 1);
    backToSchema(made, 5);
    made.prepare('INSERT INTO records (pod_id, seq, start_s, forward, backward, heel, flat, toe, wrong, buzzes, cadence_spm, active_s, synced_s) VALUES (?, 0, 1790000000, 50, 10, 53, 0, 7, 3, 3, 110, 60, 2)').run('aabbccddeeff');
    made.close();
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const before = summarise(totals(db), 70);
    expect(before.wrong_rate).toBe(3 / 10);
    expect(wrongText(before)).toBe('3 (30.0% of backward)');
    // a minute whose rule judged forward strides: its 6 wrong of 40 forward and 2 backward
    insertRecords(db, 'aabbccddeeff', [{ rec: { ...rec(1, 40, 2), wrong: 6, flags: 1 | RECORD_WRONG_JUDGES_FORWARD }, start_s: 1_790_000_060, estimated: false }], 3);
    const after = summarise(totals(db), 70);
    expect(after.wrong_rate).toBe(9 / (10 + 40 + 2));
    expect(wrongText(after)).toBe('9 (17.3% of the strides judged)');
    db.close();
  });

  it('a version-4 database (before pod settings were kept) opens with its records; then keeps each pod\'s settings, the pod last heard from first, the demo\'s left out', () => {
    const file = path.join(tmp(), 'v4.db');
    // version 4 exactly: the current schema less the settings' columns and the records' wrong_judges_forward
    const made = openDb(file);
    upsertPod(made, { pod_id: 'aabbccddeeff', name: 'retrostep-ddee' }, 1);
    backToSchema(made, 4);
    made.close();
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listPods(db).map((p) => p.pod_id)).toEqual(['aabbccddeeff']);
    expect(seenPodConfigs(db)).toEqual([]);
    savePodConfig(db, 'aabbccddeeff', { ...configDefaults(), coach_steps: 20 }, 100);
    // (a pod the database does not hold keeps nothing: its sync reads them again)
    savePodConfig(db, '0000000000aa', { ...configDefaults(), coach_steps: 30 }, 300);
    upsertPod(db, { pod_id: 'de0000000003' }, 1);
    setPodName(db, 'de0000000003', DEMO_POD_NAME);
    savePodConfig(db, 'de0000000003', { ...configDefaults(), coach_steps: 0 }, 400);
    expect(seenPodConfigs(db)).toEqual([{ pod_id: 'aabbccddeeff', name: 'retrostep-ddee', config: { ...configDefaults(), coach_steps: 20 }, seen_s: 100 }]);
    upsertPod(db, { pod_id: 'bbbbbbbbbbbb', name: 'retrostep-bbbb' }, 1);
    savePodConfig(db, 'bbbbbbbbbbbb', { ...configDefaults(), coach_steps: 10 }, 200);
    expect(seenPodConfigs(db).map((c) => [c.pod_id, c.seen_s])).toEqual([
      ['bbbbbbbbbbbb', 200],
      ['aabbccddeeff', 100],
    ]);
    db.close();
  });
});
