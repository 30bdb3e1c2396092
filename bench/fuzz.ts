/** Fuzz figures (issue 8): 100 000 inputs into the host's decoder and 100 000 into the pod's RX. */
import { readBundle } from '../host/src/firmware-bundle.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { fuzzHostDecoder, fuzzPod } from '../test/helpers/fuzz.js';

type Line = (name: string, value: string | number, unit?: string) => void;

const INPUTS = 100_000;

export async function benchFuzz(line: Line): Promise<void> {
  let t0 = performance.now();
  const h = fuzzHostDecoder(1234, INPUTS);
  line('fuzz.host.inputs', h.inputs);
  line('fuzz.host.frames_decoded', `${h.frames} (${h.messages} valid messages, ${h.errors} bad blocks reported as values)`);
  line('fuzz.host.crashes', h.crashes);
  line('fuzz.host.time', ((performance.now() - t0) / 1000).toFixed(1), 's');
  t0 = performance.now();
  const pod = new VirtualPod({ bundle: readBundle(), passkey: '123456' });
  pod.boot();
  pod.advance(2000);
  const p = await fuzzPod(pod, '123456', 4321, INPUTS);
  line('fuzz.pod.inputs', p.inputs);
  line('fuzz.pod.valid_crc_frames', p.validCrcFrames);
  line('fuzz.pod.answered', p.answers);
  line('fuzz.pod.crashes', `${p.uncaught} uncaught errors, ${p.resets} resets`);
  line('fuzz.pod.still_answers_hello', p.alive ? 'yes' : 'NO');
  line('fuzz.pod.vars', `${p.vars_before} before, ${p.vars_after} after`);
  line('fuzz.pod.time', ((performance.now() - t0) / 1000).toFixed(1), 's');
}
