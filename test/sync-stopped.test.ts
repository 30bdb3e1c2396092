/**
 * A sync stopped part way says how far it got, whatever stopped it (sync-stopped.ts): here a full disk, with a real
 * SQLITE_FULL from SQLite (a database held to two pages) and the free space handed in, as the drive here is not full.
 * Ctrl-C, a locked database and a lost pod are run through the CLI in cli-sync.test.ts.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { syncStoppedBy } from '../host/src/sync-stopped.js';

/** SQLite's own error for a database that cannot grow. */
function sqliteFull(): unknown {
  const db = new Database(':memory:');
  try {
    db.pragma('max_page_count = 2');
    db.exec('CREATE TABLE t (b BLOB)');
    db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024));
  } catch (e) {
    return e;
  } finally {
    db.close();
  }
  throw new Error('SQLite took 64 KB into two pages');
}

describe('a sync stopped by a full disk', () => {
  const soFar = { copied: { done: 16, total: 40 }, file: 'week.db', again: 'retrostep --db week.db sync' };

  it('says how far it got and that the pod keeps the rest, exit 3 (it said "the disk it is on is full" alone)', () => {
    const e = sqliteFull();
    expect((e as { code?: string }).code).toBe('SQLITE_FULL');
    const said = syncStoppedBy(e, soFar, () => 0);
    expect(said?.exitCode).toBe(3);
    expect(said?.message).toBe('sync stopped after 16 of 40 minute records were copied into week.db: the disk it is on is full (0 KB free); the pod keeps the rest until a sync copies them: once you have freed some space, run `retrostep --db week.db sync` again');
  });

  it('once every minute was copied, or before any was to be, it is left to its own line', () => {
    const e = sqliteFull();
    expect(syncStoppedBy(e, { ...soFar, copied: { done: 40, total: 40 } }, () => 0)).toBeNull();
    expect(syncStoppedBy(e, { ...soFar, copied: null }, () => 0)).toBeNull();
  });
});
