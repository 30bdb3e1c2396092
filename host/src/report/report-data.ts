/**
 * Everything the HTML report shows, gathered from the database: the
 * period's summary and day buckets (the very figures of `summary --json`),
 * the figures of each row of its tables and charts (a day, or a week, month
 * or year of days for a long period), the plan as `plan` shows it, and
 * the pods' notices from their last sync.
 */
import { STATUS_STORAGE_FULL } from '../../../shared/protocol/messages.js';
import { podNotices } from '../pod-notices.js';
import { listPods, type Db } from '../store/db.js';
import { type BucketUnit, dayLabel, fromFirstWalk, sumDays } from './buckets.js';
import { periodSummary, type PeriodSummary } from './period-summary.js';
import type { Period } from './period.js';
import { minutesAtStep, PLAN, type PlanStatus, planStatus, QUALIFYING_MINUTES_PER_DAY } from './plan.js';
import { summarise, userWeight_kg } from './summary.js';

/**
 * One row of the report's tables and one bar (or point) of its charts: a day, or for a long period a week, a
 * calendar month or a calendar year of days summed (MAX_REPORT_ROWS).
 */
export interface RowFigures {
  /** ISO day, 2026-11-23; summed days: the span, 2026-11-23 to 2026-11-29, or a whole month (2026-11) or year (2026) */
  label: string;
  /** under its bar: "Mon 23"; summed days: "Nov 23" (a week's first day), "2026-11", "2026" */
  short: string;
  forward: number;
  backward: number;
  retro_min: number;
  active_min: number;
  /** wrong-gait strides as a share of backward strides, %; null on a row without backward strides */
  wrong_pct: number | null;
  /** null on a row without walking */
  cadence_spm: number | null;
  kcal: number;
  /** minutes that reached the plan step's backward steps (interval steps), or retro minutes (continuous): the step of `aim` */
  plan_min: number;
  /** the days the row sums (1 for a day), and how many of them reached the plan step's minutes */
  days: number;
  reached_days: number;
}

/**
 * The most rows the report's tables (and bars its charts) show. A month's days stay days, as the longest calendar
 * period (--month) was shown; a longer period's days are summed into weeks, months or years, the shortest unit
 * that fits (a year of days was 365 table rows and 730 bars a chart, --from 1970-01-01 a page of tens of MB).
 * Fewer than summary's 62 terminal columns: at the charts' 16 px labels, 31 names fit under a 640 px axis.
 */
export const MAX_REPORT_ROWS = 31;

/** What one day should hold for the plan step the user is on. */
export interface PlanAim {
  title: string;
  /** interval steps: backward steps a minute wanted; undefined for the continuous step */
  steps_per_min?: number;
  /** minutes a day that make the day count */
  min_per_day: number;
  /** a period that ended before today: its last day, the step it is judged against being the one held then (else null) */
  as_of: string | null;
}

export interface PodReport {
  pod_id: string;
  name: string;
  last_sync_s: number | null;
  battery_pct: number | null;
  /** the pod said at its last sync that its flash was full; null before a sync that kept its status */
  flash_full: boolean | null;
  notices: string[];
}

export interface ReportData extends PeriodSummary {
  generated_s: number;
  /** what a row of `rows` is */
  unit: BucketUnit;
  rows: RowFigures[];
  /** a long period that starts before its first walk: that walk's day, where its rows start (else null) */
  rows_from: string | null;
  plan: PlanStatus;
  aim: PlanAim;
  pods: PodReport[];
}

export function planAim(plan: PlanStatus, as_of: string | null = null): PlanAim {
  const stage = PLAN[Math.min(plan.current, PLAN.length - 1)];
  if (stage.kind === 'interval') return { title: stage.title, steps_per_min: stage.steps_per_min, min_per_day: QUALIFYING_MINUTES_PER_DAY, as_of };
  return { title: stage.title, min_per_day: stage.retro_min_per_day, as_of };
}

/**
 * The plan step a period's days are judged against: for a period that ended before today, the one held on its
 * last day (as that day began: its own walk may have finished the step). Today's step judged a month walked on
 * the first step against the third (0 of its days reached it), though each of them did what was asked.
 */
function periodAim(db: Db, period: Period, now: Date, plan: PlanStatus): PlanAim {
  const last = new Date(period.to_s * 1000 - 1);
  const ended = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() / 1000 >= period.to_s;
  if (!ended) return planAim(plan);
  return planAim(planStatus(db, new Date(last.getFullYear(), last.getMonth(), last.getDate() - 1)), dayLabel(last));
}

export function reportData(db: Db, period: Period, podId?: string, now = new Date()): ReportData {
  // days always (the rows are days or days summed), even for a one-day period where `summary` shows hours
  const figures = periodSummary(db, period, podId, { byDay: true });
  const weight_kg = userWeight_kg(db);
  const plan = planStatus(db, now);
  const aim = periodAim(db, period, now, plan);
  const days = fromFirstWalk(figures.buckets, MAX_REPORT_ROWS);
  const planMin = new Map(days.map((b) => [b.label, aim.steps_per_min === undefined ? summarise(b.totals, weight_kg).retro_min : minutesAtStep(db, b.from_s, b.to_s, aim.steps_per_min, podId)]));
  const { unit, buckets } = sumDays(days, MAX_REPORT_ROWS);
  const rows = buckets.map((b): RowFigures => {
    const s = summarise(b.totals, weight_kg);
    const inRow = b.days.map((d) => planMin.get(d.label)!);
    return {
      label: b.label,
      short: b.short,
      forward: s.forward,
      backward: s.backward,
      retro_min: s.retro_min,
      active_min: s.active_s / 60,
      // (over the records not folded: a row of only a folded record has neither)
      wrong_pct: s.unfolded_backward > 0 ? 100 * s.wrong_rate : null,
      cadence_spm: s.unfolded_active_s > 0 ? s.cadence_spm : null,
      kcal: s.kcal,
      plan_min: inRow.reduce((a, x) => a + x, 0),
      days: inRow.length,
      reached_days: inRow.filter((x) => x >= aim.min_per_day).length,
    };
  });
  const pods = listPods(db)
    .filter((p) => podId === undefined || p.pod_id === podId)
    .map((p): PodReport => ({
      pod_id: p.pod_id,
      name: p.name ?? p.pod_id,
      last_sync_s: p.last_sync_s,
      battery_pct: p.status?.battery_pct ?? null,
      flash_full: p.status ? (p.status.flags & STATUS_STORAGE_FULL) !== 0 : null,
      notices: p.status ? podNotices(p.status) : [],
    }));
  return { ...figures, generated_s: Math.floor(now.getTime() / 1000), unit, rows, rows_from: days.length < figures.buckets.length ? days[0].label : null, plan, aim, pods };
}
