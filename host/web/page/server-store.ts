/**
 * The SyncStore of the page: the local `retrostep web` server, which stores
 * through the CLI's own SQLite code. A call resolves only once the server
 * committed, so the sync acks the pod after, never before (sync-records.ts).
 */
import type { MinuteRecord } from '../../../shared/protocol/records.js';
import type { PodConfig } from '../../../shared/protocol/config.js';
import type { PodStatus, SyncStore } from '../../src/sync-records.js';

/**
 * The server could not store or read what the sync asked (its database locked by another program, its disk full):
 * a fault on this computer, not in the link to the pod, so the page does not send the user closer to the pod.
 */
export class ServerRefusal extends Error {
  constructor(readonly status: number, readonly why: string, path: string) {
    super(`the retrostep server refused ${path} (${status}): ${why}`);
    this.name = 'ServerRefusal';
  }
}

async function call<T>(path: string, body?: unknown): Promise<T> {
  const r = await fetch(path, body === undefined ? { cache: 'no-store' } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) {
    let why = text;
    try {
      why = String((JSON.parse(text) as { error?: unknown }).error ?? text);
    } catch {
      // (not the server's JSON: its text as it came)
    }
    throw new ServerRefusal(r.status, why, path);
  }
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
    async saveConfig(podId: string, config: PodConfig) {
      await call('/api/config', { pod_id: podId, config });
    },
  };
}
