/**
 * The pod's side of the protocol while a host is connected: frames in,
 * requests done, answers out; live contacts and raw samples streamed.
 *
 * This module and the protocol code it pulls in (the message table, codec,
 * frames, config checks) are built as a bundle of their own, which the pod
 * bundle carries as one string (scripts/build-firmware.mjs) and evaluates
 * when a host connects (link-loader.ts). On disconnect the pod drops it, and
 * its ~500 variables with it: a pod walks unconnected nearly all its life,
 * and memory is its tightest budget (docs/decisions.md, "The pod's variables:
 * the link loaded on connect, and closures one scope deep").
 *
 * Everything here reaches the pod only through the PodPort it is given.
 */
import { WALK_RATE_HZ } from './board.js';
import type { Haptics } from './hal/haptics.js';
import type { Imu } from './hal/imu.js';
import type { Radio } from './hal/radio.js';
import type { Settings } from './hal/settings.js';
import type { RecordStore } from './hal/store.js';
import { CAL_DONE, CAL_STALE, type GaitEngine, type GaitEvent } from '../../shared/gait/engine.js';
import { getU32 } from '../../shared/protocol/bytes.js';
import { RAW_VALUES_PER_SAMPLE } from '../../shared/protocol/raw.js';
import { RECORD_BYTES } from '../../shared/protocol/records.js';
import { createFrameDecoder, type Frame, MAX_REQUEST_ENCODED_BYTES, PROTOCOL_VERSION } from '../../shared/protocol/frame.js';
import { decodeMessage, encodeMessage, isMessageError } from '../../shared/protocol/codec.js';
import { invalidConfigField, type PodConfig } from '../../shared/protocol/config.js';
import {
  CAL_ACTION_QUERY,
  ERASE_CONFIRM,
  ERR_BAD_VALUE,
  ERR_NOT_BONDED,
  ERR_REPLAY,
  ERR_UNKNOWN_TYPE,
  type Message,
  type MessageName,
  messageId,
  MODE_COACH,
  MODE_COUNT,
  type PayloadOf,
  STATUS_BONDED,
  STATUS_BUZZ_OFF,
  STATUS_CALIBRATED,
  STATUS_CALIBRATION_STALE,
  STATUS_CLOCK_SET,
  STATUS_IDLE,
  STATUS_LOW_BATTERY,
  STATUS_STORAGE_FULL,
} from '../../shared/protocol/messages.js';
import { floor, round } from '../../shared/math.js';
import { FIRMWARE_VERSION } from '../../shared/protocol/firmware-version.js';

/** Records per records batch: 16 x 20 B = 320 B fits MAX_FRAME_BYTES with room for the header. */
const BATCH_RECORDS = 16;
/** Raw IMU samples per raw_imu frame: 8 x 12 B = 96 B, about 6 frames a second at 52 Hz (~0.7 KB/s, well inside the link). */
const RAW_BATCH = 8;
/**
 * A request's seq must be newer than the last one of this session (16-bit
 * serial number arithmetic, RFC 1982): newer means 1..32767 ahead. hello
 * starts a session, so a host that reconnects (or a new CLI run over the
 * same serial bridge) starts again at any seq.
 */
const SEQ_WINDOW = 0x8000;

/** The parts of the pod the link works with, handed over at connect (pod.ts builds it then, so it costs nothing unconnected). */
export interface PodPort {
  engine: GaitEngine;
  store: RecordStore;
  haptics: Haptics;
  imu: Imu;
  radio: Radio;
  /** The pod's settings object: the link changes its config and cal, then calls saveSettings. */
  settings: Settings;
  saveSettings(): void;
  podId: string;
  /** The boot's bits every record of this boot carries in its flags (RECORD_BOOT_BITS). */
  bootBits: number;
  /** Battery below this percentage is reported as low. */
  lowBattery_pct: number;
  /** Seconds to add to getTime() for Unix time; null while no host has set the clock. */
  clockOffset_s(): number | null;
  /** The host's clock: set the pod's (and restamp the minute in progress). */
  setClock(unix_s: number, tz_min: number): void;
  /** Raw streaming on or off; on wakes an idle pod. */
  setRaw(on: boolean): void;
}

export interface Link {
  /** Bytes written by the host to the RX characteristic. */
  push(b: Uint8Array): void;
  /** A ground contact: sent while the host subscribed to live contacts. */
  contact(e: GaitEvent): void;
  /** The motor started pattern PATTERN_*: sent while the host subscribed to live. */
  played(pattern: number): void;
  /** One raw IMU sample (LSB) at t_ms, while raw streaming is on. */
  rawSample(t_ms: number, a: { x: number; y: number; z: number }, g: { x: number; y: number; z: number }): void;
}

export function createLink(pod: PodPort): Link {
  const settings = pod.settings;
  const engine = pod.engine;
  const store = pod.store;
  const radio = pod.radio;
  let live = false;
  // replay guard (see SEQ_WINDOW); -1 = no session yet on this link
  let sessionSeq = -1;
  // raw streaming for `retrostep record`: samples as read (raw LSB), in batches
  let raw: Int16Array | null = null;
  let rawN = 0;
  let rawT0 = 0;

  function reply<N extends MessageName>(name: N, seq: number, payload: PayloadOf<N>): void {
    radio.send(encodeMessage(name, seq, payload));
  }

  function info(seq: number): void {
    const offset_s = pod.clockOffset_s();
    reply('info', seq, { pod_id: pod.podId, fw_version: FIRMWARE_VERSION, protocol: PROTOCOL_VERSION, battery_pct: E.getBattery(), clock_s: offset_s !== null ? floor(getTime() + offset_s) : 0, uptime_s: floor(getTime()), bonded: radio.bonded() ? 1 : 0 });
  }

  function refuse(seq: number, code: number, text: string): void {
    reply('error', seq, { code: code, text: text });
  }

  /** Commands that change the pod or stream from it need a bonded link: false (and the refusal sent) without one. */
  function bonded(seq: number, what: string): boolean {
    if (radio.bonded()) return true;
    refuse(seq, ERR_NOT_BONDED, 'pair first: ' + what + ' needs a bonded link');
    return false;
  }

  /** The command of this name was done. */
  function ok(seq: number, name: MessageName): void {
    reply('ok', seq, { for_type: messageId(name) });
  }

  function handle(m: Message): void {
    const seq = m.seq;
    if (m.name === 'hello') {
      sessionSeq = seq;
      return info(seq);
    }
    // a duplicated or replayed frame must not do its command twice
    const ahead = (seq - sessionSeq) & 0xffff;
    if (sessionSeq >= 0 && !(ahead > 0 && ahead < SEQ_WINDOW)) return refuse(seq, ERR_REPLAY, 'seq ' + seq + ' is not newer than ' + sessionSeq + ': replayed or duplicated frame ignored');
    sessionSeq = seq;
    switch (m.name) {
      case 'set_time':
        pod.setClock(m.payload.unix_s, m.payload.tz_min);
        return info(seq);
      case 'status_get': {
        const cal = engine.calState();
        const levels = store.levels();
        let flags = 0;
        if (pod.clockOffset_s() !== null) flags |= STATUS_CLOCK_SET;
        if (cal === CAL_DONE) flags |= STATUS_CALIBRATED;
        if (cal === CAL_STALE) flags |= STATUS_CALIBRATION_STALE;
        if (levels.full) flags |= STATUS_STORAGE_FULL;
        if (radio.bonded()) flags |= STATUS_BONDED;
        if (settings.config.buzz_on !== 1) flags |= STATUS_BUZZ_OFF;
        if (E.getBattery() < pod.lowBattery_pct) flags |= STATUS_LOW_BATTERY;
        if (pod.imu.mode() !== 'walk') flags |= STATUS_IDLE;
        return reply('status', seq, { battery_pct: E.getBattery(), flags: flags, first_seq: levels.first_seq, next_seq: levels.next_seq, stored: levels.stored, capacity: levels.capacity, ram_pending: levels.ram_pending, mode: settings.config.coach_steps > 0 ? MODE_COACH : MODE_COUNT });
      }
      case 'records_read': {
        const max = m.payload.max < BATCH_RECORDS ? m.payload.max : BATCH_RECORDS;
        // a batch buffer per request, not kept: syncs are rare and 320 B held for good would be ~27 variables
        const out = new Uint8Array(max * RECORD_BYTES);
        // records of this boot stamped with uptime get wall-clock time once the clock is known
        const n = store.read(m.payload.from_seq, max, out, pod.clockOffset_s(), pod.bootBits);
        const next_seq = store.levels().next_seq;
        return reply('records', seq, { first_seq: n > 0 ? getU32(out, 0) : next_seq, next_seq: next_seq, data: out.subarray(0, n * RECORD_BYTES) });
      }
      case 'ack': {
        store.ack(m.payload.up_to_seq);
        const first_seq = store.levels().first_seq;
        return reply('acked', seq, { up_to_seq: first_seq - 1, first_seq: first_seq });
      }
      case 'live_subscribe':
        live = m.payload.on === 1;
        return ok(seq, 'live_subscribe');
      case 'config_get':
        return reply('config', seq, settings.config);
      case 'config_set': {
        if (!bonded(seq, 'config')) return;
        const bad = invalidConfigField(m.payload as PodConfig);
        if (bad) return refuse(seq, ERR_BAD_VALUE, 'bad value for ' + bad);
        settings.config = m.payload as PodConfig;
        pod.saveSettings();
        pod.haptics.setEnabled(settings.config.buzz_on === 1);
        engine.setWrongRule(settings.config.wrong_rule);
        return reply('config', seq, settings.config);
      }
      case 'calibrate': {
        // action CAL_ACTION_QUERY only reports how far the calibration got; start and forget change it
        if (m.payload.action !== CAL_ACTION_QUERY) {
          if (!bonded(seq, 'calibration')) return;
          engine.setCalibration(null);
          settings.cal = null;
          pod.saveSettings();
        }
        const c = engine.getCalibration();
        return reply('calibration', seq, { state: engine.calState(), grav_x_mg: c ? round(c.up[0] * 1000) : 0, grav_y_mg: c ? round(c.up[1] * 1000) : 0, grav_z_mg: c ? round(c.up[2] * 1000) : 0 });
      }
      case 'buzz': {
        // a motor test plays even with alerts switched off: the user asked for it
        pod.haptics.setEnabled(true);
        pod.haptics.play(m.payload.pattern);
        pod.haptics.setEnabled(settings.config.buzz_on === 1);
        return ok(seq, 'buzz');
      }
      case 'raw_start': {
        if (!bonded(seq, 'raw streaming')) return;
        if (m.payload.rate_hz !== WALK_RATE_HZ) return refuse(seq, ERR_BAD_VALUE, 'raw streams at ' + WALK_RATE_HZ + ' Hz');
        if (!raw) raw = new Int16Array(RAW_BATCH * RAW_VALUES_PER_SAMPLE);
        rawN = 0;
        pod.setRaw(true);
        return ok(seq, 'raw_start');
      }
      case 'raw_stop':
        pod.setRaw(false);
        return ok(seq, 'raw_stop');
      case 'erase': {
        if (!bonded(seq, 'erase')) return;
        if (m.payload.confirm !== ERASE_CONFIRM) return refuse(seq, ERR_BAD_VALUE, 'erase not confirmed');
        store.eraseAll();
        return ok(seq, 'erase');
      }
      default:
        return refuse(seq, ERR_UNKNOWN_TYPE, m.name + ' is not a request the pod answers');
    }
  }

  // bad frames are dropped silently (no error handler): the host times out and asks again
  const decoder = createFrameDecoder(function (f: Frame) {
    const m = decodeMessage(f);
    if (isMessageError(m)) return refuse(m.seq, m.error, m.text);
    handle(m);
  }, null, MAX_REQUEST_ENCODED_BYTES);

  return {
    push: function (b: Uint8Array) {
      decoder.push(b);
    },
    contact: function (e: GaitEvent) {
      if (live) reply('contact', 0, { t_ms: e.t_ms, direction: e.direction, first: e.first, pitch_cdeg: round(e.pitch_deg * 100), wrong: e.wrong ? 1 : 0, cadence_spm: round(e.cadence_spm) });
    },
    played: function (pattern: number) {
      if (live) reply('buzzed', 0, { pattern: pattern });
    },
    rawSample: function (t_ms: number, a: { x: number; y: number; z: number }, g: { x: number; y: number; z: number }) {
      if (!raw) return;
      if (rawN === 0) rawT0 = t_ms;
      const k = rawN * RAW_VALUES_PER_SAMPLE;
      raw[k] = a.x; raw[k + 1] = a.y; raw[k + 2] = a.z;
      raw[k + 3] = g.x; raw[k + 4] = g.y; raw[k + 5] = g.z;
      if (++rawN < RAW_BATCH) return;
      rawN = 0;
      // little-endian i16 bytes, as the message table's y field carries them
      reply('raw_imu', 0, { t_ms: round(rawT0), samples: new Uint8Array(raw.buffer) });
    },
  };
}
