/** `retrostep web`: the sync page on this computer (Web Bluetooth in Chrome or Edge), storing into the same database. */
import type { Command } from 'commander';
import { InputError } from '../errors.js';
import { withDb } from './db-option.js';
import { refuseLinkOptions } from './link-option.js';

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
        // (Ctrl-C is caught before the address is printed: one sent as soon as it shows must not kill the process)
        const stopped = new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        console.log(`retrostep web: open ${server.url} in Chrome or Edge (database ${file}); Ctrl-C stops`);
        await stopped;
        await server.close();
      });
    });
}
