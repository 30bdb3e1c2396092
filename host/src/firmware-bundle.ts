/**
 * Finds the built pod bundle at the package root, made by `npm install` /
 * `npm run build:firmware`: dist/firmware/retrostep.tok.js, the minified ES5
 * bundle (retrostep.min.js) pretokenised: what `retrostep flash` uploads, a
 * pod stores, and the virtual pod stores and reads back as a pod does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { detokenise } from '../../shared/espruino/tokens.js';
import { RETROSTEP_SERVICE_UUID } from '../../shared/protocol/uuids.js';
import { InputError, UserError } from './errors.js';
import { refuseBeforeRead, statIfThere } from './file-stat.js';
import { FILE_HEADER_BYTES, FLASH_PAGE_BYTES, STORAGE_PAGES } from './sim/flash.js';

/** The bundle pretokenised (shared/espruino/tokens.ts): what `retrostep flash` uploads and a pod stores. */
export const STORED_BUNDLE_RELATIVE_PATH = path.join('dist', 'firmware', 'retrostep.tok.js');

/** The package root: the nearest folder above this file holding package.json (works from host/src under tsx and from dist/host/src). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new UserError('cannot find the retrostep package folder (package.json)');
    dir = up;
  }
}

/** The pretokenised bundle: what is uploaded to and stored on a pod. */
export function storedBundlePath(): string {
  return path.join(packageRoot(), STORED_BUNDLE_RELATIVE_PATH);
}

/** A bundle file as its bytes, one char each (the minified bundle is ASCII; the stored one has token bytes). */
export function readBundle(file = storedBundlePath()): string {
  if (!fs.existsSync(file)) throw new UserError(`the pod firmware is not built (${file} is missing): run \`npm run build:firmware\``);
  return fs.readFileSync(file, 'latin1');
}

/**
 * The largest bundle `flash` takes (bytes), checked before it reads any: a Puck.js's whole Storage area (its board
 * file gives saved code and Storage 10 pages of 4 KB: sim/flash.ts) less the header of the one file, .bootcde, it
 * is written to. A bigger one could never be stored (the pod's Storage.write would throw part way through the
 * upload); the built bundle is about half of it. A far bigger file (or /dev/zero) was read whole first.
 */
export const MAX_BUNDLE_BYTES = STORAGE_PAGES * FLASH_PAGE_BYTES - FILE_HEADER_BYTES;

/**
 * A bundle to upload (`retrostep flash --bundle FILE`), checked before anything is sent: a readable file that
 * looks like what the build writes (scripts/build-firmware.mjs), that is, it carries the retrostep service UUID
 * (every pod build advertises it) and, read back as the pod's lexer reads it (detokenised, as the virtual pod
 * does), compiles as JavaScript (compiled here, never run). Its bytes, one char each; one line otherwise.
 * It cannot tell a bundle that runs from one that does not: the pod's CRC check and restart do the rest.
 */
export function readBundleToFlash(file: string): string {
  const built = file === storedBundlePath() ? ': run `npm run build:firmware`' : '';
  let text: string;
  try {
    const st = statIfThere(file);
    if (!st) throw new InputError(`no firmware bundle at ${file}${built}`);
    if (st.isDirectory()) throw new InputError(`--bundle ${file} is a folder: give the bundle file the build writes (${STORED_BUNDLE_RELATIVE_PATH})`);
    refuseBeforeRead(file, st, {
      reads: `flash uploads a bundle saved in a file (the build writes ${STORED_BUNDLE_RELATIVE_PATH})`,
      maxBytes: MAX_BUNDLE_BYTES,
      tooBig: (max) => `more than a Puck.js's Storage holds (${max}), so it is no pod bundle: flash the one the build writes, ${STORED_BUNDLE_RELATIVE_PATH}`,
    });
    text = fs.readFileSync(file, 'latin1');
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `no firmware bundle at ${file}${built}` : `cannot read the firmware bundle ${file}: ${(e as Error).message}`);
  }
  const notOurs = (why: string) => new InputError(`${file} is not a retrostep pod bundle (${why}): flash the one the build writes, ${STORED_BUNDLE_RELATIVE_PATH}`);
  // (an empty file was said to lack the pod's service UUID, as if it held something else)
  if (text.length === 0) throw notOurs('it is empty');
  if (!text.includes(RETROSTEP_SERVICE_UUID)) throw notOurs('it lacks the pod\'s service UUID');
  try {
    new vm.Script(detokenise(text), { filename: file });
  } catch (e) {
    throw notOurs(`it is not JavaScript the pod can read: ${(e as Error).message}`);
  }
  return text;
}
