/**
 * A sync finds the database already holding seqs the pod still has. Either
 * an earlier sync stored them and its ack was lost (free them), or the
 * pod's numbering started again, its Storage wiped, or another pod has its
 * id (free nothing: those records were never stored). Told apart by reading
 * the records back, on the virtual pod with the real firmware and SQLite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodHistoryError } from '../host/src/errors.js';
import { talk } from '../host/src/sim/reset-sweep.js';
import { simPodMac } from '../host/src/sim/serve.js';
import { NOW_S, podFromImage, podImageWithRecords, recordRows } from '../host/src/sim/sync-sweep.js';
import type { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { type Db, openDb } from '../host/src/store/db.js';
import { SYNC_BATCH, syncPod } from '../host/src/sync.js';
import { decodeRecord, type MinuteRecord, RECORD_BYTES, RECORD_CLOCK_VALID, RECORD_COACH_DONE } from '../shared/protocol/records.js';
import { grownInRam, type PodStatus } from '../host/src/sync-records.js';
import { runCli } from './helpers/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-sync-history-'));
/** A pod that walked 40 minutes two hours ago (about as many records)... */
let walkedToday: Uint8Array;
/** ...and the same pod (the same id: the virtual pod's default address) wiped, and walked 20 minutes three days earlier: seqs from 0 again. */
let walkedBefore: Uint8Array;
/** records each holds, seqs 0 to n - 1 */
let nToday: number;
let nBefore: number;
let dbs = 0;

beforeAll(async () => {
  walkedToday = await podImageWithRecords(40);
  walkedBefore = await podImageWithRecords(20, undefined, NOW_S - 3 * 86_400);
  nToday = (await status(podFromImage(walkedToday))).next_seq;
  nBefore = (await status(podFromImage(walkedBefore))).next_seq;
  expect(nBefore).toBeGreaterThan(10);
  expect(nToday).toBeGreaterThan(nBefore);
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const newDb = (): Db => openDb(path.join(dir, `${++dbs}.db`));
const sync = (pod: VirtualPod, db: Db) => talk(pod, (c) => syncPod(c, db, { now_s: () => NOW_S }));
const status = (pod: VirtualPod) => talk(pod, (c) => c.request('status_get', {}, 'status'));
/** The seqs the pod still holds, read as a sync reads them (a batch at a time). */
const podSeqs = (pod: VirtualPod) =>
  talk(pod, async (c) => {
    const out: number[] = [];
    for (let from = 0; ; ) {
      const r = await c.request('records_read', { from_seq: from, max: SYNC_BATCH }, 'records');
      if (r.data.length === 0) return out;
      for (let at = 0; at < r.data.length; at += RECORD_BYTES) out.push(decodeRecord(r.data, at)!.seq);
      from = out[out.length - 1] + 1;
    }
  });
const seqs = (n: number) => Array.from({ length: n }, (_, i) => i);
/** A new database with a pod walked as `image` synced into it, and its rows then. */
async function syncedFrom(image: Uint8Array): Promise<{ db: Db; rows: ReturnType<typeof recordRows> }> {
  const db = newDb();
  await sync(podFromImage(image), db);
  return { db, rows: recordRows(db) };
}

describe('sync with records already in the database', () => {
  it('an ack that was lost: the records are read again, found the same, and freed', async () => {
    const { db, rows } = await syncedFrom(walkedToday);
    expect(rows).toHaveLength(nToday);
    // the same pod as it was before that sync's ack reached it
    const again = podFromImage(walkedToday);
    const r = await sync(again, db);
    expect(r).toMatchObject({ alreadyStored: nToday, received: 0, added: 0 });
    expect(await status(again)).toMatchObject({ first_seq: nToday, next_seq: nToday, stored: 0 });
    expect(recordRows(db)).toEqual(rows);
  });

  it("the pod's numbering started again: the sync fails with PodHistoryError, frees nothing and stores nothing", async () => {
    const { db, rows } = await syncedFrom(walkedBefore);
    expect(rows).toHaveLength(nBefore);
    // seqs 0 to nBefore - 1 are in the database, but not these records (and the pod's later ones are new)
    const pod = podFromImage(walkedToday);
    const err = await sync(pod, db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodHistoryError);
    expect((err as PodHistoryError).exitCode).toBe(3);
    expect((err as Error).message).toMatch(/record 0 differs from the record 0 this database holds for it, so its numbering started again .* nothing was freed on the pod; sync it into another database with --db FILE$/);
    expect(await status(pod)).toMatchObject({ first_seq: 0, next_seq: nToday, stored: nToday });
    expect(await podSeqs(pod)).toEqual(seqs(nToday));
    expect(recordRows(db)).toEqual(rows);
  });

  it("records stamped after this computer's time (the pod's clock ahead, or this computer's behind) are kept as stamped, and said", async () => {
    // this computer's clock 5 h behind the one that set the pod's: the pod's walk, 2 h before then, is 3 h ahead
    const ours_s = NOW_S - 5 * 3600;
    const ahead = newDb();
    const r = await talk(podFromImage(walkedToday), (c) => syncPod(c, ahead, { now_s: () => ours_s }));
    const stamps = recordRows(ahead).map((row) => Number(row.start_s));
    expect(stamps).toEqual(recordRows((await syncedFrom(walkedToday)).db).map((row) => Number(row.start_s))); // as stamped
    const furthest_h = ((Math.max(...stamps) - ours_s) / 3600).toFixed(1);
    expect(Number(furthest_h)).toBeGreaterThan(3);
    expect(r.notices).toContain(
      `${nToday} minutes walked are dated up to ${furthest_h} h after this computer's clock: either the pod's clock was ahead, or this computer's clock is behind (check its date); kept with the pod's times, and the pod's clock is now set to this computer's`,
    );
    // with the clocks agreeing, nothing is said
    const right = await sync(podFromImage(walkedToday), newDb());
    expect(right.notices.filter((n) => /after this computer's clock/.test(n))).toEqual([]);
  });

  it('the database holds seqs the pod never numbered: the same failure, before reading anything', async () => {
    const { db, rows } = await syncedFrom(walkedToday);
    const pod = podFromImage(walkedBefore);
    const err = await sync(pod, db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodHistoryError);
    expect((err as Error).message).toMatch(new RegExp(`^pod [0-9a-f]{12} has numbered ${nBefore} records but this database holds its records up to seq ${nToday - 1}, so its numbering started again`));
    expect(await status(pod)).toMatchObject({ first_seq: 0, next_seq: nBefore, stored: nBefore });
    expect(await podSeqs(pod)).toEqual(seqs(nBefore));
    expect(recordRows(db)).toEqual(rows);
  });

  it('`retrostep sync` says so in one line and exits 3; the pod keeps its records for a sync into another database', () => {
    const state = path.join(dir, 'pod.flash');
    const db = path.join(dir, 'cli.db');
    const run = (...args: string[]) => runCli(['--db', db, '--state', state, '--sim', 'sync', ...args]);
    fs.writeFileSync(state, walkedBefore);
    expect(run().code).toBe(0);
    // the same state file (the same pod) wiped and walked again
    fs.writeFileSync(state, walkedToday);
    const r = run();
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/record 0 differs from the record 0 this database holds for it, so its numbering started again \(its storage was wiped\) or another pod has the same id: nothing was freed on the pod; sync it into another database with --db FILE/);
    const other = runCli(['--db', path.join(dir, 'other.db'), '--state', state, '--sim', 'sync', '--json']);
    expect(other.code).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ added: nToday });
  });
});

describe('virtual pods', () => {
  it('each state file is a pod of its own id, kept from run to run', () => {
    const a = simPodMac(path.join(dir, 'a.flash'));
    expect(a).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(parseInt(a.slice(0, 2), 16) & 0xc0).toBe(0xc0); // a static random address
    expect(simPodMac(path.join(dir, 'b.flash'))).not.toBe(a);
    expect(simPodMac(path.join(dir, '.', 'a.flash'))).toBe(a);
  });
});

describe("the pod's newest record grown in RAM (flash and RAM full: each new minute folds into it)", () => {
  const kept: MinuteRecord = { seq: 99, start_s: NOW_S - 600, flags: RECORD_CLOCK_VALID, forward: 40, backward: 10, heel: 38, flat: 2, toe: 10, wrong: 1, buzzes: 1, cadence_spm: 110, active_s: 60 };
  const full = { ram_pending: 60, next_seq: 100 } as PodStatus;
  it('read back with more counted than was stored: the same minute, freed', () => {
    expect(grownInRam({ ...kept, forward: 95, heel: 90, active_s: 120, cadence_spm: 108 }, kept, full)).toBe(true);
  });
  it('not when it counts less of anything, is not the newest, nothing is held in RAM, or its time or coach bits differ', () => {
    expect(grownInRam({ ...kept, forward: 95, wrong: 0 }, kept, full)).toBe(false);
    expect(grownInRam({ ...kept, forward: 95 }, kept, { ...full, next_seq: 101 })).toBe(false);
    expect(grownInRam({ ...kept, forward: 95 }, kept, { ...full, ram_pending: 0 })).toBe(false);
    expect(grownInRam({ ...kept, forward: 95, start_s: kept.start_s + 3600 }, kept, full)).toBe(false);
    expect(grownInRam({ ...kept, forward: 95, flags: kept.flags | RECORD_COACH_DONE }, kept, full)).toBe(false);
    expect(grownInRam({ ...kept, forward: 95 }, undefined, full)).toBe(false);
  });
});
