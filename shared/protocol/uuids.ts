/**
 * Bluetooth LE UUIDs of the retrostep pod: the one place they are written.
 * Used by the firmware (NRF.setServices / NRF.setAdvertising) and by the
 * host (noble scan filter, GATT discovery), so this file is pod code:
 * ES5-safe TypeScript, no Node APIs.
 *
 * Two spellings:
 * - dashed lower-case ("c96a0001-8c4d-..."): what Espruino's NRF API takes
 *   and what humans read in nRF Connect;
 * - noble form: lower-case hex without dashes, which is how noble reports
 *   and compares UUIDs (a dashed UUID in a noble scan filter matches nothing).
 */

/**
 * The custom 128-bit UUIDs share one random (v4) base and differ only in
 * the 16-bit field at bytes 12-13 (0001 service, 0002 RX, 0003 TX), the
 * Nordic convention: the nRF52 SoftDevice stores each distinct 128-bit base
 * in a small vendor-UUID table, so one base costs one slot, not three.
 * Generated once at random; never change them, or paired hosts lose the pod.
 */
export const RETROSTEP_SERVICE_UUID = 'c96a0001-8c4d-4650-a240-b6c9296fc3f5';
/** RX: the central (host) writes frames here (write / write without response). */
export const RETROSTEP_RX_UUID = 'c96a0002-8c4d-4650-a240-b6c9296fc3f5';
/** TX: the pod notifies frames here. */
export const RETROSTEP_TX_UUID = 'c96a0003-8c4d-4650-a240-b6c9296fc3f5';

/** The same three UUIDs in noble form (lower-case, no dashes). */
export const RETROSTEP_SERVICE_UUID_NOBLE = 'c96a00018c4d4650a240b6c9296fc3f5';
export const RETROSTEP_RX_UUID_NOBLE = 'c96a00028c4d4650a240b6c9296fc3f5';
export const RETROSTEP_TX_UUID_NOBLE = 'c96a00038c4d4650a240b6c9296fc3f5';

/**
 * Standard Running Speed and Cadence service (Bluetooth SIG assigned
 * numbers), so watches and phone apps can read cadence without retrostep
 * software. 16-bit UUIDs are the same in both spellings.
 */
export const RSC_SERVICE_UUID = '1814';
/** RSC Measurement: notify; flags, speed, cadence, optional stride length. */
export const RSC_MEASUREMENT_UUID = '2a53';
/** RSC Feature: read; which optional RSC Measurement fields are present. */
export const RSC_FEATURE_UUID = '2a54';
/** Sensor Location: read; where the sensor sits (e.g. top of shoe). */
export const SENSOR_LOCATION_UUID = '2a5d';

/** Nordic UART service: Espruino's console, offered by the pod only in update mode (see firmware/src/update.ts). */
export const NUS_SERVICE_UUID_NOBLE = '6e400001b5a3f393e0a9e50e24dcca9e';
/** NUS RX: the central writes console input here. */
export const NUS_RX_UUID_NOBLE = '6e400002b5a3f393e0a9e50e24dcca9e';
/** NUS TX: console output, notified. */
export const NUS_TX_UUID_NOBLE = '6e400003b5a3f393e0a9e50e24dcca9e';

/**
 * Any UUID spelling ("C96A0001-8C4D-...", "0x1814", "1814") to noble form:
 * the fake noble bindings (host/src/transports/noble-fake-bindings.ts) match
 * service UUIDs in that form, as noble does.
 */
export function toNobleUuid(uuid: string): string {
  let s = uuid.toLowerCase();
  if (s.indexOf('0x') === 0) s = s.substring(2);
  return s.replace(/-/g, '');
}
