/** The virtual pod powered up as a person powers a Puck.js: the battery in, its button held or not. */
import { readBundle } from '../../host/src/firmware-bundle.js';
import { VirtualPod } from '../../host/src/sim/virtual-pod.js';

/**
 * Power up with the button held for `hold_ms` (3 s or more: update mode), then run it past its start, 3.5 s in
 * (until then any Puck.js offers Espruino's console, as "Puck.js XXXX"). `mac`: its address (default the virtual pod's,
 * d3:7a:42:19:c6:5e, "retrostep-c65e").
 */
export function powerUpHolding(hold_ms: number, passkey: string, mac?: string): VirtualPod {
  const pod = new VirtualPod({ bundle: readBundle(), passkey, mac });
  pod.setButton(true);
  pod.boot();
  pod.advance(hold_ms);
  pod.setButton(false);
  pod.advance(3500 - hold_ms);
  return pod;
}
