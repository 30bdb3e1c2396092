/**
 * The docs' links to sections, and docs/decisions.md's index: a heading renamed or a section added
 * without its index line is found here, not by a reader whose link goes nowhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorLinksOf, headingsOf } from './helpers/markdown-headings.js';

const DOCS = ['README.md', ...fs.readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (file: string): string => fs.readFileSync(file, 'utf8');
const slugsOf = new Map<string, string[]>();
/** The anchors of a page's headings (read once: decisions.md is linked some two hundred times). */
function slugs(page: string): string[] {
  if (!slugsOf.has(page)) slugsOf.set(page, fs.existsSync(page) ? headingsOf(read(page)).map((h) => h.slug) : []);
  return slugsOf.get(page)!;
}

describe('links between the docs', () => {
  it('every link to a section names a heading of the page it points to', () => {
    const broken: string[] = [];
    let links = 0;
    for (const file of DOCS) {
      for (const { file: target, anchor, link } of anchorLinksOf(read(file))) {
        // (links to other sites are not ours to check)
        if (/^[a-z]+:/.test(target)) continue;
        links++;
        const page = target ? path.normalize(path.join(path.dirname(file), target)) : file;
        if (!slugs(page).includes(anchor)) broken.push(`${file}: ${link}`);
      }
    }
    expect(links).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });

  it("decisions.md's index links every section below it, each once", () => {
    const md = read('docs/decisions.md');
    const sections = headingsOf(md).filter((h) => h.level === 2);
    const [index, ...rest] = sections;
    expect(index.text).toBe('Index by topic');
    // (the index is the text from its heading to the first section it indexes)
    const start = md.indexOf('## Index by topic');
    const indexText = md.slice(start, md.indexOf(`\n## ${rest[0].text}`, start));
    const linked = anchorLinksOf(indexText).filter((l) => l.file === '').map((l) => l.anchor);
    const missing = rest.filter((s) => !linked.includes(s.slug)).map((s) => s.text);
    expect(missing).toEqual([]);
    // (an entry per section: a section listed twice reads as two decisions)
    const entries = indexText.split('\n').filter((l) => l.startsWith('- ['));
    const firstLinks = entries.map((l) => anchorLinksOf(l)[0]?.anchor);
    expect(new Set(firstLinks).size).toBe(firstLinks.length);
    expect(firstLinks.length).toBe(rest.length);
  });
});
