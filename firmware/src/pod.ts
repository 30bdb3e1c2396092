/**
 * The pod program: IMU samples into the gait engine, contacts into the
 * minute counters and the motor, minutes into flash, frames from the host
 * into answers. Hardware is reached only through hal/.
 */
import { ACC_G_PER_LSB, GYRO_DPS_PER_LSB, WALK_RATE_HZ } from './board.js';
import { createCoach } from './coach.js';
import { createDailyGoal } from './daily-goal.js';
import { createHaptics, PATTERN_DONE, PATTERN_GOAL, PATTERN_LOW_BATTERY, PATTERN_PROMPT, PATTERN_WRONG } from './hal/haptics.js';
import { createImu } from './hal/imu.js';
import { PASSKEY, podId as podIdOf, podName } from './identity.js';
import { createRadio } from './hal/radio.js';
import { createSettingsStore, type Settings } from './hal/settings.js';
import { createRecordStore } from './hal/store.js';
import { closeMinute, countContact, isActive, type MinuteCounter, newMinute } from './minute.js';
import { createGaitEngine, DIR_BACKWARD, EVENT_CALIBRATION, EVENT_CONTACT, type GaitEvent } from '../../shared/gait/engine.js';
import { decodeRecord, encodeRecord, RECORD_BYTES, RECORD_CLOCK_VALID, RECORD_COACH_DONE, RECORD_COACH_PROMPTED } from '../../shared/protocol/records.js';
import { createFrameDecoder, type Frame, MAX_REQUEST_ENCODED_BYTES } from '../../shared/protocol/frame.js';
import { decodeMessage, encodeMessage, isMessageError } from '../../shared/protocol/codec.js';
import { invalidConfigField, type PodConfig } from '../../shared/protocol/config.js';
import {
  CAL_ACTION_QUERY,
  CAL_DONE,
  ERASE_CONFIRM,
  ERR_BAD_VALUE,
  ERR_NOT_BONDED,
  ERR_REPLAY,
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

export const FIRMWARE_VERSION = '0.1.0';
/** ms between IMU samples at walking rate */
const SAMPLE_MS = 1000 / WALK_RATE_HZ;
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
/** Battery below this: warn once with a buzz. A CR2032 under load falls off quickly below ~20%. */
const LOW_BATTERY_PCT = 15;
/** ...and warn again only after it has been back above LOW_BATTERY_PCT by this much (a new cell): a reading that wobbles around 15% must not buzz every minute. */
const LOW_BATTERY_REARM_PCT = 10;
/**
 * Idle: a foot quiet this long (engine's stance-still time) drops the IMU to
 * accelerometer-only 1.6 Hz (~40 uA instead of ~600 uA). Longer than the
 * engine's BOUT_GAP_MS (10 s) so the bout has ended; shorter than most
 * standing pauses, which are where the hours go.
 */
const IDLE_AFTER_MS = 12000;
/** How often the walking pod asks the engine how long the foot has been quiet (a timer, not per sample). */
const IDLE_CHECK_MS = 2000;
/**
 * Wake: an idle sample differing from the previous one by more than this
 * (sum over axes, in g). A still foot's readings differ by < 0.01 g (sensor
 * noise); a foot being lifted reads 0.3-3 g off gravity. 0.1 g wakes on the
 * first sample taken while the foot moves.
 */
const WAKE_DELTA_G = 0.1;
/** Unix seconds in a day: the daily goal's day. */
const DAY_S = 86400;

export function startPod(): void {
  const settingsStore = createSettingsStore();
  const settings: Settings = settingsStore.load();
  settings.boots = (settings.boots + 1) & 0xffff;
  settingsStore.save(settings);
  const bootNibble = (settings.boots & 15) << 4;

  const store = createRecordStore();
  const haptics = createHaptics();
  haptics.setEnabled(settings.config.buzz_on === 1);

  let clockOffset_s = 0; // unix = getTime() + offset, once set
  let clockSet = false;
  let live = false;
  let t_ms = 0; // IMU sample clock
  let tz_s = 0; // the host's UTC offset: days turn at its local midnight
  let minute: MinuteCounter = newMinute(Math.floor(getTime()), bootNibble);
  const coach = createCoach();
  const goal = createDailyGoal();
  let lowBatteryWarned = false;

  const podId = podIdOf();
  const name = podName();

  function now_s(): number {
    return getTime() + clockOffset_s;
  }

  function onGait(e: GaitEvent): void {
    if (e.type === EVENT_CONTACT) {
      countContact(minute, e);
      if (e.wrong && haptics.play(PATTERN_WRONG)) minute.rec.buzzes++;
      if (e.direction === DIR_BACKWARD && coach.backwardStride()) {
        minute.rec.flags |= RECORD_COACH_DONE;
        haptics.playSoon(PATTERN_DONE);
      }
      if (live) reply('contact', 0, { t_ms: e.t_ms, direction: e.direction, first: e.first, pitch_cdeg: Math.round(e.pitch_deg * 100), wrong: e.wrong ? 1 : 0, cadence_spm: Math.round(e.cadence_spm) });
      radio.rsc((e.stride_m * e.cadence_spm) / 120, e.cadence_spm, e.stride_m);
    } else if (e.type === EVENT_CALIBRATION && e.cal_state === CAL_DONE) {
      settings.cal = engine.getCalibration();
      settingsStore.save(settings);
    }
  }

  const engine = createGaitEngine(onGait, settings.config.wrong_rule);
  if (settings.cal) engine.setCalibration(settings.cal);

  // raw streaming for `retrostep record`: samples as read (raw LSB), in batches
  const raw = new Int16Array(RAW_BATCH * 6);
  let rawOn = false;
  let rawN = 0;
  let rawT0 = 0;

  // idle: the last idle sample (raw LSB), compared with the next to notice the foot moving
  let idle = false;
  let idleX = 0, idleY = 0, idleZ = 0;
  const wakeDelta_lsb = WAKE_DELTA_G / ACC_G_PER_LSB;

  // the per-sample path: convert raw LSB and push; nothing allocated
  const imu = createImu(function (e: PuckAccelEvent) {
    const a = e.acc, g = e.gyro;
    if (idle) return idleSample(a);
    t_ms += SAMPLE_MS;
    engine.push(t_ms, a.x * ACC_G_PER_LSB, a.y * ACC_G_PER_LSB, a.z * ACC_G_PER_LSB, g.x * GYRO_DPS_PER_LSB, g.y * GYRO_DPS_PER_LSB, g.z * GYRO_DPS_PER_LSB);
    if (rawOn) rawSample(a, g);
  });

  function idleSample(a: { x: number; y: number; z: number }): void {
    const d = Math.abs(a.x - idleX) + Math.abs(a.y - idleY) + Math.abs(a.z - idleZ);
    idleX = a.x; idleY = a.y; idleZ = a.z;
    if (d > wakeDelta_lsb) wake();
  }

  function wake(): void {
    idle = false;
    imu.walk();
    engine.resetMotion(); // the swing in progress started unseen: integrate from the next stance
    const now_ms = getTime() * 1000;
    if (now_ms > t_ms) t_ms = now_ms;
    setTimeout(checkIdle, IDLE_CHECK_MS);
  }

  function checkIdle(): void {
    if (idle) return;
    if (rawOn || engine.quietFor_ms() < IDLE_AFTER_MS) {
      setTimeout(checkIdle, IDLE_CHECK_MS);
      return;
    }
    idle = true;
    idleX = idleY = idleZ = NaN; // the first idle sample only sets the reference (NaN compares false)
    imu.idle();
  }

  function rawSample(a: { x: number; y: number; z: number }, g: { x: number; y: number; z: number }): void {
    if (rawN === 0) rawT0 = t_ms;
    const k = rawN * 6;
    raw[k] = a.x; raw[k + 1] = a.y; raw[k + 2] = a.z;
    raw[k + 3] = g.x; raw[k + 4] = g.y; raw[k + 5] = g.z;
    if (++rawN < RAW_BATCH) return;
    rawN = 0;
    // little-endian i16 bytes, as the message table's y field carries them
    reply('raw_imu', 0, { t_ms: Math.round(rawT0), samples: new Uint8Array(raw.buffer) });
  }

  // replay guard (see SEQ_WINDOW); -1 = no session yet on this link
  let sessionSeq = -1;
  function isFresh(seq: number): boolean {
    if (sessionSeq < 0) return true;
    const ahead = (seq - sessionSeq) & 0xffff;
    return ahead > 0 && ahead < SEQ_WINDOW;
  }

  function closeAndStore(): void {
    const walked = isActive(minute);
    if (walked) {
      const r = closeMinute(minute);
      store.append(r);
      // the day of the record: local once the clock is known, else days of uptime
      if (goal.add(r, Math.floor((r.start_s + (clockSet ? tz_s : 0)) / DAY_S), settings.config.daily_goal_min)) haptics.playSoon(PATTERN_GOAL);
    }
    const start = Math.floor(now_s() / 60) * 60;
    minute = newMinute(start, (clockSet ? RECORD_CLOCK_VALID : 0) | bootNibble);
    // coach: each minute of a walk (the last one had strides and the foot still moves) asks for backward steps
    if (coach.minute(walked && !idle, settings.config.coach_steps)) {
      minute.rec.flags |= RECORD_COACH_PROMPTED;
      haptics.playSoon(PATTERN_PROMPT);
    }
    checkBattery();
  }

  function checkBattery(): void {
    const pct = E.getBattery();
    if (pct < LOW_BATTERY_PCT && !lowBatteryWarned) {
      lowBatteryWarned = true;
      haptics.playSoon(PATTERN_LOW_BATTERY);
    } else if (pct >= LOW_BATTERY_PCT + LOW_BATTERY_REARM_PCT) lowBatteryWarned = false;
  }

  // minute boundaries on the wall clock once known (else on uptime)
  let minuteTimer: number | undefined;
  function scheduleMinute(): void {
    if (minuteTimer !== undefined) clearTimeout(minuteTimer);
    const ms = (60 - (now_s() % 60)) * 1000;
    minuteTimer = setTimeout(function () {
      minuteTimer = undefined;
      closeAndStore();
      scheduleMinute();
    }, ms);
  }

  // ---- protocol ----

  function reply<N extends MessageName>(name: N, seq: number, payload: PayloadOf<N>): void {
    radio.send(encodeMessage(name, seq, payload));
  }

  function info(seq: number): void {
    reply('info', seq, { pod_id: podId, fw_version: FIRMWARE_VERSION, protocol: 1, battery_pct: E.getBattery(), clock_s: clockSet ? Math.floor(now_s()) : 0, uptime_s: Math.floor(getTime()), bonded: radio.bonded() ? 1 : 0 });
  }

  function status(seq: number): void {
    const cal = engine.calState();
    let flags = 0;
    if (clockSet) flags |= STATUS_CLOCK_SET;
    if (cal === CAL_DONE) flags |= STATUS_CALIBRATED;
    if (cal === 3) flags |= STATUS_CALIBRATION_STALE;
    if (store.isFull()) flags |= STATUS_STORAGE_FULL;
    if (radio.bonded()) flags |= STATUS_BONDED;
    if (settings.config.buzz_on !== 1) flags |= STATUS_BUZZ_OFF;
    if (E.getBattery() < LOW_BATTERY_PCT) flags |= STATUS_LOW_BATTERY;
    if (imu.mode() !== 'walk') flags |= STATUS_IDLE;
    reply('status', seq, { battery_pct: E.getBattery(), flags: flags, first_seq: store.firstSeq(), next_seq: store.nextSeq(), stored: store.stored(), capacity: store.capacity(), ram_pending: store.ramPending(), mode: settings.config.coach_steps > 0 ? MODE_COACH : MODE_COUNT });
  }

  /** Records of this boot stamped with uptime get wall-clock time once the clock is known. */
  function fixTimes(out: Uint8Array, n: number): void {
    if (!clockSet) return;
    for (let i = 0; i < n; i++) {
      const r = decodeRecord(out, i * RECORD_BYTES);
      if (!r || r.flags & RECORD_CLOCK_VALID || (r.flags & 0xf0) !== bootNibble) continue;
      r.start_s = Math.floor(r.start_s + clockOffset_s);
      r.flags |= RECORD_CLOCK_VALID;
      encodeRecord(r, out, i * RECORD_BYTES);
    }
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
    if (!isFresh(seq)) return refuse(seq, ERR_REPLAY, 'seq ' + seq + ' is not newer than ' + sessionSeq + ': replayed or duplicated frame ignored');
    sessionSeq = seq;
    switch (m.name) {
      case 'set_time': {
        const first = !clockSet;
        clockOffset_s = m.payload.unix_s - getTime();
        tz_s = m.payload.tz_min * 60;
        clockSet = true;
        if (first) {
          // the minute in progress started on uptime: restamp it on the wall clock
          minute.rec.start_s = Math.floor(minute.rec.start_s + clockOffset_s);
          minute.rec.flags |= RECORD_CLOCK_VALID;
        }
        scheduleMinute();
        return info(seq);
      }
      case 'status_get':
        return status(seq);
      case 'records_read': {
        const max = m.payload.max < BATCH_RECORDS ? m.payload.max : BATCH_RECORDS;
        // a batch buffer per request, not kept: syncs are rare and 320 B held for good would be ~27 variables
        const out = new Uint8Array(max * RECORD_BYTES);
        const n = store.read(m.payload.from_seq, max, out);
        fixTimes(out, n);
        return reply('records', seq, { first_seq: n > 0 ? (out[0] | (out[1] << 8) | (out[2] << 16) | (out[3] << 24)) >>> 0 : store.nextSeq(), next_seq: store.nextSeq(), data: out.subarray(0, n * RECORD_BYTES) });
      }
      case 'ack':
        store.ack(m.payload.up_to_seq);
        return reply('acked', seq, { up_to_seq: store.firstSeq() - 1, first_seq: store.firstSeq() });
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
        settingsStore.save(settings);
        haptics.setEnabled(settings.config.buzz_on === 1);
        engine.setWrongRule(settings.config.wrong_rule);
        return reply('config', seq, settings.config);
      }
      case 'calibrate': {
        // action CAL_ACTION_QUERY only reports how far the calibration got; start and forget change it
        if (m.payload.action !== CAL_ACTION_QUERY) {
          if (!bonded(seq, 'calibration')) return;
          engine.setCalibration(null);
          settings.cal = null;
          settingsStore.save(settings);
        }
        const c = engine.getCalibration();
        return reply('calibration', seq, { state: engine.calState(), grav_x_mg: c ? Math.round(c.up[0] * 1000) : 0, grav_y_mg: c ? Math.round(c.up[1] * 1000) : 0, grav_z_mg: c ? Math.round(c.up[2] * 1000) : 0 });
      }
      case 'buzz': {
        // a motor test plays even with alerts switched off: the user asked for it
        haptics.setEnabled(true);
        haptics.play(m.payload.pattern);
        haptics.setEnabled(settings.config.buzz_on === 1);
        return ok(seq, 'buzz');
      }
      case 'raw_start': {
        if (!bonded(seq, 'raw streaming')) return;
        if (m.payload.rate_hz !== WALK_RATE_HZ) return refuse(seq, ERR_BAD_VALUE, 'raw streams at ' + WALK_RATE_HZ + ' Hz');
        if (idle) wake();
        rawOn = true;
        rawN = 0;
        return ok(seq, 'raw_start');
      }
      case 'raw_stop':
        rawOn = false;
        return ok(seq, 'raw_stop');
      case 'erase': {
        if (!bonded(seq, 'erase')) return;
        if (m.payload.confirm !== ERASE_CONFIRM) return refuse(seq, ERR_BAD_VALUE, 'erase not confirmed');
        store.eraseAll();
        return ok(seq, 'erase');
      }
      default:
        return refuse(seq, 1, m.name + ' is not a request the pod answers');
    }
  }

  function onFrame(f: Frame): void {
    const m = decodeMessage(f);
    if (isMessageError(m)) return refuse(m.seq, m.error, m.text);
    handle(m);
  }

  // bad frames are dropped silently: the host times out and asks again
  const decoder = createFrameDecoder(onFrame, function () {}, MAX_REQUEST_ENCODED_BYTES);

  const radio = createRadio(name, PASSKEY, function (b: Uint8Array) {
    decoder.push(b);
  }, function (up: boolean) {
    sessionSeq = -1;
    if (!up) {
      rawOn = false;
      decoder.reset();
      live = false;
    }
  });

  imu.walk();
  setTimeout(checkIdle, IDLE_CHECK_MS);
  scheduleMinute();
  checkBattery();
}
