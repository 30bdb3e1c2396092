/** The global --db option: open the database for a command and always close it. */
import type { Command } from 'commander';
import { type Db, defaultDbPath, openDb, translateDbError } from '../store/db.js';

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
