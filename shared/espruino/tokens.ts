/**
 * Espruino's pretokenised code: reserved words and multi-character
 * operators stored as one byte each (what the Espruino IDE's "pretokenise"
 * upload does, and what the interpreter's lexer reads back: src/jslex.h,
 * LEX_TYPES, and jslReservedWordAsString in src/jslex.c, whose order the
 * interpreter keeps fixed for this). The pod bundle is stored this way:
 * ~14% smaller, string literals kept in flash (RAW_STRING8); its cost per
 * sample on the real interpreter is the minified bundle's within this
 * machine's noise (docs/decisions.md).
 * Used by the build (scripts/pretokenise.mjs) and by the virtual pod, which
 * reads a stored bundle back as the interpreter's lexer would (detokenise).
 */

/** The byte of TOKENS[0] (_LEX_TOKENS_START: LEX_TOKEN_START 128 plus the ten token kinds before it). */
export const FIRST_TOKEN_BYTE = 138;

/** In byte order from FIRST_TOKEN_BYTE: operators 1, then reserved words (LEX_R_IF .. LEX_R_OF). */
export const TOKENS = [
  '==', '===', '!=', '!==', '<=', '<<', '<<=', '>=', '>>', '>>>', '>>=', '>>>=', '+=', '-=', '++', '--', '*=', '/=', '%=', '&=', '&&', '|=', '||', '^=', '=>',
  'if', 'else', 'do', 'while', 'for', 'break', 'continue', 'function', 'return', 'var', 'let', 'const', 'this', 'throw', 'try', 'catch', 'finally',
  'true', 'false', 'null', 'undefined', 'new', 'in', 'instanceof', 'switch', 'case', 'default', 'delete', 'typeof', 'void', 'debugger',
  'class', 'extends', 'super', 'static', 'of',
];

/**
 * A string literal stored raw: this byte, its length (one byte, or two for RAW_STRING16, low first), then its
 * characters as bytes (LEX_RAW_STRING8 0xD1, LEX_RAW_STRING16 0xD2). Running from flash, the interpreter
 * keeps a raw string longer than one variable's characters where it is, in flash: one variable instead of one
 * per ~10 characters (jslGetRawString, src/jslex.c).
 */
export const RAW_STRING8 = 0xd1;
export const RAW_STRING16 = 0xd2;
/**
 * The characters one variable holds (JSVAR_DATA_STRING_LEN, src/jsutils.h: 4 + 3 x 12-bit references / 8 =
 * 8 on a Puck.js, whose 2,500-odd variables take 12-bit references). A raw string no longer than this is
 * copied into one variable, just as a quoted one is: it gains nothing in flash, so the build leaves it quoted
 * (the same bytes stored, and no length byte for the link's copy in the pod bundle to escape).
 */
export const ONE_VARIABLE_CHARS = 8;

/** The byte of a reserved word or operator, or -1. */
export function tokenByte(text: string): number {
  for (let i = 0; i < TOKENS.length; i++) if (TOKENS[i] === text) return FIRST_TOKEN_BYTE + i;
  return -1;
}

/**
 * Pretokenised code back to source text, a space either side of each word, raw strings as quoted literals
 * (code the build made is ASCII outside its raw strings, so every other byte from FIRST_TOKEN_BYTE up is a
 * token).
 */
export function detokenise(code: string): string {
  let out = '';
  for (let i = 0; i < code.length; i++) {
    const raw = rawStringAt(code, i);
    if (raw) {
      out += quoted(raw.value);
      i = raw.last;
      continue;
    }
    const c = code.charCodeAt(i);
    const k = c - FIRST_TOKEN_BYTE;
    if (c < FIRST_TOKEN_BYTE || k >= TOKENS.length) out += code.charAt(i);
    else out += ' ' + TOKENS[k] + ' ';
  }
  return out;
}

/** The raw string that starts at i (its characters, and the index of its last byte), or null when none does. */
export function rawStringAt(code: string, i: number): { value: string; last: number } | null {
  const c = code.charCodeAt(i);
  if (c !== RAW_STRING8 && c !== RAW_STRING16) return null;
  const at = c === RAW_STRING16 ? i + 3 : i + 2;
  const n = code.charCodeAt(i + 1) | (c === RAW_STRING16 ? code.charCodeAt(i + 2) << 8 : 0);
  return { value: code.substr(at, n), last: at + n - 1 };
}

/** A JavaScript string literal of these characters (each byte outside printable ASCII as \xHH). */
function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) out += '\\x' + (c < 16 ? '0' : '') + c.toString(16);
    else out += s.charAt(i);
  }
  return out + '"';
}
