/**
 * Reaching a pod: the global --ble / --port / --sim options turn into one
 * open Transport. Every link failure becomes one line for a person.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dataFolder, makeDataFolder } from './data-folder.js';
import { InputError, LINK_EXIT_CODE, UserError } from './errors.js';
import { readBundle } from './firmware-bundle.js';
import { NotInUpdateModeError } from './flash.js';
import { endProgressBar } from './progress-bar.js';
import { bleTarget } from './pod-address.js';
import { quietIfHungUp, STOPPING_SIGNALS, type StoppingSignal, stoppedExitCode } from './stopping-signals.js';
import type { Flash } from './sim/flash.js';
import { gattMemoryTransport } from './sim/gatt-link.js';
import { loadFlash, saveFlash, simPodMac, withStateLock } from './sim/serve.js';
import { VIRTUAL_POD_PASSKEY } from './sim/talk-to-pod.js';
import { VirtualPod } from './sim/virtual-pod.js';
import { BleTransport, type BleTransportOptions, PodWithoutConsoleError } from './transports/ble.js';
import { SerialTransport } from './transports/serial.js';
import { type Transport, TransportError } from './transports/transport.js';
import { NUS_RX_UUID_NOBLE, NUS_SERVICE_UUID_NOBLE, NUS_TX_UUID_NOBLE } from '../../shared/protocol/uuids.js';

export interface LinkOptions {
  /** serial device or the pty `retrostep sim` printed */
  port?: string;
  /** BLE: true for the first pod found, or a name / address */
  ble?: string | boolean;
  /** an in-process virtual pod (its state in simState) */
  sim?: boolean;
  simState?: string;
  /** the command the link is for, by its words (`config set`): what a Ctrl-C stopped */
  command?: string;
}

export interface PodLink {
  readonly transport: Transport;
  readonly description: string;
  /** the in-process virtual pod, with --sim */
  readonly pod?: VirtualPod;
  /** with --sim: there was no state file, so this is a new virtual pod (its state saved there as the link closes) */
  readonly newPod?: boolean;
  close(): Promise<void>;
  /**
   * The process ends now (Ctrl-C), with no time for close(): what must outlive it is kept, at once. The virtual
   * pod's state is saved and its lock let go (it stayed behind, for the next run to take over, and the pod's state
   * went back to before the command); a real pod keeps its own. For a command that handles Ctrl-C itself (sync);
   * at any other time the --sim link does this on Ctrl-C (openSim).
   */
  abandon?(): void;
}

/** Link failures exit with this code (2 bad input, 3 database, 4 pod refused). */
export { LINK_EXIT_CODE };

/** Where `retrostep sim` and --sim keep the virtual pod's flash unless --state says otherwise. */
export function defaultSimState(): string {
  return process.env.RETROSTEP_SIM_STATE ?? path.join(dataFolder(), 'sim-pod.flash');
}

export function linkError(e: unknown): unknown {
  if (e instanceof TransportError) {
    const hint = e.code === 'no_adapter' ? ' (or --sim to try the virtual pod)' : '';
    return new UserError(`${e.message}${hint}`, LINK_EXIT_CODE);
  }
  return e;
}

const NUS = { service: NUS_SERVICE_UUID_NOBLE, rx: NUS_RX_UUID_NOBLE, tx: NUS_TX_UUID_NOBLE };

/** An empty --port (a script's unset variable) is bad input, said as the other empty options are, not a link that failed. */
function refuseEmptyPort(o: LinkOptions): void {
  if (o.port === '') throw new UserError('--port is empty: name a serial port (list them with `retrostep scan --serial`)', 2);
}

/** What --state is, as each refusal of it begins. */
const STATE_IS = "--state is the virtual pod's, for `sim` and --sim";

/**
 * --state names the virtual pod's state, which only `sim` and --sim read. With --port or --ble it was passed over
 * without a word (the pod on a port is whichever one `sim` serves there, not the state named); without any link,
 * --sim was most likely meant, and the pod was looked for over Bluetooth.
 */
export function refuseStrayState(o: LinkOptions): void {
  if (o.simState === undefined || o.sim) return;
  const other = o.port !== undefined ? `--port ${o.port}` : typeof o.ble === 'string' ? `--ble ${o.ble}` : o.ble ? '--ble' : null;
  if (other) throw new InputError(`${STATE_IS}: the pod reached with ${other} is not read from it; leave --state out`);
  throw new InputError(`${STATE_IS}: give --sim too (without it, the pod is looked for over Bluetooth)`);
}

/**
 * --state given to a command that does not reach the virtual pod (web, summary, `scan --serial`...), refused with
 * what the command does instead (`does`): it was passed over without a word. (--sim, --port and --ble given to
 * them: commands/link-option.ts refuseLinkOptions)
 */
export function refuseUnusedState(o: LinkOptions, does: string): void {
  if (o.simState !== undefined) throw new InputError(`${STATE_IS}: ${does}; leave --state out`);
}

/**
 * A link to the pod's JavaScript console (update mode only): the Nordic UART
 * over BLE, the wire itself over serial. For `flash`.
 */
export async function openConsoleLink(o: LinkOptions & { simHoldButton?: boolean }, ble: Pick<BleTransportOptions, 'noble' | 'scanTimeout_ms' | 'adapterSettle_ms'> = {}): Promise<PodLink> {
  refuseEmptyPort(o);
  refuseStrayState(o);
  // (the virtual pod has no battery to take out: its button is held by --sim-hold-button)
  const notUpdating = (pod: string) =>
    o.sim
      ? new NotInUpdateModeError('the virtual pod is not in update mode: run flash again with --sim-hold-button (its button held as it powers up)')
      : new NotInUpdateModeError(`${pod} is not in update mode: take the battery out, hold the button and put it back, keep holding 3 s until the green LED blinks; then run flash again`);
  try {
    if (o.sim) return await openSim(o.simState ?? defaultSimState(), { command: o.command, console: { holdButton: !!o.simHoldButton } });
    if (o.port !== undefined) {
      const t = new SerialTransport({ path: o.port });
      await t.open();
      return { transport: t, description: `serial ${o.port}`, close: () => t.close() };
    }
    const t = new BleTransport({ ...ble, ...bleTarget(typeof o.ble === 'string' ? o.ble : undefined), serviceUuid: NUS.service, rxUuid: NUS.rx, txUuid: NUS.tx });
    await t.open();
    return { transport: t, description: t.description, close: () => t.close() };
  } catch (e) {
    // (the virtual pod offering no console is not in update mode; over the air, a pod heard running its program without
    // one (the pod refusing, exit 4); nothing heard at all is the link's, exit 5 (README), as no serial port is: it
    // said "not in update mode" of a pod not in range)
    if (e instanceof TransportError && e.code === 'not_found' && o.sim) throw notUpdating('the virtual pod');
    if (e instanceof PodWithoutConsoleError) throw notUpdating(e.pod.name || e.pod.address);
    throw linkError(e);
  }
}

export async function openPodLink(o: LinkOptions): Promise<PodLink> {
  const chosen = [o.port !== undefined, o.ble !== undefined && o.ble !== false, !!o.sim].filter(Boolean).length;
  if (chosen > 1) throw new UserError('choose one link: --ble, --port PATH or --sim', 2);
  refuseEmptyPort(o);
  refuseStrayState(o);
  try {
    if (o.sim) return await openSim(o.simState ?? defaultSimState(), { command: o.command });
    if (o.port !== undefined) {
      const t = new SerialTransport({ path: o.port });
      await t.open();
      return { transport: t, description: `serial ${o.port}`, close: () => t.close() };
    }
    const t = new BleTransport(bleTarget(typeof o.ble === 'string' ? o.ble : undefined));
    await t.open();
    return { transport: t, description: t.description, close: () => t.close() };
  } catch (e) {
    throw linkError(e);
  }
}

/** Button hold that puts a pod in update mode at power-up (firmware/src/update.ts UPDATE_HOLD_MS, plus margin). */
const UPDATE_HOLD_MS = 3200;

/** What saves the virtual pod's state and lets its lock go, once the pod is running (openSim sets it). */
interface PodKeeper {
  keep?: () => void;
}

/**
 * The in-process virtual pod, under its state's lock. Ctrl-C while it is open, from the lock on, stops the command
 * with one line and exit 130, its state saved and its lock let go: it ended the process at once, the lock left for
 * the next run to take over and what the pod did in the command lost. Saved, not left as it was, because a real pod
 * writes its flash as it goes and keeps what it did (a setting set, minutes freed): the virtual
 * pod's flash is that flash. A signal is the command's while it listens for it: sync says what it copied
 * (and keeps the pod with abandon), live and record stop and close the link as at the end of their time. SIGTERM (a
 * kill, `timeout`) and SIGHUP (the terminal closed) stop it as Ctrl-C does (exit 143, 129); and a process that ends
 * any other way with the pod still open (a pipe closed under it, `| head`: exit 0 at once) keeps it too, silently.
 */
async function openSim(stateFile: string, o: { command?: string; console?: { holdButton: boolean } }): Promise<PodLink> {
  if (stateFile === defaultSimState()) makeDataFolder(path.dirname(stateFile), '--state');
  const keeper: PodKeeper = {};
  // (listened for before the lock is taken: a Ctrl-C between the lock and the listener ended the process, the lock
  // left. None is handled before the pod's link opens: everything up to that runs at once)
  const unlisten = stopKeepingPod(stateFile, o.command, keeper);
  try {
    return await withStateLock(stateFile, async (lock) => {
      // (looked at under the lock: another process may have made it a moment before)
      const newPod = !fs.existsSync(stateFile);
      const { pod, flash } = powerUpSimPod(stateFile, !!o.console?.holdButton);
      let kept = false;
      const keepPod = () => {
        if (kept) return;
        kept = true;
        unlisten();
        pod.stop();
        try {
          saveFlash(stateFile, flash);
        } finally {
          lock.release();
        }
      };
      keeper.keep = keepPod;
      const t = gattMemoryTransport(pod.peripheral, { passkey: VIRTUAL_POD_PASSKEY, ...(o.console ? NUS : {}) });
      try {
        await t.open();
      } catch (e) {
        pod.stop();
        throw e;
      }
      return {
        transport: t,
        pod,
        newPod,
        description: `virtual pod (${stateFile})`,
        async close() {
          await t.close();
          keepPod();
        },
        abandon: keepPod,
      };
    });
  } catch (e) {
    unlisten();
    throw e;
  }
}

/**
 * Stop the command at SIGINT, SIGTERM or SIGHUP with one line, keeping the pod (`keeper`'s) first, unless the command
 * listens for that signal itself; keep it silently at any other exit. Returns what stops listening.
 */
function stopKeepingPod(stateFile: string, command: string | undefined, keeper: PodKeeper): () => void {
  const stop = (signal: StoppingSignal) => {
    if (process.listenerCount(signal) > 1) return;
    quietIfHungUp(signal);
    // (a flash stopped part way leaves part of a program, as on a real pod; the virtual pod installs the built one
    // again as it powers up for the next command)
    // (saved before the line is written: a save that failed, a full disk, was a second line after one saying it was saved)
    let kept = `the virtual pod's state is saved as it was then, in ${stateFile}`;
    try {
      keeper.keep?.();
    } catch (e) {
      kept = (e as Error).message;
    }
    endProgressBar(); // (sync's or flash's: the line was written on it)
    console.error(`retrostep: ${command ?? 'the command'} stopped (${STOPPING_SIGNALS[signal]}); ${kept}`);
    process.exit(stoppedExitCode(signal));
  };
  const handlers = (Object.keys(STOPPING_SIGNALS) as StoppingSignal[]).map((signal) => [signal, () => stop(signal)] as const);
  const keepAtExit = () => {
    try {
      keeper.keep?.();
    } catch {
      // (nothing can be said any more: the state stays as last saved, the lock for the next run to take over)
    }
  };
  for (const [signal, handler] of handlers) process.on(signal, handler);
  process.on('exit', keepAtExit);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off('exit', keepAtExit);
  };
}

/** The virtual pod of `stateFile`, powered up (with its button held through power-up: update mode) and running at real time. */
function powerUpSimPod(stateFile: string, holdButton: boolean): { pod: VirtualPod; flash: Flash } {
  const flash = loadFlash(stateFile, stateFile === defaultSimState());
  const pod = new VirtualPod({ bundle: readBundle(), flash, passkey: VIRTUAL_POD_PASSKEY, mac: simPodMac(stateFile) });
  if (holdButton) pod.setButton(true);
  pod.boot();
  if (holdButton) {
    // a virtual hand holds the button through power-up, then lets go
    pod.advance(UPDATE_HOLD_MS);
    pod.setButton(false);
  }
  pod.start(1);
  return { pod, flash };
}
