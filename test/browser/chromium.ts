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
import { type Browser, chromium, type Page } from 'playwright-core';

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

/**
 * Chrome on Linux ships with Web Bluetooth off. `webBluetooth` turns it on
 * with the switch Chrome's implementation-status page gives for Linux
 * (--enable-experimental-web-platform-features), for tests of the browser's
 * own Web Bluetooth. Not --enable-features=WebBluetooth: a second
 * --enable-features would replace Playwright's own list instead of adding to it.
 */
export function launchChromium(options: { webBluetooth?: boolean } = {}): Promise<Browser> {
  if (!hasChromium) throw new Error(`no Chromium at ${CHROMIUM_PATH}: apt-get install chromium (as root), or set RETROSTEP_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...ARGS, ...(options.webBluetooth ? ['--enable-experimental-web-platform-features'] : [])] });
}

/** Where a browser test keeps what it saw (screenshots, PDFs): test-output/<name>/, gitignored. */
export function testOutputDir(name: string): string {
  const dir = path.resolve('test-output', name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The Web Bluetooth double as one script for page.addInitScript (its pod: bridgeGatt in gatt-bridge.ts). */
export async function bluetoothDoubleScript(): Promise<string> {
  const r = await build({ entryPoints: [path.resolve('host/web/sim/web-bluetooth-double.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'chrome100', write: false, logLevel: 'error' });
  return r.outputFiles[0].text;
}

/**
 * Text drawn smaller than `min_px` on a page or frame, outside its charts' SVGs (their labels are checked by their
 * scale): "14.4px: Walk backward only on...". The report and the page are set in 20 px type for readers over 65.
 */
export async function textSmallerThan(page: { evaluate: Page['evaluate'] }, min_px: number): Promise<string[]> {
  return (await page.evaluate(`Array.from(document.querySelectorAll('body *'))
    .filter((e) => !e.closest('svg') && e.getClientRects().length > 0 && Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim()))
    .map((e) => [parseFloat(getComputedStyle(e).fontSize), e.textContent.trim().slice(0, 50)])
    .filter(([px]) => px < ${min_px})
    .map(([px, t]) => px + 'px: ' + t)`)) as string[];
}
