/** The folder a default path lives in (your data folder: the database, the virtual pod's state), made if missing. */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseError, InputError } from './errors.js';

/**
 * Makes `dir` (and its parents); one line if the system refuses (no permission, a file in the way), naming the
 * option that picks another place: the database's is a DatabaseError, the state's bad input, as their other
 * path errors are.
 */
export function makeDataFolder(dir: string, option: '--db' | '--state'): void {
  try {
    makeFolders(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way' : code === 'ENOENT' ? 'the system allows no folder there' : (e as Error).message;
    const message = `cannot make the data folder ${dir} (${why}): pick another place with ${option}`;
    throw option === '--db' ? new DatabaseError(message) : new InputError(message);
  }
}

/**
 * mkdir -p, a level at a time from the first folder that exists. Node's own (mkdirSync with recursive) never
 * returns where the system refuses a folder with ENOENT under a parent that exists (XDG_DATA_HOME=/proc: retrostep
 * hung); a plain mkdir per level gives that error.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      // (another retrostep made it meanwhile)
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(d).isDirectory()) throw e;
    }
  }
  // (a file where the folder should be: said as mkdir would say it)
  if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is a file`), { code: 'EEXIST' });
}
