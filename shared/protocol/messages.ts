/**
 * THE message table: every message either side sends, with its type id and
 * payload layout. Both the pod and the host encode and decode through it.
 *
 * A layout is a comma-separated list of `name:code` fields, packed in order,
 * little endian. Codes (as in Python's struct): B u8, H u16, I u32, h i16,
 * i i32, s string (u8 length + ASCII), y bytes (u16 length + bytes).
 * Layouts are strings rather than arrays of objects because each object costs
 * Espruino RAM (variables) for as long as the pod runs; the TypeScript types
 * of each payload are derived from the same strings below, so they cannot
 * drift apart.
 *
 * Direction: h->p host to pod, p->h pod to host. Requests from the host get
 * exactly one answer frame carrying the request's seq (or `error`); a frame
 * that fails its CRC or COBS gets none (the host times out and asks again).
 */
/** config and config_set carry the same settings (one string: the pod holds each literal it is given) */
const CONFIG_LAYOUT = 'buzz_on:B,wrong_rule:B,coach_steps:B,daily_goal_min:H,fwd_stride_cm:B,bwd_stride_cm:B';

export const MESSAGES = {
  /** h->p: who are you? answered by info */
  hello: [0x01, ''],
  /** p->h: pod identity and clock. clock_s 0 = no host has set the clock since the pod started (it keeps no clock across a restart) */
  info: [0x02, 'pod_id:s,fw_version:s,protocol:B,battery_pct:B,clock_s:I,uptime_s:I,bonded:B'],
  /** h->p: the wall clock (Unix seconds, UTC) and the host's UTC offset in minutes (the pod's day turns at local midnight); answered by info */
  set_time: [0x03, 'unix_s:I,tz_min:h'],
  /** h->p: answered by status */
  status_get: [0x04, ''],
  /** p->h: flags are STATUS_* bits; first_seq..next_seq-1 are the records still held */
  status: [0x05, 'battery_pct:B,flags:H,first_seq:I,next_seq:I,stored:H,capacity:H,ram_pending:B,mode:B'],
  /** h->p: send up to max records starting at from_seq; answered by records */
  records_read: [0x06, 'from_seq:I,max:B'],
  /** p->h: data holds whole fixed-size records (see records.ts), oldest first; empty = nothing at or after from_seq */
  records: [0x07, 'first_seq:I,next_seq:I,data:y'],
  /** h->p: the host has committed every record with seq <= up_to_seq; answered by acked */
  ack: [0x08, 'up_to_seq:I'],
  /** p->h: records up to up_to_seq are freed; first_seq is the oldest still held */
  acked: [0x09, 'up_to_seq:I,first_seq:I'],
  /** h->p: on 1 / off 0; answered by ok. While on, the pod sends contact per stride and buzzed per buzz */
  live_subscribe: [0x0a, 'on:B'],
  /** p->h: one ground contact. direction DIRECTION_*, first CONTACT_*, pitch in 0.01 degree */
  contact: [0x0b, 't_ms:I,direction:B,first:B,pitch_cdeg:h,wrong:B,cadence_spm:B'],
  /** h->p: answered by config */
  config_get: [0x0c, ''],
  /** p->h, and h->p as config_set: the pod's settings (see config.ts for ranges) */
  config: [0x0d, CONFIG_LAYOUT],
  config_set: [0x0e, CONFIG_LAYOUT],
  /** h->p: action CAL_ACTION_* (start: stand still, then walk forward; forget; query: only report); answered by calibration */
  calibrate: [0x0f, 'action:B'],
  /** p->h: state CAL_*; the mount's gravity direction in the sensor frame (0.001 g) */
  calibration: [0x10, 'state:B,grav_x_mg:h,grav_y_mg:h,grav_z_mg:h'],
  /** h->p: play a haptic pattern (PATTERN_*); answered by ok */
  buzz: [0x11, 'pattern:B'],
  /** h->p: stream raw IMU samples at rate_hz; answered by ok (the pod streams at its walking rate only, RAW_RATE_HZ: another is refused) */
  raw_start: [0x12, 'rate_hz:B'],
  /** h->p: answered by ok */
  raw_stop: [0x13, ''],
  /** p->h: consecutive samples, 6 x i16 raw LSB each (ax ay az gx gy gz), first at t_ms */
  raw_imu: [0x14, 't_ms:I,samples:y'],
  /** h->p: forget every record; confirm must be ERASE_CONFIRM; answered by ok */
  erase: [0x15, 'confirm:I'],
  /** p->h: the command of type for_type was done */
  ok: [0x16, 'for_type:B'],
  /**
   * p->h: the motor started pattern PATTERN_* (every buzz it plays, the wrong-gait one and `buzz`'s test included;
   * one refused because buzzing is off or another pattern is playing is not sent), while live is on. A host that
   * does not know it drops it as an unknown type: an addition, not a protocol change
   */
  buzzed: [0x17, 'pattern:B'],
  /** either way: the frame with this seq failed; code ERR_*, text for a person */
  error: [0x7f, 'code:B,text:s'],
} as const;

export type MessageName = keyof typeof MESSAGES;

type FieldValue<C extends string> = C extends 's' ? string : C extends 'y' ? Uint8Array : number;
type ParseLayout<S extends string> = S extends `${infer N}:${infer C},${infer Rest}`
  ? { [K in N]: FieldValue<C> } & ParseLayout<Rest>
  : S extends `${infer N}:${infer C}`
    ? { [K in N]: FieldValue<C> }
    : {};
type Flatten<T> = { [K in keyof T]: T[K] };

/** The typed payload of message N, derived from its layout string. */
export type PayloadOf<N extends MessageName> = Flatten<ParseLayout<(typeof MESSAGES)[N][1]>>;

/** A decoded message: a discriminated union over the table. */
export type Message = { [N in MessageName]: { name: N; seq: number; payload: PayloadOf<N> } }[MessageName];

/** status.flags bits */
export const STATUS_CLOCK_SET = 1;
export const STATUS_CALIBRATED = 2;
export const STATUS_CALIBRATION_STALE = 4;
export const STATUS_STORAGE_FULL = 8;
export const STATUS_BONDED = 16;
export const STATUS_BUZZ_OFF = 32;
export const STATUS_LOW_BATTERY = 64;
// 128 is free: it named update mode, but a pod in update mode runs no link and answers no status
export const STATUS_IDLE = 256;
/** status.mode: counting only, or coach mode (prompts each minute of a walk for config.coach_steps backward steps) */
export const MODE_COUNT = 0;
export const MODE_COACH = 1;

/** contact.direction */
export const DIRECTION_UNKNOWN = 0;
export const DIRECTION_FORWARD = 1;
export const DIRECTION_BACKWARD = 2;
/** contact.first */
export const CONTACT_FLAT = 0;
export const CONTACT_HEEL = 1;
export const CONTACT_TOE = 2;

/** calibrate.action values */
export const CAL_ACTION_START = 0;
export const CAL_ACTION_FORGET = 1;
export const CAL_ACTION_QUERY = 2;
/** calibration.state (the gait engine's CAL_*, mount.ts: the same numbers) */
export const CAL_NONE = 0;
export const CAL_GRAVITY = 1;
export const CAL_DONE = 2;
export const CAL_STALE = 3;

/** error.code */
export const ERR_UNKNOWN_TYPE = 1;
export const ERR_BAD_PAYLOAD = 2;
export const ERR_VERSION = 3;
export const ERR_NOT_BONDED = 4;
export const ERR_BAD_VALUE = 5;
export const ERR_BUSY = 6;
export const ERR_REPLAY = 7;

/** erase.confirm must carry this value, so a stray or corrupted frame cannot wipe the pod. */
export const ERASE_CONFIRM = 0x45524153; // "ERAS"

/**
 * The table as one string, "\n<name> <id> <layout>" per message: what the lookups below read. A layout an
 * earlier message has already is written "=<its id>" (config_set's is config's). On the host
 * it is written from MESSAGES when this module loads; the pod build writes it into the bundle as a literal
 * (scripts/build-firmware.mjs), so the pod holds one string in flash instead of MESSAGES, ~185 variables
 * while a host is connected.
 */
export const MESSAGE_INDEX: string = messageIndexOf(MESSAGES);

function messageIndexOf(table: { [name: string]: readonly [number, string] }): string {
  let index = '';
  const seen: { [layout: string]: number } = {};
  for (const name in table) {
    const id = table[name][0], layout = table[name][1];
    index += '\n' + name + ' ' + id + ' ' + (layout && seen[layout] ? '=' + seen[layout] : layout);
    if (!seen[layout]) seen[layout] = id;
  }
  return index + '\n';
}

/** Where message `name`'s id starts in MESSAGE_INDEX, -1 if there is no such message. */
function entryOf(name: string): number {
  const at = MESSAGE_INDEX.indexOf('\n' + name + ' ');
  return at < 0 ? -1 : at + name.length + 2;
}

export function messageId(name: MessageName): number {
  return parseInt(MESSAGE_INDEX.substr(entryOf(name), 3), 10);
}

/** The payload layout of message `name`. */
export function messageLayout(name: MessageName): string {
  const at = MESSAGE_INDEX.indexOf(' ', entryOf(name)) + 1;
  const layout = MESSAGE_INDEX.substring(at, MESSAGE_INDEX.indexOf('\n', at));
  return layout.charAt(0) === '=' ? messageLayout(messageName(parseInt(layout.substring(1), 10)) as MessageName) : layout;
}

/** The name of message type `id`: names and layouts hold no spaces, so " <id> " is found only as an id. */
export function messageName(id: number): MessageName | undefined {
  const at = MESSAGE_INDEX.indexOf(' ' + id + ' ');
  if (at < 0) return undefined;
  return MESSAGE_INDEX.substring(MESSAGE_INDEX.lastIndexOf('\n', at) + 1, at) as MessageName;
}
