/**
 * The current minute's counters, closed into a MinuteRecord each minute.
 * Times: the record's start is Unix seconds once the host has set the clock,
 * else seconds of uptime with the boot number in the flags' top three bits
 * (RECORD_BOOT_BITS), so
 * the pod can still fix it up if the clock is learnt during the same boot.
 */
import { type MinuteRecord, RECORD_WRONG_JUDGES_FORWARD } from '../../shared/protocol/records.js';
import { DIR_BACKWARD, DIR_FORWARD, FIRST_HEEL, FIRST_TOE, type GaitEvent } from '../../shared/gait/engine.js';
import { WRONG_FORWARD_FLAT, WRONG_FORWARD_TOE } from '../../shared/gait/contact.js';
import type { PodConfig } from '../../shared/protocol/config.js';
import { round } from '../../shared/math.js';

/** Strides closer than this count fully toward active time; longer gaps are pauses (the engine's WALK_GAP_MS: the slowest walking puts 2 s between one foot's contacts). */
const MAX_ACTIVE_GAP_S = 2.5;

/** The wrong_rule bits that judge forward strides (shared/gait/contact.ts). */
const WRONG_FORWARD_BITS = WRONG_FORWARD_TOE | WRONG_FORWARD_FLAT;

/**
 * The record flags saying which directions the settings' wrong_rule judges (RECORD_WRONG_JUDGES_FORWARD), ORed
 * into the minute as it opens and as the rule changes (pod.ts): "at any time in the minute", nothing per sample.
 * (It takes the settings, not the rule: the pod's three calls are each 11 B shorter so.)
 */
export function judgedFlags(config: PodConfig): number {
  return config.wrong_rule & WRONG_FORWARD_BITS ? RECORD_WRONG_JUDGES_FORWARD : 0;
}

export interface MinuteCounter {
  rec: MinuteRecord;
  /** ms of walking in this minute */
  active_ms: number;
  /** stride-to-stride gaps summed into active_ms */
  gaps: number;
  lastContact_ms: number;
}

export function newMinute(start_s: number, flags: number): MinuteCounter {
  return {
    rec: { seq: 0, start_s: start_s, flags: flags, forward: 0, backward: 0, heel: 0, flat: 0, toe: 0, wrong: 0, buzzes: 0, cadence_spm: 0, active_s: 0 },
    active_ms: 0,
    gaps: 0,
    lastContact_ms: -1,
  };
}

export function countContact(m: MinuteCounter, e: GaitEvent): void {
  const r = m.rec;
  if (e.direction === DIR_BACKWARD) r.backward++;
  else if (e.direction === DIR_FORWARD) r.forward++;
  if (e.first === FIRST_HEEL) r.heel++;
  else if (e.first === FIRST_TOE) r.toe++;
  else r.flat++;
  if (e.wrong) r.wrong++;
  if (m.lastContact_ms >= 0) {
    const gap = e.t_ms - m.lastContact_ms;
    if (gap > 0 && gap <= MAX_ACTIVE_GAP_S * 1000) {
      m.active_ms += gap;
      m.gaps++;
    }
  }
  m.lastContact_ms = e.t_ms;
}

/** Finish the record: active seconds and cadence (steps/min = 2 x strides per active minute). */
export function closeMinute(m: MinuteCounter): MinuteRecord {
  const r = m.rec;
  // each gap is one stride period; the stride that opened a run had none, so add the mean period for it
  const period_ms = m.gaps > 0 ? m.active_ms / m.gaps : 0;
  let active_s = (m.active_ms + period_ms) / 1000;
  if (active_s > 60) active_s = 60;
  r.active_s = round(active_s);
  r.cadence_spm = period_ms > 0 ? round(120000 / period_ms) : 0;
  return r;
}

export function isActive(m: MinuteCounter): boolean {
  return m.rec.forward + m.rec.backward > 0;
}
