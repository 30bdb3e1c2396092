/**
 * The link bundle (link.ts and the protocol code it uses), evaluated when a
 * host connects. The build puts the bundle's minified source here as one
 * string literal in place of RETROSTEP_LINK_SOURCE: stored raw in the
 * pretokenised pod bundle, it stays in flash, and so does the code of every
 * function it defines (Espruino keeps a function's code as a pointer into the
 * flash string it was parsed from). Until this runs, and again once the pod
 * drops the link, none of it is in RAM.
 */
import type { createLink } from './link.js';
import { getU16, getU32, putU16, putU32 } from '../../shared/protocol/bytes.js';
import { crc32 } from './hal/crc32.js';
import { configKeys } from '../../shared/protocol/config.js';

declare const RETROSTEP_LINK_SOURCE: string;

/**
 * The pod's own byte helpers, CRC and settings' names, handed to the link, which would
 * otherwise carry a copy of each (the bundle's value is a function of them:
 * scripts/build-firmware.mjs, LINK_FROM_POD, names them in this order).
 */
export function loadLink(): typeof createLink {
  // indirect eval: the bundle is one expression; a direct eval would stop the minifier renaming anything in
  // the scopes around it
  return (0, eval)(RETROSTEP_LINK_SOURCE)(putU16, putU32, getU16, getU32, crc32, configKeys);
}
