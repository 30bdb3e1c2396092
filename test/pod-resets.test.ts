/**
 * Power cuts inside the pod's flash writes (issue 6 point 4, issue 8 point
 * 2): at every byte of a record write, of an ack and of a config write, on
 * the real bundle in the virtual pod. After the restart every earlier record
 * is intact, the config is one of the two valid ones, and the next sync is
 * complete. Also: erase, then keep counting (seqs never go back).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../host/src/firmware-bundle.js';
import { PodClient } from '../host/src/pod-client.js';
import { Flash } from '../host/src/sim/flash.js';
import { gattMemoryTransport } from '../host/src/sim/gatt-link.js';
import { withRunningPod } from '../host/src/sim/run-pod.js';
import { compareRows, recordRows, type Row } from '../host/src/sim/sync-sweep.js';
import { createWalker, type Segment } from '../host/src/sim/walker.js';
import { VirtualPod, type ImuSource } from '../host/src/sim/virtual-pod.js';
import { openDb } from '../host/src/store/db.js';
import { syncPod } from '../host/src/sync.js';
import { CONFIG_DEFAULTS } from '../shared/protocol/config.js';
import { ERASE_CONFIRM } from '../shared/protocol/messages.js';

const PASSKEY = '123456';
const NOW_S = 1_795_000_020 - (1_795_000_020 % 60); // a minute boundary
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-resets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Walking continuously from t0 (simulation ms), the demo's forward/backward mix. */
function walking(t0_ms: number, seed: number): ImuSource {
  const segs: Segment[] = [];
  for (let m = 0; m < 40; m++) segs.push({ kind: 'walk', direction: m % 2 ? 'backward' : 'forward', strides: 50 });
  const w = createWalker(segs, { seed });
  return (t, r, out) => w.source(t - t0_ms, r, out);
}

async function talk<T>(pod: VirtualPod, fn: (c: PodClient) => Promise<T>): Promise<T> {
  return withRunningPod(pod, async () => {
    const link = gattMemoryTransport(pod.peripheral, { passkey: PASSKEY });
    await link.open();
    try {
      const c = new PodClient(link, 400);
      await c.request('hello', {}, 'info');
      return await fn(c);
    } finally {
      await link.close();
    }
  });
}

let image: Uint8Array;
/** Sim time (ms) of the next minute boundary after the image was taken, relative to boot. */
let boundary_ms: number;

beforeAll(async () => {
  const pod = new VirtualPod({ bundle: readBundle(), passkey: PASSKEY });
  pod.boot();
  await talk(pod, (c) => c.request('set_time', { unix_s: NOW_S }, 'info'));
  const t_set = pod.sim_ms;
  pod.setImuSource(walking(pod.sim_ms, 3));
  pod.advance(5.5 * 60_000); // five records
  image = Uint8Array.from(pod.flash.image);
  boundary_ms = t_set + 6 * 60_000 - pod.sim_ms; // the sixth minute closes this far ahead
}, 60_000);

/** A pod restored from the image, walking, with its clock set, ready for the next minute to close. */
async function restored(): Promise<{ pod: VirtualPod; flash: Flash; closeIn_ms: number }> {
  const flash = new Flash();
  flash.image.set(image);
  const pod = new VirtualPod({ bundle: readBundle(), flash, passkey: PASSKEY });
  pod.boot();
  const t0 = pod.sim_ms;
  // the same wall clock as when the image was taken: the minute closes boundary_ms after the restore
  await talk(pod, (c) => c.request('set_time', { unix_s: NOW_S + 6 * 60 - Math.round(boundary_ms / 1000) }, 'info'));
  pod.setImuSource(walking(pod.sim_ms, 4));
  return { pod, flash, closeIn_ms: Math.max(1000, boundary_ms - (pod.sim_ms - t0)) };
}

async function syncAll(pod: VirtualPod, name: string): Promise<Row[]> {
  const db = openDb(path.join(dir, `${name}.db`));
  try {
    await talk(pod, (c) => syncPod(c, db, { now_s: () => NOW_S + 3600 }));
    return recordRows(db);
  } finally {
    db.close();
  }
}

/** Records of the image, synced cleanly: what must survive every cut. */
async function truthRows(): Promise<Row[]> {
  const { pod } = await restored();
  return syncAll(pod, 'truth');
}

describe('power cut at every byte of a record write', () => {
  it('keeps every earlier record; the cut one is whole or absent; the next sync completes', async () => {
    const truth = await truthRows();
    expect(truth.length).toBeGreaterThanOrEqual(4);
    // how many bytes one record write programs (no cut)
    const probe = await restored();
    const before = probe.flash.bytesWritten;
    probe.pod.advance(probe.closeIn_ms + 1500);
    const perWrite = probe.flash.bytesWritten - before;
    expect(perWrite).toBeGreaterThanOrEqual(20);
    let cuts = 0;
    for (let k = 0; k <= perWrite; k++) {
      const { pod, flash, closeIn_ms } = await restored();
      pod.advance(closeIn_ms - 800);
      flash.failAfterBytes(k);
      pod.advance(1600);
      flash.cancelFailure();
      const cut = pod.resets.length > 0;
      if (cut) cuts++;
      pod.advance(70_000); // walk on after the restart: one more minute closes
      const rows = await syncAll(pod, `rec${k}`);
      const c = compareRows(truth, rows.filter((r) => truth.some((t) => t.seq === r.seq)));
      expect({ k, ...c }).toEqual({ k, lost: 0, duplicated: 0, altered: 0 });
      // seqs stay unique and increasing; at most the cut record is missing
      const seqs = rows.map((r) => Number(r.seq));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(rows.length).toBeGreaterThanOrEqual(truth.length + (cut ? 1 : 2));
      expect(pod.uncaught, `k=${k}`).toEqual([]);
    }
    expect(cuts).toBeGreaterThanOrEqual(perWrite); // every k below the write's size really cut it
  }, 300_000);
});

describe('power cut at every byte of an ack', () => {
  it('the ack is either done or not: records are never lost, and a second sync completes', async () => {
    const truth = await truthRows();
    let cuts = 0;
    for (let k = 0; k <= 40; k += 2) {
      const { pod, flash } = await restored();
      const db = openDb(path.join(dir, `ack${k}.db`));
      try {
        flash.failAfterBytes(k);
        await talk(pod, (c) => syncPod(c, db, { now_s: () => NOW_S + 3600 })).catch(() => undefined);
        flash.cancelFailure();
        if (pod.resets.length > 0) cuts++;
        pod.advance(2000);
        await talk(pod, (c) => syncPod(c, db, { now_s: () => NOW_S + 3600 }));
        expect({ k, ...compareRows(truth, recordRows(db).filter((r) => truth.some((t) => t.seq === r.seq))) }).toEqual({ k, lost: 0, duplicated: 0, altered: 0 });
        const status = await talk(pod, (c) => c.request('status_get', {}, 'status'));
        expect(status.first_seq).toBeGreaterThan(Number(truth[truth.length - 1].seq)); // all acked in the end
      } finally {
        db.close();
      }
    }
    expect(cuts).toBeGreaterThan(5);
  }, 300_000);
});

describe('power cut at every byte of a config write', () => {
  it('after the restart the config is the old one or the new one, never a mix or garbage', async () => {
    const next = { ...CONFIG_DEFAULTS, coach_steps: 30, buzz_on: 0, daily_goal_min: 25 };
    const seen = new Set<string>();
    let cuts = 0;
    // how many bytes a config write programs (no cut), then cuts spread over all of them
    const probe = await restored();
    const before = probe.flash.bytesWritten;
    await talk(probe.pod, (c) => c.request('config_set', next, 'config'));
    const perWrite = probe.flash.bytesWritten - before;
    const step = Math.max(1, Math.floor(perWrite / 30));
    const ks = [...Array.from({ length: Math.floor(perWrite / step) + 1 }, (_, i) => i * step), perWrite - 1, perWrite];
    for (const k of ks) {
      const { pod, flash } = await restored();
      flash.failAfterBytes(k);
      await talk(pod, (c) => c.request('config_set', next, 'config')).catch(() => undefined);
      flash.cancelFailure();
      if (pod.resets.length > 0) cuts++;
      pod.advance(2000);
      const got = await talk(pod, (c) => c.request('config_get', {}, 'config'));
      expect([JSON.stringify(CONFIG_DEFAULTS), JSON.stringify(next)], `k=${k}`).toContain(JSON.stringify(got));
      seen.add(JSON.stringify(got));
    }
    expect(cuts).toBeGreaterThan(5);
    expect(seen.size).toBe(2); // early cuts kept the old config, late ones the new
  }, 300_000);
});

describe('erase', () => {
  it('frees every record, and counting goes on with higher seqs (the host never sees a seq twice)', async () => {
    const { pod, closeIn_ms } = await restored();
    const before = await talk(pod, (c) => c.request('status_get', {}, 'status'));
    await talk(pod, (c) => c.request('erase', { confirm: ERASE_CONFIRM }, 'ok'));
    const erased = await talk(pod, (c) => c.request('status_get', {}, 'status'));
    expect(erased.first_seq).toBe(erased.next_seq);
    expect(erased.next_seq).toBeGreaterThanOrEqual(before.next_seq);
    pod.advance(closeIn_ms + 2.2 * 60_000); // three more minutes
    const rows = await syncAll(pod, 'after-erase');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...rows.map((r) => Number(r.seq)))).toBeGreaterThanOrEqual(before.next_seq);
    expect(pod.uncaught).toEqual([]);
    // and after a reset too
    pod.reset();
    pod.advance(1000);
    const after = await talk(pod, (c) => c.request('status_get', {}, 'status'));
    expect(after.next_seq).toBeGreaterThanOrEqual(Math.max(...rows.map((r) => Number(r.seq))) + 1);
  }, 120_000);
});
