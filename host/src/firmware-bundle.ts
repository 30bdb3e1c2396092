/**
 * Finds the built pod bundle at the package root, made by `npm install` /
 * `npm run build:firmware`: dist/firmware/retrostep.min.js (minified ES5) and
 * retrostep.tok.js, the same pretokenised: what `retrostep flash` uploads, a
 * pod stores, and the virtual pod stores and reads back as a pod does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './errors.js';

export const BUNDLE_RELATIVE_PATH = path.join('dist', 'firmware', 'retrostep.min.js');
/** The same bundle pretokenised (shared/espruino/tokens.ts): what `retrostep flash` uploads and a pod stores. */
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

export function bundlePath(): string {
  return path.join(packageRoot(), BUNDLE_RELATIVE_PATH);
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
