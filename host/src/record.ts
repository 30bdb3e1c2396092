/**
 * `retrostep record`'s work: the pod's raw IMU stream to a recording CSV
 * (test/fixtures/README.md), labelled as it is made. The person types what
 * they are doing ("f" forward heel-first, "b" backward toe-first, "bh"
 * backward heel-first, ...); each contact the pod detects from then on is
 * labelled with that truth, on the sample where the pod saw it. `s` (stand)
 * stops labelling. The labels are the walker's word; the pod only gives the
 * moment: replay shows where the engine disagreed.
 */
import fs from 'node:fs';
import { ACC_G_PER_LSB, GYRO_DPS_PER_LSB, RAW_RATE_HZ as WALK_RATE_HZ, RAW_VALUES_PER_SAMPLE } from '../../shared/protocol/raw.js';
import type { PodClient } from './pod-client.js';
import { RECORDING_HEADER } from './replay/recording.js';
import { InputError } from './errors.js';

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
  labels: number;
  /** the label in force, null when standing / unlabelled */
  current: string | null;
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
    throw new InputError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : (e as Error).message}`);
  }
  fs.writeSync(out, `# retrostep recording v1\n# rate_hz=${WALK_RATE_HZ} pod=${meta.pod_id} recorded=${new Date().toISOString()} labels=typed contact_times=pod-engine\n${RECORDING_HEADER}\n`);
  // contacts arrive after their samples (detection takes a few samples): hold a short window of lines
  const pending: { t_ms: number; line: string; label: string }[] = [];
  const HOLD_SAMPLES = 32;
  const flush = (all: boolean) => {
    const keep = all ? 0 : HOLD_SAMPLES;
    if (pending.length <= keep) return;
    const lines = pending.splice(0, pending.length - keep).map((p) => `${p.line},${p.label}\n`);
    fs.writeSync(out, lines.join(''));
  };
  const session: RecordSession = {
    samples: 0,
    labels: 0,
    current: LABEL_KEYS.f,
    type(line) {
      const key = line.trim().toLowerCase();
      if (!(key in LABEL_KEYS)) return false;
      session.current = LABEL_KEYS[key];
      return true;
    },
    async stop() {
      await client.request('raw_stop', {}, 'ok').catch(() => undefined);
      await client.request('live_subscribe', { on: 0 }, 'ok').catch(() => undefined);
      flush(true);
      fs.closeSync(out);
    },
  };
  client.onUnsolicited((m) => {
    if (m.name === 'raw_imu') {
      const v = new Int16Array(m.payload.samples.buffer.slice(m.payload.samples.byteOffset, m.payload.samples.byteOffset + m.payload.samples.length));
      const n = Math.floor(v.length / RAW_VALUES_PER_SAMPLE);
      for (let i = 0; i < n; i++) {
        const k = i * RAW_VALUES_PER_SAMPLE;
        const t = m.payload.t_ms + (i * 1000) / WALK_RATE_HZ;
        const line = [t.toFixed(2), ...[0, 1, 2].map((j) => (v[k + j] * ACC_G_PER_LSB).toFixed(4)), ...[3, 4, 5].map((j) => (v[k + j] * GYRO_DPS_PER_LSB).toFixed(2))].join(',');
        pending.push({ t_ms: t, line, label: '' });
        session.samples++;
      }
      flush(false);
    } else if (m.name === 'contact' && session.current) {
      // the sample whose period holds the contact
      let best = -1;
      for (let i = 0; i < pending.length; i++) if (pending[i].t_ms <= m.payload.t_ms) best = i;
      if (best >= 0) {
        pending[best].label = session.current;
        session.labels++;
      }
    }
  });
  await client.request('live_subscribe', { on: 1 }, 'ok');
  await client.request('raw_start', { rate_hz: WALK_RATE_HZ }, 'ok');
  return session;
}
