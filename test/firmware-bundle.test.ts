import fs from 'node:fs';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { pretokenise, tokensOf } from '../scripts/pretokenise.mjs';
import { reservedPropertyNames } from '../scripts/property-names.mjs';
import { ESPRUINO_GLOBALS } from '../scripts/espruino-globals.mjs';
import { MESSAGE_INDEX } from '../shared/protocol/messages.js';
import { ACC_G_PER_LSB, GYRO_DPS_PER_LSB } from '../shared/protocol/raw.js';
import { detokenise, FIRST_TOKEN_BYTE, ONE_VARIABLE_CHARS, RAW_STRING16, RAW_STRING8, rawStringAt, tokenByte, TOKENS } from '../shared/espruino/tokens.js';

// the pod, minified and not, and the link it carries (evaluated when a host connects)
const bundles = ['dist/firmware/retrostep.js', 'dist/firmware/retrostep.min.js', 'dist/firmware/link.js'];

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
    const src = fs.readFileSync('dist/firmware/retrostep.js', 'utf8') + fs.readFileSync('dist/firmware/link.js', 'utf8');
    for (const banned of [/\bnew Map\b/, /\bnew Set\b/, /Array\.from\b/, /Math\.hypot\b/, /Number\.isFinite\b/, /\bSymbol\b/, /\bPromise\b/]) {
      expect(src).not.toMatch(banned);
    }
  });

  it('names no property with a word Espruino reads as one token (the build shortens property names), the link it carries included', () => {
    const pod = parse(fs.readFileSync('dist/firmware/retrostep.min.js', 'latin1'), { ecmaVersion: 5 });
    // the link: the bundle's longest string, pretokenised
    const strings = [...nodes(pod)].filter((n) => n.type === 'Literal' && typeof n.value === 'string').map((n) => n.value as string);
    const link = parse(detokenise(strings.reduce((a, b) => (b.length > a.length ? b : a))), { ecmaVersion: 5 });
    const names: string[] = [];
    for (const ast of [pod, link]) {
      for (const n of nodes(ast)) {
        const key = (n.type === 'MemberExpression' && !n.computed ? n.property : n.type === 'Property' ? n.key : null) as { type: string; name?: string } | null;
        if (key?.type === 'Identifier') names.push(key.name!);
      }
    }
    expect(names.length).toBeGreaterThan(500);
    const words = new Set(TOKENS.filter((t) => /^[A-Za-z_$][\w$]*$/.test(t)));
    expect(names.filter((n) => words.has(n))).toEqual([]);
  });

  it('carries the native CRC-32, not the table', () => {
    for (const file of ['dist/firmware/retrostep.js', 'dist/firmware/link.js']) {
      const src = fs.readFileSync(file, 'utf8');
      expect(src).toMatch(/E\.CRC32/);
      expect(src).not.toMatch(/0xedb88320|3988292384/i);
    }
  });

  it('carries the message table with its fields named as the minified code names them: each message\'s id and field types as MESSAGE_INDEX', () => {
    const tok = fs.readFileSync('dist/firmware/retrostep.tok.js', 'latin1');
    const at = tok.indexOf('\nhello 1 ');
    expect(at).toBeGreaterThan(0);
    const stored = tok.slice(at, tok.indexOf('\nerror 127 ', at)).split('\n');
    const source = MESSAGE_INDEX.slice(0, MESSAGE_INDEX.indexOf('\nerror 127 ')).split('\n');
    const shape = (line: string) => line.replace(/[^ ,]+:/g, ':');
    expect(stored.map(shape)).toEqual(source.map(shape));
    // shortened: the status message's store fields are the store's own names, not the wire names
    expect(stored.find((l) => l.startsWith('status '))).not.toContain('first_seq');
  });

  it('carries the message table as the one string its lookups read, not the table object', () => {
    const link = fs.readFileSync('dist/firmware/link.js', 'utf8');
    expect(link).toContain('var MESSAGE_INDEX = ' + JSON.stringify(MESSAGE_INDEX));
    for (const src of [link, fs.readFileSync('dist/firmware/retrostep.js', 'utf8')]) expect(src).not.toMatch(/var MESSAGES\b|MESSAGES\[/);
  });
});

describe('the property names the build keeps (scripts/property-names.mjs)', () => {
  const keep = new Set(
    reservedPropertyNames({
      codes: ['var o = { stride_m: 1, mine: 2 }; o.mine = o[k("cadence_spm")]; NRF.setServices(o, { uart: false }); e("bad prose words");', '(function () { var T = "capacity:H,stored:H"; return { other: 1 }; })()'],
      dts: 'firmware/espruino.d.ts',
      es5: 'node_modules/typescript/lib/lib.es5.d.ts',
      saved: ['cal', 'boots'],
      globals: ESPRUINO_GLOBALS,
      tokens: TOKENS,
      rewritten: ['capacity:H,stored:H'],
    }),
  );

  it('keeps Espruino\'s API and the fields it reads, built-ins, token words, names spelt in strings, and saved names', () => {
    // (state: a field of the event setWatch hands its function; $1: a quoted member of RegExp's constructor)
    for (const name of ['setServices', 'maxLen', 'onWrite', 'debounce', 'accelWr', 'length', 'subarray', 'charCodeAt', 'lastIndex', 'index', 'state', '$1', 'in', 'do', 'of', 'cadence_spm', 'cal', 'boots']) expect(keep.has(name), name).toBe(true);
  });

  it('shortens the bundle\'s own names, the words of a text for a person, and the message table\'s fields (the build writes the table again)', () => {
    for (const name of ['stride_m', 'mine', 'other', 'prose', 'capacity', 'stored']) expect(keep.has(name), name).toBe(false);
  });

  it('shortens a name the declarations use only for a parameter (RegExp compile\'s flags, setTime\'s unix_s): nothing reads it as a property', () => {
    for (const name of ['flags', 'unix_s', 'rate_hz', 'pattern']) expect(keep.has(name), name).toBe(false);
  });
});

describe('the constants the walking sample path reads (HOT_CONSTANTS, scripts/build-firmware.mjs)', () => {
  it('are numbers where they are read, not names at the top level (each read would pass every scope between)', () => {
    const min = fs.readFileSync('dist/firmware/retrostep.min.js', 'latin1');
    // the IMU listener's LSB factors (firmware/src/board.ts via shared/protocol/raw.ts): three axes each
    expect(min.split(String(ACC_G_PER_LSB).replace('0.000488', '488e-6') + '*').length - 1).toBe(3);
    expect(min.split(String(GYRO_DPS_PER_LSB).replace('0.07', '.07') + '*').length - 1).toBe(3);
    // and no top-level variable holds them any more
    const top = (parse(min, { ecmaVersion: 5 }) as unknown as { body: { type: string; declarations?: { init: { type: string; value?: unknown } | null }[] }[] }).body;
    const held = top.flatMap((st) => (st.type === 'VariableDeclaration' ? st.declarations! : [])).filter((d) => d.init?.type === 'Literal' && (d.init.value === ACC_G_PER_LSB || d.init.value === GYRO_DPS_PER_LSB));
    expect(held).toEqual([]);
  });
});

describe('the stored (pretokenised) bundle', () => {
  const min = fs.readFileSync('dist/firmware/retrostep.min.js', 'latin1');
  const tok = fs.readFileSync('dist/firmware/retrostep.tok.js', 'latin1');

  it('reads back, token for token, as the minified bundle (as Espruino\'s lexer reads it)', () => {
    expect(tokensOf(detokenise(tok))).toBe(tokensOf(min));
  });

  it('has no reserved word left spelled out, and no quoted string longer than one variable holds (outside its raw strings)', () => {
    let code = '';
    let raws = 0;
    for (let i = 0; i < tok.length; i++) {
      const raw = rawStringAt(tok, i);
      if (raw) {
        i = raw.last;
        code += ' ';
        raws++;
      } else code += tok.charCodeAt(i) >= FIRST_TOKEN_BYTE ? ' ' : tok[i];
    }
    const quoted = code.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g) ?? [];
    const longQuoted = quoted.filter((q) => (JSON.parse('"' + q.slice(1, -1).replace(/\\x/g, '\\u00').replace(/"/g, '\\"') + '"') as string).length > ONE_VARIABLE_CHARS);
    expect(longQuoted).toEqual([]);
    expect(raws).toBeGreaterThan(5);
    code = code.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ');
    const reserved = /\b(if|else|do|while|for|break|continue|function|return|var|this|throw|try|catch|finally|true|false|null|undefined|new|in|instanceof|switch|case|default|delete|typeof|void)\b/;
    // (property names after a dot are words too: Espruino's lexer reads those the same way, so none may be left)
    expect(code.match(reserved)?.[0] ?? null).toBe(null);
  });

  it('stores a string literal longer than one variable holds raw (0xD1, its length, its bytes: kept in flash on the pod), a shorter one quoted, a word as its byte', () => {
    const table = { FIRST_TOKEN_BYTE, RAW_STRING8, RAW_STRING16, ONE_VARIABLE_CHARS, tokenByte };
    expect(pretokenise('var s="hello world";', table)).toBe('\xac' + 's=' + '\xd1\x0b' + 'hello world;');
    expect(pretokenise('var s="hello";', table)).toBe('\xac' + 's="hello";'); // (copied into one variable either way)
    expect(pretokenise('x="12345678"+"123456789"', table)).toBe('x="12345678"+\xd1\x09' + '123456789');
    expect(pretokenise('x=""', table)).toBe('x=""'); // (an empty string stays quoted, as Espruino's own pretokeniser leaves it)
    const long = 'y'.repeat(300);
    expect(pretokenise(`x="${long}"`, table)).toBe('x=\xd2\x2c\x01' + long);
    expect(detokenise(pretokenise('x="a\\"b\\xffcdefgh"', table))).toBe('x="a\\x22b\\xffcdefgh"');
  });

  it('the table\'s bytes are Espruino\'s: == is 138, if is 163, function 170, of 198 (src/jslex.h, LEX_TYPES)', () => {
    expect([tokenByte('=='), tokenByte('=>'), tokenByte('if'), tokenByte('function'), tokenByte('undefined'), tokenByte('of')]).toEqual([138, 162, 163, 170, 183, 198]);
  });

  it('a pretokenised snippet runs the same as its source (detokenised as the virtual pod reads Storage)', () => {
    const src = '(function(){var f=function(a,b){if(a>=b&&typeof a!=="string")return a- -b;for(var i=0;i<3;i++)b+=i;return b instanceof Object?null:b};return f(2,1)+","+f(1,2)+" and more than 8"})()';
    const t = pretokenise(src, { FIRST_TOKEN_BYTE, RAW_STRING8, RAW_STRING16, ONE_VARIABLE_CHARS, tokenByte });
    expect(t.length).toBeLessThan(src.length);
    expect(new Function('return ' + detokenise(t))()).toBe(new Function('return ' + src)());
  });
});
