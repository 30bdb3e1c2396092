/**
 * Files the CLI is told to write (--out of report, export, record): the usual mistakes said in one line, in
 * words, as `replay` and --db say theirs ("is a folder"); the rest as the system says it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from './errors.js';
import { fileStart, UnreachableError, statIfThere } from './file-stat.js';
import { RECORDING_FIRST_LINE } from './replay/recording.js';
import { onStoppingSignals, quietIfHungUp, stoppedExitCode } from './stopping-signals.js';
import { SQLITE_HEADER } from './store/db.js';

/** `--out -`: standard output, as Unix tools read it (export's csv and json, report's page; record refuses it). */
export const STDOUT = '-';

/** Why `file` cannot be written, from the error writing it threw. */
export function cannotWrite(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EISDIR' ? 'it is a folder, not a file' : code === 'ENOSPC' ? 'the disk is full' : code === 'EDQUOT' ? 'your disk quota is used up' : code === 'EFBIG' ? 'it would be larger than a file may be here (ulimit -f)' : code === 'ENOTDIR' ? 'a folder in its path is a file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message;
  return new InputError(`cannot write ${file}: ${why}`);
}

/**
 * From the first whole-file write on, a stopping signal (Ctrl-C, SIGTERM, SIGHUP) is listened for until the process
 * ends: with no listener, Node ends the process the instant the signal lands, and one landing between writing the
 * temp file and renaming it left `.NAME.PID.tmp` beside the file. Listened for, it is handled only once the write
 * (synchronous, start to end) has returned, the file whole or as it was and no temp file left; then the process ends
 * as the signal would have ended it (130, 143, 129), silently as before. Never let go: a listener removed as the
 * write returned took a signal that landed during it with it, and the signal was dropped, the command run on.
 */
let stopsHeldPastWrites = false;
function holdStopsPastWrites(): void {
  if (stopsHeldPastWrites) return;
  stopsHeldPastWrites = true;
  onStoppingSignals((signal) => {
    quietIfHungUp(signal);
    process.exit(stoppedExitCode(signal));
  });
}

/**
 * Write `data` to `file` whole or not at all: written beside it, then renamed over it. Written straight, a full disk
 * left the file cut off part way, a report's page or an export's CSV that ends at a row as if the period did, over
 * the one there before; now that one stays as it was, and nothing is left beside it. A --out that is no plain file
 * (/dev/stdout, a pipe) is written straight, as is a file in a folder we may not add to (the file itself writable).
 * Throws what writing threw: callers say it (cannotWrite). Kept synchronous: a stopping signal waits for it to return
 * (holdStopsPastWrites).
 */
export function writeWhole(file: string, data: string | Uint8Array): void {
  const st = statIfThere(file);
  if (st && !st.isFile()) return fs.writeFileSync(file, data);
  // (a file we may not write is not replaced, as writing straight refused it: EACCES from here)
  if (st) fs.accessSync(file, fs.constants.W_OK);
  // (through a link to the file it names, as writing straight did; its permissions kept)
  const target = st ? fs.realpathSync(file) : file;
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  holdStopsPastWrites();
  try {
    fs.writeFileSync(tmp, data, { mode: st ? st.mode & 0o777 : 0o666 });
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (st && (code === 'EACCES' || code === 'EPERM')) return fs.writeFileSync(file, data);
    throw e;
  }
}

/**
 * --out's ending when it is one of `endings` (compared in any case: walk.FIT is a FIT file's name), as typed so a
 * message says it as the user wrote it; null for any other ending.
 */
function endingAmong(out: string, endings: readonly string[]): string | null {
  const typed = path.extname(out).slice(1);
  return endings.includes(typed.toLowerCase()) ? typed : null;
}

/**
 * The endings of the files this CLI writes or keeps: export's CSV, JSON and FIT, record's CSV, report's HTML, the
 * SQLite database, the virtual pod's state. A file written under another kind's ending is opened as that kind
 * (Garmin Connect given CSV as a .fit, a spreadsheet given a report's page as a .csv).
 */
const OUR_ENDINGS = ['csv', 'json', 'fit', 'html', 'htm', 'db', 'sqlite', 'sqlite3', 'flash'];

/**
 * --out's ending when it is one of another kind of file's (`own`: the endings of what is written), as typed; null
 * for the command's own endings and any ending of no kind's (walks.txt, walks: written as asked). Refused before any
 * work by report, export and record, each saying its own way out.
 */
export function foreignEnding(out: string, own: readonly string[]): string | null {
  return endingAmong(out, OUR_ENDINGS.filter((e) => !own.includes(e)));
}

/**
 * A folder given for a file to write, refused before any work is done (the pod asked, the report drawn; a
 * FIT export of several days would otherwise write its files beside it, as `<folder>-<day>.fit`).
 */
function refuseFolder(file: string): void {
  // (an empty name, as a script's unset variable gives: "cannot write : its folder does not exist" said nothing)
  if (file === '') throw new InputError('--out is empty: give a file name');
  if (statIfThere(file)?.isDirectory()) throw cannotWrite(file, { code: 'EISDIR' });
  // (a name ending in / is a folder's, there or not: `--out week.fit/` was written as week.-DAY.fit, its days' names
  // made from it, and a csv export offered "name it week.fcsv")
  if (file.endsWith('/') || file.endsWith(path.sep)) throw new InputError(`--out ${file} ends in ${file.slice(-1)}, as a folder's name does: give a file name`);
}

/** Is `file` the same file as `kept`, by another name too (a link, a relative path), or its path if neither is there yet? */
export function sameFile(file: string, kept: string): boolean {
  const out = statOrNull(file);
  const other = statOrNull(kept);
  return out && other ? out.dev === other.dev && out.ino === other.ino : path.resolve(file) === path.resolve(kept);
}

/**
 * statIfThere for a comparison: a file this user may not reach is compared by its path (the data folder's pod state,
 * in a folder closed to them, stopped every --db and --out given elsewhere); its own use says why it cannot be used.
 */
function statOrNull(file: string): fs.Stats | null {
  try {
    return statIfThere(file);
  } catch (e) {
    if (e instanceof UnreachableError) return null;
    throw e;
  }
}

/**
 * The files retrostep keeps, given for a file to write, refused before any work: a report, an export or a
 * recording (`record --force`) written over the database (`--db week.db ... --out week.db`) would lose every stored
 * record (the pod has freed those it synced); over the virtual pod's state (`sim`'s and --sim's, sim-pod.flash in
 * the data folder or --state), the minutes that pod has not synced yet, and its settings.
 */
export function refuseKept(file: string, dbFile: string, simStateFile: string, o: { overRecording?: boolean } = {}): void {
  if (sameFile(file, dbFile)) throw new InputError(`cannot write ${file}: it is the database, and writing over it would lose every stored record: pick another --out`);
  if (sameFile(file, simStateFile)) throw new InputError(`cannot write ${file}: it is the virtual pod's state file, and writing over it would lose the minutes the virtual pod has not synced: pick another --out`);
  refuseByContent(file, o.overRecording ?? false);
}

/**
 * Files that cannot be made again, known by how they start rather than by name: a recording (`record`'s walk.csv, as
 * an export's CSV is named: `export --format csv --out walk.csv` wrote the export over it without a word), or a
 * database other than --db's (another person's, last year's). Only `record --force` writes over a recording: asked.
 */
function refuseByContent(file: string, overRecording: boolean): void {
  // (only a regular file can be either: opening a FIFO to read its start waits for a writer, so an --out FIFO with
  // `cat` reading its other end was waited on for good)
  if (!statOrNull(file)?.isFile()) return;
  const head = fileStart(file, Math.max(SQLITE_HEADER.length, RECORDING_FIRST_LINE.length))?.toString('latin1');
  if (head === undefined) return;
  if (head.startsWith(SQLITE_HEADER)) throw new InputError(`cannot write ${file}: it is an SQLite database (another retrostep database?), and writing over it would lose what it holds: pick another --out`);
  if (!overRecording && head.startsWith(RECORDING_FIRST_LINE)) throw new InputError(`cannot write ${file}: it is a recording (\`retrostep record\`), which cannot be made again: pick another --out`);
}

/** A file --out names, refused before any work if it cannot be what is asked (empty, a folder, the database, the virtual pod's state, a recording or another database). */
export function refuseOutFile(file: string, dbFile: string, simStateFile: string, o: { overRecording?: boolean } = {}): void {
  refuseFolder(file);
  refuseKept(file, dbFile, simStateFile, o);
}
