/**
 * A Bluetooth address in the one form retrostep compares it in: lower-case hex, no separators
 * (AA:BB:CC:DD:EE:FF -> aabbccddeeff). A pod's id is its address in this form (firmware/src/identity.ts), so
 * `--ble ADDRESS` and `--pod ADDRESS` both compare through it. Kept apart from transports/ble.ts, which loads
 * noble: --pod is read by commands that never touch the radio.
 */
export function normalizeAddress(address: string): string {
  return address.toLowerCase().replace(/[^0-9a-f]/g, '');
}

/**
 * A pod named by a person as the database keys it: a pod's id is its Bluetooth address in normalizeAddress's
 * form, and `sim` and `scan` print the address as AA:BB:.. or aa:bb:..; either form of it is the same pod
 * (`--pod`, and the web page's /report?pod=). Anything else is kept as given, to be refused with the ids the
 * database knows.
 */
export function podIdArg(raw: string): string {
  const hex = normalizeAddress(raw);
  return /^[0-9a-f]{12}$/.test(hex) ? hex : raw;
}

/**
 * A Bluetooth address as `scan` and `sim` print it (aa:bb:cc:dd:ee:ff, or with dashes), or a noble peripheral id:
 * 12 hex digits on Linux, 32 on macOS (where noble has ids, not addresses).
 */
const BLE_ADDRESS = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^[0-9a-f]{12,32}$/i;

/**
 * What `--ble VALUE` asks for, the same for every command: the device at an address, or one by its name (none: the
 * first found). `flash` looked for a device named like the address (its console link passed the value as a name).
 */
export function bleTarget(value: string | undefined): { address?: string; name?: string } {
  if (value === undefined) return {};
  return BLE_ADDRESS.test(value) ? { address: value } : { name: value };
}
