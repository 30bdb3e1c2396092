/**
 * Power cuts inside the pod's flash writes (issue 8 point 2): the real
 * bundle in the virtual pod, restored from one flash image, cut after k
 * bytes of a record write, an ack or a config write, restarted, synced.
 * Tests run a sample of k; the bench runs every k.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configDefaults, type PodConfig } from '../../../shared/protocol/config.js';
import { readBundle } from '../firmware-bundle.js';
import { PodClient } from '../pod-client.js';
import { openDb } from '../store/db.js';
import { syncPod } from '../sync.js';
import { Flash } from './flash.js';
import { compareRows, recordRows, type Row } from './sync-sweep.js';
import { talkToPod, VIRTUAL_POD_PASSKEY } from './talk-to-pod.js';
import { type ImuSource, VirtualPod } from './virtual-pod.js';
import { createWalker, type Segment } from './walker.js';

/** A minute boundary: the pod's minutes close on whole wall-clock minutes. */
const NOW_S = 1_795_000_020 - (1_795_000_020 % 60);
/** Minutes walked before the image is taken. */
const MINUTES_BEFORE = 5.5;

/** Walking continuously from t0 (simulation ms): forward and backward minutes. */
function walking(t0_ms: number, seed: number): ImuSource {
  const segs: Segment[] = [];
  for (let m = 0; m < 40; m++) segs.push({ kind: 'walk', direction: m % 2 ? 'backward' : 'forward', strides: 50 });
  const w = createWalker(segs, { seed });
  return (t, r, out) => w.source(t - t0_ms, r, out);
}

/**
 * Talk to the pod with its clock stepped by the conversation itself
 * (withSteppedPod), not by real time: how much simulation time a request
 * takes is then the same on a busy machine, so a cut armed before a minute
 * boundary lands in the same write every run.
 */
export async function talk<T>(pod: VirtualPod, fn: (c: PodClient) => Promise<T>): Promise<T> {
  return talkToPod(
    pod,
    async (c) => {
      await c.request('hello', {}, 'info');
      return fn(c);
    },
    { clock: 'stepped', timeout_ms: 2000 },
  );
}

export interface ResetRig {
  image: Uint8Array;
  /** minutes walked before the image was taken */
  minutes: number;
  /** how far after a restore the next minute closes (ms of simulation) */
  boundary_ms: number;
  bundle: string;
  dir: string;
}

/** A pod that walked `minutes`, then `fill` had its flash (Storage) before the image was taken. */
export async function makeRig(bundle = readBundle(), minutes = MINUTES_BEFORE, fill?: (flash: Flash) => void): Promise<ResetRig> {
  const pod = new VirtualPod({ bundle, passkey: VIRTUAL_POD_PASSKEY });
  pod.boot();
  await talk(pod, (c) => c.request('set_time', { unix_s: NOW_S, tz_min: 0 }, 'info'));
  const t_set = pod.sim_ms;
  pod.setImuSource(walking(pod.sim_ms, 3));
  pod.advance(minutes * 60_000);
  fill?.(pod.flash);
  return { image: Uint8Array.from(pod.flash.image), minutes, boundary_ms: t_set + Math.ceil(minutes) * 60_000 - pod.sim_ms, bundle, dir: fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-resets-')) };
}

export async function restored(rig: ResetRig): Promise<{ pod: VirtualPod; flash: Flash; closeIn_ms: number }> {
  const flash = new Flash();
  flash.image.set(rig.image);
  const pod = new VirtualPod({ bundle: rig.bundle, flash, passkey: VIRTUAL_POD_PASSKEY });
  pod.boot();
  const t0 = pod.sim_ms;
  // the wall clock the image had: its next minute closes boundary_ms after the restore
  await talk(pod, (c) => c.request('set_time', { unix_s: NOW_S + Math.ceil(rig.minutes) * 60 - Math.round(rig.boundary_ms / 1000), tz_min: 0 }, 'info'));
  pod.setImuSource(walking(pod.sim_ms, 4));
  return { pod, flash, closeIn_ms: Math.max(1000, rig.boundary_ms - (pod.sim_ms - t0)) };
}

let dbCount = 0;
export async function syncRows(rig: ResetRig, pod: VirtualPod): Promise<Row[]> {
  const file = path.join(rig.dir, `s${dbCount++}.db`);
  const db = openDb(file);
  try {
    await talk(pod, (c) => syncPod(c, db, { now_s: () => NOW_S + 3600 }));
    return recordRows(db);
  } finally {
    db.close();
    fs.rmSync(file, { force: true });
  }
}

export interface SweepCounts {
  /** bytes one uninterrupted write programs */
  bytes_per_write: number;
  tried: number;
  /** tries whose cut really lost power mid-write */
  cuts: number;
  records_lost: number;
  records_altered: number;
  duplicated_seqs: number;
  /** config after restart was neither the old nor the new one */
  config_invalid: number;
  uncaught: number;
  /** each config the pod came back with (the old one and the new one) */
  configs_seen: number;
}

function counts(): SweepCounts {
  return { bytes_per_write: 0, tried: 0, cuts: 0, records_lost: 0, records_altered: 0, duplicated_seqs: 0, config_invalid: 0, uncaught: 0, configs_seen: 0 };
}

/** k values for a sweep: every one, or about `sample` spread over the write plus its last two. */
function kValues(perWrite: number, sample?: number): number[] {
  if (!sample) return Array.from({ length: perWrite + 1 }, (_, k) => k);
  const step = Math.max(1, Math.floor(perWrite / sample));
  return [...new Set([...Array.from({ length: Math.floor(perWrite / step) + 1 }, (_, i) => i * step), perWrite - 1, perWrite])];
}

/** The truth every sweep compares with: the image's records, synced without a cut. */
async function truthRows(rig: ResetRig): Promise<Row[]> {
  return syncRows(rig, (await restored(rig)).pod);
}

function tally(c: SweepCounts, truth: Row[], rows: Row[]): void {
  const r = compareRows(truth, rows.filter((x) => truth.some((t) => t.seq === x.seq)));
  c.records_lost += r.lost;
  c.records_altered += r.altered;
  const seqs = rows.map((x) => Number(x.seq));
  c.duplicated_seqs += seqs.length - new Set(seqs).size;
}

/** The rig restored, its power cut after k bytes programmed while its next minute closes; restarted. */
async function cutAtMinuteClose(rig: ResetRig, k: number): Promise<{ pod: VirtualPod; flash: Flash }> {
  const { pod, flash, closeIn_ms } = await restored(rig);
  pod.advance(closeIn_ms - 800);
  flash.failAfterBytes(k);
  pod.advance(1600);
  flash.cancelFailure();
  return { pod, flash };
}

export async function recordWriteSweep(rig: ResetRig, sample?: number): Promise<SweepCounts & { newRecordsAfter: number[] }> {
  const truth = await truthRows(rig);
  const c = { ...counts(), newRecordsAfter: [] as number[] };
  const probe = await restored(rig);
  const before = probe.flash.bytesWritten;
  probe.pod.advance(probe.closeIn_ms + 1500);
  c.bytes_per_write = probe.flash.bytesWritten - before;
  for (const k of kValues(c.bytes_per_write, sample)) {
    const { pod } = await cutAtMinuteClose(rig, k);
    c.tried++;
    if (pod.resets.length > 0) c.cuts++;
    pod.advance(70_000); // walk on after the restart: one more minute closes
    const rows = await syncRows(rig, pod);
    tally(c, truth, rows);
    c.newRecordsAfter.push(rows.length - truth.length);
    c.uncaught += pod.uncaught.length;
  }
  return c;
}

export async function ackSweep(rig: ResetRig, sample?: number): Promise<SweepCounts & { allAckedInTheEnd: boolean }> {
  const truth = await truthRows(rig);
  const c = { ...counts(), allAckedInTheEnd: true };
  // bytes an ack programs: a sync's worth of writes (the only flash writes during a sync)
  const probe = await restored(rig);
  const before = probe.flash.bytesWritten;
  await syncRows(rig, probe.pod);
  c.bytes_per_write = probe.flash.bytesWritten - before;
  for (const k of kValues(c.bytes_per_write, sample)) {
    const { pod, flash } = await restored(rig);
    const file = path.join(rig.dir, `ack${dbCount++}.db`);
    const db = openDb(file);
    try {
      flash.failAfterBytes(k);
      await talk(pod, (cl) => syncPod(cl, db, { now_s: () => NOW_S + 3600 })).catch(() => undefined);
      flash.cancelFailure();
      c.tried++;
      if (pod.resets.length > 0) c.cuts++;
      pod.advance(2000);
      await talk(pod, (cl) => syncPod(cl, db, { now_s: () => NOW_S + 3600 }));
      tally(c, truth, recordRows(db));
      const status = await talk(pod, (cl) => cl.request('status_get', {}, 'status'));
      if (status.first_seq <= Number(truth[truth.length - 1].seq)) c.allAckedInTheEnd = false;
      c.uncaught += pod.uncaught.length;
    } finally {
      db.close();
      fs.rmSync(file, { force: true });
    }
  }
  return c;
}

const SWEEP_NEW_CONFIG: PodConfig = { ...configDefaults(), coach_steps: 30, buzz_on: 0, daily_goal_min: 25 };

export async function configWriteSweep(rig: ResetRig, sample?: number): Promise<SweepCounts> {
  const c = counts();
  const probe = await restored(rig);
  const before = probe.flash.bytesWritten;
  await talk(probe.pod, (cl) => cl.request('config_set', SWEEP_NEW_CONFIG, 'config'));
  c.bytes_per_write = probe.flash.bytesWritten - before;
  const valid = [JSON.stringify(configDefaults()), JSON.stringify(SWEEP_NEW_CONFIG)];
  const seen = new Set<string>();
  for (const k of kValues(c.bytes_per_write, sample)) {
    const { pod, flash } = await restored(rig);
    flash.failAfterBytes(k);
    await talk(pod, (cl) => cl.request('config_set', SWEEP_NEW_CONFIG, 'config')).catch(() => undefined);
    flash.cancelFailure();
    c.tried++;
    if (pod.resets.length > 0) c.cuts++;
    pod.advance(2000);
    const got = JSON.stringify(await talk(pod, (cl) => cl.request('config_get', {}, 'config')));
    if (!valid.includes(got)) c.config_invalid++;
    seen.add(got);
    c.uncaught += pod.uncaught.length;
  }
  c.configs_seen = seen.size;
  return c;
}

/**
 * A rig whose next minute must compact Storage: 16.5 minutes walked (the minute that closes next is the first
 * of a new record file), an erased file in the middle of Storage, and less free than the record store asks for
 * a new file (its 1 KB reserve, 352 B a file) until that space comes back.
 */
export async function makeCompactionRig(bundle = readBundle()): Promise<ResetRig> {
  return makeRig(bundle, 16.5, (flash) => {
    flash.write('pad1', new Uint8Array(1000));
    flash.erase('pad1');
    flash.write('pad2', new Uint8Array(Math.max(0, flash.getFree() - 32 - 1300)));
  });
}

export interface CompactionSweep {
  /** bytes the compaction and the record write program */
  bytes_per_write: number;
  tried: number;
  cuts: number;
  /** restarts without the pod's code in Storage (its pages erased by the compaction, or all of Storage at boot, found corrupt) */
  code_gone: number;
  /** restarts that came back without a working pod (no code, or code cut short): nothing to sync with */
  pod_dead: number;
  records_lost: number;
  records_held: number;
}

/**
 * Power cuts spread over a compaction (the record write that needed it): Espruino compacts in place through a
 * RAM buffer, so a cut loses what the buffer held, and a Storage left corrupt is erased at the next boot.
 */
export async function compactionSweep(rig: ResetRig, sample: number): Promise<CompactionSweep> {
  const truth = await truthRows(rig);
  const c: CompactionSweep = { bytes_per_write: 0, tried: 0, cuts: 0, code_gone: 0, pod_dead: 0, records_lost: 0, records_held: truth.length };
  const probe = await restored(rig);
  const pageErases = () => probe.flash.wear().eraseCounts.reduce((a, b) => a + b, 0);
  const erases = pageErases();
  const before = probe.flash.bytesWritten;
  probe.pod.advance(probe.closeIn_ms + 1500);
  c.bytes_per_write = probe.flash.bytesWritten - before;
  if (pageErases() === erases) throw new Error('the rig did not compact');
  for (const k of kValues(c.bytes_per_write, sample)) {
    const { pod, flash } = await cutAtMinuteClose(rig, k);
    c.tried++;
    if (pod.resets.length === 0) continue;
    c.cuts++;
    if (flash.files().every((f) => f.name !== '.bootcde')) c.code_gone++;
    pod.advance(70_000);
    let rows: Row[] = [];
    try {
      rows = await syncRows(rig, pod);
    } catch {
      c.pod_dead++;
    }
    c.records_lost += compareRows(truth, rows.filter((x) => truth.some((t) => t.seq === x.seq))).lost;
  }
  return c;
}
