/**
 * The host's SQLite store: schema with numbered migrations (PRAGMA
 * user_version), records keyed by (pod_id, seq) so a repeated or interrupted
 * sync never duplicates, several pods per user.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { configKeys, type PodConfig } from '../../../shared/protocol/config.js';
import { type MinuteRecord, RECORD_CLOCK_VALID, RECORD_COACH_DONE, RECORD_COACH_PROMPTED, RECORD_FOLDED, RECORD_WRONG_JUDGES_FORWARD } from '../../../shared/protocol/records.js';
import { DatabaseError, DiskFullError } from '../errors.js';
import { dataFolder, makeDataFolder } from '../data-folder.js';
import { UnreachableError, statIfThere, writeRefusal } from '../file-stat.js';
import { shellWord } from '../shell-word.js';

export type Db = Database.Database;

/** Each entry moves the schema from version i to i+1. Never edit a shipped one: add another. */
const MIGRATIONS: string[] = [
  `CREATE TABLE pods (
     pod_id TEXT PRIMARY KEY,
     name TEXT,
     fw_version TEXT,
     first_seen_s INTEGER NOT NULL,
     last_sync_s INTEGER
   );
   CREATE TABLE records (
     pod_id TEXT NOT NULL REFERENCES pods(pod_id),
     seq INTEGER NOT NULL,
     start_s INTEGER NOT NULL,      -- Unix seconds (UTC) of the minute's start
     time_estimated INTEGER NOT NULL DEFAULT 0, -- 1: the pod had no clock; start_s is the host's estimate
     forward INTEGER NOT NULL,
     backward INTEGER NOT NULL,
     heel INTEGER NOT NULL,
     flat INTEGER NOT NULL,
     toe INTEGER NOT NULL,
     wrong INTEGER NOT NULL,
     buzzes INTEGER NOT NULL,
     cadence_spm INTEGER NOT NULL,
     active_s INTEGER NOT NULL,
     coach_prompted INTEGER NOT NULL DEFAULT 0,
     coach_done INTEGER NOT NULL DEFAULT 0,
     synced_s INTEGER NOT NULL,
     PRIMARY KEY (pod_id, seq)
   );
   CREATE INDEX records_by_time ON records(start_s);
   CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // the pod's status at its last sync (battery, flash, calibration flags), for the report's notices
  `ALTER TABLE pods ADD COLUMN status_json TEXT;
   ALTER TABLE pods ADD COLUMN status_s INTEGER;`,
  // folded = 1: the pod was full, and the minutes after this one were added into it (RECORD_FOLDED)
  `ALTER TABLE records ADD COLUMN folded INTEGER NOT NULL DEFAULT 0;`,
  // seq_base: what the pod's own numbering is moved by here. A pod whose Storage was wiped numbers its minutes
  // from 0 again; its walks already stored keep their seqs, and the new numbering is stored after them
  // (startNewHistory; the sync's store, sync-store.ts, speaks the pod's own numbers)
  `ALTER TABLE pods ADD COLUMN seq_base INTEGER NOT NULL DEFAULT 0;`,
  // the pod's settings as last seen (a sync's config_get, `config set`'s answer), and when: the plan says whether
  // its coach already asks for the plan's step. Null before one was seen (a database older than this, or the pod
  // only synced by an older retrostep)
  `ALTER TABLE pods ADD COLUMN config_json TEXT;
   ALTER TABLE pods ADD COLUMN config_s INTEGER;`,
  // wrong_judges_forward = 1: the pod's wrong-gait rule judged forward strides in this minute, so its wrong strides
  // are a share of forward and backward ones (RECORD_WRONG_JUDGES_FORWARD); 0 for every record stored before, as
  // their pods judged backward strides alone unless set otherwise, which no record of theirs says
  `ALTER TABLE records ADD COLUMN wrong_judges_forward INTEGER NOT NULL DEFAULT 0;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The way out a refusal of the database gives: another --db, and RETROSTEP_DB when that is what named the file (set
 * perhaps long ago in a shell profile, the user was sent to an option they never gave).
 */
export function pickAnotherDb(file: string): string {
  return process.env.RETROSTEP_DB && file === process.env.RETROSTEP_DB ? 'pick another --db, or change RETROSTEP_DB (it names this file)' : 'pick another --db';
}

/** Where the database lives unless --db or RETROSTEP_DB says otherwise. */
export function defaultDbPath(): string {
  if (process.env.RETROSTEP_DB) return process.env.RETROSTEP_DB;
  return dataFolderDb();
}

/**
 * The data folder's own database, whose folder is made on first use. Not RETROSTEP_DB's: a folder it names that is not
 * there is refused as --db's is (made, a mistyped folder in a shell profile gave `summary` a week of zeros).
 */
function dataFolderDb(): string {
  return path.join(dataFolder(), 'retrostep.db');
}

/** How long a retrostep waits for another one holding the database (a sync's write, another's first open). */
export const BUSY_TIMEOUT_MS = 5000;
/** Between tries of the WAL switch while another retrostep holds the file. */
const WAL_RETRY_MS = 20;

/**
 * The switch to WAL needs the file to itself, and SQLite answers it SQLITE_BUSY at once, without the busy
 * timeout, while another connection has it open: two retrosteps opening a new file together (`web` and `sync`)
 * failed 4 times in 30 rounds of 6 ("locked by another retrostep"). Tried again until the busy timeout.
 */
function walMode(db: Db): void {
  for (const end = Date.now() + BUSY_TIMEOUT_MS; ;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!String((e as { code?: string }).code).startsWith('SQLITE_BUSY') || Date.now() > end) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, WAL_RETRY_MS);
    }
  }
}

/**
 * A --db that names no file: SQLite reads "" as a temporary database and ":memory:" as one in memory, and a sync
 * into either would free the pod's records and lose them when retrostep exits (openDb refuses them).
 */
export const namesNoFile = (file: string): boolean => file === '' || file === ':memory:';

/** statIfThere of the database's path or its folder: one this user may not reach is the database's failure (exit 3). */
export function dbPathStat(file: string, at: string): fs.Stats | null {
  try {
    return statIfThere(at);
  } catch (e) {
    if (e instanceof UnreachableError) throw new DatabaseError(`cannot open database ${file}: ${e.why}: ${pickAnotherDb(file)}`);
    throw e;
  }
}

/**
 * A --db that cannot be a database file, refused before anything is opened or made (openDb does this first; sync
 * before it reaches the pod). The data folder's own database, whose folder openDb makes, passes while that is not there.
 */
export function refuseBadDbPath(file: string): void {
  if (namesNoFile(file)) throw new DatabaseError(`--db ${file === '' ? '""' : file} names no file: records synced there would be gone when retrostep exits; give a file, e.g. --db week.db`);
  const dir = path.dirname(path.resolve(file));
  if (file === dataFolderDb() && !fs.existsSync(dir)) return;
  const dirSt = dbPathStat(file, dir);
  if (!dirSt) throw new DatabaseError(`cannot open database ${file}: folder ${dir} does not exist (create it or ${pickAnotherDb(file)})`);
  if (!dirSt.isDirectory()) throw new DatabaseError(`cannot open database ${file}: ${dir} is a file, not a folder (${pickAnotherDb(file)})`);
  const st = dbPathStat(file, file);
  if (st?.isDirectory()) throw new DatabaseError(`cannot open database ${file}: it is a folder, not a file`);
  // (a device, /dev/null: SQLite made its journal beside it, /dev/null-journal, then said "disk I/O error")
  if (st && !st.isFile()) throw new DatabaseError(`cannot open database ${file}: it is not a file (a device?): give a file, e.g. --db week.db`);
}

export function openDb(file: string): Db {
  const dir = path.dirname(path.resolve(file));
  if (!namesNoFile(file) && file === dataFolderDb() && !fs.existsSync(dir)) makeDataFolder(dir, '--db');
  refuseBadDbPath(file);
  let db: Db;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    refuseForeign(db, file);
    refuseNewer(db, file);
    walMode(db);
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (e) {
    throw translateDbError(e, file);
  }
  return db;
}

/**
 * A database held in memory (read-only-copy.ts: the bytes of one this user cannot write) readied as openDb readies a
 * file: another program's or a newer retrostep's refused, an older schema migrated (in memory only), and then no
 * write taken (query_only: a write is refused as read-only, said by `file`). `file` names it in what is said.
 */
export function openDbCopy(bytes: Buffer, file: string): Db {
  try {
    const db = new Database(bytes);
    refuseForeign(db, file);
    refuseNewer(db, file);
    db.pragma('foreign_keys = ON');
    migrate(db);
    db.pragma('query_only = ON');
    return db;
  } catch (e) {
    throw translateDbError(e, file);
  }
}

/**
 * Under this much free space, a write SQLite could not make is read as a full disk: WAL grows its -shm file by
 * 32 KB at a time and a sync writes tens of KB, so a drive with less left cannot take them.
 */
const DISK_LOW_BYTES = 1 << 20;
/**
 * The failures a full disk gives besides SQLITE_FULL: where WAL's -shm file could not grow, SQLite says "disk I/O
 * error" (SQLITE_IOERR_SHMSIZE, measured on a full tmpfs), and a write the system refuses is SQLITE_IOERR_WRITE.
 * Others of the family (a read failing) are not a full disk, however little room is left.
 */
const FULL_DISK_IOERRS = ['SQLITE_IOERR_SHMSIZE', 'SQLITE_IOERR_WRITE'];

/** Bytes a user may still write on the drive holding file (undefined where the system will not say). */
export function freeBytesAt(file: string): number | undefined {
  try {
    const s = fs.statfsSync(path.dirname(path.resolve(file)));
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** A full disk, said as one; null where the failure is not one (the free space tells: see FULL_DISK_IOERRS). */
function fullDisk(code: string, file: string, freeBytes: (file: string) => number | undefined): DiskFullError | DatabaseError | null {
  if (code !== 'SQLITE_FULL' && !FULL_DISK_IOERRS.includes(code)) return null;
  const free = freeBytes(file);
  const low = free !== undefined && free < DISK_LOW_BYTES;
  if (low || (code === 'SQLITE_FULL' && free === undefined)) {
    return new DiskFullError(`the disk it is on is full${free === undefined ? '' : ` (${Math.floor(free / 1024)} KB free)`}`, file);
  }
  // (SQLITE_FULL with room beside the database: SQLite's temporary files go to TMPDIR, or /var/tmp or /tmp)
  if (code === 'SQLITE_FULL') return new DatabaseError(`database ${file}: SQLite ran out of room, though the disk it is on has some: the folder for temporary files (TMPDIR, else /var/tmp or /tmp) may be full`);
  return null;
}

/** Who holds a locked database, as the messages say it (sync's mid-way stop too). */
export const LOCKED_BY = 'locked by another program (another retrostep, or an SQLite browser or shell with changes not yet written?)';

/** SQLite's answer to a write while another connection holds one, past the busy timeout (extended codes too: SQLITE_BUSY_SNAPSHOT). */
export function isLocked(e: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test((e as { code?: unknown } | null)?.code?.toString() ?? '');
}

export function translateDbError(e: unknown, file: string, freeBytes: (file: string) => number | undefined = freeBytesAt): Error {
  if (e instanceof DatabaseError) return e;
  const err = e as { code?: string; message?: string };
  // (better-sqlite3 gives SQLite's extended codes, SQLITE_READONLY_DIRECTORY, SQLITE_BUSY_RECOVERY: each read as its family)
  const code = /^SQLITE_[A-Z]+/.exec(err.code ?? '')?.[0] ?? '';
  const full = fullDisk(err.code ?? '', file, freeBytes);
  if (full) return full;
  if (err.code === 'SQLITE_READONLY_DIRECTORY') return readOnlyFolder(file);
  // (a file that never was a database, an export's CSV given to --db by a slip, is not to be moved aside and
  // synced again as a damaged one is: it is some other file of the user's)
  if (code === 'SQLITE_NOTADB' && notSqlite(file)) return new DatabaseError(`${file} is not a database (not an SQLite file: an export, a report, a recording?): left as it was; ${pickAnotherDb(file)}`);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new DatabaseError(`database ${file} is damaged or not a retrostep database: move it aside and sync again (the pod keeps un-synced records)`);
  // (not only another retrostep: an SQLite browser or the sqlite3 shell holding a write open locks it as well, and
  // "another retrostep" sent a user looking for one that was not running)
  if (isLocked(e)) return new DatabaseError(`database ${file} is ${LOCKED_BY}: wait for it to finish and try again`);
  if (code === 'SQLITE_READONLY') {
    const readOnly = readOnlyAmong(file);
    if (readOnly) return readOnly;
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') return new DatabaseError(`cannot open database ${file}: ${err.message} (check the path and its permissions)`);
  if (code.startsWith('SQLITE_')) return new DatabaseError(`database ${file}: ${err.message}`);
  return e as Error;
}

/**
 * A database a command writes (sync, web, demo, config set of your settings), refused before it is opened when it or
 * SQLite's -wal or -shm beside it is read-only to this user (readOnlyAmong). Opened, SQLite made its -wal and -shm
 * beside it, read-only as it is, before the first write failed (web served its page until then); a sync reached the
 * pod first. A folder this user cannot write is refused the same way, before the pod is reached.
 */
export function refuseReadOnlyDb(file: string): void {
  const folder = path.dirname(path.resolve(file));
  // (a folder read-only, a read-only drive's: said as the folder, whatever the file's mode, as SQLite says it once it
  // opens or writes: a sync reached the pod before that)
  if (!fs.existsSync(file)) {
    if (fs.existsSync(folder) && writeRefusal(folder) !== null) throw new DatabaseError(`cannot make database ${file}: its folder is read-only to you: ${pickAnotherDb(file)}`);
    return;
  }
  if (writeRefusal(journalFolder(file)) !== null) throw readOnlyFolder(file);
  const readOnly = readOnlyAmong(file);
  if (readOnly) throw readOnly;
}

/**
 * The folder SQLite makes a database's -wal and -shm in: the file's own, the file a link names being the one it opens
 * (a database linked to from a read-only folder was refused though SQLite writes it). `file` is there.
 */
export function journalFolder(file: string): string {
  return path.dirname(fs.realpathSync(file));
}

/**
 * The file a link names, in full, when `file` is a link: SQLite opens that one and makes its -wal and -shm beside it.
 * Null when `file` is not a link (a folder on the way that is one, /tmp on macOS, leaves the -wal beside the name
 * given) or is not there.
 */
function linkedTo(file: string): string | null {
  try {
    const real = fs.realpathSync(file);
    return real === path.join(fs.realpathSync(path.dirname(path.resolve(file))), path.basename(file)) ? null : real;
  } catch {
    return null;
  }
}

/**
 * A database whose folder this user cannot write: SQLite cannot make its journal there, so nothing is written. Named
 * by a link, the folder is the linked-to file's (journalFolder): "its folder" sent the user to the link's, writable.
 */
function readOnlyFolder(file: string): DatabaseError {
  const real = linkedTo(file);
  if (real) return new DatabaseError(`cannot use database ${file}: it links to ${real}, whose folder is read-only, and SQLite writes its journal beside that file (${path.basename(real)}-wal, -shm): copy it to a folder you can write to`);
  return new DatabaseError(`cannot use database ${file}: its folder is read-only, and SQLite writes its journal beside it (${path.basename(file)}-wal, -shm): copy it to a folder you can write to`);
}

/**
 * A write refused as read-only, said by the file that is: the database, or SQLite's -wal and -shm beside it. A read
 * of a database the user may not write (a copy from a read-only medium, a backup kept read-only) leaves those two
 * behind read-only as well, as SQLite makes them with the database's mode and cannot remove them; once the database
 * was writable again, a sync said "cannot open database FILE: attempt to write a readonly database (check the path
 * and its permissions)" of a file whose permissions were right. Null when none is (a read-only drive, another cause).
 */
function readOnlyAmong(file: string): DatabaseError | null {
  // (beside the file a link names, where SQLite makes them: those beside the link's name were looked at and named)
  const real = linkedTo(file);
  const linked = real !== null;
  const base = real ?? file;
  const files = [file, `${base}-wal`, `${base}-shm`];
  const refused = files.filter((f) => {
    const code = writeRefusal(f);
    return code === 'EACCES' || code === 'EPERM';
  });
  if (refused.length === 0) return null;
  const beside = refused.filter((f) => f !== file).map((f) => (linked ? f : path.basename(f)));
  const sqlites = `SQLite's ${beside.join(' and ')} beside ${linked ? 'the file it links to' : 'it'}`;
  const chmod = `make ${refused.length === 1 ? 'it' : 'them'} writable (chmod u+w ${refused.map(shellWord).join(' ')})`;
  if (refused.includes(file)) return new DatabaseError(`cannot write database ${file}: it is read-only to you${beside.length ? ` (and ${sqlites})` : ''}: ${chmod} or ${pickAnotherDb(file)}`);
  return new DatabaseError(`cannot write database ${file}: ${sqlites} ${beside.length === 1 ? 'is' : 'are'} read-only to you (left so by a read while the database was read-only?): ${chmod} and try again`);
}

/** Every SQLite database file starts with these 16 bytes (sqlite.org/fileformat.html, 1.3). */
export const SQLITE_HEADER = 'SQLite format 3\0';

/** Does `file` hold bytes that are not an SQLite database's start? (false if it cannot be read: said as SQLite said it) */
function notSqlite(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n > 0 && head.subarray(0, n).toString('latin1') !== SQLITE_HEADER.slice(0, n);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * A database retrostep never opened has schema version 0; if it has tables, another program made it. Touching
 * it (WAL mode, our tables) would change a file that is not ours: refuse before anything is written.
 */
function refuseForeign(db: Db, file: string): void {
  // (both read in one transaction: another retrostep making the same new file commits its tables and its version
  // at once, and read apart they could be its tables without its version)
  const { version, tables } = db.transaction(() => ({
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
  }))();
  if (version !== 0) return;
  if (tables > 0) {
    db.close();
    throw new DatabaseError(`${file} is another program's SQLite database (it has tables retrostep did not make): left as it was; ${pickAnotherDb(file)}`);
  }
}

/** A database a newer retrostep wrote, refused before anything is written (the switch to WAL, a migration). */
function refuseNewer(db: Db, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version <= SCHEMA_VERSION) return;
  db.close();
  // (named: with the data folder's database or RETROSTEP_DB, the user may not know which file it read)
  throw new DatabaseError(`database ${file} was written by a newer retrostep (its schema ${version}; this one understands up to ${SCHEMA_VERSION}): left as it was; update retrostep, or ${pickAnotherDb(file)}`);
}

function migrate(db: Db): void {
  const schema = () => db.pragma('user_version', { simple: true }) as number;
  const version = schema();
  if (version === SCHEMA_VERSION) return;
  // (another retrostep opening the same file may be migrating it: the version is read again under the write lock,
  // else both ran the same migration and the second failed, "table pods already exists")
  db.transaction(() => {
    for (let v = schema(); v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}

export interface PodInfoRow {
  pod_id: string;
  name?: string;
  fw_version?: string;
}

export function upsertPod(db: Db, pod: PodInfoRow, now_s: number): void {
  db.prepare(
    `INSERT INTO pods (pod_id, name, fw_version, first_seen_s) VALUES (@pod_id, @name, @fw_version, @now)
     ON CONFLICT(pod_id) DO UPDATE SET name = excluded.name, fw_version = excluded.fw_version`,
  ).run({ pod_id: pod.pod_id, name: pod.name ?? null, fw_version: pod.fw_version ?? null, now: now_s });
}

/**
 * The name `retrostep demo` stores its virtual pod under: the report lists it by name, and a real pod's
 * "retrostep-XXXX" beside the demo's "retrostep-0001" did not say which walks were made up.
 */
export const DEMO_POD_NAME = 'the demo (a virtual pod)';

/** The demo's pod ids as an SQL subquery, for `pod_id [NOT] IN ...`: bind DEMO_POD_NAME to its one parameter. */
export const DEMO_PODS_SQL = '(SELECT pod_id FROM pods WHERE name IS ?)';

export function setPodName(db: Db, podId: string, name: string): void {
  db.prepare('UPDATE pods SET name = ? WHERE pod_id = ?').run(name, podId);
}

/** The demo pod's id when the period's walking mixes its walk with other pods' (the totals then include made-up walking), else null. */
export function demoAmongOthers(db: Db, from_s: number, to_s: number): string | null {
  const pods = db.prepare('SELECT DISTINCT r.pod_id, p.name FROM records r JOIN pods p USING (pod_id) WHERE r.start_s >= ? AND r.start_s < ?').all(from_s, to_s) as { pod_id: string; name: string | null }[];
  const demo = pods.find((p) => p.name === DEMO_POD_NAME);
  return demo && pods.length > 1 ? demo.pod_id : null;
}

/**
 * Pods that walked in the same minutes of a period (by their clocks: minutes whose time the host estimated
 * are left out, and the demo has a note of its own): two pods worn at once, one on each foot, whose totals
 * sum every step twice. Null when no minute was walked by two. By minute of the clock, as the plan counts them
 * (report/plan.ts): the minute a pod runs when its clock is set starts off the minute, and by its second it was
 * not the other pod's minute.
 */
export function podsWalkingTogether(db: Db, from_s: number, to_s: number): { pods: string[]; minutes: number } | null {
  const rows = db
    .prepare(
      `SELECT group_concat(DISTINCT pod_id) AS pods FROM records
       WHERE start_s >= ? AND start_s < ? AND active_s > 0 AND time_estimated = 0
         AND pod_id NOT IN ${DEMO_PODS_SQL}
       GROUP BY start_s / 60 HAVING COUNT(DISTINCT pod_id) > 1`,
    )
    .all(from_s, to_s, DEMO_POD_NAME) as { pods: string }[];
  if (rows.length === 0) return null;
  const pods = [...new Set(rows.flatMap((r) => r.pods.split(',')))].sort();
  return { pods, minutes: rows.length };
}

export function podExists(db: Db, podId: string): boolean {
  return db.prepare('SELECT 1 FROM pods WHERE pod_id = ?').get(podId) !== undefined;
}

/**
 * The pods `pod` names: its id (as podIdArg gives it), else every pod of that name as the report shows it
 * (retrostep-c65e, the last 4 hex digits of its id: two pods can share one), in any case. `--pod` and the page's
 * report take both.
 */
export function podsNamed(db: Db, pod: string): string[] {
  if (podExists(db, pod)) return [pod];
  // (in any case, as its id and address are taken: the name's hex digits read as typed from the address)
  return (db.prepare('SELECT pod_id FROM pods WHERE lower(name) = lower(?) ORDER BY pod_id').all(pod) as { pod_id: string }[]).map((r) => r.pod_id);
}

/** What the pod's own numbering is moved by in this database: 0 until its numbering started again (startNewHistory). */
export function seqBase(db: Db, podId: string): number {
  const row = db.prepare('SELECT seq_base FROM pods WHERE pod_id = ?').get(podId) as { seq_base: number } | undefined;
  return row?.seq_base ?? 0;
}

/**
 * The pod numbers its minutes from 0 again (its Storage was wiped): its records stored so far stay as they are,
 * and its new numbering is stored after them. Returns how many records it had stored.
 */
export function startNewHistory(db: Db, podId: string): number {
  const { n, next } = db.prepare('SELECT COUNT(*) AS n, COALESCE(MAX(seq) + 1, 0) AS next FROM records WHERE pod_id = ?').get(podId) as { n: number; next: number };
  db.prepare('UPDATE pods SET seq_base = ? WHERE pod_id = ?').run(next, podId);
  return n;
}

/** Highest seq stored for a pod, or -1. */
export function lastSeq(db: Db, podId: string): number {
  const row = db.prepare('SELECT MAX(seq) AS s FROM records WHERE pod_id = ?').get(podId) as { s: number | null };
  return row.s ?? -1;
}

/**
 * The records stored for a pod with seq in [from, to], in the pod's form: flags say only what the row
 * keeps (a real clock time or not, the coach bits, folded, the rule's directions), start_s is the host's estimate
 * where the pod had no clock.
 */
export function storedRecords(db: Db, podId: string, from: number, to: number): MinuteRecord[] {
  const rows = db
    .prepare(
      `SELECT seq, start_s, time_estimated, forward, backward, heel, flat, toe, wrong, buzzes, cadence_spm, active_s, coach_prompted, coach_done, folded, wrong_judges_forward
       FROM records WHERE pod_id = ? AND seq BETWEEN ? AND ? ORDER BY seq`,
    )
    .all(podId, from, to) as (Omit<MinuteRecord, 'flags'> & { time_estimated: number; coach_prompted: number; coach_done: number; folded: number; wrong_judges_forward: number })[];
  return rows.map(({ time_estimated, coach_prompted, coach_done, folded, wrong_judges_forward, ...r }) => ({
    ...r,
    flags:
      (time_estimated ? 0 : RECORD_CLOCK_VALID) |
      (coach_prompted ? RECORD_COACH_PROMPTED : 0) |
      (coach_done ? RECORD_COACH_DONE : 0) |
      (folded ? RECORD_FOLDED : 0) |
      (wrong_judges_forward ? RECORD_WRONG_JUDGES_FORWARD : 0),
  }));
}

/** Forget every record of one pod (the demo's pod, before it syncs a new walk); returns how many went. */
export function deletePodRecords(db: Db, podId: string): number {
  return db.prepare('DELETE FROM records WHERE pod_id = ?').run(podId).changes;
}

/** Store records in one transaction; returns how many were new. Already-stored (pod, seq) pairs are left as they are. */
export function insertRecords(db: Db, podId: string, records: { rec: MinuteRecord; start_s: number; estimated: boolean }[], now_s: number): number {
  const stmt = db.prepare(
    `INSERT OR IGNORE INTO records (pod_id, seq, start_s, time_estimated, forward, backward, heel, flat, toe, wrong, buzzes, cadence_spm, active_s, coach_prompted, coach_done, folded, wrong_judges_forward, synced_s)
     VALUES (@pod_id, @seq, @start_s, @est, @forward, @backward, @heel, @flat, @toe, @wrong, @buzzes, @cadence_spm, @active_s, @cp, @cd, @folded, @wjf, @now)`,
  );
  let added = 0;
  db.transaction(() => {
    for (const { rec, start_s, estimated } of records) {
      const r = stmt.run({
        pod_id: podId,
        seq: rec.seq,
        start_s,
        est: estimated ? 1 : 0,
        forward: rec.forward,
        backward: rec.backward,
        heel: rec.heel,
        flat: rec.flat,
        toe: rec.toe,
        wrong: rec.wrong,
        buzzes: rec.buzzes,
        cadence_spm: rec.cadence_spm,
        active_s: rec.active_s,
        cp: rec.flags & RECORD_COACH_PROMPTED ? 1 : 0,
        cd: rec.flags & RECORD_COACH_DONE ? 1 : 0,
        folded: rec.flags & RECORD_FOLDED ? 1 : 0,
        wjf: rec.flags & RECORD_WRONG_JUDGES_FORWARD ? 1 : 0,
        now: now_s,
      });
      added += r.changes;
    }
    db.prepare('UPDATE pods SET last_sync_s = ? WHERE pod_id = ?').run(now_s, podId);
  })();
  return added;
}

/** The pod's status payload as it answered at a sync (shared/protocol/messages.ts `status`). */
export interface StoredPodStatus {
  battery_pct: number;
  flags: number;
  first_seq: number;
  next_seq: number;
  stored: number;
  capacity: number;
  ram_pending: number;
  mode: number;
}

export function savePodStatus(db: Db, podId: string, status: StoredPodStatus, now_s: number): void {
  const { battery_pct, flags, first_seq, next_seq, stored, capacity, ram_pending, mode } = status;
  const json = JSON.stringify({ battery_pct, flags, first_seq, next_seq, stored, capacity, ram_pending, mode });
  db.prepare('UPDATE pods SET status_json = ?, status_s = ? WHERE pod_id = ?').run(json, now_s, podId);
}

/** The status last saved for a pod (null before a sync saved one, or for a pod not in the database). */
export function savedStatus(db: Db, podId: string): StoredPodStatus | null {
  const row = db.prepare('SELECT status_json FROM pods WHERE pod_id = ?').get(podId) as { status_json: string | null } | undefined;
  return parseStatus(row?.status_json);
}

/** A pods row's status_json as the status it saved (null: none saved). */
const parseStatus = (json: string | null | undefined): StoredPodStatus | null => (json ? (JSON.parse(json) as StoredPodStatus) : null);

/**
 * Keep the pod's settings as it gave them (a sync, `config set`), with when. Only for a pod the database holds (a
 * `config set` before its first sync keeps nothing: the sync reads them again).
 */
export function savePodConfig(db: Db, podId: string, config: PodConfig, now_s: number): void {
  const json = JSON.stringify(Object.fromEntries(configKeys().map((k) => [k, config[k]])));
  db.prepare('UPDATE pods SET config_json = ?, config_s = ? WHERE pod_id = ?').run(json, now_s, podId);
}

/** A pod's settings as last seen, and when (unix s). */
export interface SeenPodConfig {
  pod_id: string;
  name: string | null;
  config: PodConfig;
  seen_s: number;
}

/**
 * The settings of every pod whose settings were seen, the pod last heard from first (its settings seen most
 * recently), the demo's left out as the plan leaves its walk out.
 */
export function seenPodConfigs(db: Db): SeenPodConfig[] {
  const rows = db.prepare(`SELECT pod_id, name, config_json, config_s FROM pods WHERE config_json IS NOT NULL AND name IS NOT ? ORDER BY config_s DESC, pod_id`).all(DEMO_POD_NAME) as { pod_id: string; name: string | null; config_json: string; config_s: number }[];
  return rows.map((row) => ({ pod_id: row.pod_id, name: row.name, config: JSON.parse(row.config_json) as PodConfig, seen_s: row.config_s }));
}

export interface PodRow {
  pod_id: string;
  name: string | null;
  fw_version: string | null;
  last_sync_s: number | null;
  /** when the status was read, and what it said; null before the first sync that saved one */
  status_s: number | null;
  status: StoredPodStatus | null;
}

/**
 * When the pod was last synced (unix s), whether or not that sync had minutes to store: last_sync_s moves only with
 * new minutes, and every sync saves the status (status_s). Null before any.
 */
export function lastSyncOf(p: Pick<PodRow, 'last_sync_s' | 'status_s'>): number | null {
  return Math.max(p.last_sync_s ?? 0, p.status_s ?? 0) || null;
}

export function listPods(db: Db): PodRow[] {
  const rows = db.prepare('SELECT pod_id, name, fw_version, last_sync_s, status_s, status_json FROM pods ORDER BY pod_id').all() as (Omit<PodRow, 'status'> & { status_json: string | null })[];
  return rows.map(({ status_json, ...r }) => ({ ...r, status: parseStatus(status_json) }));
}

export function getSetting(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setSetting(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
