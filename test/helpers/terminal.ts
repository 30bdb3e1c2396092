/**
 * Run the built `retrostep` on a real pseudo-terminal, as a person at a terminal would (stdout and stderr a TTY:
 * the progress bars draw), and press Ctrl-C on it. python3's pty.spawn (standard library, as host/src/sim/pty-pair.ts
 * uses) holds the terminal: its stdin is typed into it, everything the terminal shows comes out of its stdout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { BIN } from './cli.js';
import { waitFor } from './wait.js';

const PTY_SPAWN_PY = 'import os, pty, sys\nsys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))';

/** What the terminal showed (\r\n as a terminal ends lines) and the exit code of `retrostep ARGS`, Ctrl-C typed once `ready` holds of the screen so far. */
export async function ctrlCOnTerminal(args: string[], ready: (shown: string) => boolean): Promise<{ code: number | null; shown: string }> {
  const child = spawn('python3', ['-I', '-c', PTY_SPAWN_PY, process.execPath, BIN, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let shown = '';
  child.stdout.on('data', (b: Buffer) => (shown += b.toString()));
  const code = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  try {
    await waitFor(() => ready(shown), 'the screen ready for Ctrl-C', 60_000);
    // (the terminal's own Ctrl-C: its line discipline sends SIGINT to the command, and echoes ^C where the cursor is)
    child.stdin.write('\x03');
    return { code: await code, shown };
  } finally {
    child.kill('SIGKILL');
  }
}

/**
 * What the terminal showed and the exit code of a shell (sh) run on a new pseudo-terminal, its controlling one, given
 * `script` with this node as $1 and BIN as $0 (`"$1" "$0" --port "$(tty)" sync`): the shell is the command's parent,
 * as at a prompt.
 */
export function shellOnTerminal(script: string): { code: number | null; shown: string } {
  const r = spawnSync('python3', ['-I', '-c', PTY_SPAWN_PY, 'sh', '-c', script, BIN, process.execPath], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60_000 });
  return { code: r.status, shown: r.stdout };
}
