/** The stored minute records of a period, and their grouping into walking bouts: what every export format is made of. */
import { localDate, type Period } from '../report/period.js';
import type { Db } from '../store/db.js';

export interface ExportRecord {
  pod_id: string;
  seq: number;
  start_s: number;
  time_estimated: number;
  forward: number;
  backward: number;
  heel: number;
  flat: number;
  toe: number;
  wrong: number;
  buzzes: number;
  cadence_spm: number;
  active_s: number;
  coach_prompted: number;
  coach_done: number;
  /** 1: the pod was full, and later minutes were added into this one, each count capped at 255 (RECORD_FOLDED) */
  folded: number;
  /** 1: the pod's wrong-gait rule judged forward strides in this minute, so `wrong` is a share of forward and backward (RECORD_WRONG_JUDGES_FORWARD) */
  wrong_judges_forward: number;
}

export const RECORD_COLUMNS: (keyof ExportRecord)[] = ['pod_id', 'seq', 'start_s', 'time_estimated', 'forward', 'backward', 'heel', 'flat', 'toe', 'wrong', 'buzzes', 'cadence_spm', 'active_s', 'coach_prompted', 'coach_done', 'folded', 'wrong_judges_forward'];

export function periodRecords(db: Db, p: Period, podId?: string): ExportRecord[] {
  return db
    .prepare(`SELECT ${RECORD_COLUMNS.join(', ')} FROM records WHERE start_s >= ? AND start_s < ? ${podId ? 'AND pod_id = ?' : ''} ORDER BY start_s, pod_id, seq`)
    .all(...[p.from_s, p.to_s, ...(podId ? [podId] : [])]) as ExportRecord[];
}

/**
 * Minute records whose starts are at most this far apart belong to one bout
 * (the pod stores only minutes with strides, so a missing minute is a
 * pause). 90 s, not 60: a minute that started when the clock was set can be
 * a second or so off the grid.
 */
const BOUT_GAP_S = 90;

export interface Bout {
  pod_id: string;
  records: ExportRecord[];
  start_s: number;
  /** end of the last minute */
  end_s: number;
}

/** Consecutive minutes of one pod form a bout. */
export function bouts(records: ExportRecord[]): Bout[] {
  const out: Bout[] = [];
  const open = new Map<string, Bout>();
  for (const r of records) {
    const b = open.get(r.pod_id);
    if (b && r.start_s - (b.end_s - 60) <= BOUT_GAP_S) {
      b.records.push(r);
      b.end_s = r.start_s + 60;
    } else {
      const nb = { pod_id: r.pod_id, records: [r], start_s: r.start_s, end_s: r.start_s + 60 };
      out.push(nb);
      open.set(r.pod_id, nb);
    }
  }
  return out.sort((a, b) => a.start_s - b.start_s);
}

/**
 * Bouts by the local day each starts on (2026-11-22), days in time order: a FIT activity is one day's walking
 * (a week in one activity would show in Garmin Connect or Strava as one walk lasting days).
 */
export function boutsByDay<B extends Bout>(list: B[]): [string, B[]][] {
  const days = new Map<string, B[]>();
  for (const b of list) {
    const day = localDate(new Date(b.start_s * 1000));
    const bs = days.get(day);
    if (bs) bs.push(b);
    else days.set(day, [b]);
  }
  return [...days.entries()];
}
