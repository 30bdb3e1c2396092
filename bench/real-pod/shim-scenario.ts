/**
 * The real-interpreter scenarios (real-pod.ts) replayed in the virtual pod,
 * so the shim's memory count and cost model can be set beside the real
 * figures: same bundle, same walker and seed, the same moments measured.
 */
import { Flash } from '../../host/src/sim/flash.js';
import { sourceFrom } from '../../host/src/sim/pod-scenarios.js';
import { createWalker } from '../../host/src/sim/walker.js';
import { VirtualPod } from '../../host/src/sim/virtual-pod.js';
import { findChar } from '../../host/src/sim/gatt-link.js';
import { RETROSTEP_RX_UUID_NOBLE } from '../../shared/protocol/uuids.js';
import { FULL_FREE_BYTES, type Scenario, SEED, STAND_AFTER_S, STATUS_FRAME, STATUS_WAIT_MS } from './real-pod.js';

/** As the runner waits after loading before it reads memory. */
const SETTLE_MS = 50;
const BOOT_FILE = '.bootcde';
/** This unit's pairing passkey, provisioned (it overrides the bundle's): the shim's RX needs a paired link, as a Puck.js's does. */
const PASSKEY = '246810';

export interface ShimRun {
  vars: { [phase: string]: number };
  /** the IMU rate at the end of the walk scenario (idle expected) */
  endRate_hz: number;
}

/** Memory the virtual pod counts at the moments the real run reads it. */
export function shimScenario(bundle: string, sc: Scenario): ShimRun {
  let flash: Flash | undefined;
  if (sc.mode === 'full') {
    // as the real run: the bundle saved, then Storage filled to FULL_FREE_BYTES before it boots
    flash = new Flash();
    flash.write(BOOT_FILE, bundle);
    flash.write('filler', 'x'.repeat(flash.getFree() - FULL_FREE_BYTES));
  }
  const pod = new VirtualPod({ bundle, flash, seed: SEED, passkey: PASSKEY });
  pod.boot();
  pod.advance(SETTLE_MS);
  const vars: { [phase: string]: number } = { load: pod.memoryVars() };
  const walker = createWalker([...sc.segments, { kind: 'stand', duration_s: STAND_AFTER_S + 300 }], { seed: SEED });
  pod.setImuSource(sourceFrom(pod, walker.source));
  pod.advance((sc.walkTo * 1000) / 52);
  vars.walking = pod.memoryVars();
  if (sc.mode === 'full') {
    // the minute of the walk closes (into RAM: nothing fits in flash)
    pod.advance(Math.max(0, 61_000 - pod.now_ms) + 2000);
    vars.flash_full = pod.memoryVars();
  } else {
    pod.advance(STAND_AFTER_S * 1000 + 200_000);
    vars.idle = pod.memoryVars();
  }
  // as the real run's last connection: a host connects, asks for the status, and the pod holds the link
  pod.peripheral.connect({ onDisconnect: () => {} });
  pod.peripheral.pair(PASSKEY);
  findChar(pod.peripheral, RETROSTEP_RX_UUID_NOBLE).write(STATUS_FRAME);
  pod.advance(STATUS_WAIT_MS);
  vars.connected = pod.memoryVars();
  pod.peripheral.disconnect();
  return { vars, endRate_hz: pod.runtime!.imu.eventRate_hz() };
}
