import fs from 'node:fs';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { pretokenise, tokensOf } from '../scripts/pretokenise.mjs';
import { detokenise, FIRST_TOKEN_BYTE, tokenByte, TOKENS } from '../shared/espruino/tokens.js';

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

describe('the stored (pretokenised) bundle', () => {
  const min = fs.readFileSync('dist/firmware/retrostep.min.js', 'latin1');
  const tok = fs.readFileSync('dist/firmware/retrostep.tok.js', 'latin1');

  it('reads back, token for token, as the minified bundle (as Espruino\'s lexer reads it)', () => {
    expect(tokensOf(detokenise(tok))).toBe(tokensOf(min));
  });

  it('has every reserved word and multi-character operator as its one byte, and nothing else above ASCII', () => {
    // (min is ASCII: what is above 0x7f in tok was put there by the pretokeniser)
    expect(/[^\x00-\x7f]/.test(min)).toBe(false);
    for (let i = 0; i < tok.length; i++) {
      const c = tok.charCodeAt(i);
      if (c > 0x7f) expect(c - FIRST_TOKEN_BYTE, `byte ${c} at ${i}`).toBeGreaterThanOrEqual(0);
      if (c > 0x7f) expect(c - FIRST_TOKEN_BYTE, `byte ${c} at ${i}`).toBeLessThan(TOKENS.length);
    }
    // none of the words is left spelled out outside a string
    const words = tokensOf(tok.replace(/[\x80-\xff]/g, ' ')).split('\n').filter((l) => l.startsWith('name ') || /^(function|return|var|if|typeof|new) /.test(l));
    expect(words.filter((l) => TOKENS.includes(l.split(' ')[1]))).toEqual([]);
  });

  it('the table\'s bytes are Espruino\'s: == is 138, if is 163, function 170, of 198 (src/jslex.h, LEX_TYPES)', () => {
    expect([tokenByte('=='), tokenByte('=>'), tokenByte('if'), tokenByte('function'), tokenByte('undefined'), tokenByte('of')]).toEqual([138, 162, 163, 170, 183, 198]);
  });

  it('a pretokenised snippet runs the same as its source (detokenised as the virtual pod reads Storage)', () => {
    const src = '(function(){var f=function(a,b){if(a>=b&&typeof a!=="string")return a- -b;for(var i=0;i<3;i++)b+=i;return b instanceof Object?null:b};return f(2,1)+","+f(1,2)})()';
    const table = { FIRST_TOKEN_BYTE, tokenByte };
    const t = pretokenise(src, table);
    expect(t.length).toBeLessThan(src.length);
    expect(new Function('return ' + detokenise(t))()).toBe(new Function('return ' + src)());
  });
});
