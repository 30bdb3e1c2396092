/**
 * A Bluetooth address in the one form retrostep compares it in: lower-case hex, no separators
 * (AA:BB:CC:DD:EE:FF -> aabbccddeeff). A pod's id is its address in this form (firmware/src/identity.ts), so
 * `--ble ADDRESS` and `--pod ADDRESS` both compare through it. Kept apart from transports/ble.ts, which loads
 * noble: --pod is read by commands that never touch the radio.
 */
export function normalizeAddress(address: string): string {
  return address.toLowerCase().replace(/[^0-9a-f]/g, '');
}
