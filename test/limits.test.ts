/**
 * Limits (issue 8 point 6): a pod that speaks a newer protocol, and a year
 * of records in the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PodError, UserError } from '../host/src/errors.js';
import { PodClient } from '../host/src/pod-client.js';
import { summarise, totals } from '../host/src/report/summary.js';
import { insertRecords, openDb, upsertPod } from '../host/src/store/db.js';
import { syncPod } from '../host/src/sync.js';
import { MemoryTransport } from '../host/src/transports/memory.js';
import { decodeMessage, encodeMessage } from '../shared/protocol/codec.js';
import { createFrameDecoder, encodeFrame } from '../shared/protocol/frame.js';
import { ERR_VERSION, MESSAGES } from '../shared/protocol/messages.js';
import { RECORD_CLOCK_VALID, type MinuteRecord } from '../shared/protocol/records.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tmpDb() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-limits-'));
  dirs.push(d);
  return openDb(path.join(d, 'x.db'));
}

/** A device on a memory link that answers every request with `reply(seq, name)`. */
async function fakePod(reply: (seq: number, name: string) => Uint8Array): Promise<PodClient> {
  const t = new MemoryTransport();
  const dec = createFrameDecoder((f) => {
    const m = decodeMessage(f);
    if ('name' in m) t.device.send(reply(m.seq, m.name));
  }, () => {});
  t.device.onReceive = (b) => dec.push(b);
  await t.open();
  return new PodClient(t, 200);
}

describe('a pod that speaks a newer protocol', () => {
  const info = { pod_id: 'aabbccddeeff', fw_version: '9.0', protocol: 2, battery_pct: 90, clock_s: 0, uptime_s: 1, bonded: 1 };

  it('says so in info: sync stops with "update retrostep" and stores nothing', async () => {
    const client = await fakePod((seq) => encodeMessage('info', seq, info));
    const db = tmpDb();
    await expect(syncPod(client, db)).rejects.toThrow(/pod speaks protocol 2; this retrostep speaks 1: update retrostep/);
    expect((db.prepare('SELECT COUNT(*) n FROM records').get() as { n: number }).n).toBe(0);
  });

  // breaks it: otherProtocol saying "update retrostep" whichever side is older
  it('a pod on an older protocol: sync stops with "update its firmware with `retrostep flash`", not "update retrostep", and stores nothing', async () => {
    const client = await fakePod((seq) => encodeMessage('info', seq, { ...info, protocol: 0 }));
    const db = tmpDb();
    await expect(syncPod(client, db)).rejects.toThrow(/^the pod speaks protocol 0, older than this retrostep's 1: update its firmware with `retrostep flash`/);
    expect((db.prepare('SELECT COUNT(*) n FROM records').get() as { n: number }).n).toBe(0);
  });

  it('sends frames of version 2: a clear PodError, not a timeout', async () => {
    const client = await fakePod((seq) => encodeFrame(MESSAGES.info[0], seq, new Uint8Array(3), 2));
    const err = await client.request('hello', {}, 'info').catch((e) => e);
    expect(err).toBeInstanceOf(PodError);
    expect(err.message).toMatch(/newer protocol.*update retrostep/);
  });

  it('refuses our version with an error frame: the message says to update', async () => {
    const client = await fakePod((seq) => encodeMessage('error', seq, { code: ERR_VERSION, text: 'protocol 1 not supported' }));
    const err = await client.request('hello', {}, 'info').catch((e) => e);
    expect(err).toBeInstanceOf(PodError);
    expect(err.message).toMatch(/protocol/);
    expect(err.message).toMatch(/update/);
  });
});

describe('a device that is not a pod', () => {
  it('sends our own request back (a loopback, a modem echoing): one PodError saying so, not a wrong answer', async () => {
    const t = new MemoryTransport();
    t.device.onReceive = (b) => t.device.send(b);
    await t.open();
    const err = await new PodClient(t, 200).request('hello', {}, 'info').catch((e) => e);
    expect(err).toBeInstanceOf(PodError);
    expect(err.message).toBe('the device sent our own hello request back (an echo): it is not a retrostep pod');
  });

  it('answers with another message than the one asked for: says which, and which was expected', async () => {
    const client = await fakePod((seq) => encodeMessage('ok', seq, { for_type: 1 }));
    const err = await client.request('hello', {}, 'info').catch((e) => e);
    expect(err.message).toBe('the pod answered ok where info was expected');
  });
});

describe('a link slower than the answer timeout', () => {
  it('a write that outlasts the timeout: one PodError for the caller, no stray rejection', async () => {
    const t = new MemoryTransport();
    const write = t.write.bind(t);
    // a congested link: every write takes twice the client's timeout; the device never answers
    t.write = async (b: Uint8Array) => {
      await new Promise((r) => setTimeout(r, 100));
      return write(b);
    };
    t.device.onReceive = () => {};
    await t.open();
    const stray: unknown[] = [];
    const onStray = (e: unknown) => stray.push(e);
    process.on('unhandledRejection', onStray);
    try {
      const err = await new PodClient(t, 50).request('hello', {}, 'info').catch((e) => e);
      expect(err).toBeInstanceOf(PodError);
      expect(err.message).toMatch(/did not answer hello within 50 ms, 3 times \(0\.15 s in all\)/);
      await new Promise((r) => setTimeout(r, 20)); // unhandled rejections are reported after a turn
    } finally {
      process.off('unhandledRejection', onStray);
    }
    expect(stray).toEqual([]);
  });
});

describe('a link lost while a request waits', () => {
  it('is a link failure (exit 5, as the README says), not a pod refusal: "lost the pod mid-way"', async () => {
    const t = new MemoryTransport();
    t.device.onReceive = () => setImmediate(() => t.device.drop()); // the pod goes out of range instead of answering
    await t.open();
    const err = await new PodClient(t, 500).request('hello', {}, 'info').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(5);
    expect(err.message).toMatch(/^lost the pod mid-way \(memory link lost\)/);
  });

  it('lost between two requests (calibrate polling a pod that went away): the next one says "lost the pod mid-way", not "is not open"', async () => {
    const t = new MemoryTransport();
    await t.open();
    const client = new PodClient(t, 500);
    t.device.drop();
    const err = await client.request('hello', {}, 'info').catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(5);
    // (worded for any link and any command: a serial pod is not "moved closer", and not every command syncs)
    expect(err.message).toBe('lost the pod mid-way (memory link lost): run the command again once the pod is back in reach (or plugged in); nothing stored so far is lost');
  });
});

describe('a year of records', () => {
  it('one record per walking hour for 365 days: totals are exact', () => {
    const db = tmpDb();
    upsertPod(db, { pod_id: 'p1' }, 1);
    const start = 1_767_225_600; // 2026-01-01T00:00:00Z
    const rows: { rec: MinuteRecord; start_s: number; estimated: boolean }[] = [];
    for (let i = 0; i < 365 * 24; i++) {
      const start_s = start + i * 3600;
      rows.push({ rec: { seq: i, start_s, flags: RECORD_CLOCK_VALID, forward: 40, backward: 10, heel: 40, flat: 0, toe: 10, wrong: i % 2, buzzes: i % 2, cadence_spm: 100, active_s: 60 }, start_s, estimated: false });
    }
    expect(insertRecords(db, 'p1', rows, 1)).toBe(rows.length);
    const s = summarise(totals(db, { from_s: start, to_s: start + 365 * 86400 }), 70);
    expect(s.minutes).toBe(8760);
    expect(s.backward).toBe(87_600);
    expect(s.wrong).toBe(4380);
  });
});
