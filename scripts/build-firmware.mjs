// Builds the pod bundle: firmware/src + the shared/ code it imports, as ONE
// ES5 JavaScript file for Espruino, carrying a second bundle (the link) as a string.
//  1. tsc compiles firmware/ and shared/ to ES5 (module syntax kept) against the ES5 lib
//  2. rollup joins each bundle's modules in dependency order; the CRC-32 table
//     module is swapped for the native E.CRC32 wrapper, and the message table
//     is written as the one string its lookups read (MESSAGE_INDEX)
//     a. the link (firmware/src/link.ts and the protocol code it uses): one
//        expression, a function of the pod's byte helpers (LINK_FROM_POD) whose value is createLink,
//        evaluated when a host connects
//     b. the pod (firmware/src/main.ts): plain top-level code, run at
//        Espruino's top level as .bootcde is; the link's pretokenised source
//        put in place of RETROSTEP_LINK_SOURCE (firmware/src/link-loader.ts)
//  3. every function declaration becomes `var f = function () {}`: Espruino
//     does not hoist function declarations, so neither may the virtual pod
//  4. terser minifies (ES5 output): fewer tokens parse and run faster on the pod. It shortens property names
//     too, but for those that cross into Espruino, are looked up by string or are saved as JSON
//     (scripts/property-names.mjs), with one name cache for the link and the pod, which share objects; the
//     message table is written again with its fields' short names
//  5. pretokenised (scripts/pretokenise.mjs): what is uploaded and stored
// Why the pod is not wrapped in a function, and why its factories are not
// inlined: docs/decisions.md, "The pod's variables: the link loaded on
// connect, and closures one scope deep".
// Output: dist/firmware/retrostep.js (readable), link.js (the link, readable),
// retrostep.min.js (minified) and retrostep.tok.js (uploaded).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'acorn';
import { rollup } from 'rollup';
import { minify } from 'terser';
import { eachNode } from './ast-nodes.mjs';
import { ESPRUINO_GLOBALS } from './espruino-globals.mjs';
import { pretokenise, tokensOf } from './pretokenise.mjs';
import { reservedPropertyNames } from './property-names.mjs';

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

// the message table as the one string its lookups read, written here from MESSAGES so that the pod does not
// hold the table object (shared/protocol/messages.ts, MESSAGE_INDEX)
const messagesJs = path.join(tsOut, 'shared/protocol/messages.js');
const { MESSAGE_INDEX } = await import(pathToFileURL(messagesJs).href);
const messageIndex = {
  name: 'message-index',
  transform(src, id) {
    if (id !== messagesJs) return null;
    const out = src.replace('messageIndexOf(MESSAGES)', JSON.stringify(MESSAGE_INDEX));
    if (out === src) throw new Error('build: MESSAGE_INDEX is no longer messageIndexOf(MESSAGES)');
    return out;
  },
};

/**
 * What the link takes from the pod rather than carry a copy of: functions the pod has anyway (its store and
 * records), by module and name, in the order link-loader.ts hands them over. In the link bundle each becomes
 * a parameter of the bundle's function (`LINK_FROM_POD_<name>`), and the pod's copy is what runs.
 */
const LINK_FROM_POD = [
  [path.join(tsOut, 'shared/protocol/bytes.js'), ['putU16', 'putU32', 'getU16', 'getU32']],
  [podCrc, ['crc32']],
  [path.join(tsOut, 'shared/protocol/config.js'), ['configKeys']],
];
const linkFromPodNames = LINK_FROM_POD.flatMap(([, fns]) => fns);
const linkFromPod = {
  name: 'link-from-pod',
  transform(src, id) {
    const fns = LINK_FROM_POD.find(([file]) => file === id)?.[1];
    if (!fns) return null;
    const ast = parse(src, { ecmaVersion: 2020, sourceType: 'module' });
    const edits = [];
    for (const node of ast.body) {
      const d = node.type === 'ExportNamedDeclaration' ? node.declaration : null;
      if (d?.type === 'FunctionDeclaration' && fns.includes(d.id.name)) edits.push([node.start, node.end, `export var ${d.id.name} = LINK_FROM_POD_${d.id.name};`]);
    }
    if (edits.length !== fns.length) throw new Error(`build: ${path.relative(tsOut, id)} no longer exports all of ${fns.join(', ')}`);
    for (const [start, end, text] of edits.reverse()) src = src.slice(0, start) + text + src.slice(end);
    return src;
  },
};

/** Rewrite `function f(a) {...}` declarations as `var f = function (a) {...};`. */
function unhoist(src) {
  const ast = parse(src, { ecmaVersion: 5 });
  const decls = [];
  eachNode(ast, (node) => {
    if (node.type === 'FunctionDeclaration') decls.push(node);
  });
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

/**
 * One entry's modules as one ES5 script. With `name`: an expression, `(function (params) { ...; return name; })`,
 * a function of params whose value is what the entry exports as `name`. Without: the modules' code at the top
 * level.
 */
async function bundleOf(entry, name, plugins, params) {
  const bundle = await rollup({ input: path.join(tsOut, entry), plugins: [swapCrc, messageIndex, ...plugins], onwarn: (w) => { throw new Error(`rollup: ${w.message}`); } });
  const { output } = await bundle.generate(name ? { format: 'iife', name, generatedCode: 'es5', strict: false, exports: 'named' } : { format: 'es', generatedCode: 'es5' });
  await bundle.close();
  let code = unhoist(output[0].code);
  if (name) {
    const m = /^var \w+ = \(function \(exports\) \{([\s\S]*)\}\)\(\{\}\);\s*$/.exec(code);
    if (!m) throw new Error(`bundle ${entry}: unexpected rollup output`);
    let body = m[1].replace(/\bexports\.(\w+) = \1;\s*/g, '').replace(/return exports;\s*$/, '');
    // a parameter's module variable (`var putU16 = LINK_FROM_POD_putU16;`) becomes the parameter itself
    const args = params.map((p) => {
      const alias = new RegExp(`var (\\w+) = ${p};\\s*`).exec(body);
      if (!alias) return p;
      body = body.replace(alias[0], '');
      return alias[1];
    });
    code = `(function (${args.join(', ')}) {${body}return ${name};})`;
  }
  parse(code, { ecmaVersion: 5 }); // fail the build, not the pod, on non-ES5 syntax (or an import/export left in)
  return code;
}

/**
 * MESSAGE_INDEX with each field's name as terser shortened it (cache: its property name cache, "$name" ->
 * short), a field no code names as a property left as it is. Throws if two fields of a message end up alike.
 */
function shortFields(index, cache) {
  const short = (name) => (cache && cache.props && cache.props['$' + name]) || name;
  return index.replace(/^(\S+ \d+ )(\S*)$/gm, (line, head, layout) => {
    if (!layout || layout[0] === '=') return line; // (none, or another message's: "=<id>")
    const fields = layout.split(',').map((f) => f.split(':')).map(([name, type]) => [short(name), type]);
    if (new Set(fields.map(([name]) => name)).size !== fields.length) throw new Error(`build: message ${head.trim()} has two fields of one short name`);
    return head + fields.map(([name, type]) => name + ':' + type).join(',');
  });
}

/**
 * Constants the walking sample path reads on every sample, written as numbers where they are read (terser's
 * global_defs; their declarations then go). Left as names, each is a variable at the bundle's top level, which
 * Espruino finds only after reading past every name of every scope in between: the IMU listener's reads of the
 * LSB factors pass startPod's ~70 names, the engine's push passes its own ~20 and the engine's ~45. Counted
 * on the real interpreter (valgrind, docs/decisions.md "Room on the pod"), ~1,700-3,000 of its
 * instructions a read, a walking sample ~1,280,000 (one reference loop ~73,000): these eight, ~0.45 reference
 * loops a sample. The sources keep their names; a name here must be a top-level constant of the pod bundle, and
 * the literal written for it must parse on Espruino to the double the expression gives (its parser does not always
 * round as JavaScript's: check a new one on the real interpreter, docs/decisions.md "Room on the pod").
 */
const HOT_CONSTANTS = ['ACC_G_PER_LSB', 'GYRO_DPS_PER_LSB', 'SAMPLE_MS', 'K2', 'MIN_SWING_MS', 'MAX_SWING_MS', 'COMMIT2', 'HALF_TURN_PER_MS_SUM_DPS'];

/**
 * The values of names, each a top-level `var name = ...` of code whose value is a constant expression: numbers,
 * arithmetic, Math.PI, and other such constants (evaluated here as the pod would at load: the same doubles).
 */
function topLevelConstants(code, names) {
  const decls = new Map();
  for (const st of parse(code, { ecmaVersion: 5 }).body) if (st.type === 'VariableDeclaration') for (const d of st.declarations) decls.set(d.id.name, decls.has(d.id.name) ? null : d.init);
  const value = (node, name) => {
    if (node.type === 'Literal' && typeof node.value === 'number') return node.value;
    if (node.type === 'UnaryExpression' && node.operator === '-') return -value(node.argument, name);
    if (node.type === 'BinaryExpression' && '+-*/'.includes(node.operator)) {
      const a = value(node.left, name), b = value(node.right, name);
      return node.operator === '+' ? a + b : node.operator === '-' ? a - b : node.operator === '*' ? a * b : a / b;
    }
    if (node.type === 'MemberExpression' && node.object.name === 'Math' && node.property.name === 'PI') return Math.PI;
    if (node.type === 'Identifier') return of(node.name);
    throw new Error(`build: ${name} is not a constant expression (HOT_CONSTANTS)`);
  };
  const of = (name) => {
    const init = decls.get(name);
    if (!init) throw new Error(`build: ${name} is not one top-level var of the pod bundle (HOT_CONSTANTS)`);
    return value(init, name);
  };
  return Object.fromEntries(names.map((name) => [name, of(name)]));
}

/**
 * expression: keep the value of the script's one expression (the link); else a top-level script (the pod).
 * Property names are shortened too, but for `keep` (scripts/property-names.mjs), alike in every bundle given
 * the same `props` (the link and the pod hand each other objects): terser's property name cache, updated here.
 */
async function minified(code, expression, keep, props, defs) {
  // (only the property names are shared: each bundle names its variables alone; terser adds a run's quoted
  // keys to the reserved list it is given, so each run gets its own copy of keep)
  const nameCache = { props: props.cache };
  const min = await minify(code, {
    ecma: 5,
    nameCache,
    toplevel: !expression,
    compress: {
      global_defs: defs || {},
      hoist_funs: false,
      passes: 2,
      unsafe_math: false,
      // keeps a "ram" directive (Espruino keeps such a function pretokenised in RAM)
      directives: false,
      expression,
      negate_iife: !expression,
      // a factory called once stays a function of its own: inlined into its caller, every closure it makes
      // would sit one scope deeper and cost the pod a variable more (docs/decisions.md)
      reduce_funcs: false,
      // true and false written 1 and 0 (=== against a boolean becomes ==): 63 B, and 19 variables fewer walking on the real
      // interpreter. Safe here: no boolean is saved as JSON or sent (the wire's flags are written `x ? 1 : 0`), and
      // Espruino reads every option it is handed (NRF services, advertising, security) as a number (docs/decisions.md)
      booleans_as_integers: true,
      // a parameter no code reads is dropped (the engine's onVerdict, which only the host passes): on the pod each
      // parameter is a variable of its function, and a name every lookup in the closure reads past. Safe: the pod
      // reads no function's length, and no `arguments` (the build checks that one)
      keep_fargs: false,
    },
    mangle: { toplevel: !expression, reserved: ESPRUINO_GLOBALS, properties: { reserved: [...keep], keep_quoted: true, builtins: true } },
    format: { ascii_only: true },
  });
  props.cache = nameCache.props;
  eachNode(parse(code, { ecmaVersion: 5 }), (node) => {
    if (node.type === 'Identifier' && node.name === 'arguments') throw new Error('build: the bundle reads `arguments`: keep_fargs: false would change what it sees');
  });
  parse(min.code, { ecmaVersion: 5 });
  return min.code;
}

const table = await import(pathToFileURL(path.join(tsOut, 'shared/espruino/tokens.js')).href);
/** Pretokenised, and checked to read back token for token. */
function tokenised(code, what) {
  const tok = pretokenise(code, table);
  if (tokensOf(table.detokenise(tok)) !== tokensOf(code)) throw new Error(`pretokenise: ${what} does not read back as the same tokens`);
  return tok;
}

// 2a. the link and the pod as ES5 scripts (the pod with RETROSTEP_LINK_SOURCE still in place), and the property
//     names both must keep
const linkCode = await bundleOf('firmware/src/link.js', 'createLink', [linkFromPod], linkFromPodNames.map((n) => 'LINK_FROM_POD_' + n));
const loaderJs = fs.readFileSync(path.join(tsOut, 'firmware/src/link-loader.js'), 'utf8');
if (!loaderJs.includes(`(RETROSTEP_LINK_SOURCE)(${linkFromPodNames.join(', ')})`)) throw new Error(`build: link-loader.ts no longer hands the link ${linkFromPodNames.join(', ')}, in that order`);
const podCode = await bundleOf('firmware/src/main.js', null, []);
const { SAVED_NAMES } = await import(pathToFileURL(path.join(tsOut, 'firmware/src/hal/settings.js')).href);
const keep = reservedPropertyNames({ codes: [linkCode, podCode], dts: path.join(root, 'firmware/espruino.d.ts'), es5: path.join(root, 'node_modules/typescript/lib/lib.es5.d.ts'), saved: SAVED_NAMES, globals: ESPRUINO_GLOBALS, tokens: table.TOKENS, rewritten: [MESSAGE_INDEX] });
// 2b. the link, pretokenised like the pod bundle: its string literals are raw strings too, which the
//     interpreter keeps in flash (the message index alone would be ~110 variables copied into RAM)
// 2c. the pod, the link's pretokenised source put in place of RETROSTEP_LINK_SOURCE (link-loader.ts)
const podWith = (linkTok) => {
  const code = podCode.replace(/\bRETROSTEP_LINK_SOURCE\b/, () => JSON.stringify(linkTok));
  if (code.includes('RETROSTEP_LINK_SOURCE')) throw new Error('build: the link source was not put into the pod bundle');
  return code;
};
// The message table's fields are the properties of the messages the link builds and reads, some of them made
// by the pod (the store's status, the engine's contacts): shortened like any property, and the table written
// again with the short names. A field is shortened if the link or the pod names it, so both are minified once
// to learn every short name (one name cache), then the link again with the table rewritten (the same names:
// the cache holds them all), then the pod with that link in it.
const names = { cache: undefined };
await minified(podWith(tokenised(await minified(linkCode, true, keep, names), 'the link')), false, keep, names);
const indexLiteral = JSON.stringify(MESSAGE_INDEX);
if (!linkCode.includes(indexLiteral)) throw new Error('build: the link does not carry MESSAGE_INDEX as one literal');
// (only the link's copy is written with the short names, and the table's words are not kept for being spelt in
// it: a copy in the pod's own code would read the long names)
if (podCode.includes(indexLiteral)) throw new Error('build: the pod carries MESSAGE_INDEX itself; only the link may (the table is written again in the link alone)');
const linkFinal = linkCode.replace(indexLiteral, () => JSON.stringify(shortFields(MESSAGE_INDEX, names.cache)));
const linkTok = tokenised(await minified(linkFinal, true, keep, names), 'the link');
const code = podWith(linkTok);
const min = await minified(code, false, keep, names, topLevelConstants(code, HOT_CONSTANTS));
// 5. pretokenised (reserved words and operators one byte each, as Espruino's lexer reads them): what is
//    uploaded and stored on the pod (shared/espruino/tokens.ts)
const tok = tokenised(min, 'the bundle');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'retrostep.js'), code);
fs.writeFileSync(path.join(outDir, 'link.js'), linkCode);
fs.writeFileSync(path.join(outDir, 'retrostep.min.js'), min);
fs.writeFileSync(path.join(outDir, 'retrostep.tok.js'), Buffer.from(tok, 'latin1'));
console.log(`firmware bundle: ${Buffer.byteLength(min)} bytes minified, ${tok.length} pretokenised (${Buffer.byteLength(code)} readable; the link in it ${linkTok.length} pretokenised) -> dist/firmware/retrostep.min.js, retrostep.tok.js`);
