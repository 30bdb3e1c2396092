/**
 * Everything the HTML report shows, gathered from the database: the
 * period's summary and day buckets (the very figures of `summary --json`),
 * the figures of each row of its tables and charts (a day, or a week, month
 * or year of days for a long period), the plan as `plan` shows it, and
 * the pods' notices from their last sync.
 */
import { STATUS_STORAGE_FULL } from '../../../shared/protocol/messages.js';
import { podNotices } from '../pod-notices.js';
import { lastSyncOf, listPods, type Db } from '../store/db.js';
import { type Bucket, type BucketUnit, dayLabel, fromFirstWalk, sumDays } from './buckets.js';
import { periodSummary, type PeriodSummary, totalsOf } from './period-summary.js';
import type { Period } from './period.js';
import { type DayTally, periodTallies, PLAN, type PlanStatus, planStatus, QUALIFYING_MINUTES_PER_DAY, reachesMinutes, stageHeld, stepHistory } from './plan.js';
import { judgesForward, summarise, userWeight_kg, wrongShare } from './summary.js';

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
  /** wrong-gait strides as a share of the strides the rule judged (summary.ts wrongShare), %; null on a row without any */
  wrong_pct: number | null;
  /** the row's share is of forward strides too: a minute's rule judged them (summary.ts judgesForward) */
  wrong_judges_forward: boolean;
  /** null on a row without walking */
  cadence_spm: number | null;
  kcal: number;
  /** minutes that reached each day's plan step's backward steps (interval steps), or retro minutes (continuous): as the plan counts them, each minute once and the demo's left out (unless --pod names its pod) */
  plan_min: number;
  /** the days the row sums that have begun (1 for a day up to today), and how many of them reached their plan step's minutes */
  days: number;
  reached_days: number;
  /** the plan steps its days were judged against, in order (one, unless the step changed within the row) */
  aims: PlanAim[];
  /** the row's days after today (a period that ends in the future: this week, this month): neither reached nor missed yet */
  days_to_come: number;
}

/**
 * The most rows the report's tables (and bars its charts) show. A month's days stay days, as the longest calendar
 * period (--month) was shown; a longer period's days are summed into weeks, months or years, the shortest unit
 * that fits (a year of days was 365 table rows and 730 bars a chart, --from 1970-01-01 a page of tens of MB).
 * Fewer than summary's 62 terminal columns: at the charts' 16 px labels, 31 names fit under a 640 px axis.
 */
const MAX_REPORT_ROWS = 31;

/** What one day should hold for a plan step. */
export interface PlanAim {
  title: string;
  /** interval steps: backward steps a minute wanted; undefined for the continuous step */
  steps_per_min?: number;
  /** minutes a day that make the day count */
  min_per_day: number;
}

/** A run of the period's days (from its first walk, for a long period) judged against one plan step. */
export interface AimSpan {
  aim: PlanAim;
  /** its first and last ISO day, and how many days it has */
  from: string;
  to: string;
  days: number;
}

interface PodReport {
  pod_id: string;
  name: string;
  /** when this database last heard from it at a sync (with new minutes or not) */
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
  /** the plan steps the rows' days were judged against, each day at the one held as it began: one run, or more where the step changed */
  aims: AimSpan[];
  /**
   * A period judged at one step other than the plan's now (it ended before today, or today's walk finished the
   * step): its last day, as that day began being when the step was held. Else null.
   */
  aim_as_of: string | null;
  pods: PodReport[];
  /** every pod's figures summed: the demo's pod when its made-up walk is among a real pod's (else null), as `summary` says */
  demo_pod: string | null;
  /** every pod's figures summed: pods that walked the same minutes (both feet: those steps summed twice), as `summary` says */
  pods_together: { pods: string[]; minutes: number } | null;
}

export function planAim(stage: number): PlanAim {
  const s = PLAN[Math.min(stage, PLAN.length - 1)];
  if (s.kind === 'interval') return { title: s.title, steps_per_min: s.steps_per_min, min_per_day: QUALIFYING_MINUTES_PER_DAY };
  return { title: s.title, min_per_day: s.retro_min_per_day };
}

/** One PlanAim a stage, so a row's steps compare by identity. */
const AIMS = PLAN.map((_s, i) => planAim(i));

/**
 * Each day's plan step (index into PLAN): the one held as the day began, its own walk may finish it. One step for
 * the whole period judged the early days of a period in which the user moved up against the later step ("not
 * reached", though each did what was asked that day). One pass over the minutes, not a planStatus per day.
 */
function dayStages(db: Db, days: Bucket[], to_s: number): Map<string, number> {
  const history = stepHistory(db, to_s);
  return new Map(days.map((b) => [b.label, stageHeld(history, b.label)]));
}

/** The days in runs of one step, in order. */
function aimSpans(days: Bucket[], stages: Map<string, number>): AimSpan[] {
  const spans: AimSpan[] = [];
  for (const b of days) {
    const aim = AIMS[stages.get(b.label)!], last = spans[spans.length - 1];
    if (last?.aim === aim) Object.assign(last, { to: b.label, days: last.days + 1 });
    else spans.push({ aim, from: b.label, to: b.label, days: 1 });
  }
  return spans;
}

/**
 * The day the caption names for a period judged at one step: its last day where that step is not the plan's now,
 * a period that ended before today (today's step judged a fortnight walked on step 1 against step 3, 0 of its days
 * reached) or one whose last day, today, finished the step. A period at today's step, or at more than one, names none.
 */
function aimAsOf(spans: AimSpan[], plan: PlanStatus, period: Period, now: Date): string | null {
  const ended = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() / 1000 >= period.to_s;
  if (spans.length !== 1 || (!ended && spans[0].aim === AIMS[Math.min(plan.current, PLAN.length - 1)])) return null;
  return dayLabel(new Date(period.to_s * 1000 - 1));
}

/** Minutes a day at its step: of the step's backward steps (interval steps, from the day's tally) or of backward walking. */
function dayPlanMin(stage: number, tally: DayTally | undefined): number {
  // (the continuous step's retro minutes from the tally too, each minute once: summed over pods on both feet, 5
  // minutes walked read 10 and reached the step, where the plan itself counts 5)
  return AIMS[stage].steps_per_min === undefined ? (tally?.retro_s ?? 0) / 60 : (tally?.reached[stage] ?? 0);
}

export function reportData(db: Db, period: Period, podId?: string, now = new Date()): ReportData {
  // days always (the rows are days or days summed), even for a one-day period where `summary` shows hours
  const figures = periodSummary(db, period, podId, { byDay: true });
  const weight_kg = userWeight_kg(db);
  const plan = planStatus(db, now);
  const days = fromFirstWalk(figures.buckets, MAX_REPORT_ROWS);
  const stages = dayStages(db, days, period.to_s);
  const aims = aimSpans(days, stages);
  const tallies = periodTallies(db, period.from_s, period.to_s, podId);
  const planMin = new Map(days.map((b) => [b.label, dayPlanMin(stages.get(b.label)!, tallies.get(b.label))]));
  const { unit, buckets } = sumDays(days, MAX_REPORT_ROWS);
  // (days after today are not counted as days that missed the step: this month read "1 of 31 days reached it" on the 6th)
  const now_s = now.getTime() / 1000;
  const rows = buckets.map((b): RowFigures => {
    const s = summarise(b.totals, weight_kg);
    const begun = b.days.filter((d) => d.from_s <= now_s);
    const inRow = begun.map((d) => planMin.get(d.label)!);
    const dayAims = b.days.map((d) => AIMS[stages.get(d.label)!]);
    return {
      label: b.label,
      short: b.short,
      forward: s.forward,
      backward: s.backward,
      retro_min: s.retro_min,
      active_min: s.active_s / 60,
      // (over the records not folded: a row of only a folded record has neither)
      wrong_pct: wrongShare(s) === null ? null : 100 * s.wrong_rate,
      wrong_judges_forward: judgesForward(s),
      cadence_spm: s.unfolded_active_s > 0 ? s.cadence_spm : null,
      kcal: s.kcal,
      plan_min: inRow.reduce((a, x) => a + x, 0),
      days: inRow.length,
      reached_days: begun.filter((d) => reachesMinutes(planMin.get(d.label)!, AIMS[stages.get(d.label)!].min_per_day)).length,
      aims: dayAims.filter((a, i) => a !== dayAims[i - 1]),
      days_to_come: b.days.length - begun.length,
    };
  });
  const pods = listPods(db)
    .filter((p) => podId === undefined || p.pod_id === podId)
    .map((p): PodReport => ({
      pod_id: p.pod_id,
      name: p.name ?? p.pod_id,
      // (the last sync, whether or not it had minutes to store: last_sync_s alone left a pod synced with none "not
      // synced yet", and one synced daily at the day it last walked, beside the battery and notices of the sync that
      // followed)
      last_sync_s: lastSyncOf(p),
      battery_pct: p.status?.battery_pct ?? null,
      flash_full: p.status ? (p.status.flags & STATUS_STORAGE_FULL) !== 0 : null,
      notices: p.status ? podNotices(p.status) : [],
    }));
  // (the page's figures summed the demo's made-up walk, or both feet's pods, without a word where `summary` says so)
  const { demo_included: demo_pod, pods_together } = totalsOf(db, period, podId);
  return { ...figures, generated_s: Math.floor(now.getTime() / 1000), unit, rows, rows_from: days.length < figures.buckets.length ? days[0].label : null, plan, aims, aim_as_of: aimAsOf(aims, plan, period, now), pods, demo_pod, pods_together };
}
