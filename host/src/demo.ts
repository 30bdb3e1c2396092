/**
 * `retrostep demo`: the whole product with no hardware. A virtual Puck.js
 * runs the real pod bundle; a simulated walker wears it for a scripted
 * 10-minute session; the host syncs its minute records over the real
 * protocol into SQLite and summarises them next to the script's truth.
 */
import { setTimePayload } from './clock.js';
import { readBundle } from './firmware-bundle.js';
import { talkToPod, VIRTUAL_POD_PASSKEY } from './sim/talk-to-pod.js';
import { VirtualPod } from './sim/virtual-pod.js';
import { demoScript } from './sim/demo-script.js';
import { createWalker, type StrideTruth, truthCounts } from './sim/walker.js';
import { type Db, DEMO_POD_NAME, deletePodRecords, setPodName } from './store/db.js';
import { syncPod, type SyncResult } from './sync.js';
import { type Summary, summarise, totals } from './report/summary.js';
import { DEFAULT_WEIGHT_KG } from './report/energy.js';

/**
 * The demo pod's address, so its pod id is its own: `retrostep sim` pods use
 * the virtual pod's default address, and a week synced from one of those
 * must not be mixed with (or replaced by) demo walks.
 */
const DEMO_MAC = 'c0:de:30:00:00:01';
/** After the walk, wait this long so the pod closes and stores the last minute. */
const CLOSE_LAST_MINUTE_MS = 61_000;

export interface DemoResult {
  sync: SyncResult;
  /** minute records of the previous demo walk, replaced by this one */
  replaced: number;
  summary: Summary;
  truth: ReturnType<typeof truthCounts>;
  strides: StrideTruth[];
  buzzes: number;
  duration_ms: number;
  wall_ms: number;
}

export interface DemoOptions {
  seed?: number;
  weight_kg?: number;
  bundle?: string;
  /** wall-clock "now" for the session's end (tests pin it) */
  now_s?: () => number;
  onStage?: (text: string) => void;
  /** the walk's sync has ended, its transaction committed: this walk is in the database from now on */
  onStored?: () => void;
}

export async function runDemo(db: Db, options: DemoOptions = {}): Promise<DemoResult> {
  const wall0 = performance.now();
  const now_s = options.now_s ?? (() => Date.now() / 1000);
  const walker = createWalker(demoScript(), { seed: options.seed ?? 1 });
  const pod = new VirtualPod({ bundle: options.bundle ?? readBundle(), imuSource: walker.source, passkey: VIRTUAL_POD_PASSKEY, mac: DEMO_MAC });
  const session_s = (walker.duration_ms + CLOSE_LAST_MINUTE_MS) / 1000;
  pod.boot();

  // 1. Like a user's first connection: the host sets the pod's clock (to when the walk starts).
  options.onStage?.('connecting to the virtual pod and setting its clock');
  // on a whole minute: the same session then always falls into the same minute records and the IMU
  // samples the walk at the same instants, so running the demo twice gives the same counts
  const start_s = Math.floor((now_s() - session_s) / 60) * 60;
  const demoPodId = await talkToPod(pod, async (client) => (await client.request('set_time', setTimePayload(start_s), 'info')).pod_id);

  // 2. The walk, faster than real time.
  options.onStage?.(`walking the scripted ${Math.round(walker.duration_ms / 60000)}-minute session`);
  pod.advance(walker.duration_ms + CLOSE_LAST_MINUTE_MS);

  // 3. Sync over the real protocol into the database.
  options.onStage?.('syncing minute records');
  let replaced = 0;
  const sync = await talkToPod(pod, async (client) => {
    // each run is a new walk (another seed, or a newer engine): it replaces the last demo's records
    // (deleted only now the walk is done) rather than being taken for the same minutes synced again,
    // which kept showing the first demo ever run. In one transaction with the sync: a demo stopped part way
    // (Ctrl-C, a full disk) had deleted the last demo's records and stored part of its own
    db.exec('BEGIN IMMEDIATE');
    try {
      replaced = deletePodRecords(db, demoPodId);
      const r = await syncPod(client, db, { now_s });
      setPodName(db, r.pod_id, DEMO_POD_NAME);
      db.exec('COMMIT');
      options.onStored?.();
      return r;
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  });
  const summary = summarise(totals(db, { pod_id: sync.pod_id }), options.weight_kg ?? DEFAULT_WEIGHT_KG);
  return {
    sync,
    replaced,
    summary,
    truth: truthCounts(walker.truth),
    strides: walker.truth,
    buzzes: pod.hapticsLog.length,
    duration_ms: walker.duration_ms,
    wall_ms: performance.now() - wall0,
  };
}
