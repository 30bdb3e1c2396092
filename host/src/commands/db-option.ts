/** The global --db option: open the database for a command and always close it. */
import path from 'node:path';
import type { Command } from 'commander';
import { DatabaseError, InputError } from '../errors.js';
import { simStateFile } from './link-option.js';
import { sameFile } from '../out-file.js';
import { shellWord } from '../shell-word.js';
import { type Db, dbPathStat, defaultDbPath, listPods, namesNoFile, openDb, pickAnotherDb, podsNamed, refuseBadDbPath, refuseReadOnlyDb, translateDbError } from '../store/db.js';
import { cannotWriteDb, openReadOnlyCopy } from '../store/read-only-copy.js';

/** --db as given (undefined: not given). */
const dbOption = (cmd: Command): string | undefined => (cmd.optsWithGlobals() as { db?: string }).db;

export function dbFile(cmd: Command): string {
  return dbOption(cmd) ?? defaultDbPath();
}

/**
 * A read command (summary, report, export, plan, config get) given a database that is not there, or an empty file,
 * refuses it: opening would make a new, empty database, and its zeros would read as a week not walked when the name
 * was mistyped. The data folder's own database is made as before (a first `summary` says nothing is synced yet).
 */
function refuseMissingDb(cmd: Command, file: string): void {
  // (named by --db, or by RETROSTEP_DB: the data folder's own is made)
  const byEnv = dbOption(cmd) === undefined;
  if (byEnv && !process.env.RETROSTEP_DB) return;
  // (a folder that is not there, or is a file, is openDb's to say: its line names what to fix)
  if (!dbPathStat(file, path.dirname(path.resolve(file)))?.isDirectory()) return;
  const st = dbPathStat(file, file);
  // (a name from RETROSTEP_DB, perhaps set long ago in a shell profile, is said to be one: "no database at x.db" from
  // a command given no file read as retrostep's own gone; the commands that make it then need no --db)
  const name = byEnv ? `${file} (RETROSTEP_DB)` : file;
  const db = byEnv ? '' : ` --db ${shellWord(file)}`;
  const makeIt = `check the name; \`retrostep sync${db}\` (or \`retrostep demo${db}\`) makes it`;
  if (!st) throw new DatabaseError(`no database at ${name}: ${makeIt}`);
  // (SQLite takes an empty file for an empty database, and a read command would write its tables into it)
  if (st.isFile() && st.size === 0) throw new DatabaseError(`${name} is an empty file, not a retrostep database: ${makeIt}`);
}

/**
 * What a command does with its database: `reads` only (summary, plan), `writes` it as its job (sync, web, demo, config
 * set of your settings), or `notes` in it what it can do without (config set of the pod's: the settings seen, for plan).
 */
export interface DbUse {
  reads?: boolean;
  writes?: boolean;
  notes?: boolean;
}

/**
 * The database file the command is to use, refused before anything is opened when it cannot be one (the virtual pod's
 * state; with `reads`, one that is not there; with `writes`, one read-only to this user). withDb opens it.
 */
export function checkedDbFile(cmd: Command, opts: DbUse = {}): string {
  const file = dbFile(cmd);
  // (no file at all, "" or :memory:, is openDb's to refuse, with its own reason)
  if (!namesNoFile(file)) {
    // (the virtual pod's state given to --db: "damaged ... move it aside and sync again" moved the pod's unsynced
    // minutes away from where sim and --sim look for them; a sync made a database where the state was to be)
    if (sameFile(file, simStateFile(cmd))) throw new DatabaseError(`${file} is the virtual pod's state file, not a database: ${pickAnotherDb(file)}`);
    if (opts.reads) refuseMissingDb(cmd, file);
  }
  refuseBadDbPath(file);
  if (opts.writes) refuseReadOnlyDb(file);
  return file;
}

/**
 * Open the database for fn and close it after; `reads` (a command that only reads) refuses one not there, and reads
 * one this user cannot write from a copy in memory (read-only-copy.ts: an older schema's, migrated there); `notes`
 * does too, its note then refused as read-only (opened in place, SQLite left its -wal and -shm beside it read-only,
 * and a later sync was refused for them).
 */
export async function withDb<T>(cmd: Command, fn: (db: Db, file: string) => Promise<T>, opts: DbUse = {}): Promise<T> {
  return withDbFile(checkedDbFile(cmd, opts), fn, opts);
}

/** Open `file` (checkedDbFile's) for fn and close it after, its SQLite failures said in one line; `reads` as withDb's. */
export async function withDbFile<T>(file: string, fn: (db: Db, file: string) => Promise<T>, opts: DbUse = {}): Promise<T> {
  const db = (opts.reads || opts.notes) && cannotWriteDb(file) ? openReadOnlyCopy(file) : openDb(file);
  try {
    return await fn(db, file);
  } catch (e) {
    // SQLite failures mid-command (locked by another program, disk full, damaged) become one line
    throw translateDbError(e, file);
  } finally {
    db.close();
  }
}

/** --pod's help: the forms podIdArg takes. */
export const POD_OPTION_HELP = 'one pod only: its id as `sync` prints it, its address as `sim` and `scan` print it (e3:f6:...), or its name as the report shows it (retrostep-c65e)';

/**
 * The pod --pod names, as its id: one the database knows (else its figures would be zeros, as if it never walked).
 * Its name, as the report's pod table shows it (retrostep-c65e), names it too: it was refused, as the name a user
 * reads is the one typed.
 */
export function checkPodOption(db: Db, file: string, pod: string | undefined): string | undefined {
  if (pod === undefined) return pod;
  const named = podsNamed(db, pod);
  if (named.length === 1) return named[0];
  if (named.length > 1) throw new InputError(`${named.length} pods in ${file} are named ${pod}: give one's id (${named.join(', ')})`);
  // (with their names, as the report shows them: "no pod retrostep-c65f" listed ids alone)
  const ids = listPods(db).map((p) => (p.name ? `${p.pod_id} (${p.name})` : p.pod_id));
  // (an empty one, a script's unset variable, said as the empty period flags are, not "no pod  in x.db"; with the
  // ids, as no command lists them: sync prints one)
  if (pod === '') throw new InputError(`--pod is empty: give a pod id (${ids.length ? `this database's pods are ${ids.join(', ')}` : 'this database has no pods yet'}), or leave it out for every pod`);
  throw new InputError(`no pod ${pod} in ${file}: ${ids.length ? `its pods are ${ids.join(', ')}` : 'it has no pods yet (retrostep sync stores a pod\'s walks)'}`);
}
