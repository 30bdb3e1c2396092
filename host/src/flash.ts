/**
 * `retrostep flash`'s work: upload the pod bundle through Espruino's console
 * (a new Puck.js, or a pod in update mode: firmware/src/update.ts), the way the
 * Espruino IDE saves to Storage: the bundle is written to .bootcde in base64
 * chunks, each acknowledged, its CRC-32 checked on the pod against ours,
 * then the pod restarts into it.
 */
import { crc32 } from '../../shared/protocol/crc32.js';
import { PodError } from './errors.js';
import { lostPod } from './pod-client.js';
import type { Transport } from './transports/transport.js';

/** Raw bytes per chunk: 384 -> 512 base64 characters, one console line well under Espruino's input buffer. */
const FLASH_CHUNK_BYTES = 384;
/** The pod answers a chunk in a few connection intervals; 5 s bounds a busy flash compaction. */
const CHUNK_TIMEOUT_MS = 5000;
/** The board the pod firmware is for, as Espruino names it (process.env.BOARD); flash writes to no other. */
const POD_BOARD = 'PUCKJS';
/** Where Espruino runs code from at power-on. */
const BOOT_FILE = '.bootcde';

export interface FlashResult {
  bytes: number;
  chunks: number;
  crc32: number;
}

/** The console did not answer a line within CHUNK_TIMEOUT_MS: not in update mode, or its answers read by another program. */
export class ConsoleSilentError extends PodError {
  constructor(readonly what: string) {
    super(`the pod's console did not confirm ${what}: is it in update mode (hold the button 3 s while inserting the battery; the green LED blinks)?`);
    this.name = 'ConsoleSilentError';
  }
}

/**
 * The pod is not in update mode, so it offers no console to upload through, found as the pod heard running its
 * program with no console (BLE: transports/ble.ts PodWithoutConsoleError) or the virtual pod offering none; over a
 * wire, as a console that does not answer (ConsoleSilentError). Either is the pod refusing, exit 4 (README: 4 the pod
 * refused), whichever link found it: `--sim flash` said 5 where `--port flash` said 4. Nothing heard over the air at
 * all is the link's, exit 5.
 */
export class NotInUpdateModeError extends PodError {
  constructor(message: string) {
    super(message);
    this.name = 'NotInUpdateModeError';
  }
}

/** Console output as it arrives, with a wait for a token. */
class ConsoleReader {
  private text = '';
  private waiters: { token: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  constructor(t: Transport) {
    // (the link lost mid-wait: said at once, not as a chunk the pod never confirmed after CHUNK_TIMEOUT_MS)
    t.once('close', (err) => {
      const e = lostPod(err, "the upload stopped part way, so the pod's program is not whole: put it in update mode again and run flash again");
      for (const w of this.waiters) w.reject(e);
      this.waiters = [];
    });
    t.on('data', (b) => {
      this.text += Buffer.from(b).toString('latin1');
      this.waiters = this.waiters.filter((w) => {
        if (!this.text.includes(w.token)) return true;
        w.resolve();
        return false;
      });
    });
  }
  wait(token: string, what: string): Promise<void> {
    if (this.text.includes(token)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new ConsoleSilentError(what)), CHUNK_TIMEOUT_MS);
      this.waiters.push({ token, resolve: () => (clearTimeout(timer), resolve()), reject: (e) => (clearTimeout(timer), reject(e)) });
    });
  }
  output(): string {
    return this.text;
  }
}

export async function uploadBundle(t: Transport, bundle: string, onProgress?: (done: number, total: number) => void): Promise<FlashResult> {
  const bytes = Buffer.from(bundle, 'latin1');
  const reader = new ConsoleReader(t);
  const line = (code: string) => t.write(Buffer.from(`\x10${code}\n`, 'latin1'));
  // Ctrl-C twice: drop whatever half-typed line the console holds
  await t.write(Uint8Array.of(3, 3));
  // which board it is, before anything is written: any Espruino device offers the same console (a Bangle.js
  // watch), and the pod firmware written over its boot code would leave it running ours on the wrong hardware
  await line('print("RS-BOARD="+process.env.BOARD+"=RS")');
  await reader.wait('=RS\r', 'it is listening');
  const board = /RS-BOARD=(.*?)=RS\r/.exec(reader.output())?.[1];
  if (board !== POD_BOARD) throw new PodError(`this device is a ${board || 'board that does not say what it is'}, not a Puck.js: the pod firmware runs on a Puck.js only; nothing was written`);
  const chunks = Math.ceil(bytes.length / FLASH_CHUNK_BYTES);
  for (let i = 0; i < chunks; i++) {
    const at = i * FLASH_CHUNK_BYTES;
    const b64 = bytes.subarray(at, at + FLASH_CHUNK_BYTES).toString('base64');
    // the first write creates the file at its full size; later ones fill it in
    await line(`require("Storage").write(${JSON.stringify(BOOT_FILE)},atob("${b64}"),${at}${i === 0 ? `,${bytes.length}` : ''});print("RS-OK${i}")`);
    await reader.wait(`RS-OK${i}\r`, `chunk ${i + 1} of ${chunks}`);
    onProgress?.(i + 1, chunks);
  }
  const crc = crc32(bytes);
  await line(`print("RS-CRC"+(E.CRC32(require("Storage").read(${JSON.stringify(BOOT_FILE)}))>>>0)+"!")`);
  await reader.wait('!', 'the check of what it stored');
  const m = /RS-CRC(\d+)!/.exec(reader.output());
  if (!m || Number(m[1]) !== crc) throw new PodError(`the pod stored something else (CRC ${m?.[1]} instead of ${crc}): nothing was started; run flash again`);
  // restart into the new program
  await line('load()');
  return { bytes: bytes.length, chunks, crc32: crc };
}
