/**
 * What the pod's status flags mean for its wearer: one line each, saying what
 * to do. Printed after a sync (and in its --json output).
 */
import { type PayloadOf, STATUS_CALIBRATED, STATUS_CALIBRATION_STALE, STATUS_LOW_BATTERY, STATUS_STORAGE_FULL } from '../../shared/protocol/messages.js';

export function podNotices(status: PayloadOf<'status'>): string[] {
  const out: string[] = [];
  const f = status.flags;
  if (f & STATUS_CALIBRATION_STALE) {
    out.push('the pod seems to have moved on the shoe: it is learning how it sits again; stand still for a second, then walk forward ten steps (or run `retrostep calibrate`)');
  } else if (!(f & STATUS_CALIBRATED)) {
    out.push('the pod has not yet learnt how it sits on the shoe, so every stride counts as forward: stand still for a second, then walk forward ten steps (or run `retrostep calibrate`)');
  }
  if (f & STATUS_LOW_BATTERY) out.push(`the pod's battery is low (${status.battery_pct}%): replace its CR2032 soon`);
  if (f & STATUS_STORAGE_FULL) out.push(`the pod's flash is full and ${status.ram_pending} minute records wait in its memory: sync more often`);
  return out;
}
