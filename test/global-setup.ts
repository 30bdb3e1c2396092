// Tests run the REAL firmware bundle, the REAL web page bundle and spawn the REAL built CLI: rebuild
// them first so a change in firmware/, shared/ or host/ is what runs
// (about 3 s for the bundle, 10 s for the host).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { BROWSER_TEST_FILES, CHROMIUM_PATH, skipBrowserTests } from './browser/chromium.js';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-firmware.mjs'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
  // the one line the handbook asks for: what is skipped, and how to run it
  if (skipBrowserTests) console.log(`browser tests SKIPPED (${BROWSER_TEST_FILES.join(', ')}): no Chromium at ${CHROMIUM_PATH}; enable them with \`apt-get install chromium\` (as root) or RETROSTEP_CHROMIUM=/path/to/chromium`);
}
