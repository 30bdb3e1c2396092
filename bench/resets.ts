/** Power cuts at every byte of a record write, an ack and a config write (issue 8 point 2), and spread over a compaction. */
import fs from 'node:fs';
import { ackSweep, compactionSweep, configWriteSweep, makeCompactionRig, makeRig, recordWriteSweep } from '../host/src/sim/reset-sweep.js';

/** Cuts spread over a compaction (~39 KB programmed: every byte would take a day); each restores, boots and syncs a pod. */
const COMPACTION_CUTS = 40;

type Line = (name: string, value: string | number, unit?: string) => void;

export async function benchResets(line: Line): Promise<void> {
  const rig = await makeRig();
  try {
    const t0 = performance.now();
    const rec = await recordWriteSweep(rig);
    line('resets.record_write', `${rec.tried} cuts at every byte of a ${rec.bytes_per_write}-byte record write: ${rec.records_lost} records lost, ${rec.records_altered} altered, ${rec.duplicated_seqs} duplicated, ${rec.uncaught} uncaught errors`);
    const ack = await ackSweep(rig);
    line('resets.ack', `${ack.tried} cuts at every byte of a ${ack.bytes_per_write}-byte sync's flash writes: ${ack.records_lost} lost, ${ack.duplicated_seqs} duplicated, all acked by the next sync: ${ack.allAckedInTheEnd ? 'yes' : 'NO'}`);
    const cfg = await configWriteSweep(rig);
    line('resets.config_write', `${cfg.tried} cuts at every byte of a ${cfg.bytes_per_write}-byte config write: ${cfg.config_invalid} invalid configs after restart (old or new only)`);
    const crig = await makeCompactionRig();
    try {
      const cmp = await compactionSweep(crig, COMPACTION_CUTS);
      line('resets.compaction', `${cmp.cuts} cuts spread over a compaction (${cmp.bytes_per_write} bytes programmed: all of Storage, the code too): ${cmp.pod_dead} pods came back without working code (${cmp.code_gone} without the code file), ${cmp.records_lost} of ${cmp.cuts * cmp.records_held} un-synced records lost; the pod compacts on a cell of 15% or more only, and at a sync that leaves it low (firmware/src/hal/store.ts)`);
    } finally {
      fs.rmSync(crig.dir, { recursive: true, force: true });
    }
    line('resets.time', ((performance.now() - t0) / 1000).toFixed(1), 's');
  } finally {
    fs.rmSync(rig.dir, { recursive: true, force: true });
  }
}
