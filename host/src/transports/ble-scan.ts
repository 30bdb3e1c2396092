/**
 * Scanning for pods: what an advertisement says (a pod with the retrostep
 * service, or an Espruino device offering its console without it: a new
 * Puck.js, a pod in update mode or one whose program is gone) and what to do
 * about a console device (consoleHint), and `retrostep scan` itself
 * (scanPods). The BLE transport (ble.ts) reads advertisements the same way
 * while it looks for the pod to connect to.
 */
import type { Noble, Peripheral } from '@stoprocent/noble';
import { TransportError } from './transport.js';
import { GATT_TIMEOUT_ms, guard, messageOf } from './noble-guard.js';
import { createDefaultNoble, waitForPoweredOn } from './noble-setup.js';
import { NUS_SERVICE_UUID_NOBLE, RETROSTEP_SERVICE_UUID_NOBLE, toNobleUuid } from '../../../shared/protocol/uuids.js';

/** stopScanning normally answers at once; do not let a missing scanStop hold up close(). */
const STOP_SCAN_TIMEOUT_ms = 1_000;
/** `retrostep scan`: a few seconds hears every pod in range several times at the 375 ms advertising interval. */
const DEFAULT_SCAN_DURATION_ms = 4_000;

export interface ScanPodsOptions {
  noble?: Noble;
  /** How long to listen. */
  duration_ms?: number;
  serviceUuid?: string;
  adapterSettle_ms?: number;
  adapterTimeout_ms?: number;
}

export interface PodSighting {
  /** Advertised name ('retrostep-1a2b'), '' if none was heard. */
  name: string;
  /** MAC address, or noble's id where the OS hides addresses (macOS). Usable as BleTransportOptions.address. */
  address: string;
  /** Last signal strength, dBm. */
  rssi: number;
}

/** What a scan heard: pods, and Espruino devices offering their console without the pod's service. */
export interface ScanResult {
  pods: PodSighting[];
  /** A new Puck.js, a pod in update mode, or one whose program is gone (consoleOnly, flashableSuffix): what `flash` takes. */
  consoles: PodSighting[];
}

export async function stopScanningQuietly(noble: Noble): Promise<void> {
  if (noble.state !== 'poweredOn') return;
  try {
    await guard(noble.stopScanningAsync(), { timeout_ms: STOP_SCAN_TIMEOUT_ms, onTimeout: () => new TransportError('timeout', 'stopScanning') });
  } catch {
    // the scan is over either way
  }
}

export function advertisesService(p: Peripheral, serviceUuid: string): boolean {
  return (p.advertisement?.serviceUuids ?? []).some((u) => toNobleUuid(u) === serviceUuid);
}

/**
 * An Espruino device offering its console (the Nordic UART service, which Espruino advertises in its scan
 * response) and not the pod's service: a new Puck.js, a pod in update mode, or a pod whose program is gone (a
 * Puck.js that boots to find its Storage damaged erases all of it: docs/decisions.md, "Storage compaction and a
 * low cell"). The pod itself never advertises the console (hal/radio.ts: uart off), so a pod is never one.
 */
export function consoleOnly(p: Peripheral): boolean {
  return advertisesService(p, NUS_SERVICE_UUID_NOBLE) && !advertisesService(p, RETROSTEP_SERVICE_UUID_NOBLE);
}

/** Espruino's own name for a Puck.js: "Puck.js" and the last 4 hex digits of its address (a pod's are its name's too). */
const BLANK_PUCK_NAME = /^Puck\.js ([0-9a-f]{4})$/i;
/** The pod in update mode: its name and " update" (firmware/src/update.ts). */
const UPDATE_MODE_NAME = /^retrostep-([0-9a-f]{4}) update$/i;
/** The 4 hex digits a pod's name ends in. */
const POD_NAME_SUFFIX = /-([0-9a-f]{4})$/i;

/**
 * The 4 hex digits of a console device `flash` is for, by its name: a Puck.js with Espruino's name, or the pod
 * in update mode; null for any other (a Bangle.js offers the same console, and is no pod: flash refuses it).
 */
export function flashableSuffix(name: string): string | null {
  return (BLANK_PUCK_NAME.exec(name) ?? UPDATE_MODE_NAME.exec(name))?.[1].toLowerCase() ?? null;
}

/**
 * The 4 hex digits that name a pod in each of its names: retrostep-c65e (running its program), "retrostep-c65e update"
 * (in update mode) and "Puck.js c65e" (its program gone); null for any other name.
 */
export function podSuffix(name: string): string | null {
  return flashableSuffix(name) ?? POD_NAME_SUFFIX.exec(name)?.[1].toLowerCase() ?? null;
}

export function sighting(p: Peripheral, before?: PodSighting): PodSighting {
  return { name: p.advertisement?.localName || before?.name || '', address: displayAddress(p), rssi: p.rssi };
}

/** What to do with a console device heard where a pod was looked for. */
export function consoleHint(c: PodSighting): string {
  const target = c.name || c.address;
  if (UPDATE_MODE_NAME.test(c.name)) return `${target} is a pod in update mode: run retrostep --ble "${target}" flash, or wait (it leaves update mode by itself within 5 minutes)`;
  return `${target} is a Puck.js with no retrostep program: if it is your pod (a new Puck.js, or one whose program was lost), install it with retrostep --ble "${target}" flash`;
}

/** The address to show and to pass back as `address`: macOS gives '' (or 'unknown') and a UUID id instead. */
export function displayAddress(p: Peripheral): string {
  return p.address && p.address !== 'unknown' ? p.address : p.id;
}

/**
 * Listen for pods advertising the retrostep service (for `retrostep scan`), and for Puck.js devices offering
 * Espruino's console without it (consoleOnly, flashableSuffix). Strongest signal first. Rejects TransportError 'no_adapter' like open().
 */
export async function scanPods(options: ScanPodsOptions = {}): Promise<ScanResult> {
  const owned = options.noble === undefined;
  const noble = options.noble ?? createDefaultNoble();
  const serviceUuid = toNobleUuid(options.serviceUuid ?? RETROSTEP_SERVICE_UUID_NOBLE);
  const seen = new Map<string, PodSighting>();
  const consoles = new Map<string, PodSighting>();
  // (each device in one list, as its latest advertisement says: a pod in update mode may restart into its program)
  const onDiscover = (p: Peripheral): void => {
    if (advertisesService(p, serviceUuid)) {
      seen.set(p.id, sighting(p, seen.get(p.id)));
      consoles.delete(p.id);
    } else if (consoleOnly(p)) {
      const c = sighting(p, consoles.get(p.id) ?? seen.get(p.id));
      if (flashableSuffix(c.name) === null) return;
      consoles.set(p.id, c);
      seen.delete(p.id);
    }
  };
  try {
    await waitForPoweredOn(noble, options.adapterSettle_ms, options.adapterTimeout_ms);
    noble.on('discover', onDiscover);
    // duplicates on: keep RSSI current while listening
    await guard(noble.startScanningAsync([serviceUuid, NUS_SERVICE_UUID_NOBLE], true), {
      timeout_ms: GATT_TIMEOUT_ms,
      onTimeout: () => new TransportError('timeout', 'the Bluetooth adapter did not start scanning'),
    });
    await new Promise((resolve) => setTimeout(resolve, options.duration_ms ?? DEFAULT_SCAN_DURATION_ms));
  } catch (error) {
    if (error instanceof TransportError) throw error;
    throw new TransportError('io', `scan failed: ${messageOf(error)}`);
  } finally {
    noble.removeListener('discover', onDiscover);
    await stopScanningQuietly(noble);
    if (owned) {
      try {
        noble.stop();
      } catch {
        // never started
      }
      noble.removeAllListeners();
    }
  }
  const strongestFirst = (m: Map<string, PodSighting>) => [...m.values()].sort((a, b) => b.rssi - a.rssi);
  return { pods: strongestFirst(seen), consoles: strongestFirst(consoles) };
}
