/** `retrostep web`: the sync page on this computer (Web Bluetooth in Chrome or Edge), storing into the same database. */
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { withDb } from './db-option.js';
import { refuseLinkOptions } from './link-option.js';
import { onStoppingSignals, quietIfHungUp, STOPPING_SIGNALS, type StoppingSignal } from '../stopping-signals.js';
import type { WebServed } from '../web/server.js';

/**
 * What the page stored while web served, for its stop line: the pods synced and the minute records new to `file`.
 * Syncs are not counted: the page posts its pod again at each reconnection after a dropped link (host/web/page/main.ts
 * syncWithResume), and one sync whose link dropped twice was said as "3 syncs".
 */
function servedWords(s: WebServed, file: string): string {
  if (s.pods.length === 0) return `no pod was synced through its page, nothing stored in ${file}`;
  return `${s.pods.join(', ')} synced through its page, ${s.records} new minute record${s.records === 1 ? '' : 's'} stored in ${file}`;
}

export function registerWeb(program: Command): void {
  program
    .command('web')
    .description('serve a page on this computer that syncs a pod over Web Bluetooth (Chrome, Edge) into the database and shows the report')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)')
    .action(async (o: { port?: string }, cmd: Command) => {
      // the program's --port (before the command) is a serial port, which web does not use; a number there (no
      // serial port is named by digits alone) was meant as web's own
      const serial = (cmd.parent?.opts() as { port?: string } | undefined)?.port;
      if (serial !== undefined && /^\d+$/.test(serial)) throw new InputError(`--port ${serial} before "web" names a serial port, which web does not use: put web's port after it (retrostep web --port ${serial})`);
      refuseLinkOptions(cmd, (pod) => `\`web\` serves a page that syncs a pod over Web Bluetooth, in the browser, not ${pod}`, { database: true });
      const port = o.port === undefined ? 0 : /^\d{1,5}$/.test(o.port) ? Number(o.port) : NaN;
      if (!(port >= 1 && port <= 65535) && o.port !== undefined) throw new InputError(`--port must be a port number (1-65535), not "${o.port}"`);
      // (the server, with its schemas and the report's charts, loaded when it is run, not with every command)
      const { startWebServer } = await import('../web/server.js');
      await withDb(cmd, async (db, file) => {
        const server = await startWebServer({ db, port });
        // (Ctrl-C is caught before the address is printed: one sent as soon as it shows must not kill the process; on,
        // not once, a second Ctrl-C as it closes must not either; SIGHUP, its terminal closed, stops it as live's)
        let stopListening = () => {};
        const heard = await new Promise<StoppingSignal>((resolve) => {
          stopListening = onStoppingSignals((signal) => {
            quietIfHungUp(signal);
            resolve(signal);
          });
          console.log(`retrostep web: open ${server.url} in Chrome or Edge (database ${file}); Ctrl-C stops`);
        });
        await server.close();
        stopListening();
        // (it ended without a word, where sim, live and record say what they did)
        console.log(`web stopped (${STOPPING_SIGNALS[heard]}): ${servedWords(server.served(), file)}`);
      }, { writes: true });
    });
}
