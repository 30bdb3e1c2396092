/**
 * Reaching a pod: the global --ble / --port / --sim options turn into one
 * open Transport. Every link failure becomes one line for a person.
 */
import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { UserError } from './errors.js';
import { readBundle } from './firmware-bundle.js';
import { gattMemoryTransport } from './sim/gatt-link.js';
import { loadFlash, saveFlash, SIM_PASSKEY } from './sim/serve.js';
import { VirtualPod } from './sim/virtual-pod.js';
import { BleTransport } from './transports/ble.js';
import { SerialTransport } from './transports/serial.js';
import { type Transport, TransportError } from './transports/transport.js';

export interface LinkOptions {
  /** serial device or the pty `retrostep sim` printed */
  port?: string;
  /** BLE: true for the first pod found, or a name / address */
  ble?: string | boolean;
  /** an in-process virtual pod (its state in simState) */
  sim?: boolean;
  simState?: string;
}

export interface PodLink {
  readonly transport: Transport;
  readonly description: string;
  /** the in-process virtual pod, with --sim */
  readonly pod?: VirtualPod;
  close(): Promise<void>;
}

/** Link failures exit with this code (2 bad input, 3 database, 4 pod refused). */
export const LINK_EXIT_CODE = 5;

/** Where `retrostep sim` and --sim keep the virtual pod's flash unless --state says otherwise. */
export function defaultSimState(): string {
  return process.env.RETROSTEP_SIM_STATE ?? path.join(envPaths('retrostep', { suffix: '' }).data, 'sim-pod.flash');
}

export function linkError(e: unknown): unknown {
  if (e instanceof TransportError) {
    const hint = e.code === 'no_adapter' ? ' (or --sim to try the virtual pod)' : '';
    return new UserError(`${e.message}${hint}`, LINK_EXIT_CODE);
  }
  return e;
}

export async function openPodLink(o: LinkOptions): Promise<PodLink> {
  const chosen = [o.port !== undefined, o.ble !== undefined && o.ble !== false, !!o.sim].filter(Boolean).length;
  if (chosen > 1) throw new UserError('choose one link: --ble, --port PATH or --sim', 2);
  try {
    if (o.sim) return await openSim(o.simState ?? defaultSimState());
    if (o.port !== undefined) {
      const t = new SerialTransport({ path: o.port });
      await t.open();
      return { transport: t, description: `serial ${o.port}`, close: () => t.close() };
    }
    const target = typeof o.ble === 'string' ? o.ble : undefined;
    const byAddress = target !== undefined && /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^[0-9a-f]{12,32}$/i.test(target);
    const t = new BleTransport(byAddress ? { address: target } : { name: target });
    await t.open();
    return { transport: t, description: t.description, close: () => t.close() };
  } catch (e) {
    throw linkError(e);
  }
}

async function openSim(stateFile: string): Promise<PodLink> {
  if (stateFile === defaultSimState()) fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  const flash = loadFlash(stateFile);
  const pod = new VirtualPod({ bundle: readBundle(), flash, passkey: SIM_PASSKEY });
  pod.boot();
  pod.start(1);
  const t = gattMemoryTransport(pod.peripheral, { passkey: SIM_PASSKEY });
  await t.open();
  return {
    transport: t,
    pod,
    description: `virtual pod (${stateFile})`,
    async close() {
      await t.close();
      pod.stop();
      saveFlash(stateFile, flash);
    },
  };
}
