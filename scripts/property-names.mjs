/**
 * Which property names the firmware build must keep when it shortens the rest (terser's mangle.properties).
 * The pod bundle is a closed world: every object it makes and reads is its own, except what crosses into
 * Espruino or out of the bundle. Those names keep their spelling:
 *  - Espruino's API and the shapes it reads or hands back (firmware/espruino.d.ts: every name it declares, option
 *    and event fields included: a renamed `debounce` or `maxLen` would be ignored on a Puck without an error);
 *  - JavaScript's own built-ins: every name TypeScript's ES5 library declares (lib.es5.d.ts, what the pod code is
 *    type-checked against: instance fields such as a match's `index` or a RegExp's `lastIndex` included);
 *    not the two files' parameter names (`flags`, `unix_s`): the pod code is type-checked against them, so
 *    any property it reads on Espruino's or JavaScript's objects is a member they declare (declaredNames);
 *  - reserved words, and every word Espruino's lexer reads as a token (shared/espruino/tokens.ts: `in`, `do`,
 *    `of`...), whatever comes before it;
 *  - any name spelt in a string literal of the bundle that holds no space: looked up by string (the config
 *    keys and their list, the message table's names, Espruino's hidden "#on..." properties); a text for a
 *    person ("bad config payload") is no lookup. Not the message table's fields: the build writes
 *    the table again with the fields' short names (scripts/build-firmware.mjs), so they are left to shorten;
 *  - what the pod saves as JSON (firmware/src/hal/settings.ts SAVED_NAMES): a file written by one build is read
 *    by the next, whose short names differ.
 * A short name saves bytes in Storage and, on the pod, variables: Espruino keeps a property's name in the
 * variable that holds it only up to a few characters, and a longer one in more variables.
 */
import fs from 'node:fs';
import { parse } from 'acorn';
import ts from 'typescript';
import { eachNode } from './ast-nodes.mjs';

const WORD = /[A-Za-z_$][\w$]*/g;

/** ES5's reserved words, the future ones and the literals. */
const RESERVED_WORDS = 'break case catch continue debugger default delete do else finally for function if in instanceof new return switch this throw try typeof var void while with class const enum export extends import super implements interface let package private protected public static yield null true false undefined NaN Infinity arguments eval'.split(' ');

/**
 * codes: the bundles' ES5 sources (the link and the pod, mangled with one name cache: a name they share must
 * be kept in both or shortened alike; the pod's before the link's source is put in it, as that string is
 * code, not a name looked up). dts: Espruino's declarations; es5: TypeScript's ES5 library. saved: the names
 * written as JSON.
 * tokens: the words Espruino's lexer reads as one token. rewritten: string literals the build writes again
 * with the short names (the message table): their words are not kept for being spelt there.
 */
export function reservedPropertyNames({ codes, dts, es5, saved, globals, tokens, rewritten = [] }) {
  const names = new Set([...RESERVED_WORDS, ...tokens.filter((t) => /^[A-Za-z_$][\w$]*$/.test(t)), ...saved, ...globals]);
  for (const file of [dts, es5]) for (const name of declaredNames(file)) names.add(name);
  for (const code of codes) {
    eachNode(parse(code, { ecmaVersion: 5 }), (node) => {
      if (node.type === 'Literal' && typeof node.value === 'string' && !/\s/.test(node.value) && !rewritten.includes(node.value)) for (const w of node.value.match(WORD) ?? []) names.add(w);
    });
  }
  return [...names];
}

/**
 * The names a declaration file declares: its members (properties, methods, accessors, enum members, the fields
 * of its object types, quoted ones too: `"$1"`) and its top-level names. Not its parameters' names (`compile(pattern, flags)`,
 * `setTime(unix_s)`): a name that is only ever a parameter is no property anything reads, so a pod field of
 * that name is free to shorten.
 */
function declaredNames(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const names = new Set();
  const visit = (node) => {
    if (!ts.isParameter(node) && node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) names.add(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}
