/**
 * A database holding walks spread over six years, for the report of a long
 * period: a walk every few days (gaps of 4 to 12 days), its strides and
 * wrong-gait strides varying with the day, one pod.
 */
import { insertRecords, openDb, setSetting, upsertPod } from '../../host/src/store/db.js';
import { RECORD_CLOCK_VALID, type MinuteRecord } from '../../shared/protocol/records.js';
import { at, KNOWN_POD } from './known-week.js';

/** Days of the oldest walk before today: a little over six years. */
export const YEARS_DAYS_AGO = 2200;

export function makeKnownYears(file: string): void {
  const db = openDb(file);
  upsertPod(db, { pod_id: KNOWN_POD, name: 'retrostep-c65e', fw_version: '1.0' }, at(0, 0));
  let seq = 0;
  for (let daysAgo = YEARS_DAYS_AGO, i = 0; daysAgo >= 0; daysAgo -= 4 + (i % 9), i++) {
    const backward = 3 + (i % 12);
    const rows = Array.from({ length: 5 + (i % 20) }, (_, m) => {
      const start_s = at(daysAgo, m);
      const forward = 50 - backward;
      const wrong = m % 4 === 0 ? 1 : 0;
      const active_s = 50 + (m % 11);
      const rec: MinuteRecord = { seq: seq++, start_s, flags: RECORD_CLOCK_VALID, forward, backward, heel: forward + wrong, flat: 0, toe: backward - wrong, wrong, buzzes: wrong, cadence_spm: Math.round((100 * 60) / active_s), active_s };
      return { rec, start_s, estimated: false };
    });
    insertRecords(db, KNOWN_POD, rows, at(0, 0));
  }
  setSetting(db, 'weight_kg', '80');
  db.close();
}
