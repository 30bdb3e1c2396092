/** The global --db option: open the database for a command and always close it. */
import type { Command } from 'commander';
import { type Db, defaultDbPath, openDb } from '../store/db.js';

export function dbFile(cmd: Command): string {
  return (cmd.optsWithGlobals() as { db?: string }).db ?? defaultDbPath();
}

export async function withDb<T>(cmd: Command, fn: (db: Db, file: string) => Promise<T>): Promise<T> {
  const file = dbFile(cmd);
  const db = openDb(file);
  try {
    return await fn(db, file);
  } finally {
    db.close();
  }
}
