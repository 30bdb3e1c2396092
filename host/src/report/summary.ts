/**
 * Summaries over stored minute records: what `summary` and `demo` print.
 */
import type Database from 'better-sqlite3';
import { type Db, getSetting } from '../store/db.js';
import { DEFAULT_WEIGHT_KG, kcal, MET_BACKWARD_WALK, MET_FORWARD_WALK } from './energy.js';
import { podWasFull } from '../pod-notices.js';
import { shown } from './shown.js';

export interface Totals {
  minutes: number;
  forward: number;
  backward: number;
  heel: number;
  flat: number;
  toe: number;
  wrong: number;
  buzzes: number;
  active_s: number;
  /** seconds of walking attributed to backward strides (each minute split by its stride shares) */
  backward_s: number;
  forward_s: number;
  coach_prompted: number;
  coach_done: number;
  /**
   * records the pod folded later minutes into while it was full (RECORD_FOLDED: counts capped at 255 each, so
   * the figures are short of what was walked), and the earliest one's start (Unix s), null if none
   */
  folded: number;
  folded_from_s: number | null;
  /**
   * strides, active seconds, backward and wrong-gait strides of the records not folded: the cadence and the
   * wrong-gait rate are taken over these (a folded record's counts are capped, each at its own point, and its
   * seconds are many minutes')
   */
  unfolded_strides: number;
  unfolded_active_s: number;
  unfolded_backward: number;
  unfolded_wrong: number;
  /**
   * the strides the wrong-gait rule judged, of the records not folded: backward strides, and forward ones of the
   * minutes whose rule judged them too (wrong_judges_forward); and how many such minutes there were
   */
  unfolded_judged: number;
  unfolded_judged_forward_min: number;
}

export interface Summary extends Totals {
  /** estimated steps: the pod sees one foot, so 2 x strides */
  steps_est: number;
  retro_min: number;
  cadence_spm: number;
  /** wrong-gait strides over the strides the rule judged, of the records not folded (wrongShare); 0 with none judged */
  wrong_rate: number;
  kcal: number;
  weight_kg: number;
}

export interface RecordFilter {
  from_s?: number;
  to_s?: number;
  pod_id?: string;
  seq_from?: number;
  seq_to?: number;
}

/**
 * Each database's statements of totals, prepared once: a day's totals are asked for each day of a period, and
 * preparing the statement each time was most of `report --from 1970-01-01`'s time (20,000 days).
 */
const statements = new WeakMap<Db, Map<string, Database.Statement>>();

function prepared(db: Db, sql: string): Database.Statement {
  let byDb = statements.get(db);
  if (!byDb) statements.set(db, (byDb = new Map()));
  let st = byDb.get(sql);
  if (!st) byDb.set(sql, (st = db.prepare(sql)));
  return st;
}

export function totals(db: Db, f: RecordFilter = {}): Totals {
  const where: string[] = [];
  const args: Record<string, number | string> = {};
  if (f.from_s !== undefined) (where.push('start_s >= @from_s'), (args.from_s = f.from_s));
  if (f.to_s !== undefined) (where.push('start_s < @to_s'), (args.to_s = f.to_s));
  if (f.pod_id !== undefined) (where.push('pod_id = @pod_id'), (args.pod_id = f.pod_id));
  if (f.seq_from !== undefined) (where.push('seq >= @seq_from'), (args.seq_from = f.seq_from));
  if (f.seq_to !== undefined) (where.push('seq < @seq_to'), (args.seq_to = f.seq_to));
  const sql = `SELECT COUNT(*) AS minutes, COALESCE(SUM(forward),0) AS forward, COALESCE(SUM(backward),0) AS backward,
      COALESCE(SUM(heel),0) AS heel, COALESCE(SUM(flat),0) AS flat, COALESCE(SUM(toe),0) AS toe,
      COALESCE(SUM(wrong),0) AS wrong, COALESCE(SUM(buzzes),0) AS buzzes, COALESCE(SUM(active_s),0) AS active_s,
      COALESCE(SUM(CASE WHEN forward + backward > 0 THEN active_s * backward * 1.0 / (forward + backward) ELSE 0 END),0) AS backward_s,
      COALESCE(SUM(CASE WHEN forward + backward > 0 THEN active_s * forward * 1.0 / (forward + backward) ELSE 0 END),0) AS forward_s,
      COALESCE(SUM(coach_prompted),0) AS coach_prompted, COALESCE(SUM(coach_done),0) AS coach_done,
      COALESCE(SUM(folded),0) AS folded, MIN(CASE WHEN folded = 1 THEN start_s END) AS folded_from_s,
      COALESCE(SUM(CASE WHEN folded = 0 THEN forward + backward ELSE 0 END),0) AS unfolded_strides,
      COALESCE(SUM(CASE WHEN folded = 0 THEN active_s ELSE 0 END),0) AS unfolded_active_s,
      COALESCE(SUM(CASE WHEN folded = 0 THEN backward ELSE 0 END),0) AS unfolded_backward,
      COALESCE(SUM(CASE WHEN folded = 0 THEN wrong ELSE 0 END),0) AS unfolded_wrong,
      COALESCE(SUM(CASE WHEN folded = 0 THEN backward + wrong_judges_forward * forward ELSE 0 END),0) AS unfolded_judged,
      COALESCE(SUM(CASE WHEN folded = 0 THEN wrong_judges_forward ELSE 0 END),0) AS unfolded_judged_forward_min
    FROM records ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`;
  return prepared(db, sql).get(args) as Totals;
}

/** The user's weight for energy: the `weight_kg` setting (retrostep config set weight_kg N) or the default. */
export function userWeight_kg(db: Db): number {
  const v = Number(getSetting(db, 'weight_kg'));
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_WEIGHT_KG;
}

/**
 * The wrong-gait share: wrong strides over the strides the rule judged (backward, plus forward in the minutes
 * whose rule judged forward too), of the records not folded; null with none judged. Every output's share is this
 * one (summary, its --json, the report's table and chart).
 */
export function wrongShare(t: Totals): number | null {
  return t.unfolded_judged > 0 ? t.unfolded_wrong / t.unfolded_judged : null;
}

/** Whether the share is of forward strides too (a minute's rule judged them): its outputs then say "of the strides judged", not "of backward". */
export function judgesForward(t: Totals): boolean {
  return t.unfolded_judged_forward_min > 0;
}

export function summarise(t: Totals, weight_kg: number): Summary {
  const strides = t.forward + t.backward;
  return {
    ...t,
    steps_est: 2 * strides,
    retro_min: t.backward_s / 60,
    cadence_spm: t.unfolded_active_s > 0 ? (2 * t.unfolded_strides * 60) / t.unfolded_active_s : 0,
    wrong_rate: wrongShare(t) ?? 0,
    kcal: kcal(MET_FORWARD_WALK, weight_kg, t.forward_s) + kcal(MET_BACKWARD_WALK, weight_kg, t.backward_s),
    weight_kg,
  };
}

/** Why the figures are short of what was walked (the pod was full: RECORD_FOLDED), or null. */
export function incompleteNote(t: Totals): string | null {
  if (t.folded === 0 || t.folded_from_s === null) return null;
  return `${podWasFull(t.folded_from_s)}, so these figures are short of it (sync at least every few weeks)`;
}

/**
 * The cadence and the wrong-gait share as `summary` and the HTML report both print them: over the minutes not
 * folded, "n/a" where a full pod's folded minute is all there is to stand on (one place decides it for both).
 */
export function cadenceText(s: Summary): string {
  if (s.unfolded_active_s > 0) return `${Math.round(s.cadence_spm)} steps/min`;
  // (a period with no walking has no cadence: "0 steps/min" read as standing still at a walk)
  if (s.folded > 0) return 'n/a (only a minute the full pod folded others into)';
  // (a stride alone in its minute has no walking time, which the pod measures from one stride to the next: "forward
  // strides 1" over "n/a (no walking)" said the stride was not walked)
  return s.unfolded_strides > 0 ? 'n/a (too few strides to time)' : 'n/a (no walking)';
}

/** The wrong-gait strides and their share of those the rule judged (see cadenceText, wrongShare). */
export function wrongText(s: Summary): string {
  const share = wrongShare(s);
  if (share !== null) return `${s.wrong} (${shown(100 * share, 1, 100)}% of ${judgesForward(s) ? 'the strides judged' : 'backward'})`;
  // (no backward strides: no share of them, not "0.0%"; a minute judging forward strides has strides, so judged ones)
  return `${s.wrong} (${s.folded > 0 ? 'n/a of backward' : 'no backward strides'})`;
}

export function formatSummary(s: Summary, title: string): string {
  const lines = [
    title,
    `  forward strides      ${s.forward}`,
    `  backward strides     ${s.backward}`,
    `  steps (estimated)    ${s.steps_est}   (2 x strides: the pod sees one foot)`,
    `  retro minutes        ${shown(s.retro_min, 1)}`,
    `  active minutes       ${shown(s.active_s / 60, 1)}`,
    `  cadence              ${cadenceText(s)}`,
    `  first contact        heel ${s.heel}, flat ${s.flat}, toe ${s.toe}`,
    `  wrong-gait strides   ${wrongText(s)}, buzzes ${s.buzzes}`,
    `  energy               ${shown(s.kcal, 0)} kcal (MET ${MET_FORWARD_WALK.toFixed(1)} forward, ${MET_BACKWARD_WALK.toFixed(1)} backward; ${s.weight_kg} kg)`,
  ];
  const short = incompleteNote(s);
  if (short) lines.push(`  incomplete           ${short}`);
  if (s.coach_prompted > 0) lines.push(`  coach intervals      ${s.coach_done} of ${s.coach_prompted} completed (${shown((100 * s.coach_done) / s.coach_prompted, 0, 100)}%)`);
  return lines.join('\n');
}
