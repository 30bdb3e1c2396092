/** `retrostep report`: the period's HTML report written to a file. */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { cannotWrite, STDOUT, writeWhole } from '../out-file.js';
import type { Db } from '../store/db.js';
import { renderReportHtml } from './html.js';
import type { Period } from './period.js';
import { reportData } from './report-data.js';


/** (`out` STDOUT: the page on standard output; it wrote a file named "-" in the current folder) */
export async function writeReport(db: Db, period: Period, out: string, podId?: string): Promise<{ file: string; bytes: number; minutes: number }> {
  const dir = path.dirname(path.resolve(out));
  if (out !== STDOUT && !fs.existsSync(dir)) throw new InputError(`cannot write ${out}: folder ${dir} does not exist`);
  const data = reportData(db, period, podId);
  const html = await renderReportHtml(data);
  if (out === STDOUT) {
    process.stdout.write(html);
    return { file: STDOUT, bytes: Buffer.byteLength(html), minutes: data.summary.minutes };
  }
  try {
    writeWhole(out, html);
  } catch (e) {
    throw cannotWrite(out, e);
  }
  return { file: path.resolve(out), bytes: Buffer.byteLength(html), minutes: data.summary.minutes };
}
