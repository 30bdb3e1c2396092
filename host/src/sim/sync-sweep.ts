/**
 * The sync fault sweep (issue 8): a virtual pod holding many minute records
 * is synced through a link cut at byte k, then synced again cleanly; the
 * database must then equal the pod's truth: no record lost, none duplicated,
 * none altered. Tests run a sample of k; the bench runs every k.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readBundle } from '../firmware-bundle.js';
import { PodClient } from '../pod-client.js';
import { type Db, openDb } from '../store/db.js';
import { syncPod } from '../sync.js';
import { FaultyTransport, type FaultPlan } from '../transports/faulty.js';
import type { Transport } from '../transports/transport.js';
import { Flash } from './flash.js';
import { gattMemoryTransport } from './gatt-link.js';
import { withRunningPod } from './run-pod.js';
import { talkToPod, VIRTUAL_POD_PASSKEY } from './talk-to-pod.js';
import { VirtualPod } from './virtual-pod.js';
import { createWalker, type Segment } from './walker.js';

/** Fixed host clock for every sync: rows compare equal across runs. */
export const NOW_S = 1_795_000_000;

/** A walk of `minutes` minutes, alternating forward and backward bouts, so every minute stores a record. */
export function sweepScript(minutes: number): Segment[] {
  const segs: Segment[] = [{ kind: 'stand', duration_s: 5 }];
  for (let m = 0; m < minutes; m++) segs.push({ kind: 'walk', direction: m % 3 === 2 ? 'backward' : 'forward', strides: m % 3 === 2 ? 55 : 50 });
  return segs;
}

/** Flash image of a pod that walked `minutes` from clock_s (clock set first, as a user's first connection would). */
export async function podImageWithRecords(minutes: number, bundle = readBundle(), clock_s = NOW_S - 7200): Promise<Uint8Array> {
  const walker = createWalker(sweepScript(minutes), { seed: 7 });
  const pod = new VirtualPod({ bundle, imuSource: walker.source, passkey: VIRTUAL_POD_PASSKEY });
  pod.boot();
  await talkToPod(pod, (client) => client.request('set_time', { unix_s: clock_s, tz_min: 0 }, 'info'));
  pod.advance(walker.duration_ms + 61_000);
  return Uint8Array.from(pod.flash.image);
}

/** A pod booted from a flash image; `mac` gives it another id than the virtual pod's default one. */
export function podFromImage(image: Uint8Array, bundle = readBundle(), mac?: string): VirtualPod {
  const flash = new Flash();
  flash.image.set(image);
  const pod = new VirtualPod({ bundle, flash, passkey: VIRTUAL_POD_PASSKEY, mac });
  pod.boot();
  return pod;
}

/** One sync over a link to `pod`, optionally with faults; resolves to the transport (for its counts) or rejects with the sync's error. */
export async function syncOver(pod: VirtualPod, db: Db, plan?: FaultPlan): Promise<FaultyTransport | null> {
  return withRunningPod(pod, async () => {
    const base = gattMemoryTransport(pod.peripheral, { passkey: VIRTUAL_POD_PASSKEY });
    const link: Transport = plan ? new FaultyTransport(base, plan) : base;
    await link.open();
    try {
      await syncPod(new PodClient(link, 300), db, { now_s: () => NOW_S });
    } finally {
      await link.close();
    }
    return plan ? (link as FaultyTransport) : null;
  });
}

export type Row = Record<string, number | string>;

export function recordRows(db: Db): Row[] {
  return db.prepare('SELECT pod_id, seq, start_s, time_estimated, forward, backward, heel, flat, toe, wrong, buzzes, cadence_spm, active_s, coach_prompted, coach_done FROM records ORDER BY pod_id, seq').all() as Row[];
}

export interface SweepResult {
  total_bytes: number;
  records: number;
  faults: number;
  cut_syncs_failed: number;
  syncs_completed: number;
  lost: number;
  duplicated: number;
  altered: number;
  /** offsets where the database did not equal the truth, for a failing test's message */
  bad_offsets: number[];
}

/** Compare a database's rows with the truth: lost, duplicated (same seq twice cannot happen with the key, so extra seqs), altered. */
export function compareRows(truth: Row[], got: Row[]): { lost: number; duplicated: number; altered: number } {
  const key = (r: Row) => `${r.pod_id}/${r.seq}`;
  const want = new Map(truth.map((r) => [key(r), JSON.stringify(r)]));
  const seen = new Map<string, number>();
  let altered = 0;
  for (const r of got) {
    const k = key(r);
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (want.has(k) && want.get(k) !== JSON.stringify(r)) altered++;
  }
  let lost = 0, duplicated = 0;
  for (const k of want.keys()) if (!seen.has(k)) lost++;
  for (const [k, n] of seen) duplicated += want.has(k) ? n - 1 : n;
  return { lost, duplicated, altered };
}

/**
 * Cut the link at each offset in `offsets` (bytes into a clean sync), then
 * sync again cleanly, each on a fresh copy of the pod and a fresh database.
 */
export async function runSyncSweep(image: Uint8Array, offsets: (total_bytes: number) => number[], bundle = readBundle()): Promise<SweepResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-sweep-'));
  try {
    // the truth: a clean sync of the same pod
    const refDb = openDb(path.join(dir, 'ref.db'));
    const counted = await syncOver(podFromImage(image, bundle), refDb, {});
    const truth = recordRows(refDb);
    refDb.close();
    const total = counted!.counts.bytes;
    const result: SweepResult = { total_bytes: total, records: truth.length, faults: 0, cut_syncs_failed: 0, syncs_completed: 0, lost: 0, duplicated: 0, altered: 0, bad_offsets: [] };
    for (const k of offsets(total)) {
      const pod = podFromImage(image, bundle);
      const file = path.join(dir, `k${k}.db`);
      const db = openDb(file);
      try {
        result.faults++;
        try {
          await syncOver(pod, db, { cutAfterBytes: k });
          result.syncs_completed++; // the cut fell after the last byte that mattered
        } catch {
          result.cut_syncs_failed++;
        }
        await syncOver(pod, db);
        result.syncs_completed++;
        const c = compareRows(truth, recordRows(db));
        result.lost += c.lost;
        result.duplicated += c.duplicated;
        result.altered += c.altered;
        if (c.lost || c.duplicated || c.altered) result.bad_offsets.push(k);
      } finally {
        db.close();
        fs.rmSync(file, { force: true });
      }
    }
    return result;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
