/**
 * The fake navigator.bluetooth (fake-web-bluetooth.ts) installed in a page
 * before its own script runs (Playwright's addInitScript), with its wire
 * carried by the test runner itself instead of the network, so the page
 * keeps its Content-Security-Policy (connect-src 'self') in force:
 * - page -> pod: window.__retrostepGatt(request), a Playwright binding
 *   (page.exposeBinding) answered in Node by peripheral-wire.ts;
 * - pod -> page: Node calls window.__retrostepGattEvents(events) through
 *   page.evaluate, in order (test/browser/gatt-bridge.ts).
 * DevTools-protocol bindings and evaluations are not subject to the page's
 * CSP; nothing here opens a connection the CSP would have to allow.
 */
import { fakeBluetooth } from './fake-web-bluetooth.js';
import type { GattWire, WireEvent, WireReply, WireRequest } from './gatt-wire.js';

type Win = typeof window & {
  __retrostepGatt?: (r: WireRequest) => Promise<WireReply>;
  __retrostepGattEvents?: (events: WireEvent[]) => void;
  __bluetoothDouble?: { requests: unknown[] };
};
const w = window as Win;

const wire: GattWire = {
  onEvent: () => {},
  request: (r) => {
    // no bridge in this page: no pod in range, so the chooser stays empty
    if (!w.__retrostepGatt) return Promise.resolve({ ok: true, result: null });
    return w.__retrostepGatt(r);
  },
};
w.__retrostepGattEvents = (events) => {
  for (const e of events) wire.onEvent(e);
};

const bluetooth = fakeBluetooth(wire);
w.__bluetoothDouble = { requests: bluetooth.requests };
Object.defineProperty(Navigator.prototype, 'bluetooth', { configurable: true, get: () => bluetooth });
