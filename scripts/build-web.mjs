// Builds the `retrostep web` page's script: host/web/page (with the host
// sync, the pod client and shared/protocol it imports) as ONE browser file,
// dist/web/app.js. esbuild fails the build on any Node import, which keeps
// the shared code browser-safe.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB_BUNDLE = path.join(root, 'dist/web/app.js');

/** Chrome and Edge have had Web Bluetooth with writeValueWithResponse since 85. */
const TARGET = ['chrome85', 'edge85'];

await build({
  entryPoints: [path.join(root, 'host/web/page/main.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: TARGET,
  minify: true,
  legalComments: 'none',
  outfile: WEB_BUNDLE,
  logLevel: 'error',
});
console.log(`web page bundle: ${fs.statSync(WEB_BUNDLE).size} bytes minified -> dist/web/app.js`);
