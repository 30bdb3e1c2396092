/**
 * The progress bar sync and flash draw on stderr: on a terminal only (scripts and pipes get the result line alone).
 * While it is drawn the cursor sits at its end, so a line written under it must end it first: the command's own
 * (stopped in its `finally`, before its error is printed) and one written from outside the command, the virtual
 * pod's stop line at Ctrl-C (link.ts), which calls endProgressBar. Either was written on the bar's line
 * ("uploading 12/40retrostep: ...").
 */
import cliProgress from 'cli-progress';

export interface ProgressBar {
  /** Draw `done` of `total` (the bar appears at the first call). */
  update(done: number, total: number): void;
  /** End the bar's line, if it was drawn (again: nothing). */
  stop(): void;
}

/** The bar being drawn, for endProgressBar. */
let drawn: cliProgress.SingleBar | null = null;

/** A bar reading "`label` [bar] done/total `unit`", drawn when `show` (stderr a terminal, by default). */
export function progressBar(label: string, unit: string, show = !!process.stderr.isTTY): ProgressBar {
  const bar = show
    ? new cliProgress.SingleBar(
        // (gracefulExit off, as by default, said: its own SIGINT listener would make the virtual pod's stop give way, link.ts)
        { format: `${label} {bar} {value}/{total} ${unit}`, stream: process.stderr, gracefulExit: false },
        cliProgress.Presets.shades_classic,
      ) : null;
  let started = false;
  return {
    update(done, total) {
      if (!bar) return;
      if (started) bar.update(done);
      else (bar.start(total, done), (started = true), (drawn = bar));
    },
    stop() {
      if (!bar || !started) return;
      started = false;
      if (drawn === bar) drawn = null;
      bar.stop();
    },
  };
}

/** End the bar being drawn, if any, before a line from outside its command. */
export function endProgressBar(): void {
  const bar = drawn;
  drawn = null;
  bar?.stop();
}
