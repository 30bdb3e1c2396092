import { LANDING_JOLT_MS, SWING_TO_CONTACT_MS } from './swings.js';

/**
 * Scores detected contacts against labelled truth: the figures the bench and
 * `retrostep replay` print. A detection matches the nearest unmatched truth
 * contact within MATCH_TOLERANCE_MS, or within the window the recording's
 * labels call for (matchWindowFor).
 */
export interface TruthContact {
  t_ms: number;
  direction: 'forward' | 'backward';
  /** unknown: the label does not say (the contact class is then not scored) */
  first: 'heel' | 'flat' | 'toe' | 'unknown';
}

export interface DetectedContact {
  t_ms: number;
  /** when the engine said so (the sample it was pushed with), if known: latency is measured to it, so a contact timed after the fact is not flattered */
  emitted_ms?: number;
  direction: 'forward' | 'backward' | 'unknown';
  first: 'heel' | 'flat' | 'toe';
}

export interface Score {
  truth: number;
  detected: number;
  matched: number;
  missed: number;
  /** detections with no labelled contact near them */
  extra: number;
  direction_correct: number;
  /** matched contacts whose label gives the first-contact class: the class accuracy is first_correct of these */
  first_labelled: number;
  first_correct: number;
  /** detection time minus labelled contact time, ms, for matched pairs */
  latencies_ms: number[];
}

/**
 * 80 ms: a contact detected more than 4 samples at 52 Hz away from the
 * labelled one would be the wrong event (toe-off or foot flat), not a late one.
 */
export const MATCH_TOLERANCE_MS = 80;

/**
 * Labels whose times an IMU algorithm found (recording metadata
 * contact_times=imu-algorithm: the 4 x 10 m gaitmap walk, segmented by
 * gaitmap's event detection) land 20-68 ms after the real, motion-capture
 * contact (median 49 ms, 56 contacts: scripts/gaitmap-ic-lag.mjs on the
 * 2 x 20 m walk, where both exist). A detection may come this much more
 * before such a label (not after it), and its "latency" to them is the gap
 * between two detectors, not the time from the foot's contact to the event.
 */
const IMU_LABEL_LAG_MAX_MS = 80;

/** How far before and after its label a detection may be and still be that stride (ms). */
export interface MatchWindow {
  before_ms: number;
  after_ms: number;
}

/**
 * Do the recording's labels give when the foot touched down (and so a
 * latency)? contactTimes: its metadata contact_times. Yes for motion
 * capture (or no contact_times key); no for
 * imu-algorithm, and for pod-engine (`retrostep record` labels the pod's own
 * detections: a latency to them would measure the engine against itself).
 */
export function labelsAreContactTimes(contactTimes: string | undefined): boolean {
  return contactTimes === undefined || contactTimes === 'motion-capture';
}

/** The match window a recording's labels call for: wider before late (imu-algorithm) labels. */
export function matchWindowFor(meta: Record<string, string>): MatchWindow {
  const late = meta.contact_times === 'imu-algorithm' ? IMU_LABEL_LAG_MAX_MS : 0;
  return { before_ms: MATCH_TOLERANCE_MS + late, after_ms: MATCH_TOLERANCE_MS };
}

/** window: ms either side, or a MatchWindow. */
export function scoreContacts(truth: TruthContact[], detected: DetectedContact[], window: number | MatchWindow = MATCH_TOLERANCE_MS): Score {
  const before_ms = typeof window === 'number' ? window : window.before_ms;
  const after_ms = typeof window === 'number' ? window : window.after_ms;
  const used = new Uint8Array(truth.length);
  const s: Score = { truth: truth.length, detected: detected.length, matched: 0, missed: 0, extra: 0, direction_correct: 0, first_labelled: 0, first_correct: 0, latencies_ms: [] };
  let j = 0;
  for (const d of detected) {
    while (j < truth.length && truth[j].t_ms < d.t_ms - after_ms) j++;
    let best = -1;
    for (let k = j; k < truth.length && truth[k].t_ms <= d.t_ms + before_ms; k++) {
      if (used[k]) continue;
      if (best < 0 || Math.abs(truth[k].t_ms - d.t_ms) < Math.abs(truth[best].t_ms - d.t_ms)) best = k;
    }
    if (best < 0) {
      s.extra++;
      continue;
    }
    used[best] = 1;
    s.matched++;
    if (truth[best].direction === d.direction) s.direction_correct++;
    if (truth[best].first !== 'unknown') s.first_labelled++;
    if (truth[best].first === d.first) s.first_correct++;
    s.latencies_ms.push((d.emitted_ms ?? d.t_ms) - truth[best].t_ms);
  }
  s.missed = truth.length - s.matched;
  return s;
}

/**
 * Every step scored, where the labels leave some out: the labelled contacts as scoreContacts does, and
 * each unlabelled swing (swings.ts) as one more step, found when a detection not matched to a label
 * falls within SWING_TO_CONTACT_MS after it (LANDING_JOLT_MS before). Detections matching neither are extra. Direction and class
 * are scored on the labelled ones only (labelled_matched): an unlabelled swing says neither.
 */
export function scoreEveryStep(truth: TruthContact[], unlabelled: number[], detected: DetectedContact[], window: number | MatchWindow = MATCH_TOLERANCE_MS): Score & { unlabelled: number; unlabelled_found: number; unlabelled_missed_ms: number[]; labelled_matched: number } {
  const s = scoreContacts(truth, detected, window);
  const matched = matchedDetections(truth, detected, window);
  const free = detected.filter((_, i) => !matched[i]);
  const used = new Uint8Array(free.length);
  const unlabelled_missed_ms: number[] = [];
  for (const sw of unlabelled) {
    const k = free.findIndex((d, i) => !used[i] && d.t_ms >= sw - LANDING_JOLT_MS && d.t_ms <= sw + SWING_TO_CONTACT_MS);
    if (k < 0) unlabelled_missed_ms.push(sw);
    else used[k] = 1;
  }
  const found = unlabelled.length - unlabelled_missed_ms.length;
  return { ...s, truth: s.truth + unlabelled.length, matched: s.matched + found, missed: s.missed + unlabelled_missed_ms.length, extra: s.extra - found, unlabelled: unlabelled.length, unlabelled_found: found, unlabelled_missed_ms, labelled_matched: s.matched };
}

/** Which detections scoreContacts matches to a label (same rule, same order). */
function matchedDetections(truth: TruthContact[], detected: DetectedContact[], window: number | MatchWindow): boolean[] {
  const before_ms = typeof window === 'number' ? window : window.before_ms;
  const after_ms = typeof window === 'number' ? window : window.after_ms;
  const used = new Uint8Array(truth.length);
  let j = 0;
  return detected.map((d) => {
    while (j < truth.length && truth[j].t_ms < d.t_ms - after_ms) j++;
    let best = -1;
    for (let k = j; k < truth.length && truth[k].t_ms <= d.t_ms + before_ms; k++) {
      if (used[k]) continue;
      if (best < 0 || Math.abs(truth[k].t_ms - d.t_ms) < Math.abs(truth[best].t_ms - d.t_ms)) best = k;
    }
    if (best < 0) return false;
    used[best] = 1;
    return true;
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  const i = Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1));
  return v[i];
}
