/**
 * The Node end of the Web Bluetooth double in a page: the page's GATT
 * requests arrive through a Playwright binding and go to a GattPeripheral
 * (the virtual pod running the real firmware bundle) via peripheral-wire.ts;
 * the pod's notifications and lost links go back by page.evaluate, batched
 * and one batch at a time so they arrive in order. No socket, no port: the
 * page's CSP stays as the server sends it. Call before page.goto.
 */
import type { Page } from 'playwright-core';
import type { GattPeripheral } from '../../host/src/sim/gatt.js';
import type { WireEvent, WireRequest } from '../../host/web/sim/gatt-wire.js';
import { peripheralWire } from '../../host/web/sim/peripheral-wire.js';

export interface GattBridge {
  /** Cut the link once this many more notified bytes have reached the page (one-shot each; several may be queued). */
  cutAfterBytes(bytes: number): void;
  /** links cut so far */
  readonly cuts: number;
  /** notified bytes sent to the page so far */
  readonly bytesToPage: number;
  /** connects the page made (reconnects included) */
  readonly connects: number;
  close(): void;
}

type PageWindow = { __retrostepGattEvents(events: WireEvent[]): void };

export async function bridgeGatt(page: Page, peripheral: GattPeripheral, options: { passkey: string }): Promise<GattBridge> {
  const wire = peripheralWire(peripheral, options);
  let queue: WireEvent[] = [];
  let flushing = false;
  async function flush(): Promise<void> {
    flushing = true;
    while (queue.length) {
      const batch = queue;
      queue = [];
      // a page closed or navigating away simply stops hearing from the pod
      await page.evaluate((events) => (globalThis as unknown as PageWindow).__retrostepGattEvents(events), batch).catch(() => undefined);
    }
    flushing = false;
  }
  wire.onEvent = (e) => {
    queue.push(e);
    if (!flushing) void flush();
  };
  await page.exposeBinding('__retrostepGatt', (_source, r: WireRequest) => wire.request(r));
  return {
    cutAfterBytes: (bytes) => wire.cutAfterBytes(bytes),
    get cuts() {
      return wire.cuts;
    },
    get bytesToPage() {
      return wire.bytesNotified;
    },
    get connects() {
      return wire.connects;
    },
    close: () => wire.close(),
  };
}
