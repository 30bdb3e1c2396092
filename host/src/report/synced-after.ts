/**
 * Whether a period with no walking was walked by none of its pods: each synced after the period ended, so each copied
 * everything it walked in it. Said alike by `summary`, the report's page and `export`: "run `retrostep sync`" of a
 * period every pod was synced after sent the wearer to look for minutes that are not there.
 */

/**
 * Did every pod the period is read for (their last syncs, unix s; null for one never synced) sync after it ended
 * (`to_s`)? False for no pods: nothing was synced at all.
 */
export function everyPodSyncedAfter(lastSyncs: (number | null)[], to_s: number): boolean {
  return lastSyncs.length > 0 && lastSyncs.every((s) => s !== null && s >= to_s);
}

/** The words for it (a period every pod was synced after), or null when some pod may still hold walking of it. */
export function syncedAfterWords(lastSyncs: (number | null)[], to_s: number): string | null {
  if (!everyPodSyncedAfter(lastSyncs, to_s)) return null;
  return `${lastSyncs.length === 1 ? 'the pod was last synced after it' : "each pod's last sync came after it"}, so none walked it`;
}
