/**
 * The SyncStore over SQLite: what `retrostep sync` writes through, and what
 * the `retrostep web` server writes the page's records through, so both
 * store the same rows.
 */
import { type MinuteRecord, RECORD_CLOCK_VALID } from '../../../shared/protocol/records.js';
import type { PodConfig } from '../../../shared/protocol/config.js';
import type { PodStatus, SyncStore } from '../sync-records.js';
import { type Db, insertRecords, lastSeq, savedStatus, savePodConfig, savePodStatus, seqBase, startNewHistory, storedRecords, upsertPod } from './db.js';

export function sqliteSyncStore(db: Db, now_s: () => number = () => Date.now() / 1000): SyncStore {
  return {
    upsertPod: (pod) => upsertPod(db, pod, Math.floor(now_s())),
    // (in the pod's own numbers: stored after seqBase once its numbering started again)
    lastSeq(podId) {
      const base = seqBase(db, podId), last = lastSeq(db, podId);
      return last >= base ? last - base : -1;
    },
    storedRecords(podId, from, to) {
      const base = seqBase(db, podId);
      return storedRecords(db, podId, from + base, to + base).map((r) => ({ ...r, seq: r.seq - base }));
    },
    newHistory: (podId) => startNewHistory(db, podId),
    firstSeqHeard: (podId) => savedStatus(db, podId)?.first_seq ?? 0,
    saveStatus: (podId: string, status: PodStatus) => savePodStatus(db, podId, status, Math.floor(now_s())),
    saveConfig: (podId: string, config: PodConfig) => savePodConfig(db, podId, config, Math.floor(now_s())),
    insertRecords(podId: string, records: MinuteRecord[]) {
      const base = seqBase(db, podId);
      const rows = records.map((rec) => {
        // a record from an earlier boot without a clock: the best the host knows is "before this sync"
        const estimated = (rec.flags & RECORD_CLOCK_VALID) === 0;
        return { rec: base ? { ...rec, seq: rec.seq + base } : rec, start_s: estimated ? Math.floor(now_s() / 60) * 60 : rec.start_s, estimated };
      });
      return insertRecords(db, podId, rows, Math.floor(now_s()));
    },
  };
}
