/**
 * A walking virtual pod stopped (`retrostep sim --walk`, Ctrl-C): the walker stops and the foot stands, and the
 * pod runs on to the end of the minute it was walking in, as a worn pod does once its wearer stops, so the
 * firmware closes that minute and writes its record (it writes one only as a minute closes: firmware/src/pod.ts
 * closeAndStore). Stopped at once, the pod lost up to 59 s of walking, which no later sync saw.
 */
import type { MinuteRecord } from '../../../shared/protocol/records.js';
import { podRecords } from './pod-scenarios.js';
import type { ImuSource, VirtualPod } from './virtual-pod.js';

/** The pod's minutes (firmware/src/pod.ts scheduleMinute: 60 s on its clock, uptime or the host's). */
const MINUTE_MS = 60_000;
/**
 * Standing before the minute counted from (ms): the last stride is judged once the foot stands still
 * (shared/gait STANDING_MS, 800 ms; DECIDE_MS after its landing, 300 ms). A minute ending within this is
 * followed by one more, which takes whatever was judged after it: the pod runs MINUTE_MS + this, so every
 * minute holding a stride of the walk closes (its clock ends up as much ahead of real time, in its RAM only:
 * the state file keeps no clock, and each sim boots its pod on uptime).
 */
const LAST_STRIDE_MS = 2000;

/**
 * Stand the pod (`standing`: the foot still as the walker left it) and run its clock on until the minute it was
 * walking in has closed. Returns the records it wrote to flash meanwhile (none when that minute had no stride,
 * or when flash is full and records wait in RAM, which the state file does not keep).
 */
export function standToMinuteEnd(pod: VirtualPod, standing: ImuSource): MinuteRecord[] {
  const before = podRecords(pod);
  const last = before.length ? before[before.length - 1].seq : -1;
  pod.setImuSource(standing);
  pod.advance(MINUTE_MS + LAST_STRIDE_MS);
  return podRecords(pod).filter((r) => r.seq > last);
}
