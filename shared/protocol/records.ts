/**
 * The per-minute record: fixed 20 bytes, the unit the pod stores in flash and
 * the host syncs. Layout (little endian):
 *   0 seq u32        monotonically increasing, never reused
 *   4 start_s u32    Unix seconds of the minute's start if RECORD_CLOCK_VALID, else pod uptime seconds
 *   8 flags u8       RECORD_* bits; the top three (RECORD_BOOT_BITS) the boot of a record still stamped with uptime
 *   9 forward u8     forward strides
 *  10 backward u8    backward strides
 *  11 heel u8, 12 flat u8, 13 toe u8   strides by first contact
 *  14 wrong u8       wrong-gait strides
 *  15 buzzes u8      haptic alerts played
 *  16 cadence_spm u8 estimated steps per minute while walking (2 x strides / active time)
 *  17 active_s u8    seconds of the minute spent walking (strides at most 2.5 s apart: firmware/src/minute.ts)
 *  18 check u16      low 16 bits of CRC-32 of bytes 0..17: a torn flash write fails it
 */
import { getU16, getU32, putU16, putU32 } from './bytes.js';
import { crc32 } from './crc32.js';
import { round } from '../math.js';

export const RECORD_BYTES = 20;
const CHECKED_BYTES = 18;

export const RECORD_CLOCK_VALID = 1;
export const RECORD_COACH_PROMPTED = 2;
export const RECORD_COACH_DONE = 4;
/**
 * The pod's flash and RAM were full: every minute after this one, until a sync made room, was added into this
 * record (its strides, contacts, buzzes and active seconds), each capped at 255 (a byte). The counts are the
 * least that was walked; its start and cadence are this minute's alone.
 */
export const RECORD_FOLDED = 8;
/**
 * The wrong-gait rule in force (config wrong_rule) judged forward strides at some time in this minute, so `wrong`
 * may count forward strides as well as backward ones: its share is of both. Without it, backward strides alone
 * were judged (the default rule; one judging nothing counts no wrong stride either). One bit is enough: a rule
 * judging forward strides alone has the minute's backward strides in its share too, which understates it but
 * never takes it past 100%.
 */
export const RECORD_WRONG_JUDGES_FORWARD = 16;
/**
 * The flags' top three bits: the boot (the pod's count of them, mod 8) that made the record, which store.read
 * needs of a record still stamped with uptime. Firmware 0.1.0 kept four (the high nibble), bit 4 too, where
 * RECORD_WRONG_JUDGES_FORWARD is now: its records' bit 4 is part of a boot number (flagsFromFirmware).
 */
export const RECORD_BOOT_BITS = 0xe0;
/** The one firmware whose records carry a boot number's bit in RECORD_WRONG_JUDGES_FORWARD (firmware-version.ts FIRMWARE_VERSION). */
const BOOT_NIBBLE_FIRMWARE = '0.1.0';

/**
 * A record's flags as this retrostep reads them, from a pod running firmware fw_version (info's): the bits that
 * firmware did not mean as they are read now cleared (a 0.1.0 pod's boot number is not a rule that judged forward).
 */
export function flagsFromFirmware(flags: number, fw_version: string): number {
  return fw_version === BOOT_NIBBLE_FIRMWARE ? flags & ~RECORD_WRONG_JUDGES_FORWARD : flags;
}

export interface MinuteRecord {
  seq: number;
  start_s: number;
  flags: number;
  forward: number;
  backward: number;
  heel: number;
  flat: number;
  toe: number;
  wrong: number;
  buzzes: number;
  cadence_spm: number;
  active_s: number;
}

function clampU8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : round(v);
}

export function encodeRecord(r: MinuteRecord, out: Uint8Array, at: number): void {
  putU32(out, at, r.seq);
  putU32(out, at + 4, r.start_s);
  out[at + 8] = r.flags & 0xff;
  out[at + 9] = clampU8(r.forward);
  out[at + 10] = clampU8(r.backward);
  out[at + 11] = clampU8(r.heel);
  out[at + 12] = clampU8(r.flat);
  out[at + 13] = clampU8(r.toe);
  out[at + 14] = clampU8(r.wrong);
  out[at + 15] = clampU8(r.buzzes);
  out[at + 16] = clampU8(r.cadence_spm);
  out[at + 17] = clampU8(r.active_s);
  putU16(out, at + CHECKED_BYTES, crc32(out.subarray(at, at + CHECKED_BYTES)) & 0xffff);
}

/** True when the 20 bytes at `at` hold a completely written record. */
export function recordIsValid(b: Uint8Array, at: number): boolean {
  if (at + RECORD_BYTES > b.length) return false;
  return (crc32(b.subarray(at, at + CHECKED_BYTES)) & 0xffff) === getU16(b, at + CHECKED_BYTES);
}

/** Decode one record; null when it is torn or corrupt. */
export function decodeRecord(b: Uint8Array, at: number): MinuteRecord | null {
  if (!recordIsValid(b, at)) return null;
  return {
    seq: getU32(b, at),
    start_s: getU32(b, at + 4),
    flags: b[at + 8],
    forward: b[at + 9],
    backward: b[at + 10],
    heel: b[at + 11],
    flat: b[at + 12],
    toe: b[at + 13],
    wrong: b[at + 14],
    buzzes: b[at + 15],
    cadence_spm: b[at + 16],
    active_s: b[at + 17],
  };
}
