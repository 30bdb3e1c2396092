/** A path's stat, where a missing file and a path through a file are both "nothing there". */
import fs from 'node:fs';

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
    throw e;
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
