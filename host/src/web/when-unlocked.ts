/**
 * The `web` server's wait for a database another program holds. SQLite's own wait (the busy timeout) sleeps inside
 * the call, and so blocked Node's event loop: while a write waited its 5 s for a lock another program held, the
 * server answered nothing else, not even the page (measured: a GET of the page sent 0.2 s after a locked POST
 * answered 4.8 s later; alone, 13 ms). The server's connection waits not at all (busy_timeout 0), and a call the
 * lock refused is tried again here between timers, for as long as the CLI waits: other requests are answered
 * meanwhile.
 */
import { BUSY_TIMEOUT_MS, type Db, isLocked } from '../store/db.js';

/** Between tries: a sync's write holds the lock for tens of ms, and a try costs well under one. */
const LOCKED_RETRY_MS = 50;

/** No wait inside SQLite on this connection: whenUnlocked does the waiting. */
export function waitOffTheEventLoop(db: Db): void {
  db.pragma('busy_timeout = 0');
}

/**
 * fn(), tried again while another program holds the database, until BUSY_TIMEOUT_MS has passed (then its failure
 * is thrown, said as the CLI says it). fn must be all or nothing: a statement or a transaction, or a read.
 */
export async function whenUnlocked<T>(db: Db, fn: () => T): Promise<T> {
  for (const end = Date.now() + BUSY_TIMEOUT_MS; ;) {
    try {
      return fn();
    } catch (e) {
      // (a server closed while this waited: its database is closed too, and the failure stands)
      if (!isLocked(e) || Date.now() >= end || !db.open) throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, LOCKED_RETRY_MS).unref());
  }
}
