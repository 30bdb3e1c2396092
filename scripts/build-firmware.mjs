// Builds the pod bundle: firmware/src + the shared/ code it imports, as ONE
// ES5 JavaScript file for Espruino.
//  1. tsc compiles firmware/ and shared/ to ES5 (module syntax kept) against the ES5 lib
//  2. rollup joins the modules into one IIFE in dependency order; the
//     CRC-32 table module is swapped for the native E.CRC32 wrapper
//  3. every function declaration becomes `var f = function () {}`: Espruino
//     does not hoist function declarations, so neither may the virtual pod
//  4. terser minifies (ES5 output): fewer tokens parse and run faster on the pod
//  5. the minified bundle pretokenised (scripts/pretokenise.mjs): what is uploaded and stored
// Output: dist/firmware/retrostep.js (readable), retrostep.min.js (minified) and retrostep.tok.js (uploaded).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'acorn';
import { rollup } from 'rollup';
import { minify } from 'terser';
import { pretokenise, tokensOf } from './pretokenise.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsOut = path.join(root, 'build/firmware-ts');
const outDir = path.join(root, 'dist/firmware');

fs.rmSync(tsOut, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'firmware/tsconfig.json')], { stdio: 'inherit' });

const sharedCrc = path.join(tsOut, 'shared/protocol/crc32.js');
const podCrc = path.join(tsOut, 'firmware/src/hal/crc32.js');
const swapCrc = {
  name: 'native-crc32',
  resolveId(source, importer) {
    if (!importer) return null;
    const p = path.resolve(path.dirname(importer), source);
    return p === sharedCrc ? podCrc : null;
  },
};

const bundle = await rollup({ input: path.join(tsOut, 'firmware/src/main.js'), plugins: [swapCrc], onwarn: (w) => { throw new Error(`rollup: ${w.message}`); } });
const { output } = await bundle.generate({ format: 'iife', generatedCode: 'es5', strict: false });
await bundle.close();
let code = output[0].code;

/** Rewrite `function f(a) {...}` declarations as `var f = function (a) {...};`. */
function unhoist(src) {
  const ast = parse(src, { ecmaVersion: 5 });
  const decls = [];
  (function walk(node) {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'FunctionDeclaration') decls.push(node);
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === 'string') walk(v);
    }
  })(ast);
  // non-overlapping edits, applied from the end so earlier offsets stay valid
  const edits = [];
  for (const d of decls) {
    edits.push({ at: d.start, remove: d.id.end - d.start, insert: `var ${d.id.name} = function` });
    edits.push({ at: d.end, remove: 0, insert: ';' });
  }
  edits.sort((a, b) => b.at - a.at);
  for (const e of edits) src = src.slice(0, e.at) + e.insert + src.slice(e.at + e.remove);
  return src;
}

code = unhoist(code);
parse(code, { ecmaVersion: 5 }); // fail the build, not the pod, on non-ES5 syntax

const min = await minify(code, {
  ecma: 5,
  // directives: false keeps a "ram" directive (Espruino keeps such a function pretokenised in RAM); none is in
  // the pod code now, for memory (docs/decisions.md), but one put back must not be dropped silently
  compress: { hoist_funs: false, passes: 2, unsafe_math: false, directives: false },
  mangle: true,
  format: { ascii_only: true },
});
// 5. pretokenised (reserved words and operators one byte each, as Espruino's lexer reads them): what is
//    uploaded and stored on the pod (shared/espruino/tokens.ts)
const table = await import(pathToFileURL(path.join(tsOut, 'shared/espruino/tokens.js')).href);
const tok = pretokenise(min.code, table);
if (tokensOf(table.detokenise(tok)) !== tokensOf(min.code)) throw new Error('pretokenise: the bundle does not read back as the same tokens');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'retrostep.js'), code);
fs.writeFileSync(path.join(outDir, 'retrostep.min.js'), min.code);
fs.writeFileSync(path.join(outDir, 'retrostep.tok.js'), Buffer.from(tok, 'latin1'));
console.log(`firmware bundle: ${Buffer.byteLength(min.code)} bytes minified, ${tok.length} pretokenised (${Buffer.byteLength(code)} readable) -> dist/firmware/retrostep.min.js, retrostep.tok.js`);
