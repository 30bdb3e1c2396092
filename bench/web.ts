/**
 * `npm run bench web`: the browser bundle's size, and a simulated week synced
 * from the same virtual pod (the real firmware, in real time) by the CLI's
 * sync and by the `retrostep web` page in Chromium through the Web Bluetooth
 * double. Both times run from "connect" to "every record stored".
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { readBundle } from '../host/src/firmware-bundle.js';
import { PodClient } from '../host/src/pod-client.js';
import { gattMemoryTransport } from '../host/src/sim/gatt-link.js';
import { walkDays } from '../host/src/sim/serve.js';
import { podFromImage } from '../host/src/sim/sync-sweep.js';
import { VIRTUAL_POD_PASSKEY } from '../host/src/sim/talk-to-pod.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { openDb } from '../host/src/store/db.js';
import { syncPod } from '../host/src/sync.js';
import { startWebServer } from '../host/src/web/server.js';
import { bluetoothDoubleScript, CHROMIUM_PATH, hasChromium, launchChromium } from '../test/browser/chromium.js';
import { bridgeGatt, type GattBridge } from '../test/browser/gatt-bridge.js';

type Line = (name: string, value: string | number, unit?: string) => void;

const DAYS = 7;

export async function benchWeb(line: Line): Promise<void> {
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'ignore' });
  const bundle = fs.readFileSync('dist/web/app.js');
  line('web.bundle_bytes_minified', bundle.length, 'B');
  line('web.bundle_bytes_gzip', zlib.gzipSync(bundle).length, 'B');

  const walker = new VirtualPod({ bundle: readBundle(), passkey: VIRTUAL_POD_PASSKEY });
  walker.boot();
  await walkDays(walker, DAYS);
  const week = Uint8Array.from(walker.flash.image);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-bench-web-'));
  try {
    // the CLI's sync, as `retrostep --sim sync` runs it: the pod in real time, over the GATT link
    const cliDb = openDb(path.join(dir, 'cli.db'));
    const pod = podFromImage(week);
    pod.start(1);
    const t0 = performance.now();
    const link = gattMemoryTransport(pod.peripheral, { passkey: VIRTUAL_POD_PASSKEY });
    await link.open();
    const r = await syncPod(new PodClient(link), cliDb);
    await link.close();
    const cli_ms = performance.now() - t0;
    pod.stop();
    cliDb.close();
    line('web.week_records', r.added);
    line('web.week_sync_cli', (cli_ms / 1000).toFixed(2), 's');

    if (!hasChromium) {
      line('web.week_sync_browser', `skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
      return;
    }
    // the page: Chromium, its own script, the local server storing into SQLite, the double bridged to the same pod image
    const webDb = openDb(path.join(dir, 'web.db'));
    const server = await startWebServer({ db: webDb });
    const pod2 = podFromImage(week);
    pod2.start(1);
    let bridge: GattBridge | undefined;
    const browser = await launchChromium();
    try {
      // the page keeps its CSP: the double's GATT goes through Playwright's bindings, not a socket
      const page = await browser.newPage();
      bridge = await bridgeGatt(page, pod2.peripheral, { passkey: VIRTUAL_POD_PASSKEY });
      await page.addInitScript({ content: await bluetoothDoubleScript() });
      await page.goto(server.url);
      await page.waitForSelector('body[data-state="idle"]');
      const t1 = performance.now();
      await page.click('#connect');
      await page.waitForSelector('body[data-state="synced"]', { timeout: 300_000 });
      const web_ms = performance.now() - t1;
      const stored = (webDb.prepare('SELECT COUNT(*) n FROM records').get() as { n: number }).n;
      line('web.week_sync_browser', (web_ms / 1000).toFixed(2), 's');
      line('web.week_sync_browser_over_cli', (web_ms / cli_ms).toFixed(2), 'x');
      if (stored !== r.added) line('web.week_sync_browser_records', `${stored} stored, ${r.added} expected`);
    } finally {
      await browser.close();
      bridge?.close();
      pod2.stop();
      await server.close();
      webDb.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
