/** A path's stat, where a missing file and a path through a file are both "nothing there". */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';

/**
 * A path that cannot be looked at: a folder on its way is closed to this user (stat's EACCES or EPERM), as another
 * user's home is; its links lead round in a circle (ELOOP); or its name is longer than the system takes
 * (ENAMETOOLONG: a script's doubled variable). Each was "unexpected error: ... (this is a bug)". `why` says which,
 * for the callers that say the file's role (the database's line).
 */
export class UnreachableError extends InputError {
  constructor(
    readonly file: string,
    readonly why: string,
  ) {
    super(`cannot reach ${file}: ${why}`);
    this.name = 'UnreachableError';
  }
}

/** The first folder on the way to `file` this user may not enter, or null (the file itself is what is refused). */
function closedFolder(file: string): string | null {
  const folders: string[] = [];
  for (let d = path.dirname(path.resolve(file)); ; d = path.dirname(d)) {
    folders.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of folders) {
    try {
      fs.accessSync(d, fs.constants.X_OK);
    } catch {
      return d;
    }
  }
  return null;
}

/**
 * fs.statSync, or null when there is nothing at `file`: none (ENOENT), or a part of its path is a file, not a
 * folder (ENOTDIR: `--out notes.txt/week.html`). statSync's throwIfNoEntry spares ENOENT only: the other was
 * "unexpected error: ENOTDIR" from report, export, record, --db and --state.
 */
export function statIfThere(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EACCES' || code === 'EPERM') {
      const folder = closedFolder(file);
      throw new UnreachableError(file, `permission denied${folder ? ` (you may not enter folder ${folder})` : ''}`);
    }
    if (code === 'ELOOP') throw new UnreachableError(file, 'its symbolic links lead round in a circle');
    if (code === 'ENAMETOOLONG') throw new UnreachableError(file, 'its name is too long for this system');
    throw e;
  }
}

/**
 * Why this user may not write `file` (access()'s code: EACCES or EPERM by its mode, EROFS a read-only drive, ENOENT
 * none there...), or null when they may. The store asks it of a database, its -wal and -shm, and their folder.
 */
export function writeRefusal(file: string): string | null {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'UNKNOWN';
  }
}

/**
 * What a path is when it is neither a regular file nor a folder, as a person names it: a device (/dev/zero, a
 * terminal), a pipe (a FIFO, a shell's <(...)) or a socket; null for a regular file or a folder. Read whole, a
 * device may never end and a pipe waits on its writer for good.
 */
function specialFileKind(st: fs.Stats): string | null {
  if (st.isFile() || st.isDirectory()) return null;
  return st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'a device';
}

/** A file's size as a person reads it: "1074 MB", "41 KB", "300 bytes" (decimal units, as `ls -h --si` gives them). */
function sizeWords(bytes: number): string {
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} KB`;
  return `${bytes} bytes`;
}

/** A file a command reads whole, as refuseBeforeRead says it. */
export interface WholeRead {
  /** what the command reads, after "F is not a regular file (a pipe): " */
  reads: string;
  /** the largest file it reads */
  maxBytes: number;
  /** after "F is N MB, ": why a file that big is not what it reads, and what to do, given the largest (`max`) in words */
  tooBig: (max: string) => string;
}

/**
 * A file a command reads whole (replay's recording, flash's bundle, `config set --file`), refused in one line before
 * it is opened when it cannot be one: a device (/dev/zero was read without end), a pipe (one whose writer stays open
 * was waited on for good; a shell's <(...) is one too), a socket, or a file over `r.maxBytes` (read whole, seconds
 * and gigabytes, to fail after). `st` is the file's statIfThere.
 */
export function refuseBeforeRead(file: string, st: fs.Stats, r: WholeRead): void {
  const kind = specialFileKind(st);
  if (kind) throw new InputError(`${file} is not a regular file (${kind}): ${r.reads}`);
  if (st.size > r.maxBytes) {
    // (rounded alike, a file just over the largest read "66 KB, more than any settings file holds (66 KB ...)": both
    // in bytes then)
    const exact = sizeWords(st.size) === sizeWords(r.maxBytes);
    const words = (bytes: number) => (exact ? `${bytes.toLocaleString('en-US')} bytes` : sizeWords(bytes));
    throw new InputError(`${file} is ${words(st.size)}, ${r.tooBig(words(r.maxBytes))}`);
  }
}

/** The first `bytes` bytes of `file` (fewer if it is shorter), or null when it cannot be read: nothing there, a folder, no permission. */
export function fileStart(file: string, bytes: number): Buffer | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(bytes);
    return head.subarray(0, fs.readSync(fd, head, 0, bytes, 0));
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
