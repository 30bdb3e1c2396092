/**
 * An axe-core audit of a page in Chromium: its WCAG 2.x A and AA rules and its best practices (axe's default set),
 * none disabled. axe is evaluated in the page through the DevTools protocol, which the web page's CSP
 * (script-src 'self') does not stop as it stops an inline <script>. A frame is audited on its own page: the report
 * inside `retrostep web` is the report /report serves.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Each rule axe finds broken, with the elements it found it on: "scrollable-region-focusable: #chart-plan > .chart". */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'], iframes: false })`)) as { violations: { id: string; nodes: { target: string[] }[] }[] };
  return violations.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
