/**
 * Everything the HTML report shows, gathered from the database: the
 * period's summary and day buckets (the very figures of `summary --json`),
 * per-day derived figures for the charts, the plan as `plan` shows it, and
 * the pods' notices from their last sync.
 */
import { STATUS_STORAGE_FULL } from '../../../shared/protocol/messages.js';
import { podNotices } from '../pod-notices.js';
import { listPods, type Db } from '../store/db.js';
import { periodSummary, type PeriodSummary } from './period-summary.js';
import type { Period } from './period.js';
import { minutesAtStep, PLAN, type PlanStatus, planStatus, QUALIFYING_MINUTES_PER_DAY } from './plan.js';
import { summarise, userWeight_kg } from './summary.js';

export interface DayFigures {
  /** ISO day, 2026-11-23 */
  label: string;
  /** "Mon 23" */
  short: string;
  forward: number;
  backward: number;
  retro_min: number;
  active_min: number;
  /** wrong-gait strides as a share of backward strides, %; null on a day without backward strides */
  wrong_pct: number | null;
  /** null on a day without walking */
  cadence_spm: number | null;
  kcal: number;
  /** minutes that reached the current plan step's backward steps (interval steps), or retro minutes (continuous) */
  plan_min: number;
}

/** What one day should hold for the plan step the user is on. */
export interface PlanAim {
  title: string;
  /** interval steps: backward steps a minute wanted; undefined for the continuous step */
  steps_per_min?: number;
  /** minutes a day that make the day count */
  min_per_day: number;
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
  days: DayFigures[];
  plan: PlanStatus;
  aim: PlanAim;
  pods: PodReport[];
}

export function planAim(plan: PlanStatus): PlanAim {
  const stage = PLAN[Math.min(plan.current, PLAN.length - 1)];
  if (stage.kind === 'interval') return { title: stage.title, steps_per_min: stage.steps_per_min, min_per_day: QUALIFYING_MINUTES_PER_DAY };
  return { title: stage.title, min_per_day: stage.retro_min_per_day };
}

export function reportData(db: Db, period: Period, podId?: string, now = new Date()): ReportData {
  // days always (the charts are per day), even for a one-day period where `summary` shows hours
  const figures = periodSummary(db, period, podId, { byDay: true });
  const weight_kg = userWeight_kg(db);
  const plan = planStatus(db, now);
  const aim = planAim(plan);
  const days = figures.buckets.map((b): DayFigures => {
    const s = summarise(b.totals, weight_kg);
    return {
      label: b.label,
      short: b.short,
      forward: s.forward,
      backward: s.backward,
      retro_min: s.retro_min,
      active_min: s.active_s / 60,
      // (over the records not folded: a day of only a folded record has neither)
      wrong_pct: s.unfolded_backward > 0 ? 100 * s.wrong_rate : null,
      cadence_spm: s.unfolded_active_s > 0 ? s.cadence_spm : null,
      kcal: s.kcal,
      plan_min: aim.steps_per_min === undefined ? s.retro_min : minutesAtStep(db, b.from_s, b.to_s, aim.steps_per_min, podId),
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
  return { ...figures, generated_s: Math.floor(now.getTime() / 1000), days, plan, aim, pods };
}
