/**
 * `retrostep web` end to end in real Chromium: the page served by the real
 * CLI, under its own Content-Security-Policy, its own script and the
 * browser bundle of shared/protocol, a fake navigator.bluetooth whose GATT
 * goes through Playwright's bindings (no socket the CSP would have to let
 * through) to a virtual pod running the real firmware bundle, which walked
 * a simulated week. The database must then hold exactly what `retrostep
 * sync` stores from an identical pod, also when the link is cut mid-sync.
 * No adapter and no Web Bluetooth are Chromium's own behaviour: its
 * Bluetooth emulation (DevTools protocol) and its Web Bluetooth switched off.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUZZ_PATTERNS } from '../host/src/buzz-patterns.js';
import { readBundle } from '../host/src/firmware-bundle.js';
import { localDate } from '../host/src/report/period.js';
import { loopingWalker, simPodMac, walkDays } from '../host/src/sim/serve.js';
import { VIRTUAL_POD_PASSKEY } from '../host/src/sim/talk-to-pod.js';
import { talk } from '../host/src/sim/reset-sweep.js';
import { podFromImage } from '../host/src/sim/sync-sweep.js';
import { VirtualPod } from '../host/src/sim/virtual-pod.js';
import { axeViolations } from './browser/axe.js';
import { bluetoothDoubleScript, launchChromium, skipBrowserTests, testOutputDir, textSmallerThan } from './browser/chromium.js';
import { bridgeGatt, type GattBridge } from './browser/gatt-bridge.js';
import { startWeb, type WebProcess } from './browser/web-process.js';
import { runCli } from './helpers/cli.js';
import { makeKnownWeek } from './helpers/known-week.js';

const DAYS = 7;
/** Each simulated day is one 30-minute walk: 27-29 active minutes make records. */
const MIN_RECORDS_PER_DAY = 25;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-web-'));
const out = testOutputDir('web');
/** The reference pod's state for `retrostep --sim sync`: the page's pods take its id, to be identical pods. */
const cliState = path.join(dir, 'cli-pod.flash');

/** The day before an ISO day (2026-12-01 -> 2026-11-30), and the month before a month (2026-01 -> 2025-12), by the calendar. */
const dayBefore = (iso: string) => new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8)) - 1)).toISOString().slice(0, 10);
const monthBefore = (ym: string) => new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);

type Row = Record<string, unknown>;
/** Everything a sync stores except when it stored it (synced_s, first_seen_s, last_sync_s, status_s). */
function stored(file: string): { records: Row[]; pods: Row[] } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      records: db.prepare('SELECT pod_id, seq, start_s, time_estimated, forward, backward, heel, flat, toe, wrong, buzzes, cadence_spm, active_s, coach_prompted, coach_done FROM records ORDER BY pod_id, seq').all() as Row[],
      pods: db.prepare('SELECT pod_id, name, fw_version FROM pods ORDER BY pod_id').all() as Row[],
    };
  } finally {
    db.close();
  }
}

let browser: Browser;
let double: string;
let week: Uint8Array;
let cli: { records: Row[]; pods: Row[] };

beforeAll(async () => {
  if (skipBrowserTests) return;
  // one simulated week on the real firmware, then `retrostep sync` of an identical pod: the reference
  const pod = new VirtualPod({ bundle: readBundle(), passkey: VIRTUAL_POD_PASSKEY });
  pod.boot();
  await walkDays(pod, DAYS);
  week = Uint8Array.from(pod.flash.image);
  fs.writeFileSync(cliState, week);
  const r = runCli(['--db', path.join(dir, 'cli.db'), '--sim', '--state', cliState, 'sync']);
  expect(r.stderr).toBe('');
  cli = stored(path.join(dir, 'cli.db'));
  // Chromium as Chrome on Linux ships it, Web Bluetooth off: the double brings its own
  browser = await launchChromium();
  double = await bluetoothDoubleScript();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Session {
  web: WebProcess;
  pod: VirtualPod;
  bridge: GattBridge;
  page: Page;
  /** the Content-Security-Policy header the page came with */
  csp: string | undefined;
  errors: string[];
  db: string;
  close(): Promise<void>;
}

/** Before the page's own script: note every CSP violation the page meets. */
const RECORD_CSP_VIOLATIONS = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI));`;

/** `retrostep web` on its own database, a pod from the week's image bridged to a page with the double. */
async function session(name: string, image = week): Promise<Session> {
  const db = path.join(dir, `${name}.db`);
  const web = await startWeb(['--db', db]);
  const pod = podFromImage(image, undefined, simPodMac(cliState));
  pod.start(1); // real time, as `retrostep --sim sync` runs its pod
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  const bridge = await bridgeGatt(page, pod.peripheral, { passkey: VIRTUAL_POD_PASSKEY });
  await page.addInitScript({ content: RECORD_CSP_VIOLATIONS + double });
  const response = await page.goto(web.url);
  return {
    web,
    pod,
    bridge,
    page,
    csp: response?.headers()['content-security-policy'],
    errors,
    db,
    async close() {
      await page.close();
      bridge.close();
      pod.stop();
      expect(await web.stop()).toBe(0);
    },
  };
}

/** In the page: an inline script, a fetch and a WebSocket to elsewhere, each of which its CSP must refuse. */
const CSP_PROBE = `(async () => {
  const s = document.createElement('script');
  s.textContent = 'window.__inlineRan = true';
  document.head.append(s);
  let fetchError = null;
  try { await fetch('http://127.0.0.1:9/probe'); } catch (e) { fetchError = e.name; }
  try { new WebSocket('ws://127.0.0.1:9/'); } catch {}
  // (each of the three refusals is reported by an event after it: waited for, up to 10 s, not a fixed 100 ms; then
  // as long again for any report more)
  for (const t0 = Date.now(); window.__cspViolations.length < 3 && Date.now() - t0 < 10000; ) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 100));
  return { inlineRan: window.__inlineRan === true, fetchError, violations: window.__cspViolations.slice().sort() };
})()`;

/** In the page: each line of a <code> that runs past its parent's content box, "chrome://flags/#enable-web-bluetooth 317 > 280". */
const CODE_OUTSIDE_ITS_BOX = `Array.from(document.querySelectorAll('code')).flatMap((c) => {
  const box = c.parentElement.getBoundingClientRect(), style = getComputedStyle(c.parentElement);
  const right = box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth);
  return Array.from(c.getClientRects()).filter((r) => r.width > 0 && r.right > right + 0.5).map((r) => c.textContent + ' ' + Math.round(r.right) + ' > ' + Math.round(right));
})`;

describe.skipIf(skipBrowserTests)('retrostep web in Chromium, with a virtual pod behind a Web Bluetooth double', () => {
  it('syncs a simulated week into exactly the rows `retrostep sync` stores, then shows the report, live strides and buzzes', async () => {
    const s = await session('page');
    try {
      expect(await s.page.locator('body').getAttribute('data-state')).toBe('idle');
      await s.page.click('#connect');
      await s.page.waitForSelector('body[data-state="synced"]', { timeout: 120_000 });
      // the page asked for pods with the retrostep service, as a real chooser needs
      const asked = await s.page.evaluate('window.__bluetoothDouble.requests');
      expect(asked).toEqual([{ filters: [{ services: ['c96a0001-8c4d-4650-a240-b6c9296fc3f5'] }] }]);

      const web = stored(s.db);
      expect(cli.records.length).toBeGreaterThanOrEqual(DAYS * MIN_RECORDS_PER_DAY);
      expect(web).toEqual(cli);
      expect(await s.page.textContent('#status')).toContain(`${cli.records.length} new minute records stored`);
      const progress = await s.page.evaluate("[document.getElementById('progress').value, document.getElementById('progress').max]");
      expect(progress).toEqual([cli.records.length, cli.records.length]);

      // the report below shows the week just synced
      const report = s.page.frameLocator('#report');
      await expect.poll(() => report.locator('figure[data-chart]').count(), { timeout: 20_000 }).toBe(5);
      // (its default period is the 7 days ending today; the pod walked the 7 days ending today, or yesterday just after midnight)
      const now = new Date();
      const weekStart_s = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6).getTime() / 1000;
      const inWeek = cli.records.filter((r) => (r.start_s as number) >= weekStart_s);
      expect(inWeek.length).toBeGreaterThan(0);
      expect(await report.locator('td[data-figure="forward"]').textContent()).toBe(String(inWeek.reduce((a, r) => a + (r.forward as number), 0)));

      // live strides while connected: the pod starts walking (faster than real time)
      s.pod.stop();
      s.pod.setImuSource(loopingWalker(s.pod.sim_ms));
      s.pod.start(4);
      await expect.poll(async () => Number(await s.page.textContent('#live-forward')) + Number(await s.page.textContent('#live-backward')), { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(3);
      expect(await s.page.locator('#live-list li').count()).toBeGreaterThanOrEqual(3);

      // a buzz button plays the pattern on the pod's motor
      const before = s.pod.hapticsLog.length;
      await s.page.click('button[data-pattern="prompt"]');
      await expect.poll(() => s.pod.hapticsLog.length, { timeout: 10_000 }).toBeGreaterThan(before);
      await expect.poll(() => s.page.textContent('#buzz-status')).toContain('played "prompt"');
      // and, live being on, the live list says so in a line of its own (coach off: no steps to quote)
      await expect.poll(() => s.page.locator('#live-list li.buzz').first().textContent()).toContain('buzz, prompt: walk your backward steps');

      await s.page.screenshot({ path: path.join(out, 'web-after-sync.png'), fullPage: true });
      // connected, every button live, the live list filled: axe finds nothing (the report in the frame: its own test)
      expect(await axeViolations(s.page)).toEqual([]);
      expect(s.errors).toEqual([]);

      // all of that ran under the page's own CSP, and met none of it...
      expect(s.csp).toContain("connect-src 'self'");
      expect(s.csp).toContain("script-src 'self'");
      expect(await s.page.evaluate('window.__cspViolations')).toEqual([]);
      // ...which is in force: what it forbids is refused and reported
      const probe = (await s.page.evaluate(CSP_PROBE)) as { inlineRan: boolean; fetchError: string | null; violations: string[] };
      expect(probe.inlineRan).toBe(false);
      expect(probe.fetchError).toBe('TypeError');
      expect(probe.violations).toEqual(['connect-src http://127.0.0.1:9/probe', 'connect-src ws://127.0.0.1:9/', 'script-src-elem inline']);
      // Chromium logs each refusal (the fetch twice), and nothing else
      for (const e of s.errors) expect(e).toMatch(/Content Security Policy/);
      for (const what of ['inline script', 'http://127.0.0.1:9/probe', 'ws://127.0.0.1:9/']) expect(s.errors.filter((e) => e.includes(what)).length, what).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
    // stopped, `web` says what the page stored (its output read to the end: 'exit' may come before it)
    await expect.poll(() => s.web.output().trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^web stopped \\(Ctrl-C\\): retrostep-[0-9a-f]{4} synced through its page, ${cli.records.length} new minute records stored in ${s.db}$`));
  }, 240_000);

  it('by keyboard alone: Tab reaches "Connect and sync" first, Enter syncs, and the focus is on it again after (the button, disabled while it ran, dropped the focus to the page); then Tab reaches each button, named and with a visible outline, the period and the report', async () => {
    const s = await session('keyboard');
    /** The focused element: what it is, its name, and whether an outline shows it */
    const focused = () => s.page.evaluate(`(() => { const e = document.activeElement, o = getComputedStyle(e); return { id: e.id || e.dataset.pattern || e.tagName, name: (e.textContent || '').trim(), outlined: o.outlineStyle !== 'none' && parseFloat(o.outlineWidth) >= 2 }; })()`) as Promise<{ id: string; name: string; outlined: boolean }>;
    try {
      await s.page.keyboard.press('Tab');
      expect((await focused()).id).toBe('connect');
      await s.page.keyboard.press('Enter');
      await s.page.waitForSelector('body[data-state="synced"]', { timeout: 120_000 });
      expect((await focused()).id).toBe('connect');
      const seen = [];
      for (let i = 0; i < 9; i++) {
        await s.page.keyboard.press('Tab');
        seen.push(await focused());
      }
      const buzzes = Object.keys(BUZZ_PATTERNS);
      expect(seen.map((f) => f.id)).toEqual(['sync', 'disconnect', ...buzzes, 'period', 'report-link']);
      for (const f of seen) {
        expect(f.name, f.id).not.toBe('');
        // (the link keeps the browser's own focus ring: outline auto)
        if (f.id !== 'report-link') expect(f.outlined, f.id).toBe(true);
      }
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  }, 240_000);

  it('a link cut twice mid-sync: the page reconnects and carries on, nothing lost or doubled', async () => {
    const s = await session('cut');
    try {
      // about a quarter and two thirds of the way through the week's records (20 B each, plus framing)
      const bytes = cli.records.length * 20;
      s.bridge.cutAfterBytes(Math.round(bytes * 0.25));
      s.bridge.cutAfterBytes(Math.round(bytes * 0.66));
      await s.page.click('#connect');
      await s.page.waitForSelector('body[data-state="synced"]', { timeout: 120_000 });
      expect(s.bridge.cuts).toBe(2);
      expect(s.bridge.connects).toBe(3);
      expect(await s.page.locator('body').getAttribute('data-resumes')).toBe('2');
      expect(await s.page.textContent('#status')).toContain('the link dropped 2 times and the sync carried on');
      expect(stored(s.db)).toEqual(cli);
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
    // (one sync, though the page posted its pod three times: "3 syncs" was said of it)
    await expect.poll(() => s.web.output().trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^web stopped \\(Ctrl-C\\): retrostep-[0-9a-f]{4} synced through its page, ${cli.records.length} new minute records stored in ${s.db}$`));
  }, 240_000);

  it('its database locked by another program: the page says so, not to move closer to the pod; once it is free, "Sync" stores the week, nothing lost or doubled', async () => {
    const s = await session('locked');
    try {
      // (a write held open as the sqlite3 shell's `BEGIN IMMEDIATE;` holds it: the server gives up after its busy timeout)
      const other = new Database(s.db, { timeout: 0 });
      other.exec('BEGIN IMMEDIATE');
      try {
        await s.page.click('#connect');
        await s.page.waitForSelector('body[data-state="error"]', { timeout: 60_000 });
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      const said = await s.page.textContent('#status');
      expect(said).toContain(`The sync stopped on this computer: database ${s.db} is locked by another program`);
      expect(said).not.toContain('closer');
      await s.page.click('#sync');
      await s.page.waitForSelector('body[data-state="synced"]', { timeout: 120_000 });
      expect(stored(s.db)).toEqual(cli);
      // (the browser logs the refused request itself)
      expect(s.errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
    } finally {
      await s.close();
    }
  }, 240_000);

  it("a pod whose first minutes went into another database, its link cut once the sync began: the note stays shown (it came at the sync's end, and a resumed sync could not say it)", async () => {
    // the week's pod, its first 10 minutes synced into another database and freed
    const elsewhere = podFromImage(week, undefined, simPodMac(cliState));
    await talk(elsewhere, (c) => c.request('ack', { up_to_seq: 9 }, 'acked'));
    const s = await session('cut-elsewhere', Uint8Array.from(elsewhere.flash.image));
    try {
      s.bridge.cutAfterBytes(Math.round((cli.records.length - 10) * 20 * 0.5));
      await s.page.click('#connect');
      await s.page.waitForSelector('body[data-state="synced"]', { timeout: 120_000 });
      expect(s.bridge.cuts).toBe(1);
      const notes = await s.page.locator('#notices p.notice').allTextContents();
      expect(notes.filter((n) => /another database/.test(n))).toEqual([expect.stringMatching(/^pod [0-9a-f]{12} synced its first 10 minutes into another database before: this one holds none of them/)]);
      expect(stored(s.db).records).toEqual(cli.records.slice(10));
      expect(s.errors).toEqual([]);
    } finally {
      await s.close();
    }
  }, 240_000);

  it('no Bluetooth adapter (Chromium\'s own Web Bluetooth, emulated adapter absent): the page says to turn Bluetooth on, and nothing is stored', async () => {
    const db = path.join(dir, 'no-adapter.db');
    const web = await startWeb(['--db', db]);
    // Web Bluetooth on, as the Linux flag turns it on; the DevTools protocol stands in for the adapter, here none
    const bluetoothBrowser = await launchChromium({ webBluetooth: true });
    try {
      const cdp = await bluetoothBrowser.newBrowserCDPSession();
      await cdp.send('BluetoothEmulation.enable', { state: 'absent', leSupported: true });
      const page = await bluetoothBrowser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(web.url);
      await page.waitForSelector('#bluetooth-off:not([hidden])');
      expect(await page.textContent('#status')).toMatch(/Bluetooth is off/);
      // said once, in the note: the status line points to it rather than saying it again
      expect(await page.textContent('#status')).not.toMatch(/system settings|turn Bluetooth on/);
      await page.click('#connect');
      await page.waitForSelector('body[data-state="error"]');
      expect(await page.textContent('#status')).toMatch(/turn Bluetooth on/);
      expect(errors).toEqual([]);
      expect(stored(db).records).toEqual([]);
    } finally {
      await bluetoothBrowser.close();
      await web.stop();
    }
  }, 60_000);

  it('Chromium with Web Bluetooth switched off (Chrome on Linux as shipped): the page says which setting turns it on, offers no button, still shows the report', async () => {
    const web = await startWeb(['--db', path.join(dir, 'switched-off.db')]);
    const page = await browser.newPage();
    try {
      await page.goto(web.url);
      expect(await page.evaluate('typeof navigator.bluetooth')).toBe('undefined');
      await page.waitForSelector('body[data-state="unsupported"]');
      expect(await page.isVisible('#bluetooth-disabled')).toBe(true);
      expect(await page.isVisible('#no-bluetooth')).toBe(false);
      expect(await page.textContent('#bluetooth-disabled')).toContain('chrome://flags/#enable-web-bluetooth');
      expect(await page.isDisabled('#connect')).toBe(true);
      await expect.poll(() => page.frameLocator('#report').locator('h1').textContent()).toBe('Your backward walking');
      // the period picked is the report shown, and the one its own page opens
      const report = page.frameLocator('#report').locator('p.period');
      await expect.poll(() => report.textContent()).toMatch(/^week \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/);
      await page.selectOption('#period', 'month');
      await expect.poll(() => report.textContent()).toBe(`month ${localDate(new Date()).slice(0, 7)}`);
      expect(await page.getAttribute('#report-link', 'href')).toBe('/report?month');
      await page.selectOption('#period', 'day');
      await expect.poll(() => report.textContent()).toBe(localDate(new Date()));
      await page.screenshot({ path: path.join(out, 'web-period-day.png'), fullPage: true });
      // large type throughout: the safety line and the notes under the buttons were 14.4 px (0.9 of the root's 16)
      expect(await textSmallerThan(page, 16)).toEqual([]);
    } finally {
      await page.close();
      await web.stop();
    }
  }, 60_000);

  it('axe finds no violation on the page, at 1000 px and in a 320 px window (200% zoom of a 640 px one), which does not scroll sideways; the report\'s frame keeps the report\'s height as the window narrows and widens, not scrolled inside it', async () => {
    const db = path.join(dir, 'a11y.db');
    makeKnownWeek(db);
    const web = await startWeb(['--db', db]);
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    /** [the frame's inner height, the report's own height] */
    const frame = () => page.evaluate(`(() => { const f = document.getElementById('report'); return [f.contentDocument.documentElement.clientHeight, f.contentDocument.documentElement.offsetHeight]; })()`) as Promise<[number, number]>;
    try {
      await page.goto(web.url);
      await page.waitForSelector('body[data-state="unsupported"]');
      await expect.poll(() => page.frameLocator('#report').locator('figure[data-chart]').count()).toBe(5);
      expect(await axeViolations(page)).toEqual([]);
      const fits = async () => {
        const [inner, report] = await frame();
        return inner >= report && inner - report < 40;
      };
      await expect.poll(fits).toBe(true);
      const wide = (await frame())[1];
      await page.setViewportSize({ width: 320, height: 700 });
      // (sized once as it loaded, the frame stayed 4,128 px high round a report grown to 6,865)
      await expect.poll(async () => (await frame())[1]).toBeGreaterThan(wide * 1.3);
      await expect.poll(fits).toBe(true);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(320);
      // nor does a command run out of its note ("chrome://flags/#enable-" crossed the note's border at 317 px of 280)
      expect(await page.isVisible('#bluetooth-disabled code')).toBe(true);
      expect(await page.evaluate(CODE_OUTSIDE_ITS_BOX)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(out, 'web-320.png'), fullPage: true });
      await page.setViewportSize({ width: 1000, height: 900 });
      await expect.poll(async () => (await frame())[1]).toBe(wide);
      await expect.poll(fits).toBe(true);
    } finally {
      await page.close();
      await web.stop();
    }
  }, 60_000);

  it("a browser a day behind the server's time zone: the 7 days before end the day before the last 7 days begin, and last month is the month before this one (the page dated them by the browser's day: a day of the server's was in neither)", async () => {
    // (25 hours apart: the server's local day is always one or two after the browser's)
    const web = await startWeb(['--db', path.join(dir, 'zones.db')], 30_000, { TZ: 'Pacific/Kiritimati' });
    const context = await browser.newContext({ timezoneId: 'Pacific/Pago_Pago' });
    const page = await context.newPage();
    try {
      await page.goto(web.url);
      const report = page.frameLocator('#report').locator('p.period');
      const week = /^week (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)$/;
      await expect.poll(() => report.textContent()).toMatch(week);
      const last7 = week.exec((await report.textContent())!)!;
      await page.selectOption('#period', 'week-before');
      await expect.poll(async () => week.exec((await report.textContent()) ?? '')?.[2]).toBe(dayBefore(last7[1]));
      await page.selectOption('#period', 'month');
      await expect.poll(() => report.textContent()).toMatch(/^month \d{4}-\d\d$/);
      const month = (await report.textContent())!.slice(6);
      await page.selectOption('#period', 'month-before');
      await expect.poll(() => report.textContent()).toBe(`month ${monthBefore(month)}`);
    } finally {
      await context.close();
      await web.stop();
    }
  }, 60_000);

  it('a browser without Web Bluetooth (Firefox, Safari): the page says which browsers can, and offers no button', async () => {
    const web = await startWeb(['--db', path.join(dir, 'none.db')]);
    const page = await browser.newPage({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' });
    try {
      await page.goto(web.url);
      await page.waitForSelector('body[data-state="unsupported"]');
      expect(await page.isVisible('#no-bluetooth')).toBe(true);
      expect(await page.isVisible('#bluetooth-disabled')).toBe(false);
      expect(await page.textContent('#no-bluetooth')).toMatch(/Chrome.*Edge/);
      expect(await page.isDisabled('#connect')).toBe(true);
    } finally {
      await page.close();
      await web.stop();
    }
  }, 60_000);
});
