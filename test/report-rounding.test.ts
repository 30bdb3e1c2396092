/**
 * The figures a user reads are rounded one way wherever they are shown (`summary`, the report's figures, its
 * charts' tables, `plan`), half up as by hand, and a figure that is not 0 is never shown as 0 (nor a share short
 * of all as all).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { at } from './helpers/known-week.js';
import { insertRecords, openDb, upsertPod } from '../host/src/store/db.js';
import { dayLabel } from '../host/src/report/buckets.js';
import { rounded, shown, shownCell } from '../host/src/report/shown.js';
import { RECORD_CLOCK_VALID, type MinuteRecord } from '../shared/protocol/records.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retrostep-rounding-'));
const db = path.join(dir, 'edges.db');
const POD = 'a1b2c3d4e5f6';

/** A minute of backward walking only (no forward strides): its retro seconds are its active seconds. */
function backwardMinute(seq: number, start_s: number, backward: number, active_s: number, wrong = 0): { rec: MinuteRecord; start_s: number; estimated: boolean } {
  return { rec: { seq, start_s, flags: RECORD_CLOCK_VALID, forward: 0, backward, heel: wrong, flat: 0, toe: backward - wrong, wrong, buzzes: wrong, cadence_spm: 100, active_s }, start_s, estimated: false };
}

// 3 days ago: 9 s of backward walking, 0.15 minutes; 2 days ago: two strides in 2 s (0.03 minutes, 0.23 kcal);
// yesterday: ten minutes, 2,499 of their 2,500 backward strides wrong
beforeAll(() => {
  const d = openDb(db);
  upsertPod(d, { pod_id: POD, name: 'retrostep-e5f6', fw_version: '1.0' }, at(0, 0));
  insertRecords(d, POD, [
    backwardMinute(0, at(3, 0), 5, 9),
    backwardMinute(1, at(2, 0), 2, 2),
    ...Array.from({ length: 10 }, (_, m) => backwardMinute(2 + m, at(1, m), 250, 60, m === 0 ? 249 : 250)),
    // 4 days ago: one stride alone in its minute (the pod times walking from stride to stride: 0 s)
    backwardMinute(12, at(4, 0), 1, 0),
  ], at(0, 0));
  d.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const day = (daysAgo: number) => dayLabel(new Date(at(daysAgo, 0) * 1000));

/** A line of `summary` of the day `daysAgo` (of the last 7 days, null). */
function summaryLine(daysAgo: number | null, label: string): string {
  const r = runCli(['--db', db, 'summary', '--no-chart', ...(daysAgo === null ? [] : ['--day', day(daysAgo)])]);
  expect(r.code, r.stderr).toBe(0);
  return new RegExp(`^  ${label}\\s+(.*)$`, 'm').exec(r.stdout)![1];
}

function report(daysAgo: number): string {
  const out = path.join(dir, `day-${daysAgo}.html`);
  const r = runCli(['--db', db, 'report', '--day', day(daysAgo), '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  return fs.readFileSync(out, 'utf8');
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>');

const figure = (html: string, key: string) => unescape(new RegExp(`data-figure="${key}">([^<]*)<`).exec(html)![1]);
/** The one row of a day's chart table: its cells after the day. */
const tableRow = (html: string, chart: string) => {
  const body = new RegExp(`<table data-table="${chart}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html)![1];
  return [...body.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => unescape(c[1]));
};

describe('figures as shown', () => {
  it('rounds half up, as by hand, and shows a figure above 0 as "<0.1" or "<1", a share short of all as ">99.9"', () => {
    expect(rounded(9 / 60, 1)).toBe(0.2);
    expect(shown(9 / 60, 1)).toBe('0.2');
    expect(shown(2 / 60, 1)).toBe('<0.1');
    expect(shown(0, 1)).toBe('0.0');
    expect(shown(0.23, 0)).toBe('<1');
    expect(shown(0.5, 0)).toBe('1');
    expect(shown((100 * 2499) / 2500, 1, 100)).toBe('>99.9');
    expect(shown(100, 1, 100)).toBe('100.0');
    expect(shownCell(2.26, 1)).toBe(2.3);
    expect(shownCell(0.01, 1)).toBe('<0.1');
  });

  it('gives 9 s of backward walking one figure, 0.2 minutes, in summary, the report\'s figures and its plan table', () => {
    expect(summaryLine(3, 'retro minutes')).toBe('0.2');
    const html = report(3);
    expect(figure(html, 'retro_min')).toBe('0.2');
    expect(tableRow(html, 'plan')[0]).toBe('0.2');
  });

  it('shows a day of two backward strides as under a tenth of a minute and under 1 kcal, not 0', () => {
    expect(summaryLine(2, 'backward strides')).toBe('2');
    expect(summaryLine(2, 'retro minutes')).toBe('<0.1');
    expect(summaryLine(2, 'active minutes')).toBe('<0.1');
    expect(summaryLine(2, 'energy')).toMatch(/^<1 kcal /);
    const html = report(2);
    expect(figure(html, 'retro_min')).toBe('<0.1');
    expect(figure(html, 'kcal')).toBe('<1 kcal (70 kg)');
    expect(tableRow(html, 'energy')).toEqual(['<1']);
    expect(tableRow(html, 'plan')[0]).toBe('<0.1');
    expect(html).toContain('&lt;1 kcal in all.');
  });

  it('shows 2,499 wrong strides of 2,500 as over 99.9% of backward, not 100%', () => {
    expect(summaryLine(1, 'wrong-gait strides')).toMatch(/^2499 \(>99\.9% of backward\)/);
    const html = report(1);
    expect(figure(html, 'wrong')).toBe('2499 (>99.9% of backward)');
    expect(tableRow(html, 'wrong')).toEqual(['>99.9']);
  });

  it('says a day of one stride has no cadence as too few strides to time, not as no walking', () => {
    expect(summaryLine(4, 'backward strides')).toBe('1');
    expect(summaryLine(4, 'cadence')).toBe('n/a (too few strides to time)');
    expect(summaryLine(5, 'cadence')).toBe('n/a (no walking)');
  });

  it('says this week\'s active and backward minutes in the plan to a tenth, as summary does: a walk all backward is as many of each', () => {
    // (611 s walked, all backward: 10.18 minutes of each)
    const r = runCli(['--db', db, 'plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('This week: 10.2 active minutes of 150 recommended (adults 65+), 10.2 of them backward.');
    expect(summaryLine(null, 'active minutes')).toBe('10.2');
    expect(summaryLine(null, 'retro minutes')).toBe('10.2');
  });
});

describe('the continuous step, judged on the minutes as shown', () => {
  const contDb = path.join(dir, 'continuous.db');
  const CONT_POD = 'c0c1c2c3c4c5';
  beforeAll(() => {
    const d = openDb(contDb);
    upsertPod(d, { pod_id: CONT_POD, name: 'retrostep-c4c5', fw_version: '1.0' }, at(0, 0));
    let seq = 0;
    const minute = (start_s: number, forward: number, backward: number) => ({ rec: { seq: seq++, start_s, flags: RECORD_CLOCK_VALID, forward, backward, heel: forward, flat: 0, toe: backward, wrong: 0, buzzes: 0, cadence_spm: 110, active_s: 60 }, start_s, estimated: false });
    // the interval steps done: 9 days of 12 minutes at 40 backward steps (20 strides) a minute
    const rows = [];
    for (let daysAgo = 20; daysAgo >= 12; daysAgo--) for (let m = 0; m < 12; m++) rows.push(minute(at(daysAgo, m), 30, 20));
    // yesterday: 599.7 s of backward walking (nine minutes all backward, and one of 199 backward strides of 200),
    // 9.995 minutes: "10.0" to a tenth
    for (let m = 0; m < 9; m++) rows.push(minute(at(1, m), 0, 55));
    rows.push(minute(at(1, 9), 1, 199));
    insertRecords(d, CONT_POD, rows, at(0, 0));
    d.close();
  });

  it('counts a day whose backward minutes read 10.0 as reaching 10, in plan and in the report, as summary shows them', () => {
    const s = runCli(['--db', contDb, 'summary', '--no-chart', '--day', day(1)]);
    expect(/retro minutes\s+(\S+)/.exec(s.stdout)![1]).toBe('10.0');
    const p = runCli(['--db', contDb, 'plan']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/4\. continuous backward walking.*1\/4 days this week with 10\+ retro minutes/);
    const out = path.join(dir, 'continuous.html');
    expect(runCli(['--db', contDb, 'report', '--day', day(1), '--out', out]).code).toBe(0);
    expect(tableRow(fs.readFileSync(out, 'utf8'), 'plan')).toEqual(['10', 'yes']);
  });
});
