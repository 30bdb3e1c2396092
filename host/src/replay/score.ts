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
  directionCorrect: number;
  /** matched contacts whose label gives the first-contact class: the class accuracy is firstCorrect of these */
  firstLabelled: number;
  firstCorrect: number;
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
export const IMU_LABEL_LAG_MAX_MS = 80;

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
  const s: Score = { truth: truth.length, detected: detected.length, matched: 0, missed: 0, extra: 0, directionCorrect: 0, firstLabelled: 0, firstCorrect: 0, latencies_ms: [] };
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
    if (truth[best].direction === d.direction) s.directionCorrect++;
    if (truth[best].first !== 'unknown') s.firstLabelled++;
    if (truth[best].first === d.first) s.firstCorrect++;
    s.latencies_ms.push((d.emitted_ms ?? d.t_ms) - truth[best].t_ms);
  }
  s.missed = truth.length - s.matched;
  return s;
}

/**
 * Detections within 500 ms of a stretch of labelled strides: the ones a
 * recording's labels can score. gaitmap labels the straight walking only
 * (the steps that start, turn and stop are real but unlabelled), and
 * `retrostep record` labels only while told what the walker is doing: a gap
 * of more than 1.5 median stride periods between labels is not scored, nor
 * is anything before or after.
 */
export function insideLabelledStretches<T extends { t_ms: number }>(labels: { t_ms: number }[], got: T[]): T[] {
  const gaps = labels.slice(1).map((c, i) => c.t_ms - labels[i].t_ms).sort((a, b) => a - b);
  const maxGap = 1.5 * (gaps[gaps.length >> 1] ?? 0);
  const stretches: [number, number][] = [];
  for (let i = 0; i < labels.length; i++) {
    if (i > 0 && labels[i].t_ms - labels[i - 1].t_ms <= maxGap) stretches[stretches.length - 1][1] = labels[i].t_ms;
    else stretches.push([labels[i].t_ms, labels[i].t_ms]);
  }
  return got.filter((c) => stretches.some(([a, b]) => c.t_ms >= a - 500 && c.t_ms <= b + 500));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const v = [...values].sort((a, b) => a - b);
  const i = Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1));
  return v[i];
}
