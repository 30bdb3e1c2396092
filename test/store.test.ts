import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError } from '../host/src/errors.js';
import { summarise, totals } from '../host/src/report/summary.js';
import { insertRecords, lastSeq, openDb, SCHEMA_VERSION, upsertPod } from '../host/src/store/db.js';
import type { MinuteRecord } from '../shared/protocol/records.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-db-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function rec(seq: number, forward: number, backward: number): MinuteRecord {
  return { seq, start_s: 1_790_000_000 + seq * 60, flags: 1, forward, backward, heel: forward, flat: 0, toe: backward, wrong: 0, buzzes: 0, cadence_spm: 110, active_s: 60 };
}

describe('SQLite store', () => {
  it('creates the schema at the current version and reopens it', () => {
    const file = path.join(tmp(), 'a.db');
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const again = openDb(file);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('keys records by (pod, seq): storing the same batch twice adds nothing', () => {
    const db = openDb(path.join(tmp(), 'b.db'));
    upsertPod(db, { pod_id: 'aabbccddeeff' }, 1);
    const rows = [0, 1, 2].map((s) => ({ rec: rec(s, 50, 10), start_s: 1_790_000_000 + s * 60, estimated: false }));
    expect(insertRecords(db, 'aabbccddeeff', rows, 2)).toBe(3);
    expect(insertRecords(db, 'aabbccddeeff', rows, 3)).toBe(0);
    expect(lastSeq(db, 'aabbccddeeff')).toBe(2);
    // a second pod with the same seqs is a different pod
    upsertPod(db, { pod_id: '112233445566' }, 1);
    expect(insertRecords(db, '112233445566', rows.slice(0, 1), 3)).toBe(1);
    const t = totals(db);
    expect(t.forward).toBe(200);
    expect(t.backward).toBe(40);
    const s = summarise(totals(db, { pod_id: 'aabbccddeeff' }), 70);
    expect(s.steps_est).toBe(2 * (150 + 30));
    // 180 s of walking split 5:1 forward:backward -> 30 s backward
    expect(s.retro_min).toBeCloseTo(0.5, 5);
    expect(s.kcal).toBeCloseTo(4.3 * 70 * (150 / 3600) + 6.0 * 70 * (30 / 3600), 6);
    db.close();
  });

  it('a folder that does not exist is a DatabaseError naming it', () => {
    const file = path.join(tmp(), 'missing', 'x.db');
    expect(() => openDb(file)).toThrow(DatabaseError);
    expect(() => openDb(file)).toThrow(/does not exist/);
  });

  it('a file that is not a database is a DatabaseError, and the file is left alone', () => {
    const file = path.join(tmp(), 'junk.db');
    fs.writeFileSync(file, 'this is not sqlite'.repeat(100));
    const before = fs.readFileSync(file);
    expect(() => openDb(file)).toThrow(/damaged or not a retrostep database/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('a newer schema than we know is refused rather than touched', () => {
    const file = path.join(tmp(), 'new.db');
    const db = openDb(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openDb(file)).toThrow(/newer than this retrostep understands/);
  });
});
