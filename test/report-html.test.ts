/**
 * `retrostep report` as a user runs it (the built CLI), read as text: the
 * same figures as `summary --json` for the same period, the pod's notices,
 * nothing fetched from anywhere. The page in a real browser:
 * report-browser.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { at, KNOWN_POD, makeKnownWeek } from './helpers/known-week.js';
import { makeKnownYears } from './helpers/known-years.js';
import { insertRecords, openDb, savePodStatus, upsertPod } from '../host/src/store/db.js';
import { resolvePeriod } from '../host/src/report/period.js';
import { reportData } from '../host/src/report/report-data.js';
import { dayLabel } from '../host/src/report/buckets.js';
import { RECORD_CLOCK_VALID } from '../shared/protocol/records.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-report-html-'));
const db = path.join(dir, 'week.db');

beforeAll(() => makeKnownWeek(db));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const unescape = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** A figure to a tenth, half up as by hand (81.55 active minutes read 81.6; toFixed gave 81.5): as summary prints it. */
const tenth = (x: number) => (Math.round(x * 10) / 10).toFixed(1);

function cells(html: string, attr: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(new RegExp(`data-${attr}="([^"]+)">([^<]*)<`, 'g'))) out.set(m[1], unescape(m[2]));
  return out;
}

/** Rows of a chart's table: the row's label (an ISO day, or a long period's span), then its values as text. */
function tableRows(html: string, chart: string): string[][] {
  const table = new RegExp(`<table data-table="${chart}">([\\s\\S]*?)</table>`).exec(html)![1];
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)![1];
  // (a span's dates are each in a <span>, kept from breaking at their hyphens)
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => unescape(c[1].replace(/<\/?span[^>]*>/g, ''))));
}

describe('retrostep report', () => {
  it('writes one self-contained page with the figures of `summary --json` for the same week', () => {
    const out = path.join(dir, 'week.html');
    const r = runCli(['--db', db, 'report', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wrote .*week\.html \(week .* 90 minute records[^\n]*\n$/);
    const html = fs.readFileSync(out, 'utf8');
    const json = JSON.parse(runCli(['--db', db, 'summary', '--json']).stdout);

    // the summary table: each figure of `summary --json`, in its row, rounded as `summary` prints it
    const j = json.summary;
    // (the known week has no coach intervals, so no coach row)
    expect(Object.fromEntries(cells(html, 'figure'))).toEqual({
      forward: String(j.forward),
      backward: String(j.backward),
      steps_est: String(j.steps_est),
      retro_min: tenth(j.retro_min),
      active_min: tenth(j.active_s / 60),
      cadence_spm: `${Math.round(j.cadence_spm)} steps/min`,
      first_contact: `heel ${j.heel}, flat ${j.flat}, toe ${j.toe}`,
      wrong: `${j.wrong} (${tenth(100 * j.wrong_rate)}% of backward)`,
      buzzes: String(j.buzzes),
      kcal: `${Math.round(j.kcal)} kcal (80 kg)`,
    });

    // the strides chart's table: each day of `summary --json`'s buckets
    expect(tableRows(html, 'strides')).toEqual(json.buckets.map((b: { label: string; forward: number; backward: number }) => [b.label, String(b.forward), String(b.backward)]));
    expect(tableRows(html, 'energy').map((row) => row[0])).toEqual(json.buckets.map((b: { label: string }) => b.label));

    // a week is shown day by day, from its first day, with no word of rows summed
    expect(html).toContain('<h2 id="h-charts">Day by day</h2>');
    expect(html).not.toContain('data-unit');

    // five charts, each an inline SVG; no script, nothing loaded from elsewhere
    expect(html.match(/<figure id="chart-/g)).toHaveLength(5);
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|<img |@import|url\(http|(src|href)="https?:/);

    // the pod's notice from its last sync, and the plan as `plan` says it
    expect(html).toContain("the pod&#39;s battery is low (8%): replace its CR2032 soon");
    // nothing folded in this week: no word of figures short of the walking
    expect(html).not.toContain('data-incomplete');
    const plan = JSON.parse(runCli(['--db', db, 'plan', '--json']).stdout);
    // (current is the stage number, as the page's data-stage counts)
    const now = plan.plan.find((s: { stage: number }) => s.stage === plan.current);
    expect(html).toMatch(new RegExp(`<li class="now" data-stage="${plan.current}">${now.title}`));
    // the coach command `plan` prints in backquotes is code on the page
    expect(now.kind).toBe('interval');
    expect(html).toContain(`<code>retrostep config set coach_steps=${now.steps_per_min}</code>`);
  });

  it('--month covers the calendar month, day by day, as `summary --month --json`', () => {
    const out = path.join(dir, 'month.html');
    const now = new Date();
    const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
    expect(runCli(['--db', db, 'report', '--month', month, '--out', out]).code).toBe(0);
    const json = JSON.parse(runCli(['--db', db, 'summary', '--month', month, '--json']).stdout);
    const days = new Date(now.getFullYear(), now.getMonth() + 1, 0).getDate();
    expect(json.buckets).toHaveLength(days);
    const html = fs.readFileSync(out, 'utf8');
    expect(tableRows(html, 'strides')).toHaveLength(days);
    expect(cells(html, 'figure').get('backward')).toBe(String(json.summary.backward));
  });

  it('a period that ends after today (a week ending in two days, this month): its days to come are neither reached nor missed (this month read "1 of 31 days reached it" on the 6th, each day to come a "no")', () => {
    const out = path.join(dir, 'ahead.html');
    const ahead = dayLabel(new Date(at(-2, 0) * 1000));
    expect(runCli(['--db', db, 'report', '--week', ahead, '--out', out]).code).toBe(0);
    // (a caption's dates are each in a <span>; this week the step changed, and the caption says the table has each day's)
    const html = unescape(fs.readFileSync(out, 'utf8')).replace(/<\/?span[^>]*>/g, '');
    expect(/Your plan step[^<]*/.exec(html)![0]).toMatch(/: \d of 5 days reached it, 2 days still to come( \(each day's step in the table\))?\.$/);
    const rows = tableRows(html, 'plan');
    expect(rows.map((r) => r[0])).toEqual([4, 3, 2, 1, 0, -1, -2].map((d) => dayLabel(new Date(at(d, 0) * 1000))));
    expect(rows.slice(0, 5).map((r) => r[r.length - 1])).toEqual(expect.arrayContaining(['no']));
    expect(rows.slice(0, 5).every((r) => ['yes', 'no'].includes(r[r.length - 1]))).toBe(true);
    expect(rows.slice(5).map((r) => r[r.length - 1])).toEqual(['to come', 'to come']);
  });

  it('--day writes one day, as `summary --day --json` sums it (report had no --day, as summary and export have)', () => {
    const today = JSON.parse(runCli(['--db', db, 'summary', '--day', '--json']).stdout);
    const out = path.join(dir, 'day.html');
    const r = runCli(['--db', db, 'report', '--day', today.period.label, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^wrote [^\n]*day\.html[^\n]*\n$/);
    const html = fs.readFileSync(out, 'utf8');
    expect(tableRows(html, 'strides')).toEqual([[today.period.label, String(today.summary.forward), String(today.summary.backward)]]);
    expect(cells(html, 'figure').get('backward')).toBe(String(today.summary.backward));
    expect(runCli(['--db', db, 'report', '--day', '--out', out]).code).toBe(0);
  });

  it('a minute the pod folded later ones into while it was full: the page and `summary` say the figures are short, and from when', () => {
    const folded = path.join(dir, 'folded.db');
    fs.copyFileSync(db, folded);
    const d = openDb(folded);
    const at = d.prepare('SELECT start_s FROM records ORDER BY start_s DESC LIMIT 1').get() as { start_s: number };
    d.prepare('UPDATE records SET folded = 1 WHERE start_s = ?').run(at.start_s);
    d.close();
    const out = path.join(dir, 'folded.html');
    expect(runCli(['--db', folded, 'report', '--out', out]).code).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    const note = /<p class="notice" data-incomplete>([^<]*)<\/p>/.exec(html);
    expect(note).not.toBeNull();
    const t = new Date(at.start_s * 1000);
    const minute = `${t.getFullYear()}-${String(t.getMonth() + 1).padStart(2, '0')}-${String(t.getDate()).padStart(2, '0')} ${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
    expect(unescape(note![1])).toContain(`the pod was full from ${minute}`);
    const text = runCli(['--db', folded, 'summary']).stdout;
    expect(text.split('\n').filter((l) => l.includes(`incomplete           the pod was full from ${minute}`))).toHaveLength(1);
    expect(JSON.parse(runCli(['--db', folded, 'summary', '--json']).stdout).summary.folded).toBe(1);

    // the folded minute alone: its cadence and wrong-gait share stand on nothing, "n/a" on the page as in `summary`
    const only = path.join(dir, 'folded-only.db');
    fs.copyFileSync(folded, only);
    const o = openDb(only);
    o.prepare('DELETE FROM records WHERE folded = 0').run();
    o.close();
    const onlyOut = path.join(dir, 'folded-only.html');
    expect(runCli(['--db', only, 'report', '--out', onlyOut]).code).toBe(0);
    const row = Object.fromEntries(cells(fs.readFileSync(onlyOut, 'utf8'), 'figure'));
    const said = runCli(['--db', only, 'summary']).stdout;
    expect(row.cadence_spm).toBe('n/a (only a minute the full pod folded others into)');
    expect(said).toContain(`  cadence              ${row.cadence_spm}\n`);
    expect(unescape(row.wrong)).toMatch(/ \(n\/a of backward\)$/);
    expect(said).toContain(`  wrong-gait strides   ${unescape(row.wrong)}, buzzes`);
  });

  it('a period with no walking, or none backward: cadence and wrong-gait share are n/a on the page and in `summary`, not 0 steps/min and 0.0%', () => {
    const empty = path.join(dir, 'empty.db');
    // (a database with no walking: opened, its tables made; read commands refuse one not there)
    openDb(empty).close();
    const forwardOnly = path.join(dir, 'forward-only.db');
    fs.copyFileSync(db, forwardOnly);
    const f = openDb(forwardOnly);
    f.prepare('UPDATE records SET forward = forward + backward, backward = 0, wrong = 0, toe = 0').run();
    f.close();
    const want: [string, string, string][] = [
      [empty, 'n/a (no walking)', '0 (no backward strides)'],
      [forwardOnly, /^\d+ steps\/min$/.source, '0 (no backward strides)'],
    ];
    for (const [file, cadence, wrong] of want) {
      const out = `${file}.html`;
      expect(runCli(['--db', file, 'report', '--out', out]).code).toBe(0);
      const row = Object.fromEntries(cells(fs.readFileSync(out, 'utf8'), 'figure'));
      const said = runCli(['--db', file, 'summary', '--no-chart']).stdout;
      if (file === empty) expect(row.cadence_spm).toBe(cadence);
      else expect(row.cadence_spm).toMatch(new RegExp(cadence));
      expect(unescape(row.wrong)).toBe(wrong);
      expect(said).toContain(`  cadence              ${row.cadence_spm}\n`);
      expect(said).toContain(`  wrong-gait strides   ${wrong}, buzzes`);
    }
  });

  it('a long period: its tables and charts sum its days into weeks, months or years, each row named by its span, the unit said, the totals those of `summary --json`, and a page of modest size (--from 1970-01-01 was 27 MB: a row and two bars a day)', () => {
    const years = path.join(dir, 'years.db');
    makeKnownYears(years);
    const ago = (n: number) => {
      const d = new Date();
      return new Date(d.getFullYear(), d.getMonth(), d.getDate() - n).toLocaleDateString('sv');
    };
    for (const [from, unit, heading] of [[ago(120), 'week', 'Week by week'], [ago(364), 'month', 'Month by month'], ['1970-01-01', 'year', 'Year by year']]) {
      const out = path.join(dir, `from-${from}.html`);
      expect(runCli(['--db', years, 'report', '--from', from, '--out', out]).code, from).toBe(0);
      const html = fs.readFileSync(out, 'utf8');
      expect(html.length, from).toBeLessThan(150_000);
      expect(html, from).toContain(`<h2 id="h-charts">${heading}</h2>`);
      expect(unescape(/<p data-unit="(\w+)">(.*)<\/p>/.exec(html)!.slice(1).join(': ')), from).toMatch(new RegExp(`^${unit}: A long period: each bar and table row below sums the days of a (calendar )?${unit}`));
      const json = JSON.parse(runCli(['--db', years, 'summary', '--from', from, '--json']).stdout);
      const days: { label: string; minutes: number; forward: number; backward: number; backward_s: number }[] = json.buckets;

      // every row is named by the days it covers, in order and end to end, up to the period's last day (from its
      // first walk: the empty days before it have no row), and sums those days of `summary --json`
      const rows = tableRows(html, 'strides');
      expect(rows.length, from).toBeGreaterThan(1);
      expect(rows.length, from).toBeLessThanOrEqual(31);
      expect(/<thead><tr><th scope="col">(\w+)</.exec(html)![1], from).toBe(unit);
      const covers = (row: string, day: string) => {
        const span = /^(\S+) to (\S+)$/.exec(row);
        return span ? day >= span[1] && day <= span[2] : day.startsWith(row);
      };
      let i = days.findIndex((d) => covers(rows[0][0], d.label));
      expect(days.slice(0, i).filter((d) => d.minutes > 0), from).toEqual([]);
      const plan = tableRows(html, 'plan');
      rows.forEach(([label, forward, backward], r) => {
        const inRow = [];
        while (i < days.length && covers(label, days[i].label)) inRow.push(days[i++]);
        expect(inRow.length, `${from} ${label}`).toBeGreaterThan(0);
        expect([forward, backward], `${from} ${label}`).toEqual([String(inRow.reduce((a, d) => a + d.forward, 0)), String(inRow.reduce((a, d) => a + d.backward, 0))]);
        expect(plan[r][0]).toBe(label);
        // (one decimal, as the page rounds it)
        expect(Math.abs(Number(plan[r][1]) - inRow.reduce((a, d) => a + d.backward_s, 0) / 60), `${from} ${label}`).toBeLessThanOrEqual(0.05 + 1e-9);
        // (the plan's aim is a day's: each row counts the days that reached it)
        expect(plan[r][plan[r].length - 1]).toMatch(new RegExp(`^\\d+ of ${inRow.length}$`));
      });
      expect(i, from).toBe(days.length);
      if (unit === 'week') {
        // weeks are counted back from the period's last day: the last row is `summary --week`'s 7 days, and
        // only the first row (the first walk's) may be shorter (they were counted from the first walk, so the
        // last row was whatever days were left over)
        expect(rows[rows.length - 1][0]).toBe(`${ago(6)} to ${ago(0)}`);
        const week = JSON.parse(runCli(['--db', years, 'summary', '--week', '--json']).stdout).summary;
        expect(rows[rows.length - 1].slice(1, 3)).toEqual([String(week.forward), String(week.backward)]);
        const spans = rows.map(([label]) => (/^(\S+) to (\S+)$/.exec(label)?.slice(1) ?? [label, label]).map((x) => new Date(`${x}T12:00:00`).getTime()));
        expect(spans.slice(1).map(([a, b]) => Math.round((b - a) / 86_400_000) + 1)).toEqual(spans.slice(1).map(() => 7));
      }
      // the period's figures are its own, whatever its rows sum
      expect(cells(html, 'figure').get('forward'), from).toBe(String(json.summary.forward));
      expect(cells(html, 'figure').get('backward'), from).toBe(String(json.summary.backward));
      expect(cells(html, 'figure').get('retro_min'), from).toBe(tenth(json.summary.retro_min));
    }
  });

  /** Three days on step 1 (10 minutes at 10 backward steps), 15-13 days ago, then three on step 2 (at 20), 8-6 days ago, then today on step 3 (at 30). */
  function climbed(): string {
    const file = path.join(dir, 'climbed.db');
    if (fs.existsSync(file)) return file;
    const d = openDb(file);
    upsertPod(d, { pod_id: KNOWN_POD }, at(0, 0));
    let seq = 0;
    for (const [daysAgo, backward] of [[15, 5], [14, 5], [13, 5], [8, 10], [7, 10], [6, 10], [0, 15]]) {
      insertRecords(d, KNOWN_POD, Array.from({ length: 10 }, (_, m) => {
        const start_s = at(daysAgo, m);
        return { rec: { seq: seq++, start_s, flags: RECORD_CLOCK_VALID, forward: 40, backward, heel: 40, flat: 0, toe: backward, wrong: 0, buzzes: 0, cadence_spm: 100, active_s: 60 }, start_s, estimated: false };
      }), at(0, 0));
    }
    d.close();
    return file;
  }
  const day = (daysAgo: number) => dayLabel(new Date(at(daysAgo, 0) * 1000));
  /** The plan chart of `report` from `from` to `to` days ago: its caption and its table's rows. */
  function planChartOf(file: string, from: number, to: number) {
    const out = path.join(dir, `climbed-${from}-${to}.html`);
    expect(runCli(['--db', file, 'report', '--from', day(from), '--to', day(to), '--out', out]).code).toBe(0);
    // (a caption's dates are each in a <span>, kept from breaking at their hyphens)
    const html = unescape(fs.readFileSync(out, 'utf8')).replace(/<\/?span[^>]*>/g, '');
    return { caption: /Your plan step[^<]*/.exec(html)![0], head: /<table data-table="plan">[\s\S]*?<thead><tr>([\s\S]*?)<\/tr>/.exec(html)![1].replace(/<[^>]+>/g, '|'), rows: tableRows(html, 'plan') };
  }

  it('a period that ended before today is judged against the plan step held then, not today\'s (a fortnight ago on step 1 read "0 of 3 days" against step 3)', () => {
    const file = climbed();
    const first = planChartOf(file, 15, 13);
    expect(first.caption).toContain(`Your plan step on ${day(13)}, this period's last day: 10 backward steps every minute of a walk.`);
    expect(first.caption).toContain('3 of 3 days reached it');
    expect(first.rows.map((r) => r[r.length - 1])).toEqual(['yes', 'yes', 'yes']);
    // a period wholly after the change: as it was, one step named, no column of steps
    const second = planChartOf(file, 8, 6);
    expect(second.caption).toContain(`on ${day(6)}, this period's last day: 20 backward steps every minute of a walk.`);
    expect(second.caption).toContain('3 of 3 days reached it');
    expect(second.head).not.toContain('plan step|');
    expect(second.rows.map((r) => r.slice(1))).toEqual([['2', '10', 'yes'], ['2', '10', 'yes'], ['2', '10', 'yes']]);
    // (a period at today's step, 30, since it began: no date)
    expect(planChartOf(file, 5, 0).caption).toMatch(/^Your plan step: 30 backward steps every minute of a walk\. .*1 of 6 days reached it/);
  });

  it('a period within which the step changed judges each day against the step held as it began, and says which days were at which step (it judged days on step 1 against step 2: "3 of 10 days")', () => {
    const file = climbed();
    const both = planChartOf(file, 15, 6);
    expect(both.caption).toBe(`Your plan step changed in this period, and each day is judged against the step held as it began: 10 backward steps every minute of a walk from ${day(15)} to ${day(13)} (3 days), then 20 backward steps every minute of a walk from ${day(12)} to ${day(6)} (7 days). A day counts with 10 minutes at its step (the dashed line): 6 of 10 days reached it (each day's step in the table).`);
    expect(both.head).toBe("|day||minutes of backward walking||plan step (backward steps a minute)||minutes at the day's step||reached the step (10+)|");
    const rows = new Map(both.rows.map(([label, ...r]) => [label, r]));
    expect(rows.get(day(13))).toEqual(['1.1', '10+', '10', 'yes']);
    expect(rows.get(day(12))).toEqual(['0', '20+', '0', 'no']);
    expect(rows.get(day(6))).toEqual(['2', '20+', '10', 'yes']);
    // reaching today: 20 steps until the third day of them finished it, 30 from the next day on
    const toToday = planChartOf(file, 8, 0);
    expect(toToday.caption).toMatch(new RegExp(`^Your plan step changed in this period, .*: 20 backward steps every minute of a walk from ${day(8)} to ${day(6)} \\(3 days\\), then 30 backward steps every minute of a walk from ${day(5)} to ${day(0)} \\(6 days\\)\\. .*: 4 of 9 days reached it`));
  });

  it('"last synced" is the pod\'s last sync, whether or not it had new minutes (a pod synced with nothing to copy read "not synced yet", and a pod synced daily read the day it last walked)', () => {
    // a new virtual pod, synced with nothing walked: the sync says it synced it
    const file = path.join(dir, 'synced-empty.db');
    const sync = runCli(['--db', file, '--state', path.join(dir, 'synced-empty.flash'), '--sim', 'sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/^synced \w{12} over virtual pod .*: 0 new minute records/);
    const out = path.join(dir, 'synced-empty.html');
    expect(runCli(['--db', file, 'report', '--out', out]).code).toBe(0);
    const pod = /<div data-pod="\w+"><h3>[^<]*<\/h3><p>([^<]*)<\/p>/.exec(fs.readFileSync(out, 'utf8'))![1];
    expect(unescape(pod)).toMatch(/^last synced \d{4}-\d\d-\d\d \d\d:\d\d · battery/);

    // a pod whose minutes were stored at one sync, then synced again with none new: the later sync
    const twice = openDb(path.join(dir, 'synced-twice.db'));
    upsertPod(twice, { pod_id: KNOWN_POD }, at(3, 0));
    insertRecords(twice, KNOWN_POD, [{ rec: { seq: 0, start_s: at(3, 0), flags: RECORD_CLOCK_VALID, forward: 40, backward: 10, heel: 40, flat: 0, toe: 10, wrong: 0, buzzes: 0, cadence_spm: 100, active_s: 60 }, start_s: at(3, 0), estimated: false }], at(3, 5));
    savePodStatus(twice, KNOWN_POD, { battery_pct: 80, flags: 0, first_seq: 1, next_seq: 1, stored: 0, capacity: 1000, ram_pending: 0, mode: 0 }, at(0, 1));
    expect(reportData(twice, resolvePeriod({ week: true })).pods.map((p) => p.last_sync_s)).toEqual([at(0, 1)]);
    twice.close();
  });

  it('bad input is one line and exit 2: a bad month, a folder that does not exist', () => {
    const month = runCli(['--db', db, 'report', '--month', '2026-13']);
    expect(month.code).toBe(2);
    expect(month.stderr.trim().split('\n')).toEqual(['retrostep: --month "2026-13" is not a month like 2026-11']);
    const folder = runCli(['--db', db, 'report', '--out', path.join(dir, 'nope', 'r.html')]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/^retrostep: cannot write .*: folder .*nope does not exist\n$/);
  });
});
