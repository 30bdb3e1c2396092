/**
 * Sync into the SQLite database: the protocol half (sync-records.ts, shared
 * with the `retrostep web` page) over the store's own code (store/sync-store.ts).
 */
import type { Db } from './store/db.js';
import { sqliteSyncStore } from './store/sync-store.js';
import { type SyncOptions, type SyncResult, syncRecords } from './sync-records.js';
import type { PodClient } from './pod-client.js';

export { type SyncResult } from './sync-records.js';

export async function syncPod(client: PodClient, db: Db, options: SyncOptions = {}): Promise<SyncResult> {
  return syncRecords(client, sqliteSyncStore(db, options.now_s), options);
}
