/** Run a virtual pod's clock while async host code talks to it, then stop it. */
import type { VirtualPod } from './virtual-pod.js';

/** Simulation speed while the host talks to a pod: fast, and the pod's clock still moves between requests. */
const TALK_SPEED = 50;

/**
 * The pod's clock runs against real time: how much simulation time fn takes grows with the machine's load
 * (on a busy one the first request of a link, which evaluates the link code, took 48 simulated seconds).
 * For a test whose assertions depend on that, use withSteppedPod.
 */
export async function withRunningPod<T>(pod: VirtualPod, fn: () => Promise<T>, speed = TALK_SPEED): Promise<T> {
  pod.start(speed);
  try {
    return await fn();
  } finally {
    pod.stop();
  }
}

/**
 * Move the pod's clock by ms in slices of slice_ms, a turn of Node's event loop after each, so what it sends in
 * one slice (a live stream's frames) reaches the host, in order, before the next.
 */
export async function advanceDelivering(pod: VirtualPod, ms: number, slice_ms = 20): Promise<void> {
  const until = pod.sim_ms + ms;
  while (pod.sim_ms < until) {
    pod.advance(slice_ms);
    await new Promise((r) => setImmediate(r));
  }
}

/** Simulation ms a stepped pod moves per turn of Node's event loop. */
const STEP_MS = 5;

/**
 * Run the pod's clock by the conversation itself, not by real time: step_ms of simulation per turn of
 * Node's event loop while fn runs. How much simulation time a request takes is then the same on a busy
 * machine.
 */
export async function withSteppedPod<T>(pod: VirtualPod, fn: () => Promise<T>, step_ms = STEP_MS): Promise<T> {
  let done = false;
  const driver = (async () => {
    while (!done) {
      pod.advance(step_ms);
      await new Promise((r) => setImmediate(r));
    }
  })();
  try {
    return await fn();
  } finally {
    done = true;
    await driver;
  }
}
