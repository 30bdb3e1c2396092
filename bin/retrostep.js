#!/usr/bin/env node
// The `retrostep` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/host/src/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('retrostep: not built yet: run `npm install` (or `npm run build`) in the project folder first');
  process.exit(1);
}
// output piped into `head` and closed early: stop quietly, as Unix tools do
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import(cli.href);
process.exitCode = await main(process.argv);
