/** The global link options (--ble, --port, --sim): open a PodClient for a command and always close the link. */
import type { Command } from 'commander';
import { type LinkOptions, linkError, openPodLink, type PodLink } from '../link.js';
import { PROTOCOL_VERSION } from '../../../shared/protocol/frame.js';
import { PodError } from '../errors.js';
import { PodClient } from '../pod-client.js';

export function linkOptions(cmd: Command): LinkOptions {
  const o = cmd.optsWithGlobals() as { port?: string; ble?: string | boolean; sim?: boolean; state?: string };
  // (--ble with an empty name, as `retrostep --ble sync` reaches commander: the first pod found, as --ble alone)
  return { port: o.port, ble: o.ble === '' ? true : o.ble, sim: o.sim, simState: o.state };
}

export async function withPod<T>(cmd: Command, fn: (client: PodClient, link: PodLink) => Promise<T>): Promise<T> {
  const link = await openPodLink(linkOptions(cmd));
  try {
    const client = new PodClient(link.transport);
    // hello first: checks the protocol, and starts a session (the pod refuses seqs that are not newer than the last)
    const info = await client.request('hello', {}, 'info');
    if (info.protocol !== PROTOCOL_VERSION) throw new PodError(`the pod speaks protocol ${info.protocol}; this retrostep speaks ${PROTOCOL_VERSION}: update retrostep`);
    return await fn(client, link);
  } catch (e) {
    throw linkError(e);
  } finally {
    await link.close();
  }
}
