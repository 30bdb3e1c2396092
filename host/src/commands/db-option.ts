/** The global --db option: open the database for a command and always close it. */
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { type Db, defaultDbPath, listPods, openDb, podExists, translateDbError } from '../store/db.js';

export function dbFile(cmd: Command): string {
  return (cmd.optsWithGlobals() as { db?: string }).db ?? defaultDbPath();
}

export async function withDb<T>(cmd: Command, fn: (db: Db, file: string) => Promise<T>): Promise<T> {
  const file = dbFile(cmd);
  const db = openDb(file);
  try {
    return await fn(db, file);
  } catch (e) {
    // SQLite failures mid-command (locked by another retrostep, disk full, damaged) become one line
    throw translateDbError(e, file);
  } finally {
    db.close();
  }
}

/** --pod's help: the forms podIdArg takes. */
export const POD_OPTION_HELP = 'one pod only: its id as `sync` prints it, or its address as `sim` and `scan` print it (e3:f6:...)';

/** --pod names a pod the database knows (else its figures would be zeros, as if it never walked). */
export function checkPodOption(db: Db, file: string, pod: string | undefined): void {
  if (pod === undefined || podExists(db, pod)) return;
  const ids = listPods(db).map((p) => p.pod_id);
  // (an empty one, a script's unset variable, said as the empty period flags are, not "no pod  in x.db"; with the
  // ids, as no command lists them: sync prints one)
  if (pod === '') throw new InputError(`--pod is empty: give a pod id (${ids.length ? `this database's pods are ${ids.join(', ')}` : 'this database has no pods yet'}), or leave it out for every pod`);
  throw new InputError(`no pod ${pod} in ${file}: ${ids.length ? `its pods are ${ids.join(', ')}` : 'it has no pods yet (retrostep sync stores a pod\'s walks)'}`);
}
