/**
 * A database this user cannot write (a backup kept read-only, a file on a read-only drive or in a read-only folder),
 * opened by a command that only reads: read from a copy of its bytes in memory, migrated there when its schema is
 * older, so nothing is written to it or beside it. Opened in place, an older schema's migration was refused ("cannot
 * write database ...") and a read left SQLite's -wal and -shm beside it, read-only to the user; in a read-only folder
 * SQLite could not open it at all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError } from '../errors.js';
import { writeRefusal } from '../file-stat.js';
import { type Db, journalFolder, openDbCopy, translateDbError } from './db.js';

/** What access() says of a file or folder this user may not write: its mode, or a read-only drive. */
const NOT_WRITABLE = ['EACCES', 'EPERM', 'EROFS'];

function writable(f: string): boolean {
  // (another failure is not a refusal to write: SQLite opens it as before and says what is wrong)
  return !NOT_WRITABLE.includes(writeRefusal(f) ?? '');
}

/**
 * A database there that this user cannot write in place: the file, or its folder, where SQLite makes its -wal and
 * -shm. False when there is none (it is made) and for root, who writes anything.
 */
export function cannotWriteDb(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  return !writable(file) || !writable(journalFolder(file));
}

/** Bytes 18 and 19 of an SQLite file, its write and read format versions: 2 in WAL mode (sqlite.org/fileformat.html, 1.3.3). */
const FORMAT_VERSION_AT = [18, 19];
const WAL_FORMAT = 2;
/** A rollback journal's format version: SQLite opens bytes in memory only as that (in WAL's, "unable to open database file"). */
const JOURNAL_FORMAT = 1;
/** The size of an SQLite file's header: shorter bytes are no database (cut off: a copy that stopped part way). */
const HEADER_BYTES = 100;

/**
 * The bytes of the database SQLite opens read-only at `at`, its -wal's commits in them. Read once first, so that
 * SQLite's own failure (a file it cannot open, a damaged one) is thrown as SQLite's: serialize() said "Out of memory".
 */
function serializedReadOnly(at: string): Buffer {
  const db = new Database(at, { readonly: true, fileMustExist: true });
  try {
    db.pragma('user_version');
    return db.serialize();
  } finally {
    db.close();
  }
}

/**
 * The database and its -wal, copied to a folder of our own and read there: a -wal left with no -shm beside it. SQLite
 * reads a -wal through the -shm, and made one beside the database (read-only as the database is, so a later sync was
 * refused) or, in a read-only folder, could not ("unable to open database file", said as "Out of memory").
 */
function serializedFromCopies(file: string): Buffer {
  let dir: string | undefined;
  try {
    let copy: string;
    try {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-read-'));
      copy = path.join(dir, path.basename(file));
      for (const suffix of ['', '-wal']) {
        fs.copyFileSync(`${file}${suffix}`, `${copy}${suffix}`);
        fs.chmodSync(`${copy}${suffix}`, 0o600);
      }
    } catch (e) {
      throw new DatabaseError(`cannot read database ${file}: copying it and its -wal to read them (in ${os.tmpdir()}): ${(e as Error).message}`);
    }
    return serializedReadOnly(copy);
  } finally {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The database's bytes: with its -wal's commits when it has one. */
function databaseBytes(file: string): Buffer {
  // (a -wal with content: commits may be only there. With a -shm beside it, another program may have the database open
  // now (each that opens it in WAL mode makes one): SQLite reads it read-only, in step with that program. With none,
  // no program has it open, and the -wal was left by one that ended without folding it in, or copied with the file: read
  // from copies. With no -wal the file is the whole database, read as bytes: SQLite would leave its -wal and -shm
  // behind, or in a read-only folder not open it.)
  if ((fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) {
    return fs.existsSync(`${file}-shm`) ? serializedReadOnly(file) : serializedFromCopies(file);
  }
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new DatabaseError(`cannot read database ${file}: ${(e as Error).message}`);
  }
}

/** The database at `file`, which this user cannot write (cannotWriteDb), as a read-only copy in memory. */
export function openReadOnlyCopy(file: string): Db {
  let bytes: Buffer;
  try {
    bytes = databaseBytes(file);
  } catch (e) {
    throw translateDbError(e, file);
  }
  // (said as SQLite says such a file opened in place, damaged; given to SQLite in memory, it said "unable to open
  // database file (check the path and its permissions)" of a file it had read)
  if (bytes.length < HEADER_BYTES) throw translateDbError(Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }), file);
  for (const at of FORMAT_VERSION_AT) if (bytes[at] === WAL_FORMAT) bytes[at] = JOURNAL_FORMAT;
  return openDbCopy(bytes, file);
}
