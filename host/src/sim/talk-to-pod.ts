/** Talk to an in-process virtual pod: open a paired link, run one conversation over it, always close it. */
import { PodClient } from '../pod-client.js';
import { gattMemoryTransport } from './gatt-link.js';
import { withRunningPod, withSteppedPod } from './run-pod.js';
import type { VirtualPod } from './virtual-pod.js';

/**
 * The passkey every virtual pod is provisioned with, and the one the host pairs with: the development build's
 * (firmware/src/identity.ts PASSKEY, which a real unit replaces with its own at provisioning), so a virtual pod
 * pairs as a development pod does. Written again here, not imported: host code does not import firmware/.
 */
export const VIRTUAL_POD_PASSKEY = '123456';

export interface TalkOptions {
  /**
   * How the pod's clock moves meanwhile: 'running' against real time (withRunningPod, the default), or
   * 'stepped' by the conversation itself (withSteppedPod), for callers whose results depend on how much
   * simulation time the conversation takes.
   */
  clock?: 'running' | 'stepped';
  /** The client's request timeout (ms); PodClient's own if not given. */
  timeout_ms?: number;
}

/** Run fn with a PodClient on a link to `pod` paired with VIRTUAL_POD_PASSKEY, the pod's clock moving; the link is closed however fn ends. */
export async function talkToPod<T>(pod: VirtualPod, fn: (client: PodClient) => Promise<T>, options: TalkOptions = {}): Promise<T> {
  const withClock = options.clock === 'stepped' ? withSteppedPod : withRunningPod;
  return withClock(pod, async () => {
    const link = gattMemoryTransport(pod.peripheral, { passkey: VIRTUAL_POD_PASSKEY });
    await link.open();
    try {
      return await fn(new PodClient(link, options.timeout_ms));
    } finally {
      await link.close();
    }
  });
}
