// Pretokenise an ES5 bundle for Espruino (shared/espruino/tokens.ts says what and why): each reserved word and
// multi-character operator becomes its one byte, each string literal longer than one variable holds a raw
// string (length-prefixed bytes; a shorter one is copied into a variable either way, so it stays quoted);
// identifiers, numbers and regular expressions stay as written, with a space only where two of them would
// otherwise run together.
import { tokenizer } from 'acorn';

const WORD = /[A-Za-z0-9_$]/;

/** code: ASCII ES5; table: the compiled shared/espruino/tokens (FIRST_TOKEN_BYTE, RAW_STRING8/16, ONE_VARIABLE_CHARS, tokenByte). Returns a latin1 string. */
export function pretokenise(code, table) {
  let out = '';
  let last = null; // the previous token: { text, kind } kind 'byte' | 'word' | 'punct' | 'regex'
  for (const t of tokenizer(code, { ecmaVersion: 5 })) {
    const text = code.slice(t.start, t.end);
    if (t.type.label === 'string' && t.value.length > table.ONE_VARIABLE_CHARS && t.value.length < 65536 && /^[\x00-\xff]*$/.test(t.value)) {
      // a raw string: its length, then its characters as bytes (kept in flash by the interpreter)
      const n = t.value.length;
      out += String.fromCharCode(n < 256 ? table.RAW_STRING8 : table.RAW_STRING16, n & 255) + (n < 256 ? '' : String.fromCharCode(n >> 8)) + t.value;
      last = { text, kind: 'raw' };
      continue;
    }
    const b = t.type.label === 'string' || t.type.label === 'regexp' || t.type.label === 'num' ? -1 : table.tokenByte(text);
    const kind = b >= 0 ? 'byte' : t.type.label === 'regexp' ? 'regex' : WORD.test(text[0]) ? 'word' : 'punct';
    if (last && needsSpace(last, kind, text)) out += ' ';
    out += b >= 0 ? String.fromCharCode(b) : text;
    last = { text, kind };
  }
  return out;
}

/** As Espruino's own jslPreserveSpaceBetweenTokens: words and numbers apart, - -, + +, / before a regex, a regex before / or a word; and a number before '.'. */
function needsSpace(last, kind, text) {
  if (last.kind === 'word' && kind === 'word') return true;
  if ((last.text === '-' && text === '-') || (last.text === '+' && text === '+')) return true;
  if (last.text === '/' && kind === 'regex') return true;
  if (last.kind === 'regex' && (text === '/' || kind === 'word')) return true;
  if (last.kind === 'word' && /^[0-9]/.test(last.text) && text === '.') return true;
  return false;
}

/** The token stream of ES5 code, one token per line (to check that pretokenised code reads back the same). */
export function tokensOf(code) {
  // (a string by its value: the raw string read back is quoted afresh)
  return Array.from(tokenizer(code, { ecmaVersion: 5 }), (t) => `${t.type.label} ${t.type.label === 'string' ? JSON.stringify(t.value) : code.slice(t.start, t.end)}`).join('\n');
}
