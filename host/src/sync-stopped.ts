/**
 * A sync stopped part way, said one way whatever stopped it (Ctrl-C, the database locked by another program, its
 * disk full, the pod lost): how far it got, that the pod keeps the rest, and what to run for it. Ctrl-C and a locked
 * database said "after N of M"; a full disk and a lost pod said neither how far it got nor what the pod kept.
 */
import { DatabaseError, DiskFullError, LinkError, LostPodError, type UserError } from './errors.js';
import { freeBytesAt, isLocked, LOCKED_BY, translateDbError } from './store/db.js';
import type { SyncProgress } from './sync-records.js';

export interface SyncSoFar {
  /** the sync's last progress (null: it had not begun copying) */
  copied: SyncProgress | null;
  /** the database it copies into */
  file: string;
  /** the command to run again, as it was typed */
  again: string;
}

/** How far it got: "after N of M minute records were copied into FILE". */
function soFar(s: SyncSoFar): string {
  return s.copied ? `after ${s.copied.done} of ${s.copied.total} minute records were copied into ${s.file}` : 'before any minute record was copied';
}

/** The line: `signal` (Ctrl-C) in brackets, `why` after a colon, `rerun` before the command (ending in ", "). */
export function syncStoppedLine(s: SyncSoFar, how: { signal?: string; why?: string; rerun?: string }): string {
  const signal = how.signal ? ` (${how.signal})` : '';
  const why = how.why ? `: ${how.why}` : '';
  return `sync stopped${signal} ${soFar(s)}${why}; the pod keeps the rest until a sync copies them: ${how.rerun ?? ''}run \`${s.again}\` again`;
}

/**
 * The failure `e` of a sync that had minutes left to copy, said as a stop part way (same exit code as the failure's
 * own); null for any other failure, or a sync that had none left: its own line says all there is.
 */
export function syncStoppedBy(e: unknown, s: SyncSoFar, freeBytes: (file: string) => number | undefined = freeBytesAt): UserError | null {
  if (!s.copied || s.copied.done >= s.copied.total) return null;
  if (isLocked(e)) return new DatabaseError(syncStoppedLine(s, { why: `it is ${LOCKED_BY}`, rerun: 'once that program is done, ' }));
  const db = translateDbError(e, s.file, freeBytes);
  if (db instanceof DiskFullError) return new DatabaseError(syncStoppedLine(s, { why: db.what, rerun: 'once you have freed some space, ' }));
  if (e instanceof LostPodError) return new LinkError(syncStoppedLine(s, { why: `lost the pod (${e.why})`, rerun: 'once it is back in reach (or plugged in), ' }));
  return null;
}
