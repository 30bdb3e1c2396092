/**
 * FIT export (Garmin's activity format, read by Garmin Connect, Strava and
 * most training tools), written with Garmin's own SDK: one activity, one
 * walking session, one lap per bout, a record per stored minute; one
 * activity per day with walking (fitActivities).
 *
 * FIT counts one foot's cycles: for walking, total_cycles is strides (the
 * decoder shows it as total_strides) and cadence is strides per minute, so
 * the pod's steps/min are halved.
 */
import { type ActivityMesg, Encoder, type Mesg, type EventMesg, type FileIdMesg, type LapMesg, Profile, type RecordMesg, type SessionMesg } from '@garmin/fitsdk';
import path from 'node:path';
import { type Bout, boutsByDay } from './records.js';

export interface FitBout extends Bout {
  kcal: number;
}

/** FIT product id for a development manufacturer: ours to choose. */
const FIT_PRODUCT_ID = 1;
/** FIT's epoch, 1989-12-31T00:00:00Z, in Unix seconds: a FIT local_timestamp counts from it (the SDK converts only Dates). */
const FIT_EPOCH_UNIX_S = 631065600;

function sum(b: Bout, f: (r: Bout['records'][number]) => number): number {
  return b.records.reduce((a, r) => a + f(r), 0);
}

/** The most walking a minute of the clock holds (s). */
const MINUTE_S = 60;

/**
 * A bout's active time, each minute of the clock counted up to its 60 s, so the timer never runs past the lap's
 * elapsed time: a folded minute's active time (up to 255 s) is walking from later minutes. (Minutes walked without a
 * clock, all stamped with the one minute a sync stored them in, are not given to a FIT activity: commands/export.ts.)
 */
function activeTime_s(b: Bout): number {
  const byMinute = new Map<number, number>();
  for (const r of b.records) {
    const minute = Math.floor(r.start_s / MINUTE_S);
    byMinute.set(minute, (byMinute.get(minute) ?? 0) + r.active_s);
  }
  return [...byMinute.values()].reduce((a, s) => a + Math.min(s, MINUTE_S), 0);
}

/**
 * FIT's average cadence, strides a minute, over the strides of the minutes not folded in their active time: its whole
 * strides and, beside them, their fraction (avg_fractional_cadence, which FIT adds to them). Whole strides alone
 * could not say summary's odd steps a minute: 109 steps/min was 54.5 strides, written 55, 110. None at all where every
 * minute was folded (0 would read as standing still).
 */
function avgCadence(strides: number, active_s: number): { avgCadence?: number; avgFractionalCadence?: number } {
  if (active_s <= 0) return {};
  const [whole, fraction] = wholeAndFraction((strides * 60) / active_s);
  return { avgCadence: whole, avgFractionalCadence: fraction };
}

/** FIT keeps a cadence's fraction in 128ths of a stride (the profile's scale for (avg_)fractional_cadence). */
const FIT_FRACTION_SCALE = 128;

/**
 * Strides a minute as FIT writes a cadence: whole, and the fraction it adds to them, the two from the figure in FIT's
 * 128ths. Split first, 58.998 strides was 58 and a fraction the encoder rounds to 128/128: a whole stride in the
 * fraction field, and 58 (116 steps/min) to a reader of the whole field where summary said 118.
 */
function wholeAndFraction(perMin: number): [number, number] {
  const atFitScale = Math.round(perMin * FIT_FRACTION_SCALE) / FIT_FRACTION_SCALE;
  return [Math.floor(atFitScale), atFitScale - Math.floor(atFitScale)];
}

/** A minute's record: its time and, unless folded, the pod's cadence of it (steps/min: an odd one is half a stride). */
function recordMesg(r: Bout['records'][number]): RecordMesg {
  const timestamp = new Date((r.start_s + MINUTE_S) * 1000);
  // a folded minute's cadence is not its walking's: left out, as summary and report leave it out
  if (r.folded) return { timestamp };
  const [cadence, fractionalCadence] = wholeAndFraction(r.cadence_spm / 2);
  return { timestamp, cadence, fractionalCadence };
}

/**
 * Whole kcal for each lap that sum to the session's, the session's rounded as `summary` rounds it: each lap its
 * value's floor, and the kcal left over to the laps with the largest fractions (each lap within 1 kcal of its own).
 * Rounded each on its own, three walks of 1.4 kcal were laps of 1, 1 and 1 under a session of 4.
 */
function lapCalories(kcal: number[]): number[] {
  const whole = kcal.map(Math.floor);
  const left = Math.round(kcal.reduce((a, k) => a + k, 0)) - whole.reduce((a, k) => a + k, 0);
  const byFraction = kcal.map((_k, i) => i).sort((i, j) => kcal[j] - whole[j] - (kcal[i] - whole[i]) || i - j);
  for (const i of byFraction.slice(0, left)) whole[i]++;
  return whole;
}

function toFit(bouts: FitBout[], now = new Date()): Uint8Array {
  const enc = new Encoder();
  // typed per message (excess fields are errors), then handed to the encoder as any Mesg
  const put = <M extends Mesg>(num: number, m: M): void => void enc.onMesg(num, m);
  const first = bouts[0], last = bouts[bouts.length - 1];
  const start = new Date(first.start_s * 1000), end = new Date(last.end_s * 1000);
  put<FileIdMesg>(Profile.MesgNum.FILE_ID, { type: 'activity', manufacturer: 'development', product: FIT_PRODUCT_ID, serialNumber: parseInt(first.pod_id.slice(-8), 16) >>> 0, timeCreated: now });
  put<EventMesg>(Profile.MesgNum.EVENT, { timestamp: start, event: 'timer', eventType: 'start' });
  // (cadence over the minutes that are one minute's walking: a folded one holds later minutes' too)
  let timer_s = 0, strides = 0, cadenceStrides = 0, cadence_s = 0;
  const lapKcal = lapCalories(bouts.map((b) => b.kcal));
  for (const [i, b] of bouts.entries()) {
    for (const r of b.records) put<RecordMesg>(Profile.MesgNum.RECORD, recordMesg(r));
    const lapTimer_s = activeTime_s(b);
    const lapStrides = sum(b, (r) => r.forward + r.backward);
    const lapCadenceStrides = sum(b, (r) => (r.folded ? 0 : r.forward + r.backward)), lapCadence_s = sum(b, (r) => (r.folded ? 0 : r.active_s));
    timer_s += lapTimer_s;
    strides += lapStrides;
    cadenceStrides += lapCadenceStrides;
    cadence_s += lapCadence_s;
    put<LapMesg>(Profile.MesgNum.LAP, {
      timestamp: new Date(b.end_s * 1000),
      startTime: new Date(b.start_s * 1000),
      totalElapsedTime: b.end_s - b.start_s,
      totalTimerTime: lapTimer_s,
      totalCycles: lapStrides,
      ...avgCadence(lapCadenceStrides, lapCadence_s),
      totalCalories: lapKcal[i],
      sport: 'walking',
      event: 'lap',
      eventType: 'stop',
    });
  }
  put<EventMesg>(Profile.MesgNum.EVENT, { timestamp: end, event: 'timer', eventType: 'stopAll' });
  put<SessionMesg>(Profile.MesgNum.SESSION, {
    timestamp: end,
    startTime: start,
    totalElapsedTime: (end.getTime() - start.getTime()) / 1000,
    totalTimerTime: timer_s,
    totalCycles: strides,
    ...avgCadence(cadenceStrides, cadence_s),
    totalCalories: lapKcal.reduce((a, k) => a + k, 0),
    sport: 'walking',
    subSport: 'generic',
    firstLapIndex: 0,
    numLaps: bouts.length,
    event: 'session',
    eventType: 'stop',
  });
  put<ActivityMesg>(Profile.MesgNum.ACTIVITY, { timestamp: end, numSessions: 1, type: 'manual', event: 'activity', eventType: 'stop', totalTimerTime: timer_s, localTimestamp: Math.round(end.getTime() / 1000 - end.getTimezoneOffset() * 60 - FIT_EPOCH_UNIX_S) });
  return enc.close();
}

/**
 * The FIT files for bouts over a period: one activity per day with walking (a week in one activity would show
 * in Garmin Connect or Strava as one walk lasting days), each [file, bytes]. A period of one day: `out` itself;
 * a longer one: the day in each name, walks.fit -> walks-2026-11-22.fit, however many days it has walks on (a
 * week walked on one day was written as walks.fit, a week walked on two as walks-DAY.fit: a script could not
 * tell which names to look for).
 */
export function fitActivities(bouts: FitBout[], out: string, oneDayPeriod: boolean): [string, Uint8Array][] {
  const days = boutsByDay(bouts);
  const ext = path.extname(out), base = out.slice(0, out.length - ext.length);
  // (each created at its day's first walk: Garmin Connect tells files apart by device and creation time, and
  // would take the days' files, made in the same second, for one)
  return days.map(([day, b]) => [oneDayPeriod ? out : `${base}-${day}${ext || '.fit'}`, toFit(b, new Date(b[0].start_s * 1000))]);
}
