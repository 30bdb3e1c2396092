/**
 * report's and export's whole-file write (out-file.ts writeWhole) stopped by a signal: the signal raised for real, in
 * a child process, at the one moment that left a temp file, after the temp file is written and before it is renamed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stoppedExitCode, type StoppingSignal } from '../host/src/stopping-signals.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-out-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The built writeWhole (what the CLI runs), in a child that sends itself `signal` as writeWhole renames its temp file. */
function writeSignalledAtRename(file: string, data: string, signal: StoppingSignal) {
  const outFile = pathToFileURL(path.resolve('dist/host/src/out-file.js')).href;
  const script = `
    import fs from 'node:fs';
    const { writeWhole } = await import(${JSON.stringify(outFile)});
    const rename = fs.renameSync;
    fs.renameSync = (from, to) => {
      process.kill(process.pid, ${JSON.stringify(signal)});
      rename(from, to);
    };
    writeWhole(${JSON.stringify(file)}, ${JSON.stringify(data)});
    // (the command goes on, as report's and export's do to their end: Node hands the signal on at its next turn)
    setTimeout(() => {}, 5000);
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
}

describe('a whole-file write stopped by a signal between writing its temp file and renaming it', () => {
  // breaks it: writeWhole without holdStopsPastWrites (the signal's default ended the process there, the temp file
  // left beside the file and the file as it was)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: the file is written whole, nothing is left beside it, and the process ends as the signal ends it (${stoppedExitCode(signal)})`, () => {
      const file = path.join(dir, `week-${signal}.html`);
      fs.writeFileSync(file, 'the report before');
      const r = writeSignalledAtRename(file, 'the new report', signal);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith(`.${path.basename(file)}.`))).toEqual([]);
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status, r.stderr).toBe(stoppedExitCode(signal));
      expect(r.stderr).toBe('');
      expect(fs.readFileSync(file, 'utf8')).toBe('the new report');
    });
  }
});
