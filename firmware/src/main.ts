/**
 * Entry point of the pod bundle (what `retrostep flash` uploads and the
 * virtual pod runs). Espruino runs it at power-on.
 */
import { startPod } from './pod.js';

startPod();
