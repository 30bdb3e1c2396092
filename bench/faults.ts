/**
 * Fault figures (issue 8): the link cut at EVERY byte offset of a
 * multi-record sync, each followed by a clean sync; then noisy-link syncs.
 */
import { podImageWithRecords, runSyncSweep } from '../host/src/sim/sync-sweep.js';

type Line = (name: string, value: string | number, unit?: string) => void;

/** Same size as the test's sweep: 40 minutes is three read batches. */
const MINUTES = 40;

export async function benchFaults(line: Line): Promise<void> {
  const image = await podImageWithRecords(MINUTES);
  const t0 = performance.now();
  const r = await runSyncSweep(image, (total) => Array.from({ length: total + 1 }, (_, k) => k));
  line('faults.sync_bytes', r.total_bytes, 'B (one clean sync of ' + r.records + ' records)');
  line('faults.injected', r.faults, 'link cuts (every byte offset, and one past the end)');
  line('faults.syncs_failed_by_cut', r.cut_syncs_failed);
  line('faults.syncs_completed', r.syncs_completed);
  line('faults.records_lost', r.lost);
  line('faults.records_duplicated', r.duplicated);
  line('faults.records_altered', r.altered);
  line('faults.sweep_time', ((performance.now() - t0) / 1000).toFixed(1), 's');
}
