/**
 * A noble to talk to the adapter with, and the adapter ready: noble's core
 * over injected bindings (FakeBindings in tests and the sim) or over the
 * platform's own (loaded lazily: nothing touches the adapter before), and a
 * wait for the adapter to be powered on that says what to do when it is
 * not. Used by the BLE transport (ble.ts) and the scan (ble-scan.ts).
 */
import { createRequire } from 'node:module';
import type { AdapterState, Noble } from '@stoprocent/noble';
import { TransportError } from './transport.js';
import { messageOf } from './noble-guard.js';

/**
 * How long a non-ready adapter state (unsupported, poweredOff, unauthorized)
 * may persist before we give up. Linux reports the real state within ~100 ms
 * of start; the grace only covers an adapter being switched on right now.
 */
const DEFAULT_ADAPTER_SETTLE_ms = 1_500;
/** State stuck at 'unknown' (e.g. macOS waiting on the Bluetooth permission prompt). */
const DEFAULT_ADAPTER_TIMEOUT_ms = 10_000;

const requireCjs = createRequire(import.meta.url);

/** noble's core over any bindings object (FakeBindings in tests and the sim). */
export function createNobleWithBindings(bindings: object): Noble {
  const NobleCore = requireCjs('@stoprocent/noble/lib/noble') as new (bindings: object) => Noble;
  return new NobleCore(bindings);
}

/**
 * noble's HCI bindings console.log() their own advice when the adapter is
 * unsupported or unauthorized (lib/hci-socket/bindings.js onStateChange),
 * which lands in the middle of our output; our TransportError already says
 * what to do. Drop exactly those lines (the warning and its indented
 * continuation), nothing else.
 */
let nobleLinesFiltered = false;
function filterNobleConsoleLines(): void {
  if (nobleLinesFiltered) return;
  nobleLinesFiltered = true;
  const log = console.log.bind(console);
  let inWarning = false;
  console.log = (...args: unknown[]) => {
    const first = typeof args[0] === 'string' ? args[0] : '';
    if (first.startsWith('noble warning:')) inWarning = true;
    else if (!(inWarning && /^ {15}\S/.test(first))) inWarning = false;
    if (!inWarning) log(...args);
  };
}

/** A fresh noble on the platform's bindings (hci socket on Linux). Loaded lazily: nothing touches the adapter before. */
export function createDefaultNoble(): Noble {
  filterNobleConsoleLines();
  try {
    const mod = requireCjs('@stoprocent/noble') as { withBindings(type?: string): Noble };
    return mod.withBindings('default');
  } catch (error) {
    throw new TransportError('no_adapter', `Bluetooth support could not be loaded: ${messageOf(error)}`);
  }
}

export function noAdapterError(state: string, settle_ms: number): TransportError {
  switch (state) {
    case 'unsupported':
      return new TransportError('no_adapter', 'no usable Bluetooth LE adapter (noble reports "unsupported"): plug in a Bluetooth 4.0+ adapter, or connect the pod over USB serial instead');
    case 'unauthorized':
      return new TransportError(
        'no_adapter',
        'not allowed to use Bluetooth (noble reports "unauthorized"): on Linux give node raw-socket rights (sudo setcap cap_net_raw+eip "$(readlink -f "$(which node)")"); on macOS allow Bluetooth for this terminal in System Settings > Privacy & Security',
      );
    case 'poweredOff':
      return new TransportError('no_adapter', 'the Bluetooth adapter is switched off: turn Bluetooth on (e.g. `bluetoothctl power on` or `rfkill unblock bluetooth`) and try again');
    default:
      return new TransportError('no_adapter', `the Bluetooth adapter did not become ready within ${Math.round(settle_ms / 1000)} s (state "${state}")`);
  }
}

/** Adapter states from least to most telling: the error names the last one listed that was seen. */
const STATE_SEVERITY = ['unknown', 'resetting', 'poweredOff', 'unsupported', 'unauthorized'];

/**
 * Resolve once noble is poweredOn. A not-ready state that lasts settle_ms
 * rejects 'no_adapter' with a message for the most telling state seen. The
 * settle timer is not restarted by further changes, and 'unsupported' wins
 * over 'poweredOff': hci-socket alternates the two every second while it
 * polls for a missing adapter (seen on a machine without one).
 */
export function waitForPoweredOn(noble: Noble, settle_ms = DEFAULT_ADAPTER_SETTLE_ms, timeout_ms = DEFAULT_ADAPTER_TIMEOUT_ms, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let worst: string = 'unknown';
    let settleTimer: NodeJS.Timeout | null = null;
    const finish = (error?: TransportError): void => {
      clearTimeout(overall);
      if (settleTimer) clearTimeout(settleTimer);
      noble.removeListener('stateChange', onState);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onState = (state: AdapterState): void => {
      if (state === 'poweredOn') return finish();
      if (STATE_SEVERITY.indexOf(state) > STATE_SEVERITY.indexOf(worst)) worst = state;
      if (state === 'unknown' || state === 'resetting') return; // still starting: the overall timeout covers it
      settleTimer ??= setTimeout(() => finish(noAdapterError(worst, settle_ms)), settle_ms);
    };
    const onAbort = (): void => finish(new TransportError('closed', 'closed while waiting for the Bluetooth adapter'));
    const overall = setTimeout(() => finish(noAdapterError(worst, timeout_ms)), timeout_ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    // Adding the listener is what starts noble's bindings (next tick); then read the current state.
    noble.on('stateChange', onState);
    onState(noble.state);
  });
}
