import fs from 'node:fs';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';

const bundles = ['dist/firmware/retrostep.js', 'dist/firmware/retrostep.min.js'];

/** Every node of an acorn AST. */
function* nodes(node: unknown): Generator<{ type: string; [k: string]: unknown }> {
  if (!node || typeof (node as { type?: unknown }).type !== 'string') return;
  const n = node as { type: string; [k: string]: unknown };
  yield n;
  for (const v of Object.values(n)) {
    if (Array.isArray(v)) for (const c of v) yield* nodes(c);
    else if (v && typeof v === 'object') yield* nodes(v);
  }
}

describe('firmware bundle', () => {
  for (const file of bundles) {
    it(`${file} parses as ES5`, () => {
      const src = fs.readFileSync(file, 'utf8');
      expect(() => parse(src, { ecmaVersion: 5 })).not.toThrow();
    });

    it(`${file} has no function declarations (Espruino does not hoist them)`, () => {
      const ast = parse(fs.readFileSync(file, 'utf8'), { ecmaVersion: 5 });
      const decls = [...nodes(ast)].filter((n) => n.type === 'FunctionDeclaration');
      expect(decls.length).toBe(0);
    });
  }

  it('uses no API that Espruino lacks (Map, Set, Array.from, Math.hypot, Number.isFinite, Symbol, Promise)', () => {
    const src = fs.readFileSync('dist/firmware/retrostep.js', 'utf8');
    for (const banned of [/\bnew Map\b/, /\bnew Set\b/, /Array\.from\b/, /Math\.hypot\b/, /Number\.isFinite\b/, /\bSymbol\b/, /\bPromise\b/]) {
      expect(src).not.toMatch(banned);
    }
  });

  it('carries the native CRC-32, not the table', () => {
    const src = fs.readFileSync('dist/firmware/retrostep.js', 'utf8');
    expect(src).toMatch(/E\.CRC32/);
    expect(src).not.toMatch(/0xedb88320|3988292384/i);
  });
});
