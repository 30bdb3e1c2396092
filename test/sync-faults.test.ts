/**
 * Sync through a faulty link (issue 8): the link cut at byte k of a
 * multi-record sync, then a clean sync, leaves the database equal to the
 * pod's truth. Tests sweep a bounded sample of k; `npm run bench` sweeps all.
 * Also: random splits, delays, duplicated frames and corrupted bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareRows, podFromImage, podImageWithRecords, recordRows, runSyncSweep, syncOver } from '../host/src/sim/sync-sweep.js';
import { openDb } from '../host/src/store/db.js';
import { FaultyTransport } from '../host/src/transports/faulty.js';
import { MemoryTransport } from '../host/src/transports/memory.js';

/** 40 minutes: three read batches of 16 records, so cuts land inside, between and after batches. */
const MINUTES = 40;
/** Offsets tried in the test: evenly spread plus the first bytes (a cut during hello). */
const SAMPLE = 40;

let image: Uint8Array;
beforeAll(async () => {
  image = await podImageWithRecords(MINUTES);
}, 120_000);

describe('FaultyTransport', () => {
  it('cuts the link exactly at byte k: k bytes pass, then one "lost" close', async () => {
    const inner = new MemoryTransport();
    const got: number[] = [];
    inner.device.onReceive = (b) => got.push(...b);
    const t = new FaultyTransport(inner, { cutAfterBytes: 5 });
    const closes: unknown[] = [];
    t.on('close', (e) => closes.push(e?.code));
    await t.open();
    await expect(t.write(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))).rejects.toMatchObject({ code: 'lost' });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(closes).toEqual(['lost']);
    expect(t.counts.cuts).toBe(1);
  });

  it('duplicates whole frames and corrupts bytes when asked, and counts them', async () => {
    const inner = new MemoryTransport();
    const got: number[] = [];
    inner.device.onReceive = (b) => got.push(...b);
    const t = new FaultyTransport(inner, { duplicateRate: 1, seed: 3 });
    await t.open();
    await t.write(Uint8Array.of(7, 8, 0));
    expect(got).toEqual([7, 8, 0, 7, 8, 0]);
    expect(t.counts.duplicated).toBe(1);
    const c = new FaultyTransport(new MemoryTransport(), { corruptRate: 1, seed: 3 });
    await c.open();
    await c.write(new Uint8Array(10));
    expect(c.counts.corrupted).toBe(10);
  });
});

describe('sync with the link cut at byte k', () => {
  it(`loses, duplicates and alters nothing, for ${SAMPLE} cut points across a ${MINUTES}-record sync`, async () => {
    const r = await runSyncSweep(image, (total) => {
      const ks = new Set<number>([0, 1, 2, 3, total - 1]);
      for (let i = 0; i < SAMPLE - 5; i++) ks.add(Math.floor(((i + 0.5) * total) / (SAMPLE - 5)));
      return [...ks].sort((a, b) => a - b);
    });
    expect(r.records).toBeGreaterThanOrEqual(MINUTES - 5); // the stands between bouts make a few minutes idle
    expect(r.total_bytes).toBeGreaterThan(MINUTES * 20);
    expect(r.bad_offsets).toEqual([]);
    expect({ lost: r.lost, duplicated: r.duplicated, altered: r.altered }).toEqual({ lost: 0, duplicated: 0, altered: 0 });
    expect(r.cut_syncs_failed).toBeGreaterThan(SAMPLE / 2); // the cuts really broke syncs
  }, 300_000);
});

describe('sync through a noisy link', () => {
  it('split chunks, delays, duplicated frames and flipped bits: the sync still completes (retries) and stores the truth', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-noisy-'));
    try {
      const ref = openDb(path.join(dir, 'ref.db'));
      await syncOver(podFromImage(image), ref);
      const truth = recordRows(ref);
      ref.close();
      const db = openDb(path.join(dir, 'noisy.db'));
      const pod = podFromImage(image);
      let attempts = 0;
      let t: FaultyTransport | null = null;
      // a corrupted frame is dropped and the request retried; a sync that runs out of retries is simply run again
      for (; attempts < 10; attempts++) {
        try {
          t = await syncOver(pod, db, { seed: 11 + attempts, split: true, delay_ms: 1, duplicateRate: 0.2, corruptRate: 0.002 });
          break;
        } catch {
          /* next attempt */
        }
      }
      expect(attempts).toBeLessThan(10);
      expect(t!.counts.splits).toBeGreaterThan(0);
      expect(t!.counts.duplicated).toBeGreaterThan(0);
      // (bits flipped in the sync that completed, too: corrupted frames it dropped and asked for again)
      expect(t!.counts.corrupted).toBeGreaterThan(0);
      expect(compareRows(truth, recordRows(db))).toEqual({ lost: 0, duplicated: 0, altered: 0 });
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
