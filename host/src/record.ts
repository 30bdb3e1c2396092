/**
 * `retrostep record`'s work: the pod's raw IMU stream to a recording CSV
 * (test/fixtures/README.md), labelled as it is made. The person types what
 * they are doing ("f" forward heel-first, "b" backward toe-first, "bh"
 * backward heel-first, ...); each contact the pod detects from then on is
 * labelled with that truth, on the sample at the contact's own time (told
 * before or after that sample arrives: the pod sends samples in batches).
 * `s` (stand) stops labelling. The labels are the walker's word; the pod only
 * gives the moment: replay shows where the engine disagreed.
 */
import fs from 'node:fs';
import { DECIDE_MS, UNSEEN_MAX_PERIODS, WALK_GAP_MS } from '../../shared/gait/constants.js';
import { ACC_G_PER_LSB, GYRO_DPS_PER_LSB, RAW_RATE_HZ as WALK_RATE_HZ, RAW_VALUES_PER_SAMPLE } from '../../shared/protocol/raw.js';
import { DIRECTION_BACKWARD, DIRECTION_FORWARD } from '../../shared/protocol/messages.js';
import type { PodClient } from './pod-client.js';
import { RECORDING_FIRST_LINE, RECORDING_HEADER } from './replay/recording.js';
import type { InputError } from './errors.js';
import { cannotWrite } from './out-file.js';

/** A raw sample's period (ms): the pod's samples are this far apart. */
const SAMPLE_MS = 1000 / WALK_RATE_HZ;
/**
 * Sample lines held for contacts told after their samples were sent. A step is told DECIDE_MS after its landing
 * at most; a walk's first step only once the next confirms the walk (up to WALK_GAP_MS later), and an unseen
 * stride before it then too (up to UNSEEN_MAX_PERIODS periods before it): each at its own time. (32, 0.6 s, lost
 * the first step of every walk: 1.0-1.2 s old when told in the simulator.)
 */
const HOLD_SAMPLES = Math.ceil((DECIDE_MS + WALK_GAP_MS * (1 + UNSEEN_MAX_PERIODS)) / SAMPLE_MS);

/** What the person types -> the label written on the next contacts. */
export const LABEL_KEYS: { [key: string]: string | null } = {
  f: 'contact forward heel',
  ft: 'contact forward toe',
  ff: 'contact forward flat',
  b: 'contact backward toe',
  bh: 'contact backward heel',
  bf: 'contact backward flat',
  s: null,
};

export interface RecordSession {
  /** samples written so far */
  samples: number;
  /**
   * Why the file could not be written any more (a full disk), once it could not: nothing more is written, and
   * `failed` resolves then, for the command to stop the recording.
   */
  failure: InputError | null;
  failed: Promise<InputError>;
  labels: number;
  /** label lines the person typed (0: every contact carries the label it starts with, LABEL_KEYS.f) */
  typed: number;
  /** the label in force, null when standing / unlabelled */
  current: string | null;
  /** the way the pod read the first stride it told while recording (null: none yet, or it could not tell) */
  firstWay: 'forward' | 'backward' | null;
  /** apply a typed line; false when it is not a label key */
  type(line: string): boolean;
  stop(): Promise<void>;
}

/** Start recording into `file`; resolves once the pod streams. */
export async function startRecording(client: PodClient, file: string, meta: { pod_id: string }): Promise<RecordSession> {
  let out: number;
  try {
    out = fs.openSync(file, 'w');
  } catch (e) {
    throw cannotWrite(file, e);
  }
  let fail: (e: InputError) => void = () => {};
  const failed = new Promise<InputError>((resolve) => (fail = resolve));
  /**
   * Text to the file; false, and nothing more written, once some could not be (a full disk: the failed write threw
   * out of the pod's message handler, a stack trace). A line cut there is the file's last, with no newline after
   * it: replay leaves it out.
   */
  const write = (text: string): boolean => {
    if (session.failure) return false;
    const bytes = Buffer.from(text);
    try {
      // (a write the disk took only part of is followed by one that says why)
      for (let at = 0; at < bytes.length; ) {
        const n = fs.writeSync(out, bytes, at);
        if (n === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        at += n;
      }
      return true;
    } catch (e) {
      session.failure = cannotWrite(file, e);
      fail(session.failure);
      return false;
    }
  };
  // a contact can be told after its sample was sent (a few samples after; a walk's first step, seconds): hold lines
  const held: HeldSample[] = [];
  // and before (the pod sends samples 8 at a time, a contact at once): it waits for its sample
  let waiting: ToldContact[] = [];
  const flush = (all: boolean) => {
    const keep = all ? 0 : HOLD_SAMPLES;
    if (held.length <= keep) return;
    const lines = held.splice(0, held.length - keep).map((p) => `${p.line},${p.label}\n`);
    write(lines.join(''));
  };
  /** Label the sample a contact's time falls on, if it has come; false while it is yet to come. */
  const place = (c: ToldContact): boolean => {
    const i = sampleAt(held, c.t_ms);
    if (i === WAIT) return false;
    if (i !== GONE) {
      if (!held[i].label) session.labels++;
      held[i].label = c.label;
    }
    return true;
  };
  const session: RecordSession = {
    samples: 0,
    failure: null,
    failed,
    labels: 0,
    typed: 0,
    current: LABEL_KEYS.f,
    firstWay: null,
    type(line) {
      const key = line.trim().toLowerCase();
      if (!(key in LABEL_KEYS)) return false;
      session.current = LABEL_KEYS[key];
      session.typed++;
      return true;
    },
    async stop() {
      await client.request('raw_stop', {}, 'ok').catch(() => undefined);
      await client.request('live_subscribe', { on: 0 }, 'ok').catch(() => undefined);
      flush(true); // (a contact still waiting goes with its samples, which the pod never sent)
      fs.closeSync(out);
    },
  };
  if (!write(`${RECORDING_FIRST_LINE} v1\n# rate_hz=${WALK_RATE_HZ} pod=${meta.pod_id} recorded=${new Date().toISOString()} labels=typed contact_times=pod-engine\n${RECORDING_HEADER}\n`)) {
    fs.closeSync(out);
    throw session.failure;
  }
  let told = false;
  client.onUnsolicited((m) => {
    if (m.name === 'raw_imu') {
      const v = new Int16Array(m.payload.samples.buffer.slice(m.payload.samples.byteOffset, m.payload.samples.byteOffset + m.payload.samples.length));
      const n = Math.floor(v.length / RAW_VALUES_PER_SAMPLE);
      for (let i = 0; i < n; i++) {
        const k = i * RAW_VALUES_PER_SAMPLE;
        const t = m.payload.t_ms + i * SAMPLE_MS;
        const line = [t.toFixed(2), ...[0, 1, 2].map((j) => (v[k + j] * ACC_G_PER_LSB).toFixed(4)), ...[3, 4, 5].map((j) => (v[k + j] * GYRO_DPS_PER_LSB).toFixed(2))].join(',');
        held.push({ t_ms: t, line, label: '' });
        session.samples++;
      }
      waiting = waiting.filter((c) => !place(c));
      flush(false);
    } else if (m.name === 'contact') {
      // (the way the pod, which knows how it sits, read the first stride: replay's first walk, firstWalkNote)
      if (!told) session.firstWay = m.payload.direction === DIRECTION_BACKWARD ? 'backward' : m.payload.direction === DIRECTION_FORWARD ? 'forward' : null;
      told = true;
      if (!session.current) return;
      // (the label in force when the pod told it, though its sample may come later)
      const c = { t_ms: m.payload.t_ms, label: session.current };
      if (!place(c)) waiting.push(c);
    }
  });
  await client.request('live_subscribe', { on: 1 }, 'ok');
  await client.request('raw_start', { rate_hz: WALK_RATE_HZ }, 'ok');
  return session;
}

/**
 * A recording whose person typed no label: its contacts all carry the label it starts with (forward heel-first),
 * which its header calls typed (labels=typed) and replay scores against as the walker's word. Said, so a recording
 * left to run unattended is not taken for a labelled one. Null when a label was typed, or no contact was labelled.
 */
export function untypedLabelsNote(file: string, session: Pick<RecordSession, 'typed' | 'labels'>): string | null {
  if (session.typed > 0 || session.labels === 0) return null;
  return `note: nothing was typed, so every contact in ${file} is labelled "${LABEL_KEYS.f}", the label a recording starts with; if the walk was not all that, replay's scores against those labels mean nothing: record it again, typing what you do as you go (f, b, bh, s, ...)`;
}

/**
 * What to tell of a recording whose first stride the pod read as backward (null otherwise). Replay learns how the
 * pod sat from the recording's first walk, taken as forward unless told: one begun in a backward walk had every
 * stride read the wrong way round, its directions scored 31% against the labels typed, without a word.
 */
export function firstWalkNote(file: string, firstWay: 'forward' | 'backward' | null): string | null {
  if (firstWay !== 'backward') return null;
  return `the pod read the first stride in ${file} as backward: replay it with --first-walk backward (replay learns how the pod sat from a recording's first walk, taken as forward unless told)`;
}

/** A sample line not written yet, and the label it will carry ('' none). */
interface HeldSample {
  t_ms: number;
  line: string;
  label: string;
}

/** A contact the pod told (its own time), and the label in force then. */
interface ToldContact {
  t_ms: number;
  label: string;
}

/** sampleAt: the contact's sample has not come yet. */
const WAIT = -1;
/** sampleAt: no sample held is the contact's (it is older than them, or its samples never came). */
const GONE = -2;

/**
 * The held sample a contact at t_ms lands on: the nearest (the pod's contact times are its sample times; both
 * come rounded to the ms, so "at or after" could pick the next sample), WAIT, or GONE.
 */
function sampleAt(held: readonly { t_ms: number }[], t_ms: number): number {
  const from = t_ms - SAMPLE_MS / 2;
  if (held.length === 0 || held[held.length - 1].t_ms < from) return WAIT;
  let i = held.length - 1;
  while (i > 0 && held[i - 1].t_ms >= from) i--;
  return held[i].t_ms <= t_ms + SAMPLE_MS / 2 ? i : GONE;
}
