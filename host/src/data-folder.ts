/** The folder a default path lives in (your data folder: the database, the virtual pod's state), made if missing. */
import fs from 'node:fs';
import { DatabaseError, InputError } from './errors.js';

/**
 * Makes `dir` (and its parents); one line if the system refuses (no permission, a file in the way), naming the
 * option that picks another place: the database's is a DatabaseError, the state's bad input, as their other
 * path errors are.
 */
export function makeDataFolder(dir: string, option: '--db' | '--state'): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way' : (e as Error).message;
    const message = `cannot make the data folder ${dir} (${why}): pick another place with ${option}`;
    throw option === '--db' ? new DatabaseError(message) : new InputError(message);
  }
}
