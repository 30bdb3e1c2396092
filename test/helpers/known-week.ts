/**
 * A database holding a known week for the report tests: a different walk
 * each day (one day without any), wrong-gait strides, and a pod whose last
 * sync reported a low battery.
 */
import { insertRecords, openDb, savePodStatus, setSetting, upsertPod } from '../../host/src/store/db.js';
import { RECORD_CLOCK_VALID, type MinuteRecord } from '../../shared/protocol/records.js';
import { STATUS_CALIBRATED, STATUS_LOW_BATTERY } from '../../shared/protocol/messages.js';

export const KNOWN_POD = 'd37a4219c65e';
/** The days of the week before today that were walked (days ago), today included; 2 days ago was a rest day. */
const WALK: { daysAgo: number; minutes: number; backward: number; wrongEvery: number }[] = [
  { daysAgo: 6, minutes: 12, backward: 5, wrongEvery: 3 },
  { daysAgo: 5, minutes: 15, backward: 6, wrongEvery: 4 },
  { daysAgo: 4, minutes: 20, backward: 10, wrongEvery: 5 },
  { daysAgo: 3, minutes: 8, backward: 12, wrongEvery: 2 },
  { daysAgo: 1, minutes: 25, backward: 15, wrongEvery: 10 },
  { daysAgo: 0, minutes: 10, backward: 4, wrongEvery: 0 },
];

/** Local 09:00 `daysAgo` days before today, plus m minutes. */
export function at(daysAgo: number, m: number): number {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - daysAgo, 9, m).getTime() / 1000;
}

export function makeKnownWeek(file: string): void {
  const db = openDb(file);
  upsertPod(db, { pod_id: KNOWN_POD, name: 'retrostep-c65e', fw_version: '1.0' }, at(0, 0));
  let seq = 0;
  for (const w of WALK) {
    const rows = Array.from({ length: w.minutes }, (_, m) => {
      const start_s = at(w.daysAgo, m);
      const forward = 50 - w.backward;
      const wrong = w.wrongEvery && m % w.wrongEvery === 0 ? 1 : 0;
      // active seconds and cadence vary by minute so per-day cadence is not a constant
      const active_s = 50 + (m % 11);
      const rec: MinuteRecord = { seq: seq++, start_s, flags: RECORD_CLOCK_VALID, forward, backward: w.backward, heel: forward + wrong, flat: 0, toe: w.backward - wrong, wrong, buzzes: wrong, cadence_spm: Math.round((100 * 60) / active_s), active_s };
      return { rec, start_s, estimated: false };
    });
    insertRecords(db, KNOWN_POD, rows, at(0, 0));
  }
  // far outside the week: must not show
  insertRecords(db, KNOWN_POD, [{ rec: { seq: 1000, start_s: at(40, 0), flags: 1, forward: 30, backward: 30, heel: 30, flat: 0, toe: 30, wrong: 0, buzzes: 0, cadence_spm: 110, active_s: 60 }, start_s: at(40, 0), estimated: false }], at(0, 0));
  savePodStatus(db, KNOWN_POD, { battery_pct: 8, flags: STATUS_CALIBRATED | STATUS_LOW_BATTERY, first_seq: 0, next_seq: seq, stored: seq, capacity: 1900, ram_pending: 0, mode: 0 }, at(0, 30));
  setSetting(db, 'weight_kg', '80');
  db.close();
}
