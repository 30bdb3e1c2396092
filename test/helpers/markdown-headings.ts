/**
 * Markdown headings as GitHub names their anchors, for the docs' link test: a page's links to its own
 * sections (`[x](#anchor)`, `[x](other.md#anchor)`) are only checked by GitHub when someone clicks one.
 */

export interface Heading {
  level: number;
  /** the heading's text, as the slug is made from it */
  text: string;
  slug: string;
}

/**
 * github-slugger's rule: lower case, every character that is not a letter, mark, digit, connector, space or
 * hyphen dropped, spaces to hyphens; a repeated slug gets -1, -2 (every heading level counts).
 */
function slugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc} -]/gu, '').replace(/ /g, '-');
    let slug = base;
    if (seen.has(base)) {
      let n = seen.get(base)!;
      do slug = `${base}-${++n}`;
      while (seen.has(slug));
      seen.set(base, n);
    }
    if (!seen.has(slug)) seen.set(slug, 0);
    return slug;
  };
}

/** The ATX headings (`## Title`) of a Markdown text, in order; those inside fenced code are not headings. */
export function headingsOf(md: string): Heading[] {
  const slug = slugger();
  const out: Heading[] = [];
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const f = /^\s{0,3}(```+|~~~+)/.exec(line);
    if (f) {
      if (!fence) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      continue;
    }
    if (fence) continue;
    const m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) {
      const text = m[2].replace(/`/g, '');
      out.push({ level: m[1].length, text, slug: slug(text) });
    }
  }
  return out;
}

/** Every link to an anchor in a Markdown text: the file it names ('' for the same page) and the anchor. */
export function anchorLinksOf(md: string): { file: string; anchor: string; link: string }[] {
  return [...md.matchAll(/\]\(([^)\s#]*)#([^)\s]+)\)/g)].map((m) => ({ file: m[1], anchor: m[2], link: m[0] }));
}
