/**
 * Sync: copy a pod's un-acked minute records into the database, then ack
 * them, batch by batch. Resumable and idempotent: records are keyed by
 * (pod, seq) and committed before they are acked, so a sync cut at any
 * byte, repeated, or run twice loses and duplicates nothing.
 */
import { decodeRecord, type MinuteRecord, RECORD_BYTES, RECORD_CLOCK_VALID } from '../../shared/protocol/records.js';
import { PROTOCOL_VERSION } from '../../shared/protocol/frame.js';
import { type Db, insertRecords, lastSeq, upsertPod } from './store/db.js';
import { setTimePayload } from './clock.js';
import { podNotices } from './pod-notices.js';
import { PodError } from './errors.js';
import type { PodClient } from './pod-client.js';

/** Records asked for per request: 16 x 20 B per frame keeps wire overhead near 5%. */
export const SYNC_BATCH = 16;
/** Set the pod's clock when it is off by more than this (s): minute records are stamped to the second. */
const CLOCK_TOLERANCE_S = 2;

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

export async function syncPod(client: PodClient, db: Db, options: { now_s?: () => number; onProgress?: (p: SyncProgress) => void } = {}): Promise<SyncResult> {
  const now = options.now_s ?? (() => Date.now() / 1000);
  let info = await client.request('hello', {}, 'info');
  if (info.protocol !== PROTOCOL_VERSION) throw new PodError(`the pod speaks protocol ${info.protocol}; this retrostep speaks ${PROTOCOL_VERSION}: update retrostep`);
  let clockSet = false;
  if (info.clock_s === 0 || Math.abs(info.clock_s - now()) > CLOCK_TOLERANCE_S) {
    info = await client.request('set_time', setTimePayload(now()), 'info');
    clockSet = true;
  }
  const podId = info.pod_id;
  upsertPod(db, { pod_id: podId, name: `retrostep-${podId.slice(8, 12)}`, fw_version: info.fw_version }, Math.floor(now()));
  const status = await client.request('status_get', {}, 'status');
  const stored = lastSeq(db, podId);
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
    const rows: { rec: MinuteRecord; start_s: number; estimated: boolean }[] = [];
    let last = from - 1;
    for (let i = 0; i < n; i++) {
      const rec = decodeRecord(batch.data, i * RECORD_BYTES);
      if (!rec || rec.seq < from) continue;
      // a record from an earlier boot without a clock: the best the host knows is "before this sync"
      const estimated = (rec.flags & RECORD_CLOCK_VALID) === 0;
      rows.push({ rec, start_s: estimated ? Math.floor(now() / 60) * 60 : rec.start_s, estimated });
      last = Math.max(last, rec.seq);
    }
    if (rows.length === 0) {
      // nothing readable at or after `from`: the rest were torn writes
      result.skipped += status.next_seq - from;
      await client.request('ack', { up_to_seq: status.next_seq - 1 }, 'acked');
      break;
    }
    result.skipped += last - from + 1 - rows.length;
    result.received += rows.length;
    result.added += insertRecords(db, podId, rows, Math.floor(now()));
    await client.request('ack', { up_to_seq: last }, 'acked');
    from = last + 1;
    options.onProgress?.({ done: Math.min(total, from - Math.max(status.first_seq, stored + 1)), total });
  }
  return result;
}
