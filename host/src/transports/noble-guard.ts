/**
 * Waits on noble that cannot hang. GATT requests that the peer refuses are
 * never answered by the Linux hci-socket bindings (noble 2.x, read from its
 * source: an ATT error response is dropped), so the BLE transport (ble.ts)
 * and the scan (ble-scan.ts) await noble through guard, with a timeout (the
 * wait for the adapter, waitForPoweredOn in noble-setup.ts, has its own);
 * messageOf words what noble threw.
 */
import { TransportError } from './transport.js';

/**
 * One GATT step (discovery, subscribe, one write) takes a few connection
 * intervals (7.5-100 ms each). 5 s is far beyond that and only bounds the
 * case where hci-socket drops an ATT error and would otherwise wait forever.
 */
export const GATT_TIMEOUT_ms = 5_000;

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Settle with `work`, or reject when the timeout passes or `signal` aborts.
 * A late rejection of `work` is swallowed (it lost the race on purpose).
 */
export function guard<T>(
  work: Promise<T>,
  opts: { timeout_ms: number; onTimeout: () => TransportError; signal?: AbortSignal; onAbort?: () => void },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', abort);
      fn();
    };
    const abort = (): void =>
      finish(() => {
        opts.onAbort?.();
        reject(new TransportError('closed', 'closed while opening'));
      });
    const timer = setTimeout(() => finish(() => reject(opts.onTimeout())), opts.timeout_ms);
    if (opts.signal?.aborted) return abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
