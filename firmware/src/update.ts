/**
 * Update mode: the only time the JavaScript console is reachable over the
 * air. Entered by holding the button for UPDATE_HOLD_MS while the battery
 * goes in; the green LED blinks; the console is on the Nordic UART for a
 * paired (encrypted) link only; after UPDATE_MODE_TIMEOUT_MS the pod
 * restarts into the normal program. `retrostep flash` uploads through it.
 */
import { PASSKEY, podName } from './identity.js';

/** Hold this long at power-up: a knock or a squeeze in a pocket does not last 3 s. */
export const UPDATE_HOLD_MS = 3000;
/** Update mode ends by itself after 5 minutes: a forgotten pod does not stay open. */
const UPDATE_MODE_TIMEOUT_MS = 300000;
/** Green LED blink half-period: "update mode" at a glance. */
const BLINK_MS = 250;

export function enterUpdateMode(): void {
  // encryptUart: the console answers a bonded, encrypted link only
  NRF.setSecurity({ passkey: PASSKEY, mitm: 1, display: 1, bond: 1, encryptUart: 1 });
  NRF.setServices({}, { uart: true });
  NRF.setAdvertising({}, { name: podName() + ' update', connectable: true });
  let on = false;
  setInterval(function () {
    on = !on;
    digitalWrite(LED2, on ? 1 : 0);
  }, BLINK_MS);
  setTimeout(function () {
    E.reboot();
  }, UPDATE_MODE_TIMEOUT_MS);
}
