/**
 * What the pod's status flags mean for its wearer: one line each, saying what
 * to do. Printed after a sync (and in its --json output).
 */
import { type PayloadOf, STATUS_CALIBRATED, STATUS_CALIBRATION_STALE, STATUS_LOW_BATTERY, STATUS_STORAGE_FULL } from '../../shared/protocol/messages.js';
import { FIRMWARE_VERSION } from '../../shared/protocol/firmware-version.js';
import { localMinute } from './report/period.js';

/** How a wearer is told to calibrate the pod, with the command that reaches it (`retrostep --port PATH calibrate`). */
export function calibrateWith(command: string): string {
  return `stand still for a second, then walk forward ten steps (or run \`${command}\`)`;
}

/** How a wearer who does not know the pod's link is told to calibrate it (the report; the web page, whose pod is over Bluetooth). */
const CALIBRATE_ADVICE = calibrateWith('retrostep calibrate');

/**
 * `calibrate`: what to do about a mount not learnt, after the note's semicolon. A sync passes one for its own link
 * (`retrostep calibrate` alone looks for a pod over Bluetooth: after `--port PATH sync` it was a wrong next step).
 */
export function podNotices(status: PayloadOf<'status'>, calibrate = CALIBRATE_ADVICE): string[] {
  const out: string[] = [];
  const f = status.flags;
  if (f & STATUS_CALIBRATION_STALE) {
    out.push(`the pod seems to have moved on the shoe: it is learning how it sits again; ${calibrate}`);
  } else if (!(f & STATUS_CALIBRATED)) {
    out.push(`the pod has not yet learnt how it sits on the shoe, so every stride counts as forward: ${calibrate}`);
  }
  if (f & STATUS_LOW_BATTERY) out.push(`the pod's battery is low (${status.battery_pct}%): replace its CR2032 soon`);
  if (f & STATUS_STORAGE_FULL) out.push(`the pod's flash is full and ${status.ram_pending} minute records wait in its memory: ${fullAdvice(status)}`);
  return out;
}

/**
 * What to do about a full flash. On a low cell the pod does not compact its flash (a power cut in a compaction
 * erases it: docs/decisions.md, "Storage compaction and a low cell"), so syncing more often does not help for long:
 * a new cell does.
 */
function fullAdvice(status: PayloadOf<'status'>): string {
  return status.flags & STATUS_LOW_BATTERY ? 'replace its CR2032 (on a low cell the pod does not make room in its flash)' : 'sync more often';
}

/**
 * The notices of a sync: the pod's status once it has freed what was stored (`after`), and a flash that was full
 * when the sync began (`before`) and is not now, said in the past tense, so the wearer still learns to sync sooner.
 */
export function syncNotices(before: PayloadOf<'status'>, after: PayloadOf<'status'>, calibrate = CALIBRATE_ADVICE): string[] {
  const out = podNotices(after, calibrate);
  if (before.flags & STATUS_STORAGE_FULL && !(after.flags & STATUS_STORAGE_FULL)) {
    out.push(`the pod's flash was full (${before.ram_pending} minute records waited in its memory); this sync freed it: ${fullAdvice(after)}`);
  }
  return out;
}

/**
 * a against b, as versions "major.minor.patch" (numbers compared, not text: 0.10.0 is after 0.9.0): negative when a
 * is older, 0 the same, positive newer; null when either is not of that form (nothing can be said of it).
 */
export function compareVersions(a: string, b: string): number | null {
  const pa = /^(\d+)\.(\d+)\.(\d+)$/.exec(a);
  const pb = /^(\d+)\.(\d+)\.(\d+)$/.exec(b);
  if (!pa || !pb) return null;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A pod on another firmware than the one this retrostep carries (its `info` at a sync): an older one stays so until
 * it is flashed, and nothing else says so (retrostep updated by npm, the pod left as it was). Said after the sync,
 * when the pod holds no minute a new firmware could misread (docs/decisions.md, "A review of the wrong-gait share":
 * updating from 0.1.0). A newer one came from a newer retrostep, whose firmware this one's `flash` would take back.
 * Null when the same, or not a version that can be compared.
 */
export function firmwareNotice(fw_version: string): string | null {
  const c = compareVersions(fw_version, FIRMWARE_VERSION);
  if (c === null || c === 0) return null;
  if (c < 0) return `the pod runs firmware ${fw_version}, older than the ${FIRMWARE_VERSION} this retrostep carries: update it with \`retrostep flash\` now, just after a sync (README, "Putting retrostep on a Puck.js")`;
  return `the pod runs firmware ${fw_version}, newer than the ${FIRMWARE_VERSION} this retrostep carries: update retrostep (its \`retrostep flash\` would put ${FIRMWARE_VERSION} back)`;
}

/**
 * What a record the full pod folded later minutes into (RECORD_FOLDED) means, from its minute on (null: a
 * minute of no known time): sync's notice and the summary's say it in these words, each with its own ending.
 */
export function podWasFull(from_s: number | null): string {
  return `the pod was full ${from_s === null ? 'for a while' : `from ${localMinute(from_s)}`}: the walking after that was added into one minute, each count capped at 255`;
}
