/**
 * The pod program: IMU samples into the gait engine, contacts into the
 * minute counters and the motor, minutes into flash; while a host is
 * connected, the link (link.ts, loaded then) answers its frames. The IMU,
 * motor, radio and flash are reached only through hal/ (the battery and the
 * clock through Espruino's E.getBattery and getTime, here and in link.ts).
 */
import { ACC_G_PER_LSB, GYRO_DPS_PER_LSB, WALK_RATE_HZ } from './board.js';
import { createCoach } from './coach.js';
import { createDailyGoal } from './daily-goal.js';
import { createHaptics, PATTERN_DONE, PATTERN_GOAL, PATTERN_LOW_BATTERY, PATTERN_PROMPT, PATTERN_WRONG } from './hal/haptics.js';
import { createImu } from './hal/imu.js';
import { PASSKEY, podId as podIdOf, podName } from './identity.js';
import type { Link } from './link.js';
import { loadLink } from './link-loader.js';
import { createRadio } from './hal/radio.js';
import { createSettingsStore, type Settings } from './hal/settings.js';
import { createRecordStore } from './hal/store.js';
import { closeMinute, countContact, isActive, judgedFlags, type MinuteCounter, newMinute } from './minute.js';
import { CAL_DONE, createGaitEngine, DIR_BACKWARD, EVENT_CALIBRATION, EVENT_CONTACT, type GaitEvent } from '../../shared/gait/engine.js';
import { RECORD_CLOCK_VALID, RECORD_COACH_DONE, RECORD_COACH_PROMPTED } from '../../shared/protocol/records.js';
import { floor, round } from '../../shared/math.js';

/** ms between IMU samples at walking rate */
const SAMPLE_MS = 1000 / WALK_RATE_HZ;
/** Battery below this: warn once with a buzz. A CR2032 under load falls off quickly below ~20%. */
const LOW_BATTERY_PCT = 15;
/** ...and warn again only after it has been back above LOW_BATTERY_PCT by this much (a new cell): a reading that wobbles around 15% must not buzz every minute. */
const LOW_BATTERY_REARM_PCT = 10;
/**
 * Idle: a foot quiet this long (the engine's quietFor_ms: still, calmer than
 * STILL_DPS) drops the IMU to accelerometer-only 1.6 Hz (~40 uA instead of
 * ~600 uA). Longer than the engine's BOUT_GAP_MS (10 s) so the bout has
 * ended; shorter than most standing pauses, which are where the hours go.
 */
const IDLE_AFTER_MS = 12000;
/** How often the walking pod asks the engine how long the foot has been quiet (a timer, not per sample). */
const IDLE_CHECK_MS = 2000;
/** Unix seconds in a day: the daily goal's day. */
const DAY_S = 86400;

export function startPod(): void {
  // what the walking sample path reads, declared first: Espruino finds a name of this scope by reading the
  // names declared before it, on every sample (~70 here)
  let t_ms = 0; // IMU sample clock
  // raw streaming for `retrostep record` (the link batches and sends the samples)
  let rawOn = false;
  // the host's side while one is connected (link.ts), else null: its code and state are in RAM only then
  let link: Link | null = null;
  const settingsStore = createSettingsStore();
  const settings: Settings = settingsStore.load();
  settings.boots = (settings.boots + 1) & 0xffff;
  settingsStore.save(settings);
  // (three bits, RECORD_BOOT_BITS: the flags' bit 4 is RECORD_WRONG_JUDGES_FORWARD)
  const bootBits = (settings.boots & 7) << 5;

  const store = createRecordStore();
  // each buzz played, to a host watching live (link.ts sends it only while subscribed)
  const haptics = createHaptics(function (pattern: number) {
    if (link) link.played(pattern);
  });
  haptics.setEnabled(settings.config.buzz_on === 1);

  let clockOffset_s = 0; // unix = getTime() + offset, once set
  let clockSet = false;
  let tz_s = 0; // the host's UTC offset: days turn at its local midnight
  let minute: MinuteCounter = newMinute(floor(getTime()), bootBits | judgedFlags(settings.config));
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
      // the stride to a live host after its wrong buzz (which must not wait for a frame to be sent) and before
      // the coach's done, so the live view shows done after the stride that completed the interval
      if (link) link.contact(e);
      if (e.direction === DIR_BACKWARD && coach.backwardStride()) {
        minute.rec.flags |= RECORD_COACH_DONE;
        haptics.playSoon(PATTERN_DONE);
      }
      radio.rsc((e.stride_m * e.cadence_spm) / 120, e.cadence_spm, e.stride_m);
    } else if (e.type === EVENT_CALIBRATION && e.cal_state === CAL_DONE) {
      settings.cal = engine.getCalibration();
      settingsStore.save(settings);
    }
  }

  const engine = createGaitEngine(onGait, settings.config.wrong_rule);
  if (settings.cal) engine.setCalibration(settings.cal);

  // idle: the IMU at its idle rate, waiting for the foot to move (its wake-up interrupt: hal/imu.ts)
  let idle = false;

  // the walking sample path: convert raw LSB and push; nothing allocated. Idle, the IMU calls wake once
  // the foot moves.
  const imu = createImu(function (e: PuckAccelEvent) {
    const a = e.acc, g = e.gyro;
    t_ms += SAMPLE_MS;
    engine.push(t_ms, a.x * ACC_G_PER_LSB, a.y * ACC_G_PER_LSB, a.z * ACC_G_PER_LSB, g.x * GYRO_DPS_PER_LSB, g.y * GYRO_DPS_PER_LSB, g.z * GYRO_DPS_PER_LSB);
    if (rawOn && link) link.rawSample(t_ms, a, g);
  }, function () {
    // (a wake-up interrupt may be followed by another before the IMU is at walking rate)
    if (idle) wake();
  });

  function wake(): void {
    idle = false;
    imu.walk();
    // the swing in progress started unseen: nothing is integrated until the next stance, and the engine counts
    // that stride, unmeasured, if a walk follows (engine.ts UNSEEN)
    engine.resetMotion();
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
    imu.idle();
  }

  function closeAndStore(): void {
    const walked = isActive(minute);
    if (walked) {
      const r = closeMinute(minute);
      store.append(r);
      // the day of the record: local once the clock is known, else days of uptime
      if (goal.add(r, floor((r.start_s + (clockSet ? tz_s : 0)) / DAY_S), settings.config.daily_goal_min)) haptics.playSoon(PATTERN_GOAL);
    }
    const start = floor(now_s() / 60) * 60;
    minute = newMinute(start, (clockSet ? RECORD_CLOCK_VALID : 0) | bootBits | judgedFlags(settings.config));
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

  // ---- the host's link ----

  /**
   * The wall clock from the host: days and minutes turn on it from now on. (Not named setTime: that is
   * Espruino's global, a name the build keeps long everywhere.)
   */
  function setClock(unix_s: number, tz_min: number): void {
    // the minute in progress started on uptime, or on the clock as it was: restamp it by as much as the clock
    // moved (else a clock set a day forward leaves it stamped the day before, a minute apart from its walk)
    const moved_s = unix_s - getTime() - clockOffset_s;
    clockOffset_s += moved_s;
    tz_s = tz_min * 60;
    clockSet = true;
    // (rounded: floored, a fraction of a second could put a minute a second before its boundary, a day early at midnight)
    minute.rec.start_s = round(minute.rec.start_s + moved_s);
    minute.rec.flags |= RECORD_CLOCK_VALID;
    scheduleMinute();
  }

  /** A host connected: load the link and hand it the pod's parts (the closures here exist only while it is up). */
  function linkUp(): void {
    link = loadLink()({
      engine: engine,
      store: store,
      haptics: haptics,
      imu: imu,
      radio: radio,
      settings: settings,
      saveSettings: function () {
        settingsStore.save(settings);
        // a config_set may have changed the wrong-gait rule: the minute says it judged what the new one judges too
        minute.rec.flags |= judgedFlags(settings.config);
      },
      podId: podId,
      bootBits: bootBits,
      lowBattery_pct: LOW_BATTERY_PCT,
      clockOffset_s: function () {
        return clockSet ? clockOffset_s : null;
      },
      setClock: setClock,
      setRaw: function (on: boolean) {
        if (on && idle) wake();
        rawOn = on;
      },
    });
  }

  const radio = createRadio(name, PASSKEY, function (b: Uint8Array) {
    if (link) link.push(b);
  }, function (up: boolean) {
    rawOn = false;
    link = null; // a new host starts a new session: fresh replay guard, no live or raw stream
    if (up) linkUp();
    // The link's closures and their scopes refer to each other, so dropping it frees nothing until a garbage
    // collection, which Espruino runs only when fewer than 5% of its variables are free. Collect now
    // (process.memory() does): the ~500 variables are back before the next host, not found missing then.
    // Collect after loading it too: its evaluation leaves ~55 variables of garbage, and the first request's
    // answer, with the link's ~575 in place, then ran the free list dry on the real interpreter (LOW_MEMORY,
    // with the bench's runner taking ~190 more than a Puck.js's own; docs/decisions.md, "The pod's peak").
    process.memory();
  });

  imu.walk();
  setTimeout(checkIdle, IDLE_CHECK_MS);
  scheduleMinute();
  checkBattery();
}
