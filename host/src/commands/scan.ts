/** `retrostep scan`: retrostep pods in Bluetooth range (strongest first), Puck.js consoles without the retrostep program listed apart with the flash command, and serial ports with --serial. */
import type { Command } from 'commander';
import { linkError, refuseStrayState } from '../link.js';
import { consoleHint, type PodSighting, scanPods } from '../transports/ble-scan.js';
import { listSerialPorts, type SerialPortInfo } from '../transports/serial.js';
import { linkOptions, programOptionValues, refuseLinkOptions, withPod } from './link-option.js';
import { InputError } from '../errors.js';
import { shellWord } from '../shell-word.js';
import type { Noble } from '@stoprocent/noble';

/** Long enough to hear a pod advertising every 375 ms several times. */
const SCAN_DURATION_MS = 4000;

export interface ScanOutput {
  pods: PodSighting[];
  /** Espruino devices offering their console, not the pod's service: a new Puck.js, one in update mode, or a pod whose program is gone */
  consoles: PodSighting[];
  ports: SerialPortInfo[];
}

export async function scan(o: { serial?: boolean; duration_ms?: number; noble?: Noble }): Promise<ScanOutput> {
  if (o.serial) return { pods: [], consoles: [], ports: await listSerialPorts() };
  try {
    return { ...(await scanPods({ noble: o.noble, duration_ms: o.duration_ms ?? SCAN_DURATION_MS })), ports: [] };
  } catch (e) {
    throw linkError(e);
  }
}

export function formatScan(r: ScanOutput, serial: boolean): string {
  if (serial) {
    if (r.ports.length === 0) return 'no serial ports found (a pod on a wire shows up as /dev/ttyACM* or /dev/ttyUSB*; `retrostep sim` prints its own)';
    return r.ports.map((p) => `${p.path}${p.manufacturer ? `  ${p.manufacturer}` : ''}${p.vendorId ? `  ${p.vendorId}:${p.productId ?? ''}` : ''}`).join('\n');
  }
  const line = (p: PodSighting) => `${(p.name || '(no name)').padEnd(16)} ${p.address}  ${p.rssi} dBm`;
  const lines = r.pods.length === 0 ? ['no retrostep pods heard: is the pod awake (move it) and within a few metres?'] : [...r.pods.map(line), 'connect with: retrostep --ble <name or address> sync'];
  // (a pod whose program is gone advertises as a plain Puck.js: listed with what to do, not left out)
  if (r.consoles.length > 0) lines.push('', 'heard without the retrostep service:', ...r.consoles.map((c) => `${line(c)}\n  ${consoleHint(c)}`));
  return lines.join('\n');
}

/** The virtual pod as a scan would hear it: its advertised name and its id; no radio, so no signal strength. */
function simSighting(pod_id: string): PodSighting {
  return { name: `retrostep-${pod_id.slice(8, 12)}`, address: pod_id, rssi: 0 };
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('list retrostep pods in Bluetooth range (or serial ports with --serial)')
    .option('--serial', 'list serial ports instead')
    .option('--json', 'machine-readable output')
    .action(async (o: { serial?: boolean; json?: boolean }, cmd: Command) => {
      // --sim: the in-process virtual pod is the one pod in range (no radio is asked)
      const sim = !o.serial && (cmd.optsWithGlobals() as { sim?: boolean }).sim;
      // (--state where no virtual pod is scanned: the ports listed, or pods heard over Bluetooth, as a link command without --sim)
      if (o.serial) refuseLinkOptions(cmd, (pod) => `\`scan --serial\` lists this computer's serial ports, not ${pod}`);
      else if (!sim) {
        refuseStrayState(linkOptions(cmd));
        // (--port: a scan listens over Bluetooth, and `--port /dev/ttyACM0 scan` was told "no usable Bluetooth LE
        // adapter ... or connect the pod over USB serial instead", of the pod on USB serial it named; with an adapter,
        // pods heard over the air were listed. --ble is a scan's own way, its name left for the pods it lists)
        const port = programOptionValues(cmd, 'port').at(-1) as string | undefined;
        if (port !== undefined) {
          throw new InputError(`--port: \`scan\` listens for pods over Bluetooth, not on ${port}: \`retrostep --port ${shellWord(port)} sync\` reaches the pod there, and \`retrostep scan --serial\` lists the serial ports; leave --port out`);
        }
      }
      const r: ScanOutput = sim ? { pods: [await withPod(cmd, async (client) => simSighting((await client.request('hello', {}, 'info')).pod_id))], consoles: [], ports: [] } : await scan(o);
      if (sim && !o.json) console.log(`${r.pods[0].name.padEnd(16)} ${r.pods[0].address}  the virtual pod (no radio)\nconnect with: retrostep --sim <command>, e.g. retrostep --sim sync`);
      else console.log(o.json ? JSON.stringify({ schema_version: 1, ...r }) : formatScan(r, !!o.serial));
    });
}
