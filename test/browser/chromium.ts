/**
 * Real Chromium for the browser tests: Debian's `chromium` driven by
 * playwright-core (no browser download: it is pointed at the system one).
 * Without it the browser tests are skipped, and global-setup.ts says so in
 * one line; on CI (CI set) a missing Chromium fails them instead, since
 * .ci/run installs it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.RETROSTEP_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM_PATH);
/** Skip the browser tests only where there is no Chromium and this is not CI. */
export const skipBrowserTests = !hasChromium && !process.env.CI;
export const BROWSER_TEST_FILES = ['test/report-browser.test.ts', 'test/web-browser.test.ts'];

/**
 * Flags for this machine's closed network: without the background-networking
 * ones Chromium keeps trying Google's hosts at every start. Playwright adds
 * --headless and a fresh --user-data-dir of its own.
 */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium (as root), or set RETROSTEP_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}

/** Where a browser test keeps what it saw (screenshots, PDFs): test-output/<name>/, gitignored. */
export function testOutputDir(name: string): string {
  const dir = path.resolve('test-output', name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The Web Bluetooth double as one script for page.addInitScript, bound to a bridge URL (or none: no pod in range). */
export async function bluetoothDoubleScript(opts: { bridgeUrl?: string; available?: boolean } = {}): Promise<string> {
  const r = await build({ entryPoints: [path.resolve('host/web/sim/web-bluetooth-double.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'chrome100', write: false, logLevel: 'error' });
  const settings = `window.__RETROSTEP_BRIDGE_URL__ = ${JSON.stringify(opts.bridgeUrl ?? '')}; window.__RETROSTEP_BLUETOOTH_AVAILABLE__ = ${opts.available !== false};\n`;
  return settings + r.outputFiles[0].text;
}
