/**
 * The report opened in real Chromium, as a person would open the file:
 * no console errors, nothing fetched, each chart drawn with one mark per day
 * (or per day with a value) carrying the day's figure of `summary --json`,
 * and the page printed on A4. Screenshots go to test-output/report/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './browser/axe.js';
import { launchChromium, skipBrowserTests, testOutputDir, textSmallerThan } from './browser/chromium.js';
import { runCli } from './helpers/cli.js';
import { makeKnownWeek } from './helpers/known-week.js';
import { makeKnownYears } from './helpers/known-years.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-report-browser-'));
const out = testOutputDir('report');
let browser: Browser;

beforeAll(async () => {
  if (!skipBrowserTests) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Bucket {
  label: string;
  forward: number;
  backward: number;
  wrong: number;
  active_s: number;
  backward_s: number;
  forward_s: number;
}

/** Open a file in a fresh page, collecting console errors and every request the page makes. */
async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`file://${file}`);
  return { page, errors, requests };
}

/** The known week's database, and its report written to test-output/report/<name>.html. */
function knownWeekReport(name: string): { db: string; file: string } {
  const db = path.join(dir, `${name}.db`);
  makeKnownWeek(db);
  const file = path.join(out, `${name}.html`);
  expect(runCli(['--db', db, 'report', '--out', file]).code).toBe(0);
  return { db, file };
}

/** aria-labels of a chart's marks of one kind (bar, point, aim), in drawing order. */
const marks = (page: Page, chart: string, kind: string) =>
  page.evaluate(`Array.from(document.querySelectorAll('#chart-${chart} [aria-roledescription="${kind}"]')).map((e) => e.getAttribute('aria-label'))`) as Promise<string[]>;

const one = (x: number) => String(Math.round(x * 10) / 10);

/** A4 less the report's 14 mm print margins, in CSS pixels (96 per inch). */
const A4_TEXT_WIDTH_px = Math.floor(((210 - 2 * 14) / 25.4) * 96);
const A4_TEXT_HEIGHT_px = Math.floor(((297 - 2 * 14) / 25.4) * 96);

describe.skipIf(skipBrowserTests)('the HTML report in Chromium', () => {
  it('draws every chart with the right days and values, makes no request and logs no error, and prints on A4', async () => {
    const { db, file } = knownWeekReport('week');
    const json = JSON.parse(runCli(['--db', db, 'summary', '--week', '--json']).stdout);
    const days: Bucket[] = json.buckets;
    expect(days).toHaveLength(7);
    const { page, errors, requests } = await open(file);
    try {
      expect(await page.locator('figure[data-chart] svg').count()).toBe(5);
      const short = (b: Bucket) => {
        const d = new Date(`${b.label}T12:00:00`);
        return `${['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()]} ${b.label.slice(8)}`;
      };

      // strides: two bars a day, forward and backward, each with its day's count
      const strides = await marks(page, 'strides', 'bar');
      expect(strides.sort()).toEqual(days.flatMap((b) => [`${short(b)}: ${b.forward} forward strides`, `${short(b)}: ${b.backward} backward strides`]).sort());

      // plan: backward minutes and minutes at the day's step a day, and the aim line. The week climbs: its third walk
      // (4 days ago) finished step 1, 10 backward steps (5+ strides), and each day after is at step 2, 20 (10+ strides)
      const plan = await marks(page, 'plan', 'bar');
      expect(plan.filter((m) => m.includes('minutes of backward walking')).sort()).toEqual(days.map((b) => `${short(b)}: ${one(b.backward_s / 60)} minutes of backward walking`).sort());
      expect(plan.filter((m) => m.includes("minutes at the day's step"))).toEqual([
        ...days.slice(0, 3).map((b, i) => `${short(b)}: ${[12, 15, 20][i]} minutes at the day's step (10+ backward steps)`),
        ...days.slice(3).map((b, i) => `${short(b)}: ${[8, 0, 25, 0][i]} minutes at the day's step (20+ backward steps)`),
      ]);
      expect(await marks(page, 'plan', 'aim')).toEqual(["plan aim: 10 minutes at the day's step a day"]);
      // (and the chart marks where step 2 began: a line before its first day's bars)
      expect(await marks(page, 'plan', 'step change')).toEqual([`plan step from ${days[3].label}: 20 backward steps every minute of a walk`]);
      expect(await page.textContent('#cap-plan')).toContain(`10 backward steps every minute of a walk from ${days[0].label} to ${days[2].label} (3 days), then 20 backward steps every minute of a walk from ${days[3].label} to ${days[6].label} (4 days)`);

      // wrong-gait share and cadence: a point on each day that has one, none on the rest day (cadence whole, as summary shows it)
      const walked = days.filter((b) => b.active_s > 0);
      expect(walked).toHaveLength(6);
      expect((await marks(page, 'wrong', 'point')).sort()).toEqual(walked.map((b) => `${short(b)}: ${one((100 * b.wrong) / b.backward)} % wrong-gait`).sort());
      expect((await marks(page, 'cadence', 'point')).sort()).toEqual(walked.map((b) => `${short(b)}: ${Math.round((2 * (b.forward + b.backward) * 60) / b.active_s)} steps/min`).sort());

      // energy: a bar a day, MET 4.3 forward and 6.0 backward at the 80 kg set
      expect((await marks(page, 'energy', 'bar')).sort()).toEqual(days.map((b) => `${short(b)}: ${Math.round((4.3 * 80 * b.forward_s + 6.0 * 80 * b.backward_s) / 3600)} kcal`).sort());

      // each chart's day axis names the 7 days, and a caption and a table go with it
      for (const id of ['strides', 'plan', 'wrong', 'cadence', 'energy']) {
        const axis = await page.getAttribute(`#chart-${id} [aria-roledescription="axis"]`, 'aria-label');
        expect(axis).toContain(`with 7 values: ${days.map(short).join(', ')}`);
        expect(await page.textContent(`#cap-${id}`)).toBeTruthy();
        expect(await page.locator(`table[data-table="${id}"] tbody tr`).count()).toBe(7);
      }
      expect(await page.textContent('td[data-figure="backward"]')).toBe(String(json.summary.backward));
      expect(await page.textContent('[data-notice]')).toMatch(/battery is low \(8%\)/);
      // large type throughout: the plan's "(you are here)" and the tables' captions were 14.4 px (0.9 of the root's 16)
      await page.click('#chart-strides details summary');
      expect(await textSmallerThan(page, 16)).toEqual([]);

      await page.screenshot({ path: path.join(out, 'report.png'), fullPage: true });
      // print: the report's own @page rule makes every page A4 (no paper size is forced here)...
      const pdf = (await page.pdf({ preferCSSPageSize: true, path: path.join(out, 'report.pdf') })).toString('latin1');
      const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(pages).toBeLessThanOrEqual(6);
      const sizes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => `${Math.round((Number(m[1]) * 25.4) / 72)} x ${Math.round((Number(m[2]) * 25.4) / 72)} mm`);
      expect(sizes).toEqual(Array(pages).fill('210 x 297 mm'));
      // ...and each chart, laid out for print on its text width, fits across a page and is short enough to stay whole on one
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: A4_TEXT_WIDTH_px, height: A4_TEXT_HEIGHT_px });
      const boxes = (await page.evaluate(`Array.from(document.querySelectorAll('figure[data-chart]')).map((f) => [f.scrollWidth, f.getBoundingClientRect().height])`)) as [number, number][];
      expect(boxes).toHaveLength(5);
      for (const [w, h] of boxes) {
        expect(w).toBeLessThanOrEqual(A4_TEXT_WIDTH_px);
        expect(h).toBeLessThan(A4_TEXT_HEIGHT_px);
      }
      await page.emulateMedia({ media: 'screen' });
      expect(errors).toEqual([]);
      expect(requests).toEqual([`file://${file}`]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('on a phone (390 px) each chart keeps 3/4 of its size, its labels readable, and scrolls sideways in its box; the page itself does not', async () => {
    const { file } = knownWeekReport('phone');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`file://${file}`);
      // drawn width over the width it was made at: a chart fitted to the phone was drawn at 0.42-0.47 (16 px labels at 7 px)
      const scales = (await page.evaluate(`Array.from(document.querySelectorAll('figure[data-chart] svg')).map((s) => s.getBoundingClientRect().width / Number(s.getAttribute('width')))`)) as number[];
      expect(scales).toHaveLength(5);
      for (const x of scales) expect(x).toBeGreaterThanOrEqual(0.74);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(390);
      const boxes = (await page.evaluate(`Array.from(document.querySelectorAll('figure[data-chart] .chart')).map((b) => b.scrollWidth > b.clientWidth)`)) as boolean[];
      expect(boxes).toEqual(Array(5).fill(true));
      await page.screenshot({ path: path.join(out, 'report-phone.png'), fullPage: true });
      // on a wide screen nothing scrolls: the chart fills the column as before
      await page.setViewportSize({ width: 1000, height: 900 });
      expect(await page.evaluate(`Array.from(document.querySelectorAll('figure[data-chart] .chart')).filter((b) => b.scrollWidth > b.clientWidth).length`)).toBe(0);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('axe finds no violation, at 1000 px and on a 320 px screen (200% zoom of a 640 px window, and more) with every table open; there the page never scrolls sideways, and a keyboard scrolls each box that does', async () => {
    const { file } = knownWeekReport('axe');
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    try {
      await page.goto(`file://${file}`);
      expect(await axeViolations(page)).toEqual([]);
      await page.setViewportSize({ width: 320, height: 700 });
      for (const s of await page.locator('figure[data-chart] details summary').all()) await s.click();
      // (a chart's table was 573 px wide, and the whole page scrolled sideways to show it)
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(320);
      expect(await axeViolations(page)).toEqual([]);
      // Tab reaches each box that scrolls (a chart and its table, in reading order), and the arrow keys scroll it
      const boxes = await page.evaluate(`Array.from(document.querySelectorAll('.chart, .table-box')).filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.getAttribute('aria-label'))`) as string[];
      // (every chart, and the tables of more than two columns)
      expect(boxes.filter((b) => b.startsWith('chart: '))).toHaveLength(5);
      expect(boxes.filter((b) => b.startsWith('table: ')).length).toBeGreaterThanOrEqual(2);
      await page.focus('body');
      const reached: string[] = [];
      for (let i = 0; i < 40 && reached.length < boxes.length; i++) {
        await page.keyboard.press('Tab');
        const name = (await page.evaluate(`document.activeElement.getAttribute('aria-label')`)) as string | null;
        if (!name || !boxes.includes(name)) continue;
        reached.push(name);
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => page.evaluate('document.activeElement.scrollLeft')).toBeGreaterThan(0);
      }
      expect(reached).toEqual(boxes);
      await page.screenshot({ path: path.join(out, 'report-320.png'), fullPage: true });
    } finally {
      await page.close();
    }
  }, 120_000);

  it('a long period (--from 1970-01-01, six years walked): a bar a year, each with its year\'s strides, named under the axis, readable type, and each chart fits across an A4 page', async () => {
    const db = path.join(dir, 'years.db');
    makeKnownYears(db);
    const file = path.join(out, 'years.html');
    expect(runCli(['--db', db, 'report', '--from', '1970-01-01', '--out', file]).code).toBe(0);
    const { page, errors, requests } = await open(file);
    try {
      expect(await page.locator('figure[data-chart] svg').count()).toBe(5);
      expect(await page.textContent('[data-unit]')).toMatch(/^A long period: each bar and table row below sums the days of a calendar year/);
      const rows = (await page.evaluate(`Array.from(document.querySelectorAll('table[data-table="strides"] tbody tr')).map((r) => Array.from(r.children).map((c) => c.textContent))`)) as string[][];
      expect(rows.length).toBeGreaterThanOrEqual(6);
      expect(rows.length).toBeLessThanOrEqual(8);
      // two bars a row, named by the row's span for screen readers; the axis names each row's year
      expect((await marks(page, 'strides', 'bar')).sort()).toEqual(rows.flatMap(([label, f, b]) => [`${label}: ${f} forward strides`, `${label}: ${b} backward strides`]).sort());
      const axis = await page.getAttribute('#chart-strides [aria-roledescription="axis"]', 'aria-label');
      expect(axis).toContain(`with ${rows.length} values: ${rows.map(([label]) => label.slice(0, 4)).join(', ')}`);
      // the aim is a day's: no dashed line across a chart of years
      expect(await marks(page, 'plan', 'aim')).toEqual([]);
      await page.click('#chart-strides details summary');
      expect(await textSmallerThan(page, 16)).toEqual([]);
      await page.screenshot({ path: path.join(out, 'report-years.png'), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: A4_TEXT_WIDTH_px, height: A4_TEXT_HEIGHT_px });
      const widths = (await page.evaluate(`Array.from(document.querySelectorAll('figure[data-chart]')).map((f) => f.scrollWidth)`)) as number[];
      expect(widths.filter((w) => w > A4_TEXT_WIDTH_px)).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([`file://${file}`]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('`retrostep demo` then `retrostep report --out week.html`: the page opens with its charts and no error', async () => {
    const db = path.join(dir, 'demo.db');
    expect(runCli(['--db', db, 'demo']).code).toBe(0);
    const file = path.join(out, 'demo-week.html');
    expect(runCli(['--db', db, 'report', '--out', file]).code).toBe(0);
    const { page, errors } = await open(file);
    try {
      expect(await page.locator('figure[data-chart] svg').count()).toBe(5);
      expect(Number(await page.textContent('td[data-figure="backward"]'))).toBeGreaterThan(0);
      expect(await marks(page, 'strides', 'bar')).toHaveLength(14);
      await page.screenshot({ path: path.join(out, 'demo-report.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
