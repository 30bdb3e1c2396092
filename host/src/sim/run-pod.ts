/** Run a virtual pod's clock while async host code talks to it, then stop it. */
import type { VirtualPod } from './virtual-pod.js';

/** Simulation speed while the host talks to a pod: fast, and the pod's clock still moves between requests. */
export const TALK_SPEED = 50;

export async function withRunningPod<T>(pod: VirtualPod, fn: () => Promise<T>, speed = TALK_SPEED): Promise<T> {
  pod.start(speed);
  try {
    return await fn();
  } finally {
    pod.stop();
  }
}
