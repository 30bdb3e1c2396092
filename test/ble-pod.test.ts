/**
 * The real firmware bundle over BLE: noble's real core with fake bindings
 * whose peripheral is the virtual pod (issue 7 point 1). The OS-held bond
 * (README "Pairing") is modelled by FakeBindings' osBondPasskey.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatScan, scan } from '../host/src/commands/scan.js';
import { UserError } from '../host/src/errors.js';
import { readBundle } from '../host/src/firmware-bundle.js';
import { PodClient } from '../host/src/pod-client.js';
import { demoScript } from '../host/src/sim/demo-script.js';
import { createWalker } from '../host/src/sim/walker.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { openDb } from '../host/src/store/db.js';
import { syncPod } from '../host/src/sync.js';
import { NotInUpdateModeError, uploadBundle } from '../host/src/flash.js';
import { openConsoleLink } from '../host/src/link.js';
import { BleTransport } from '../host/src/transports/ble.js';
import { createNobleWithBindings } from '../host/src/transports/noble-setup.js';
import { NUS_RX_UUID_NOBLE, NUS_SERVICE_UUID_NOBLE, NUS_TX_UUID_NOBLE, RETROSTEP_SERVICE_UUID_NOBLE } from '../shared/protocol/uuids.js';
import { powerUpHolding } from './helpers/power-up.js';
import { waitFor } from './helpers/wait.js';
import { FakeBindings } from '../host/src/transports/noble-fake-bindings.js';
import { summarise, totals } from '../host/src/report/summary.js';

const PASSKEY = '123456';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-ble-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function podThatWalked(): { pod: VirtualPod; truth: ReturnType<typeof createWalker>['truth'] } {
  const w = createWalker(demoScript(), { seed: 5 });
  const pod = new VirtualPod({ bundle: readBundle(), imuSource: w.source, passkey: PASSKEY });
  pod.boot();
  pod.advance(w.duration_ms + 61_000);
  return { pod, truth: w.truth };
}

describe('BLE with the virtual pod', () => {
  it('scan finds the pod by its retrostep service, with its advertised name and RSSI', async () => {
    const pod = new VirtualPod({ bundle: readBundle(), passkey: PASSKEY });
    pod.boot();
    pod.start(1);
    const noble = createNobleWithBindings(new FakeBindings({ peripherals: [pod.peripheral], advertisingInterval_ms: 10 }));
    try {
      const r = await scan({ noble, duration_ms: 300 });
      expect(r.pods).toHaveLength(1);
      expect(r.pods[0].name).toBe('retrostep-c65e'); // last two bytes of the MAC d3:7a:42:19:c6:5e
      expect(r.pods[0].address).toBe('d3:7a:42:19:c6:5e');
      expect(r.pods[0].rssi).toBeLessThan(0);
    } finally {
      pod.stop();
      noble.stop();
    }
  });

  it('no adapter: scan fails with one line for a person (exit 5)', async () => {
    const noble = createNobleWithBindings(new FakeBindings({ peripherals: [], adapterState: 'unsupported' }));
    const err = await scan({ noble, duration_ms: 100 }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.exitCode).toBe(5);
    expect(err.message).toMatch(/Bluetooth/);
    noble.stop();
  });

  it('sync over BLE through noble moves the walk into SQLite; the same counts as the script', async () => {
    const { pod, truth } = podThatWalked();
    pod.start(50);
    const noble = createNobleWithBindings(new FakeBindings({ peripherals: [pod.peripheral], osBondPasskey: PASSKEY, advertisingInterval_ms: 10 }));
    const t = new BleTransport({ noble, name: 'retrostep-c65e', adapterSettle_ms: 50 });
    const db = openDb(path.join(dir, 'ble.db'));
    try {
      await t.open();
      const r = await syncPod(new PodClient(t), db);
      expect(r.added).toBeGreaterThanOrEqual(9);
      const s = summarise(totals(db), 70);
      const fwd = truth.filter((x) => x.direction === 'forward').length;
      const bwd = truth.length - fwd;
      expect(Math.abs(s.forward - fwd)).toBeLessThanOrEqual(0.01 * fwd);
      expect(Math.abs(s.backward - bwd)).toBeLessThanOrEqual(0.01 * bwd);
    } finally {
      await t.close();
      db.close();
      pod.stop();
      noble.stop();
    }
  });

  it('without a bond the pod refuses the secured RX: a clear error, nothing stored', async () => {
    const { pod } = podThatWalked();
    pod.start(50);
    const noble = createNobleWithBindings(new FakeBindings({ peripherals: [pod.peripheral], advertisingInterval_ms: 10 }));
    const t = new BleTransport({ noble, adapterSettle_ms: 50 });
    const db = openDb(path.join(dir, 'unbonded.db'));
    try {
      await t.open();
      const err = await syncPod(new PodClient(t, 300), db).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toBe('retrostep-c65e refused a write: this computer is not paired with it; pair it first (README, "Pairing")');
      expect(summarise(totals(db), 70).minutes).toBe(0);
    } finally {
      await t.close().catch(() => undefined);
      db.close();
      pod.stop();
      noble.stop();
    }
  });

  it('a Puck.js with no retrostep program (new, or its Storage erased): scan lists it with what to do, sync says so, and flash over its console makes it a pod', async () => {
    const pod = new VirtualPod({ bundle: readBundle(), passkey: PASSKEY, installBundle: false });
    pod.boot();
    pod.start(50);
    const noble = createNobleWithBindings(new FakeBindings({ peripherals: [pod.peripheral], osBondPasskey: PASSKEY, advertisingInterval_ms: 10 }));
    try {
      const before = await scan({ noble, duration_ms: 300 });
      expect(before.pods).toEqual([]);
      expect(before.consoles.map((c) => c.name)).toEqual(['Puck.js c65e']);
      expect(formatScan(before, false).split('\n')).toEqual([
        'no retrostep pods heard: is the pod awake (move it) and within a few metres?',
        '',
        'heard without the retrostep service:',
        expect.stringMatching(/^Puck\.js c65e +d3:7a:42:19:c6:5e {2}-\d+ dBm$/),
        '  Puck.js c65e is a Puck.js with no retrostep program: if it is your pod (a new Puck.js, or one whose program was lost), install it with retrostep --ble "Puck.js c65e" flash',
      ]);
      const syncing = new BleTransport({ noble, scanTimeout_ms: 300, adapterSettle_ms: 50 });
      const err = await syncing.open().catch((e: Error) => e);
      expect((err as Error).message).toContain('Also heard: Puck.js c65e is a Puck.js with no retrostep program: if it is your pod (a new Puck.js, or one whose program was lost), install it with retrostep --ble "Puck.js c65e" flash');
      // what that command does: the bundle through Espruino's console, found by the name the hint gives
      const console = new BleTransport({ noble, name: 'Puck.js c65e', serviceUuid: NUS_SERVICE_UUID_NOBLE, rxUuid: NUS_RX_UUID_NOBLE, txUuid: NUS_TX_UUID_NOBLE, adapterSettle_ms: 50 });
      await console.open();
      try {
        await uploadBundle(console, readBundle());
      } finally {
        await console.close().catch(() => undefined);
      }
      await waitFor(() => pod.peripheral.advertisement()?.serviceUuids.includes(RETROSTEP_SERVICE_UUID_NOBLE) ?? false, 'the pod restarted into its program');
      const after = await scan({ noble, duration_ms: 300 });
      expect(after.pods.map((p) => p.name)).toEqual(['retrostep-c65e']);
      expect(after.consoles).toEqual([]);
    } finally {
      pod.stop();
      noble.stop();
    }
  });
});

describe('flash over BLE: a pod in range not in update mode, and nothing in range, told apart', () => {
  /** The console link `retrostep --ble NAME flash` opens, over fake bindings with `peripherals` in range. */
  async function flashLink(name: string, peripherals: VirtualPod[]) {
    const noble = createNobleWithBindings(new FakeBindings({ peripherals: peripherals.map((p) => p.peripheral), osBondPasskey: PASSKEY, advertisingInterval_ms: 10 }));
    try {
      const link = await openConsoleLink({ ble: name }, { noble, scanTimeout_ms: 300, adapterSettle_ms: 50 });
      await link.close();
      return link.description;
    } catch (e) {
      return e as UserError;
    } finally {
      noble.stop();
    }
  }
  /** The virtual pod powered up, its button held `hold_ms` (3 s or more: update mode), then running in real time. */
  function podPoweredUp(hold_ms: number, mac?: string): VirtualPod {
    const pod = powerUpHolding(hold_ms, PASSKEY, mac);
    pod.start(1);
    return pod;
  }

  // breaks it: the console scan without the retrostep service (ble.ts find: a pod running its program unheard, so
  // nothing in range too said "not in update mode", exit 4), or openConsoleLink taking every "not found" as that
  it('nothing in range: the link, exit 5, saying nothing was heard (it said "the pod is not in update mode", exit 4)', async () => {
    const err = await flashLink('retrostep-c65e', []);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(5);
    expect((err as UserError).message).toBe('no Puck.js or pod named "retrostep-c65e" heard within 0.3 s: is it within a few metres, with its battery in?');
  });

  it('the pod in range running its program: not in update mode, named, exit 4 (the pod refusing)', async () => {
    const pod = podPoweredUp(0);
    try {
      const err = await flashLink('retrostep-c65e', [pod]);
      expect(err).toBeInstanceOf(NotInUpdateModeError);
      expect((err as UserError).exitCode).toBe(4);
      expect((err as UserError).message).toBe('retrostep-c65e is not in update mode: take the battery out, hold the button and put it back, keep holding 3 s until the green LED blinks; then run flash again');
    } finally {
      pod.stop();
    }
  });

  // breaks it: matches() by the exact name only (the pod in update mode, "retrostep-c65e update", was not the pod named)
  it('the pod in update mode, named as it is named running its program: its console is the one opened', async () => {
    const pod = podPoweredUp(3200);
    try {
      expect(await flashLink('retrostep-c65e', [pod])).toBe('ble retrostep-c65e update');
    } finally {
      pod.stop();
    }
  });

  // breaks it: openConsoleLink passing --ble as a name (as it did: the device named "c6:12:34:56:78:9a" looked for)
  describe('--ble ADDRESS, as scan and sim print it, finds the device at that address, as for every other command', () => {
    /** Two pods in range, apart only by their addresses (and the names made from them). */
    const OTHER_MAC = 'c6:12:34:56:78:9a';

    it('the pod in update mode at that address: its console is the one opened, the other pod in update mode passed over', async () => {
      const asked = podPoweredUp(3200, OTHER_MAC);
      const other = podPoweredUp(3200);
      try {
        expect(await flashLink(OTHER_MAC, [other, asked])).toBe('ble retrostep-789a update');
        // (in capitals, or as noble's id: the same address)
        expect(await flashLink('C6:12:34:56:78:9A', [other, asked])).toBe('ble retrostep-789a update');
        expect(await flashLink('c6123456789a', [other, asked])).toBe('ble retrostep-789a update');
      } finally {
        asked.stop();
        other.stop();
      }
    });

    it('the pod at that address running its program: not in update mode, by its name, exit 4; another in update mode is not it', async () => {
      const asked = podPoweredUp(0, OTHER_MAC);
      const other = podPoweredUp(3200);
      try {
        const err = await flashLink(OTHER_MAC, [other, asked]);
        expect(err).toBeInstanceOf(NotInUpdateModeError);
        expect((err as UserError).exitCode).toBe(4);
        expect((err as UserError).message).toMatch(/^retrostep-789a is not in update mode: /);
      } finally {
        asked.stop();
        other.stop();
      }
    });

    it('nothing at that address: the link, exit 5, saying what was asked for', async () => {
      const other = podPoweredUp(3200);
      try {
        const err = await flashLink(OTHER_MAC, [other]);
        expect(err).toBeInstanceOf(UserError);
        expect((err as UserError).exitCode).toBe(5);
        expect((err as UserError).message).toBe(`no Puck.js or pod at ${OTHER_MAC} heard within 0.3 s: is it within a few metres, with its battery in?`);
      } finally {
        other.stop();
      }
    });
  });
});
