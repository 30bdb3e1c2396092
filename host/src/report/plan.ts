/**
 * The training plan (DESIGN.md): during a normal walk, 10 backward steps
 * every minute, then 20, then 30; then continuous backward walking, 10-15
 * minutes, 4 days a week. Where the user stands is worked out from the
 * stored minutes, so it needs no state of its own and survives a new laptop.
 */
import { type Db, DEMO_POD_NAME, DEMO_PODS_SQL, seenPodConfigs } from '../store/db.js';
import { podWasFull } from '../pod-notices.js';
import { dayLabel } from './buckets.js';
import { rounded, shown } from './shown.js';

interface IntervalStage {
  kind: 'interval';
  /** backward steps (both feet) wanted in each minute of a walk */
  steps_per_min: number;
  title: string;
}
interface ContinuousStage {
  kind: 'continuous';
  retro_min_per_day: number;
  days_per_week: number;
  title: string;
}
export type Stage = IntervalStage | ContinuousStage;

export const PLAN: Stage[] = [
  { kind: 'interval', steps_per_min: 10, title: '10 backward steps every minute of a walk' },
  { kind: 'interval', steps_per_min: 20, title: '20 backward steps every minute of a walk' },
  { kind: 'interval', steps_per_min: 30, title: '30 backward steps every minute of a walk' },
  { kind: 'continuous', retro_min_per_day: 10, days_per_week: 4, title: 'continuous backward walking, 10-15 minutes, 4 days a week' },
];

/** A day counts for an interval stage when this many of its minutes reached the stage's steps: a 10-minute walk with an interval each minute. */
export const QUALIFYING_MINUTES_PER_DAY = 10;
/** Days at a level before moving on: three sessions, so one good day is not enough (safety over speed). */
const DAYS_TO_ADVANCE = 3;
/** Weekly moderate activity recommended for adults 65+ (WHO/CDC): the plan shows progress towards it. */
const WEEKLY_ACTIVE_TARGET_MIN = 150;

interface StageProgress {
  stage: number;
  title: string;
  done: boolean;
  /** interval stages: days that qualified; continuous: days this week with enough retro minutes */
  days: number;
  days_needed: number;
  qualifying_days: string[];
}

export interface PlanStatus {
  stages: StageProgress[];
  /** index into PLAN of the stage to work on now (PLAN.length when everything is done) */
  current: number;
  week_active_min: number;
  week_retro_min: number;
  week_target_min: number;
  /** the demo's made-up walk is stored, and left out of all of the above */
  demo_left_out: boolean;
  /** the first minute this week a full pod added its later walking into (capped): this week's figures are short; else null */
  week_folded_from_s: number | null;
  /** the coach and buzz settings of the pod last heard from (a sync, `config set`), and when; null before one was seen */
  pod_coach: PodCoach | null;
  /** those of every pod in use (POD_IN_USE_S), the pod last heard from first: each is judged (pod_coach is the first) */
  pods_coach: PodCoach[];
}

/** A pod's coach and buzz settings as last seen, and when (unix s). */
interface PodCoach {
  pod_id: string;
  name: string | null;
  coach_steps: number;
  buzz_on: number;
  seen_s: number;
}

/**
 * A pod last heard from this long before the pod last heard from is not in use (an old pod, replaced): its coach is
 * not judged. Pods worn together (one on each foot) are synced together, days apart at most, and the README asks for
 * a sync every few weeks: 30 days keeps both of a pair and leaves out one put away a month before.
 */
const POD_IN_USE_S = 30 * 86400;

/** A minute reaches an interval step when its backward steps (2 x strides: the pod sees one foot) are at least the step's. */
function reachesStep(backward_strides: number, steps_per_min: number): boolean {
  return 2 * backward_strides >= steps_per_min;
}

interface MinuteRow {
  start_s: number;
  backward: number;
  forward: number;
  active_s: number;
  /** the start of its first record a full pod added the walking after it into (RECORD_FOLDED), else null */
  folded_s: number | null;
}

/** One local day's minutes as the plan counts them. */
export interface DayTally {
  /** per stage of PLAN: minutes that reached its step (interval stages; 0 for the continuous one) */
  reached: number[];
  /** backward walking: each minute's active seconds in the share of its strides that were backward */
  retro_s: number;
}

/**
 * Does a day's `minutes` (of backward walking, or at its step) reach `min_per_day`? Judged on the minutes to a
 * tenth, as every figure shows them (shown.ts): 599.7 s read "retro minutes 10.0" in summary and 10 in the report's
 * plan table beside "no", and the plan said "0/4 days with 10+ retro minutes". (Minutes at an interval step are whole.)
 */
export function reachesMinutes(minutes: number, min_per_day: number): boolean {
  return rounded(minutes, 1) >= min_per_day;
}

/** A minute's backward walking in seconds: its active seconds in the share of its strides that were backward. */
function retroSeconds(r: MinuteRow): number {
  const strides = r.forward + r.backward;
  return strides > 0 ? (r.active_s * r.backward) / strides : 0;
}

/** Minutes tallied per local day (ISO label), in the order of `rows` (time order: the order days are climbed in). */
function tallyDays(rows: MinuteRow[]): Map<string, DayTally> {
  const days = new Map<string, DayTally>();
  for (const r of rows) {
    const key = dayLabel(new Date(r.start_s * 1000));
    let d = days.get(key);
    if (!d) days.set(key, (d = { reached: PLAN.map(() => 0), retro_s: 0 }));
    PLAN.forEach((s, i) => {
      if (s.kind === 'interval' && reachesStep(r.backward, s.steps_per_min)) d!.reached[i]++;
    });
    d.retro_s += retroSeconds(r);
  }
  return days;
}

/** The days (ISO labels, in order) that count for interval stage `i`: enough of their minutes reached its step. */
function qualifyingDays(days: Map<string, DayTally>, i: number): string[] {
  return [...days].filter(([, d]) => d.reached[i] >= QUALIFYING_MINUTES_PER_DAY).map(([k]) => k);
}

/**
 * The minutes of [from_s, to_s) as the plan counts them, in time order: a minute walked is one minute, however
 * many pods recorded it. Two pods worn one on each foot each count their own foot's strides, and each minute
 * of theirs was a record of its own: a day of 5 minutes on both feet was 10 minutes at the step, and a
 * qualifying day. Their minute is their average (each pod's 2 x strides is the same walk's steps, seen from one
 * foot). `podId`: that pod's minutes only. `withDemo`: the demo's made-up walk counts too (`report --pod` of the
 * demo's pod); the plan is the user's own walking and leaves it out.
 */
function planMinutes(db: Db, from_s: number, to_s: number, o: { podId?: string; withDemo: boolean }): MinuteRow[] {
  const where = ['start_s >= ?', 'start_s < ?'];
  const args: (number | string)[] = [from_s, to_s];
  if (o.podId !== undefined) {
    where.push('pod_id = ?');
    args.push(o.podId);
  }
  if (!o.withDemo) {
    where.push(`pod_id NOT IN ${DEMO_PODS_SQL}`);
    args.push(DEMO_POD_NAME);
  }
  // (by minute of the clock, each pod's records in it summed first: a pod's minute cut by a restart is two
  // records, and one started off the minute, before the clock was set, is still that minute's. A minute the pod
  // had no clock for is one of its own, `apart`: the host stamps all of a sync's such minutes with the minute it
  // stored them, so by the clock 10 minutes walked were one, and the day did not count)
  return db
    .prepare(
      `SELECT MIN(start_s) AS start_s, AVG(backward) AS backward, AVG(forward) AS forward, AVG(active_s) AS active_s, MIN(folded_s) AS folded_s
       FROM (SELECT start_s / 60 AS minute, CASE WHEN time_estimated = 1 THEN pod_id || ' ' || seq END AS apart,
                    MIN(start_s) AS start_s, SUM(backward) AS backward, SUM(forward) AS forward, SUM(active_s) AS active_s,
                    MIN(CASE WHEN folded = 1 THEN start_s END) AS folded_s
             FROM records WHERE ${where.join(' AND ')} GROUP BY minute, pod_id, apart)
       GROUP BY minute, apart ORDER BY minute`,
    )
    .all(...args) as MinuteRow[];
}

/** Every pod's minutes stamped before `to_s` but the demo's, in time order: what the plan is worked out from. */
function minutesBefore(db: Db, to_s: number): MinuteRow[] {
  return planMinutes(db, Number.MIN_SAFE_INTEGER, to_s, { withDemo: false });
}

/**
 * A period's minutes tallied per local day in one query, as the plan counts them: every pod's but the demo's, or
 * only `podId`'s when given (the report's rows are that pod's, the demo's too if it is named). The demo's were
 * counted: a day of its made-up walk read "reached" in the report under a plan that leaves it out, at 0 days.
 * The report asked the database once a day for them: ~2,200 queries for six years walked.
 */
export function periodTallies(db: Db, from_s: number, to_s: number, podId?: string): Map<string, DayTally> {
  return tallyDays(planMinutes(db, from_s, to_s, { podId, withDemo: podId !== undefined }));
}

/** Whether the demo's made-up walk is stored before `to_s` (the plan leaves it out, and says so). */
function demoWalked(db: Db, to_s: number): boolean {
  return db.prepare(`SELECT 1 FROM records WHERE start_s < ? AND pod_id IN ${DEMO_PODS_SQL} LIMIT 1`).get(to_s, DEMO_POD_NAME) !== undefined;
}

/** Where the user stood in the plan at the end of `now`'s local day (minutes stamped after it are not yet walked). */
export function planStatus(db: Db, now = new Date()): PlanStatus {
  const dayEnd_s = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime() / 1000;
  // per local day: minutes reaching each interval stage, and retro minutes
  const minutes = minutesBefore(db, dayEnd_s);
  const days = tallyDays(minutes);
  const weekStart_s = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6).getTime() / 1000;
  const stages: StageProgress[] = PLAN.map((s, i) => {
    if (s.kind === 'interval') {
      const q = qualifyingDays(days, i);
      return { stage: i + 1, title: s.title, done: q.length >= DAYS_TO_ADVANCE, days: q.length, days_needed: DAYS_TO_ADVANCE, qualifying_days: q };
    }
    const q = [...days].filter(([k, d]) => {
      const t = new Date(`${k}T12:00:00`).getTime() / 1000;
      return t >= weekStart_s && t < dayEnd_s && reachesMinutes(d.retro_s / 60, s.retro_min_per_day);
    }).map(([k]) => k);
    return { stage: i + 1, title: s.title, done: q.length >= s.days_per_week, days: q.length, days_needed: s.days_per_week, qualifying_days: q };
  });
  // stages are climbed in order: the first not done is the current one
  let current = stages.findIndex((s) => !s.done);
  if (current < 0) current = PLAN.length;
  // this week's minutes, counted as the stages count them (one a minute walked, the demo's left out); and the
  // first of them a full pod added the walking after it into: the week's figures, and the continuous step's days,
  // count it as the one minute it is ("This week: 13 active minutes", "0/4 days" of a pod walked daily but full
  // since Monday, where summary said its figures were short)
  let active_s = 0, retro_s = 0;
  let folded_s: number | null = null;
  for (const m of minutes) {
    if (m.start_s < weekStart_s) continue;
    active_s += m.active_s;
    retro_s += retroSeconds(m);
    if (m.folded_s !== null && (folded_s === null || m.folded_s < folded_s)) folded_s = m.folded_s;
  }
  const seen = seenPodConfigs(db);
  const pods_coach = seen.filter((p) => p.seen_s > seen[0].seen_s - POD_IN_USE_S).map((p): PodCoach => ({ pod_id: p.pod_id, name: p.name, coach_steps: p.config.coach_steps, buzz_on: p.config.buzz_on, seen_s: p.seen_s }));
  return { stages, current, week_active_min: active_s / 60, week_retro_min: retro_s / 60, week_target_min: WEEKLY_ACTIVE_TARGET_MIN, demo_left_out: demoWalked(db, dayEnd_s), week_folded_from_s: folded_s, pod_coach: pods_coach[0] ?? null, pods_coach };
}

/**
 * When each interval stage was done: the day of its DAYS_TO_ADVANCE-th qualifying day (null: not yet), from one
 * pass over the minutes. What planStatus says of any day follows from it (stageHeld) without a query per day.
 */
export interface StepHistory {
  /** per stage of PLAN: the ISO day it was done on (interval stages; null for the continuous one, or not done) */
  done_on: (string | null)[];
}

/** The plan's step history from every pod's minutes stamped before `to_s` (as planStatus counts them). */
export function stepHistory(db: Db, to_s: number): StepHistory {
  const days = tallyDays(minutesBefore(db, to_s));
  return { done_on: PLAN.map((s, i) => (s.kind === 'interval' ? (qualifyingDays(days, i)[DAYS_TO_ADVANCE - 1] ?? null) : null)) };
}

/**
 * The stage (index into PLAN) held as `day` began: the first interval stage not done on an earlier day, else the
 * continuous one. planStatus of the day before says the same (its `current`, PLAN.length at the top, is the
 * continuous stage for what a day should hold, as planAim takes it); the continuous stage's weekly count never
 * changes which step a day is judged against, so it is not kept here.
 */
export function stageHeld(h: StepHistory, day: string): number {
  const doneBefore = (k: number) => h.done_on[k] !== null && h.done_on[k]! < day;
  const i = PLAN.findIndex((s, k) => s.kind === 'interval' && !doneBefore(k));
  return i < 0 ? PLAN.length - 1 : i;
}

/** "2/3 days with 10+ such minutes": a stage's progress, as `plan` and the report show it. */
export function stageProgressText(p: PlanStatus, i: number): string {
  const s = p.stages[i], stage = PLAN[i];
  const unit = stage.kind === 'interval' ? `days with ${QUALIFYING_MINUTES_PER_DAY}+ such minutes` : `days this week with ${stage.retro_min_per_day}+ retro minutes`;
  return `${Math.min(s.days, s.days_needed)}/${s.days_needed} ${unit}`;
}

/**
 * The coach for an interval stage: the command that sets it, or, when the pod last heard from (sync, `config set`)
 * already asks for the stage's steps, that it does (the plan offered \`config set coach_steps=20\` to a pod at 20).
 * With no pod's settings seen (a database older than their keeping), the command as before.
 */
function coachAdvice(steps: number, pod: PodCoach | null): string {
  // (the coach's prompt is a buzz: a pod with its buzzes off asks for nothing, `config set`'s silentCoachNote; the
  // plan said "Your pod asks for them ... and buzzes" of a pod at buzz_on=0)
  const silent = pod?.buzz_on === 0;
  const offer = `The pod can ask for them: \`retrostep config set coach_steps=${steps}${silent ? ' buzz_on=1' : ''}\` buzzes at each minute of a walk, and again when the steps are counted (coach_steps=0 turns it off).`;
  if (!pod) return offer;
  const which = pod.name ?? pod.pod_id, when = dayLabel(new Date(pod.seen_s * 1000));
  if (pod.coach_steps === steps && silent) return `${which}'s coach is at coach_steps=${steps} (as it said on ${when}), but its buzzes are off (buzz_on=0), so it cannot ask for them: \`retrostep config set buzz_on=1\` turns them on.`;
  if (pod.coach_steps === steps) return `Your pod asks for them: ${which}'s coach is at coach_steps=${steps} (as it said on ${when}), and buzzes at each minute of a walk (coach_steps=0 turns it off).`;
  return `${offer.slice(0, -1)}; ${which}'s coach ${pod.coach_steps === 0 ? 'was off' : `was at coach_steps=${pod.coach_steps}`}${silent ? ', its buzzes off,' : ''} on ${when}.`;
}

/**
 * The coach for an interval stage with several pods in use (one on each foot): each pod's, and the command for each
 * that does not ask for the steps. The plan judged only the pod last heard from: "Your pod asks for them" of one
 * foot's pod while the other's coach was off.
 */
function podsCoachAdvice(steps: number, pods: PodCoach[]): string {
  const asks = (p: PodCoach) => p.coach_steps === steps && p.buzz_on !== 0;
  const said = (p: PodCoach) => {
    const which = p.name ?? p.pod_id, when = dayLabel(new Date(p.seen_s * 1000));
    if (asks(p)) return `${which} asks for them (coach_steps=${steps}, as it said on ${when})`;
    if (p.coach_steps === steps) return `${which}'s coach is at coach_steps=${steps}, but its buzzes are off (buzz_on=0, on ${when})`;
    return `${which}'s coach ${p.coach_steps === 0 ? 'was off' : `was at coach_steps=${p.coach_steps}`}${p.buzz_on === 0 ? ', its buzzes off,' : ''} on ${when}`;
  };
  const each = `Your ${pods.length} pods: ${pods.map(said).join('; ')}.`;
  const not = pods.filter((p) => !asks(p));
  if (not.length === 0) return `${each} Each buzzes at each minute of a walk (coach_steps=0 turns it off).`;
  // (one `config set` reaches one pod: each by the name --ble takes)
  const commands = not.map((p) => `\`retrostep --ble ${p.name ?? p.pod_id} config set ${p.coach_steps === steps ? '' : `coach_steps=${steps}`}${p.buzz_on === 0 ? `${p.coach_steps === steps ? '' : ' '}buzz_on=1` : ''}\``);
  return `${each} ${commands.join(' and ')} ${not.length === 1 ? 'sets it' : 'set them'} to buzz at each minute of a walk, and again when the steps are counted (coach_steps=0 turns it off).`;
}

/** What to do now and next, this week's minutes, and the safety line: the plan's advice under its stages. */
export function planAdvice(p: PlanStatus): string[] {
  const lines: string[] = [];
  if (p.current >= PLAN.length) lines.push('You are at the top of the plan: keep 10-15 minutes of backward walking 4 days a week.');
  else {
    const s = PLAN[p.current];
    const left = p.stages[p.current].days_needed - p.stages[p.current].days;
    lines.push(`Now: ${s.title}.`);
    // (days, as the stage's progress counts them: "2 more walks" read as if two walks on one day would do)
    lines.push(s.kind === 'interval'
      ? `Next: ${left} more day${left === 1 ? '' : 's'} with ${QUALIFYING_MINUTES_PER_DAY}+ minutes of ${s.steps_per_min} backward steps, then ${p.current + 1 < PLAN.length ? PLAN[p.current + 1].title : 'you are done'}.`
      : `Next: ${left} more day${left === 1 ? '' : 's'} this week with ${s.retro_min_per_day}+ minutes of backward walking.`);
    // the pod's coach mode is this stage as a pod mode (firmware/src/coach.ts); nothing told a plan's reader it exists
    if (s.kind === 'interval') lines.push(p.pods_coach.length > 1 ? podsCoachAdvice(s.steps_per_min, p.pods_coach) : coachAdvice(s.steps_per_min, p.pod_coach));
  }
  // (to a tenth, as `summary` says its active and retro minutes: the whole minutes active beside tenths backward read
  // "10 active minutes ..., 10.4 of them backward" of a walk all backward)
  lines.push(`This week: ${shown(p.week_active_min, 1)} active minutes of ${p.week_target_min} recommended (adults 65+), ${shown(p.week_retro_min, 1)} of them backward.`);
  if (p.week_folded_from_s !== null) lines.push(`This week's figures are short of what you walked: ${podWasFull(p.week_folded_from_s)} (sync at least every few weeks).`);
  if (p.demo_left_out) lines.push('The walk of `retrostep demo` is made up: your plan leaves it out.');
  lines.push('Walk backward only on a clear path, a track or a treadmill holding the rails; control before speed.');
  return lines;
}

/**
 * Version of the `plan --json` shape. 2: `current` is the stage number as `stages[].stage` counts it (null at the
 * top of the plan, where the text marks no stage [>]), and each `plan` entry has its `stage`; 1's `current` was an
 * index into `plan`, one less than the stage the text marked.
 */
const PLAN_JSON_VERSION = 2;

/** `plan --json`: the plan and where the user is, stages numbered from 1 throughout. */
export function planJson(p: PlanStatus) {
  return {
    schema_version: PLAN_JSON_VERSION,
    plan: PLAN.map((s, i) => ({ stage: i + 1, ...s })),
    ...p,
    current: p.current < PLAN.length ? p.stages[p.current].stage : null,
  };
}

export function formatPlan(p: PlanStatus): string {
  const lines = ['Training plan'];
  p.stages.forEach((s, i) => {
    const mark = s.done ? '[x]' : i === p.current ? '[>]' : '[ ]';
    lines.push(`  ${mark} ${s.stage}. ${s.title}   ${stageProgressText(p, i)}`);
  });
  lines.push('', ...planAdvice(p));
  return lines.join('\n');
}
