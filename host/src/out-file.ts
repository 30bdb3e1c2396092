/**
 * Files the CLI is told to write (--out of report, export, record): the usual mistakes said in one line, in
 * words, as `replay` and --db say theirs ("is a folder"); the rest as the system says it.
 */
import fs from 'node:fs';
import { InputError } from './errors.js';

/** Why `file` cannot be written, from the error writing it threw. */
export function cannotWrite(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder, not a file' : (e as Error).message;
  return new InputError(`cannot write ${file}: ${why}`);
}

/**
 * A folder given for a file to write, refused before any work is done (the pod asked, the report drawn; a
 * FIT export of several days would otherwise write its files beside it, as `<folder>-<day>.fit`).
 */
export function refuseFolder(file: string): void {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw cannotWrite(file, { code: 'EISDIR' });
}
