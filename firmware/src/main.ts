/**
 * Entry point of the pod bundle (what `retrostep flash` uploads and the
 * virtual pod runs). Espruino runs it at power-on: the button held for
 * UPDATE_HOLD_MS at power-up means update mode, anything else the pod.
 */
import { startPod } from './pod.js';
import { enterUpdateMode, UPDATE_HOLD_MS } from './update.js';

if (digitalRead(BTN)) {
  setTimeout(function () {
    if (digitalRead(BTN)) enterUpdateMode();
    else startPod();
  }, UPDATE_HOLD_MS);
} else {
  startPod();
}
