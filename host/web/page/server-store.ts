/**
 * The SyncStore of the page: the local `retrostep web` server, which stores
 * through the CLI's own SQLite code. A call resolves only once the server
 * committed, so the sync acks the pod after, never before (sync-records.ts).
 */
import type { MinuteRecord } from '../../../shared/protocol/records.js';
import type { PodStatus, SyncStore } from '../../src/sync-records.js';

async function call<T>(path: string, body?: unknown): Promise<T> {
  const r = await fetch(path, body === undefined ? { cache: 'no-store' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`the retrostep server refused ${path} (${r.status}): ${text}`);
  return JSON.parse(text) as T;
}

export function serverStore(): SyncStore {
  return {
    async upsertPod(pod) {
      await call('/api/pods', pod);
    },
    async lastSeq(podId) {
      return (await call<{ last_seq: number }>(`/api/pods/${encodeURIComponent(podId)}/last-seq`)).last_seq;
    },
    async firstSeqHeard(podId) {
      return (await call<{ first_seq: number }>(`/api/pods/${encodeURIComponent(podId)}/first-seq-heard`)).first_seq;
    },
    async storedRecords(podId, from, to) {
      return (await call<{ records: MinuteRecord[] }>(`/api/pods/${encodeURIComponent(podId)}/records?from=${from}&to=${to}`)).records;
    },
    async insertRecords(podId: string, records: MinuteRecord[]) {
      return (await call<{ added: number }>('/api/records', { pod_id: podId, records })).added;
    },
    async newHistory(podId) {
      return (await call<{ kept: number }>(`/api/pods/${encodeURIComponent(podId)}/new-history`, {})).kept;
    },
    async saveStatus(podId: string, status: PodStatus) {
      await call('/api/status', { pod_id: podId, status });
    },
  };
}
