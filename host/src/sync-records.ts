/**
 * Sync, the protocol half: copy a pod's un-acked minute records into a
 * store, then ack them, batch by batch. Resumable and idempotent: records
 * are keyed by (pod, seq) and committed before they are acked, so a sync cut
 * at any byte, repeated, or run twice loses and duplicates nothing.
 *
 * Browser-safe (no Node APIs): the CLI runs it against SQLite (sync.ts) and
 * the `retrostep web` page runs the same code against the local server,
 * which stores through the same SQLite code (web/server.ts).
 */
import { decodeRecord, type MinuteRecord, RECORD_BYTES } from '../../shared/protocol/records.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/frame.js';
import type { PayloadOf } from '../../shared/protocol/messages.js';
import { setTimePayload } from './clock.js';
import { podNotices } from './pod-notices.js';
import { PodError } from './errors.js';
import type { PodClient } from './pod-client.js';

/** Records asked for per request: 16 x 20 B per frame keeps wire overhead near 5%. */
export const SYNC_BATCH = 16;
/** Set the pod's clock when it is off by more than this (s): minute records are stamped to the second. */
const CLOCK_TOLERANCE_S = 2;

export type PodStatus = PayloadOf<'status'>;

/**
 * Where synced records go. Each call may be async (the web page's store is
 * the local server); a call that resolves has committed, so the pod may free
 * what it stored.
 */
export interface SyncStore {
  upsertPod(pod: { pod_id: string; name: string; fw_version: string }): Promise<void> | void;
  /** highest seq stored for the pod, -1 for none */
  lastSeq(podId: string): Promise<number> | number;
  /** store records as the pod sent them (already-stored seqs are left alone); resolves to how many were new */
  insertRecords(podId: string, records: MinuteRecord[]): Promise<number> | number;
  /** the pod's status at this sync (battery, flash, calibration), for the report's notices */
  saveStatus(podId: string, status: PodStatus): Promise<void> | void;
}

export interface SyncProgress {
  done: number;
  total: number;
}

export interface SyncResult {
  pod_id: string;
  received: number;
  added: number;
  /** seqs the pod could not read back (torn by a reset mid-write) */
  skipped: number;
  /** records the pod still held that were already in the database (an earlier sync's ack was lost): acked, not read again */
  alreadyStored: number;
  clockSet: boolean;
  firstSeq: number;
  nextSeq: number;
  /** what the pod's status asks of its wearer (calibration, battery, storage), one line each */
  notices: string[];
}

export interface SyncOptions {
  now_s?: () => number;
  onProgress?: (p: SyncProgress) => void;
}

export async function syncRecords(client: PodClient, store: SyncStore, options: SyncOptions = {}): Promise<SyncResult> {
  const now = options.now_s ?? (() => Date.now() / 1000);
  let info = await client.request('hello', {}, 'info');
  if (info.protocol !== PROTOCOL_VERSION) throw new PodError(`the pod speaks protocol ${info.protocol}; this retrostep speaks ${PROTOCOL_VERSION}: update retrostep`);
  let clockSet = false;
  if (info.clock_s === 0 || Math.abs(info.clock_s - now()) > CLOCK_TOLERANCE_S) {
    info = await client.request('set_time', setTimePayload(now()), 'info');
    clockSet = true;
  }
  const podId = info.pod_id;
  await store.upsertPod({ pod_id: podId, name: `retrostep-${podId.slice(8, 12)}`, fw_version: info.fw_version });
  const status = await client.request('status_get', {}, 'status');
  await store.saveStatus(podId, status);
  const stored = await store.lastSeq(podId);
  let alreadyStored = 0;
  if (stored >= status.first_seq) {
    // committed last time but the ack was lost: free them now
    await client.request('ack', { up_to_seq: stored }, 'acked');
    alreadyStored = Math.min(stored, status.next_seq - 1) - status.first_seq + 1;
  }
  let from = Math.max(status.first_seq, stored + 1);
  const total = Math.max(0, status.next_seq - from);
  const result: SyncResult = { pod_id: podId, received: 0, added: 0, skipped: 0, alreadyStored, clockSet, firstSeq: status.first_seq, nextSeq: status.next_seq, notices: podNotices(status) };
  options.onProgress?.({ done: 0, total });
  while (from < status.next_seq) {
    const batch = await client.request('records_read', { from_seq: from, max: SYNC_BATCH }, 'records');
    const n = Math.floor(batch.data.length / RECORD_BYTES);
    const records: MinuteRecord[] = [];
    let last = from - 1;
    for (let i = 0; i < n; i++) {
      const rec = decodeRecord(batch.data, i * RECORD_BYTES);
      if (!rec || rec.seq < from) continue;
      records.push(rec);
      last = Math.max(last, rec.seq);
    }
    if (records.length === 0) {
      // nothing readable at or after `from`: the rest were torn writes
      result.skipped += status.next_seq - from;
      await client.request('ack', { up_to_seq: status.next_seq - 1 }, 'acked');
      break;
    }
    result.skipped += last - from + 1 - records.length;
    result.received += records.length;
    result.added += await store.insertRecords(podId, records);
    await client.request('ack', { up_to_seq: last }, 'acked');
    from = last + 1;
    options.onProgress?.({ done: Math.min(total, from - Math.max(status.first_seq, stored + 1)), total });
  }
  return result;
}
