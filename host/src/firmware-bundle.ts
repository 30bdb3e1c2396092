/**
 * Finds the built pod bundle (what `retrostep flash` uploads and the virtual
 * pod runs): dist/firmware/retrostep.min.js at the package root, made by
 * `npm install` / `npm run build:firmware`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './errors.js';

export const BUNDLE_RELATIVE_PATH = path.join('dist', 'firmware', 'retrostep.min.js');

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

export function readBundle(file = bundlePath()): string {
  if (!fs.existsSync(file)) throw new UserError(`the pod firmware is not built (${file} is missing): run \`npm run build:firmware\``);
  return fs.readFileSync(file, 'utf8');
}
