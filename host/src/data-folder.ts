/** The folder a default path lives in (your data folder: the database, the virtual pod's state), made if missing. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { DatabaseError, InputError } from './errors.js';

/**
 * Your data folder: ~/.local/share/retrostep on Linux (or under XDG_DATA_HOME), the system's own elsewhere. A
 * relative XDG_DATA_HOME is left out, as the XDG spec says ("all paths set in these environment variables must be
 * absolute ... consider the path invalid and ignore it"): used as is, the data went to a folder under wherever
 * retrostep was run, and another folder gave another, empty database.
 */
export function dataFolder(): string {
  const xdg = process.env.XDG_DATA_HOME;
  if (process.platform !== 'darwin' && process.platform !== 'win32' && xdg && !path.isAbsolute(xdg)) return path.join(os.homedir(), '.local', 'share', 'retrostep');
  return envPaths('retrostep', { suffix: '' }).data;
}

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
