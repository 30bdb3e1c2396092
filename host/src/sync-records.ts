/**
 * Sync, the protocol half: copy a pod's un-acked minute records into a
 * store, then ack them, batch by batch. Resumable and idempotent: records
 * are keyed by (pod, seq) and committed before they are acked, so a sync cut
 * at any byte, repeated, or run twice loses and duplicates nothing. Seqs
 * the store already has are freed only once they read back the same: a pod
 * whose numbering started again would otherwise lose its new records.
 *
 * Browser-safe (no Node APIs): the CLI runs it against SQLite (sync.ts) and
 * the `retrostep web` page runs the same code against the local server,
 * which stores through the same SQLite code (web/server.ts).
 */
import { decodeRecord, flagsFromFirmware, type MinuteRecord, RECORD_BYTES, RECORD_CLOCK_VALID, RECORD_COACH_DONE, RECORD_COACH_PROMPTED, RECORD_FOLDED } from '../../shared/protocol/records.js';
import type { PodConfig } from '../../shared/protocol/config.js';
import type { PayloadOf } from '../../shared/protocol/messages.js';
import { setTimePayload } from './clock.js';
import { firmwareNotice, podWasFull, syncNotices } from './pod-notices.js';
import { otherProtocol, type PodClient } from './pod-client.js';

/** A record the pod folded later minutes into (RECORD_FOLDED): what was lost, and what to do. */
function foldedNotice(r: MinuteRecord): string {
  return `${podWasFull(r.flags & RECORD_CLOCK_VALID ? r.start_s : null)}, so not all of it was counted: sync at least every few weeks`;
}

/** Records asked for per request: 16 x 20 B per frame keeps wire overhead near 5%. */
export const SYNC_BATCH = 16;
/** Say the pod's clock was set when it was off by more than this (s): minute records are stamped to the second. */
const CLOCK_TOLERANCE_S = 2;
/**
 * A record read again may carry another time than the one stored, by this much (s): the pod stamps a
 * minute it made without a clock with the clock it has at each read, and a clock set between two syncs
 * moves that by the pod's drift (seconds). A pod whose numbering started again has other walks' minutes.
 */
const RESTAMP_TOLERANCE_S = 15 * 60;
/**
 * A record stamped this far after this computer's time (s) says the two clocks disagree: the pod sends closed
 * minutes only, each stamped at its start, so with both clocks right every stamp is at least 60 s behind; this
 * flags a clock about 2 minutes ahead or more (less is not worth a notice).
 */
const FUTURE_STAMP_S = 60;
/** Flag bits a read-back record must share with the stored one (the boot's bits, RECORD_BOOT_BITS, are not kept). */
const COACH_FLAGS = RECORD_COACH_PROMPTED | RECORD_COACH_DONE;

export type PodStatus = PayloadOf<'status'>;

/**
 * Where synced records go. Each call may be async (the web page's store is
 * the local server); a call that resolves has committed, so the pod may free
 * what it stored.
 */
export interface SyncStore {
  upsertPod(pod: { pod_id: string; name: string; fw_version: string }): Promise<void> | void;
  /** highest seq stored for the pod, -1 for none */
  lastSeq(podId: string): Promise<number> | number;
  /** the records stored for the pod with seq in [from, to] (flags: only RECORD_CLOCK_VALID, the coach bits, RECORD_FOLDED and RECORD_WRONG_JUDGES_FORWARD; start_s as stored) */
  storedRecords(podId: string, from: number, to: number): Promise<MinuteRecord[]> | MinuteRecord[];
  /** store records as the pod sent them, flags as flagsFromFirmware reads them (already-stored seqs are left alone); resolves to how many were new */
  insertRecords(podId: string, records: MinuteRecord[]): Promise<number> | number;
  /**
   * the pod's first_seq in the last status saved for it (0 for none): what it had freed when this database last heard
   * from it, so minutes freed since, and not stored here, were stored in another database
   */
  firstSeqHeard(podId: string): Promise<number> | number;
  /** the pod's status at this sync (battery, flash, calibration), for the report's notices */
  saveStatus(podId: string, status: PodStatus): Promise<void> | void;
  /** the pod's settings at this sync, for the plan (is its coach already at the plan's step?) */
  saveConfig(podId: string, config: PodConfig): Promise<void> | void;
  /**
   * the pod numbers its minutes from 0 again (its Storage was wiped): keep what is stored for it, and store its new
   * numbering after it (lastSeq is -1 again); resolves to how many records it had stored
   */
  newHistory(podId: string): Promise<number> | number;
}

export interface SyncProgress {
  done: number;
  total: number;
}

export interface SyncResult {
  pod_id: string;
  received: number;
  added: number;
  /** seqs the pod could not read back (torn by a reset mid-write) */
  skipped: number;
  /** records the pod still held that were already in the database (an earlier sync's ack was lost): read again, found the same, acked */
  already_stored: number;
  clock_set: boolean;
  first_seq: number;
  next_seq: number;
  /** what the pod's status asks of its wearer (calibration, battery, storage), one line each */
  notices: string[];
}

/** "N new minute records" as the sync's last line (CLI) and the web page's note say it: one record is one. */
export function newMinutesText(added: number): string {
  return `${added} new minute record${added === 1 ? '' : 's'}`;
}

export interface SyncOptions {
  now_s?: () => number;
  onProgress?: (p: SyncProgress) => void;
  /**
   * Each note known before any minute is copied (the numbering begun again, minutes synced into another database),
   * as soon as it is known. It is also in the result's notices; but the pod's status is saved at once, so a sync cut
   * after this (a dropped link, Ctrl-C) leaves nothing for the next sync to say it from.
   */
  onNotice?: (text: string) => void;
  /** what to do about a mount not learnt, for this sync's link (pod-notices.ts, CALIBRATE_ADVICE by default) */
  calibrateAdvice?: string;
}

export async function syncRecords(client: PodClient, store: SyncStore, options: SyncOptions = {}): Promise<SyncResult> {
  const now = options.now_s ?? (() => Date.now() / 1000);
  let info = await client.request('hello', {}, 'info');
  const other = otherProtocol(info.protocol);
  if (other) throw other;
  // the time goes to the pod at every sync, with this computer's UTC offset, which the pod cannot report: sent only
  // with a clock off by more than the tolerance, a pod whose clock kept time kept the offset of an earlier sync
  // past a change of summer time or a flight, its daily goal turning over at 23:00, or at 18:00 in New York.
  // (`clock_set` tells the user the clock itself was off)
  const clock_set = info.clock_s === 0 || Math.abs(info.clock_s - now()) > CLOCK_TOLERANCE_S;
  info = await client.request('set_time', setTimePayload(now()), 'info');
  const podId = info.pod_id;
  await store.upsertPod({ pod_id: podId, name: `retrostep-${podId.slice(8, 12)}`, fw_version: info.fw_version });
  const status = await client.request('status_get', {}, 'status');
  // (what the pod had freed when this database last heard from it: read before this status replaces it)
  const heard = await store.firstSeqHeard(podId);
  await store.saveStatus(podId, status);
  // (one request: the plan offered `config set coach_steps=20` to a pod already at 20, the database keeping no settings)
  await store.saveConfig(podId, await client.request('config_get', {}, 'config'));
  let stored = await store.lastSeq(podId);
  let already_stored = 0;
  let tornStored = 0;
  let restarted: string | null = null;
  if (stored >= status.first_seq) {
    // stored last time and the ack was lost, or not these records at all: free them only once they compare equal;
    // other records are a numbering begun again, stored after what this database holds (nothing freed before)
    const same = await sameHistory(client, store, podId, status, stored);
    if (same !== null) {
      await client.request('ack', { up_to_seq: stored }, 'acked');
      // the records read back and found stored; the seqs between them the pod could not read (torn by a reset) are
      // unreadable, as the sync that stored the rest said (counted as stored, the line's figures added up to more
      // records than the pod held)
      already_stored = same;
      tornStored = stored - status.first_seq + 1 - same;
    } else {
      restarted = restartedNotice(podId, await store.newHistory(podId));
      stored = await store.lastSeq(podId);
    }
  }
  // minutes the pod freed since this database last stored or heard from it: a sync into another database freed them
  // (after a numbering begun again too: its first new minutes went elsewhere, and the note on the wipe does not say
  // so; what was heard then was of the old numbering)
  const freedElsewhere = status.first_seq - Math.max(stored + 1, restarted ? 0 : heard);
  const elsewhere = freedElsewhere > 0 ? elsewhereNotice(podId, freedElsewhere, stored === -1, restarted !== null) : null;
  for (const n of [restarted, elsewhere]) if (n) options.onNotice?.(n);
  let from = Math.max(status.first_seq, stored + 1);
  const total = Math.max(0, status.next_seq - from);
  const result: SyncResult = { pod_id: podId, received: 0, added: 0, skipped: tornStored, already_stored, clock_set, first_seq: status.first_seq, next_seq: status.next_seq, notices: [] };
  options.onProgress?.({ done: 0, total });
  // (one notice a sync for a record the pod folded minutes into)
  let foldedNote: string | null = null;
  // records stamped after this computer's time: how many, and the furthest ahead (s)
  let aheadCount = 0;
  let aheadMax_s = 0;
  // records the pod made with no clock (a boot no sync reached): stored at this sync's minute, said
  let untimed = 0;
  while (from < status.next_seq) {
    const records = await readBatch(client, from);
    const last = records.reduce((m, r) => Math.max(m, r.seq), from - 1);
    if (records.length === 0) {
      // nothing readable at or after `from`: the rest were torn writes
      result.skipped += status.next_seq - from;
      await client.request('ack', { up_to_seq: status.next_seq - 1 }, 'acked');
      break;
    }
    result.skipped += last - from + 1 - records.length;
    result.received += records.length;
    const folded = records.find((r) => r.flags & RECORD_FOLDED);
    if (folded && !foldedNote) foldedNote = foldedNotice(folded);
    // (against the time each batch is read: a long sync's newest minutes are stamped late in it)
    const read_s = now();
    for (const r of records) {
      if (!(r.flags & RECORD_CLOCK_VALID)) untimed++;
      const by_s = r.flags & RECORD_CLOCK_VALID ? r.start_s - read_s : 0;
      if (by_s > FUTURE_STAMP_S) {
        aheadCount++;
        aheadMax_s = Math.max(aheadMax_s, by_s);
      }
    }
    // (a 0.1.0 pod's flags hold a bit of its boot number where newer ones say the rule judged forward strides)
    result.added += await store.insertRecords(podId, records.map((r) => ({ ...r, flags: flagsFromFirmware(r.flags, info.fw_version) })));
    await client.request('ack', { up_to_seq: last }, 'acked');
    from = last + 1;
    options.onProgress?.({ done: Math.min(total, from - Math.max(status.first_seq, stored + 1)), total });
  }
  // the pod once it has freed what was stored: what the notices and the report speak of (the status before, of a
  // full pod, said "flash is full ... sync more often" right after the sync that emptied it, and the report kept it)
  let after = status;
  if (status.first_seq < status.next_seq) {
    after = await client.request('status_get', {}, 'status');
    await store.saveStatus(podId, after);
  }
  const firmware = firmwareNotice(info.fw_version);
  result.notices = [...(restarted ? [restarted] : []), ...(elsewhere ? [elsewhere] : []), ...syncNotices(status, after, options.calibrateAdvice), ...(firmware ? [firmware] : []), ...(foldedNote ? [foldedNote] : []), ...(aheadCount ? [aheadNotice(aheadCount, aheadMax_s)] : []), ...(untimed ? [untimedNotice(untimed)] : [])];
  return result;
}

/**
 * Minutes stamped after this computer's time: the pod's clock was ahead (set by a computer whose clock was, or a
 * virtual pod run faster than real time, `sim --speed`), or this computer's clock is behind. Which one cannot be
 * told from here: kept with the pod's times, and said, as the days they count in may be ones yet to come.
 */
function aheadNotice(n: number, by_s: number): string {
  const by = by_s < 3600 ? `${Math.round(by_s / 60)} min` : by_s < 2 * 86400 ? `${(by_s / 3600).toFixed(1)} h` : `${Math.round(by_s / 86400)} days`;
  return `${n} minute${n === 1 ? '' : 's'} walked ${n === 1 ? 'is' : 'are'} dated up to ${by} after this computer's clock: either the pod's clock was ahead, or this computer's clock is behind (check its date); kept with the pod's times, and the pod's clock is now set to this computer's`;
}

/**
 * Minutes the pod made before its clock was set (a new cell or a reset, and no sync since it came up): the pod
 * stamps them on its uptime, and the store puts them at this sync's minute (store/sync-store.ts), as their own time,
 * and even their day, are not known. Said here, where it happens: without it, a walk from days ago was counted today
 * with no word anywhere but a FIT export's.
 */
function untimedNotice(n: number): string {
  const one = n === 1;
  return `${n} minute${one ? ' was' : 's were'} walked before the pod's clock was set (a new cell or a reset, and no sync since), so ${one ? 'its' : 'their'} time is not known: ${one ? 'it is' : 'they are'} stored at this sync's time, so \`summary\` counts ${one ? 'it' : 'them'} today and a FIT export leaves ${one ? 'it' : 'them'} out`;
}

/** The next readable records at or after `from` (torn ones are left out), up to SYNC_BATCH. */
export async function readBatch(client: PodClient, from: number): Promise<MinuteRecord[]> {
  const batch = await client.request('records_read', { from_seq: from, max: SYNC_BATCH }, 'records');
  const records: MinuteRecord[] = [];
  for (let i = 0; i < Math.floor(batch.data.length / RECORD_BYTES); i++) {
    const rec = decodeRecord(batch.data, i * RECORD_BYTES);
    if (rec && rec.seq >= from) records.push(rec);
  }
  return records;
}

/**
 * The database already holds seqs the pod has: fine if an earlier sync stored these very records and its
 * ack was lost (how many it read back, found stored: free them); not if the pod's numbering started again (its
 * Storage wiped) or another pod has its id (null), as an ack would free records never stored. Told apart by
 * reading them back.
 */
async function sameHistory(client: PodClient, store: SyncStore, podId: string, status: PodStatus, stored: number): Promise<number | null> {
  // the pod never numbered this far: the database's records are not of this numbering
  if (stored >= status.next_seq) return null;
  let from = status.first_seq;
  let same = 0;
  while (from <= stored) {
    const records = (await readBatch(client, from)).filter((r) => r.seq <= stored);
    // none readable up to `stored`: the rest were torn writes, nothing an ack could lose
    if (records.length === 0) break;
    const kept = new Map((await store.storedRecords(podId, records[0].seq, records[records.length - 1].seq)).map((r) => [r.seq, r]));
    if (records.some((r) => !sameRecord(r, kept.get(r.seq)) && !grownInRam(r, kept.get(r.seq), status))) return null;
    same += records.length;
    from = records[records.length - 1].seq + 1;
  }
  return same;
}

/**
 * A pod whose numbering started again: a Puck.js erases its Storage when it finds it damaged (and `flash` puts the
 * program back), or another pod has its id. Its walks stored before stay, and the new ones are stored after them.
 */
function restartedNotice(podId: string, kept: number): string {
  return `pod ${podId} numbers its minutes from the start again (its storage was wiped, or another pod has its id): the ${kept} minute${kept === 1 ? '' : 's'} this database held for it ${kept === 1 ? 'is' : 'are'} kept, and its new ones are stored after them`;
}

/**
 * The pod freed minutes (the pod frees only what a sync acked) that this database never stored nor heard of: its
 * first ones (`first`; its first new ones, `again`, after a numbering begun again), or ones since its last sync here.
 * They were stored in another database: another computer's, or a mistyped --db or RETROSTEP_DB, a new file that now
 * holds the minutes the pod frees. Said, with the walks synced here (stored, not lost: they are in the file named).
 * Both are named: a sync into the data folder's own database, on a second computer, gave no --db to have mistyped.
 * (Minutes freed unread, torn by a reset, are not among them: the status saved after that sync says they were freed.)
 */
function elsewhereNotice(podId: string, freed: number, first: boolean, again: boolean): string {
  const them = freed === 1 ? 'it' : 'them';
  const which = first ? `its first ${freed}${again ? ' new' : ''} minute${freed === 1 ? '' : 's'} into another database before: this one holds none of ${them}` : `${freed} minute${freed === 1 ? '' : 's'} into another database since its last sync into this one: this one does not hold ${them}`;
  return `pod ${podId} synced ${which} (another computer's, or a mistyped --db or RETROSTEP_DB?)`;
}

/**
 * The pod's newest record, held in RAM while its flash is full, after an earlier sync stored it and its ack was
 * lost: with RAM full too, the pod folds each new minute into it (firmware/src/hal/store.ts), so it reads back
 * with more counted, not other counts. The same minute, grown: freed as stored (the strides folded in since are
 * not added to the stored row: the database keeps what it stored).
 */
export function grownInRam(pod: MinuteRecord, kept: MinuteRecord | undefined, status: PodStatus): boolean {
  if (!kept || status.ram_pending === 0 || pod.seq !== status.next_seq - 1) return false;
  return FOLDED.every((k) => pod[k] >= kept[k]) && sameMinute(pod, kept);
}

/** What the pod adds up when it folds a minute into a record held in RAM (firmware/src/hal/store.ts append). */
const FOLDED: (keyof MinuteRecord)[] = ['forward', 'backward', 'heel', 'flat', 'toe', 'wrong', 'buzzes', 'active_s'];

/** Is the pod's record the stored one? Counts and coach bits exactly; the time where both have a clock time. */
function sameRecord(pod: MinuteRecord, kept: MinuteRecord | undefined): boolean {
  if (!kept) return false; // a record the pod can read was read last time too: it would have been stored
  return FOLDED.every((k) => pod[k] === kept[k]) && pod.cadence_spm === kept.cadence_spm && sameMinute(pod, kept);
}

/** The same minute of walking: the same coach bits, and the same time where both have a clock time. */
function sameMinute(pod: MinuteRecord, kept: MinuteRecord): boolean {
  if ((pod.flags & COACH_FLAGS) !== (kept.flags & COACH_FLAGS)) return false;
  // a minute made without a clock: stored with the host's estimate, or read now with the clock of this boot
  const bothTimed = pod.flags & kept.flags & RECORD_CLOCK_VALID;
  return !bothTimed || Math.abs(pod.start_s - kept.start_s) <= RESTAMP_TOLERANCE_S;
}
