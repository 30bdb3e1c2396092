/**
 * Variable accounting: an estimate of how many of Espruino's JsVars the
 * pod's state takes, from its shape (VAR_RULES), closures included (read
 * through the V8 inspector). The Espruino shim (espruino-shim.ts) answers
 * process.memory() with it, and the pod's variable budget is measured with
 * it through the virtual pod (bench/pod.ts). Apart from the shim because it
 * models Espruino's memory, not its API, and holds an inspector session of
 * its own.
 */
import inspector from 'node:inspector';

/**
 * How many JsVars state costs, estimated from its shape (Espruino stores
 * everything in fixed-size JsVars: objects, each property name, values).
 * The rules, deliberately on the generous side:
 * - object, array, function: 1, plus each own property's name (array index
 *   included: 1, and string blocks for a name longer than nameCharsInVar)
 *   plus the value's cost;
 * - number, boolean: 1; a whole number from -2048 to 2047 held by a name (a
 *   property or a closure variable) 0: Espruino keeps it in the name;
 * - null / undefined: 0 (just the name);
 * - string: 1 + ceil(length / 12) (12 characters per extension block);
 * - typed array: 1 for the view + ceil(bytes / 12) for its buffer, the
 *   buffer counted once however many views share it;
 * - function: also its code and its links (functionCode: the bundle runs
 *   from Storage, so the code stays in flash, but a function object carries
 *   its code pointer, scope link and their names), 1 per parameter name, and
 *   the variables of every closure scope it keeps alive (1 for the scope,
 *   1 per variable name plus the value). Closures are read through the V8
 *   inspector ([[Scopes]]); V8 keeps only variables some inner function
 *   uses, where Espruino keeps the whole scope, so this part is a lower bound.
 * Objects reached twice count once; the shim's own objects and the realm's
 * built-ins cost nothing (they live in Espruino's firmware, not in RAM).
 */
export const VAR_RULES = {
  object: 1,
  propertyName: 1,
  number: 1,
  /** A Puck.js is 32-bit: a string block holds 8-9 characters (a 64-bit Linux build 12-13). */
  stringCharsPerVar: 9,
  /**
   * A name (an object's property, a closure variable) keeps this many characters in its own variable
   * (JSVAR_DATA_STRING_NAME_LEN on a 32-bit build, jsutils.h); the rest go in string blocks of
   * stringCharsPerVar. The build shortens the pod's own property names (scripts/property-names.mjs):
   * measured on the real 32-bit interpreter, that saved 31 variables walking and 44 connected.
   */
  nameCharsInVar: 4,
  /**
   * Measured on the real 32-bit interpreter, loaded from Storage: a function made at the top level, or in a
   * function called from there, costs ~5 variables with its name (code pointer, scope link and their names),
   * plus 1 per parameter; one made a scope deeper ~3 more (its scope chain is copied into an array,
   * jspeiGetScopesAsVar), which this count does not see. With 3 (and 9 characters a string block) the shim
   * reads within 5% of the real 32-bit interpreter at load, walking, idle and flash full (`npm run bench
   * pod-real`; docs/decisions.md, "The pod's variables: the link loaded on connect, and closures one scope deep").
   */
  functionCode: 3,
  scope: 1,
  /**
   * A name (closure variable or object property) holding a whole number from -2048 to 2047: its name only.
   * Espruino keeps such an int in the name variable itself (jsvMakeIntoVariableName: the range of a 12-bit
   * variable reference, on a build of up to 4,095 variables), for object properties as for closure
   * variables. (Applied to closure variables only, while names cost 1 whatever their length, the shim read
   * within 2.1% of the real interpreter at load, walking, idle and flash full. With long names costing
   * their string blocks (nameCharsInVar), properties' ints had to count 0 too: then within 5% but at load,
   * +6.3%, before and after the build shortened the pod's property names; docs/decisions.md, "The pod's
   * property names, shortened".)
   */
  packedInt: 0,
  /** jsiTimerAdd: a timer is an object with time, interval and callback children, plus its entry in the timer array. */
  timer: 5,
  /** A watch: object with pin, callback, edge, recur, debounce, lastTime, plus its array entry. */
  watch: 7,
  /** An event listener is stored as a hidden "#on<event>" property: its name. */
  listener: 1,
} as const;
/** Variables a name costs: its own, and string blocks for what does not fit in it (VAR_RULES.nameCharsInVar). */
export function nameVars(name: string): number {
  return VAR_RULES.propertyName + Math.ceil(Math.max(0, name.length - VAR_RULES.nameCharsInVar) / VAR_RULES.stringCharsPerVar);
}

/** Variables Espruino itself uses after a reset with no code (root, hidden root, built-in objects created at boot): not measured yet; set from process.memory().usage on a blank Puck.js v2. */
export const ESPRUINO_IDLE_VARS = 0;

/** A number Espruino packs into its name variable (an int within a 12-bit reference's range). */
function isPackedInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= -2048 && v <= 2047;
}

const VAR_SCOPE_SKIP = /^Global/;
const INSPECT_GROUP = 'retrostep-var-count';

type InspectorReply = { [k: string]: unknown };
interface RemoteObject {
  type: string;
  subtype?: string;
  value?: unknown;
  unserializableValue?: string;
  objectId?: string;
  description?: string;
}
interface PropertyDescriptor2 {
  name: string;
  value?: RemoteObject;
}

let inspectorSession: inspector.Session | null | undefined;

/** The in-process inspector session (synchronous replies), or null when unavailable. */
function session(): inspector.Session | null {
  if (inspectorSession !== undefined) return inspectorSession;
  try {
    const s = new inspector.Session();
    s.connect();
    inspectorSession = s;
  } catch {
    inspectorSession = null;
  }
  return inspectorSession;
}

function post(method: string, params: object): InspectorReply {
  const s = session();
  if (!s) throw new Error('inspector unavailable');
  let reply: InspectorReply | undefined;
  let failure: Error | null = null;
  s.post(method, params, (err, result) => {
    failure = err;
    reply = (result ?? {}) as InspectorReply;
  });
  if (failure) throw failure;
  if (reply === undefined) throw new Error('inspector answered asynchronously');
  return reply;
}

const HOST_GLOBAL = globalThis as unknown as { __retrostepVarProbe?: unknown; __retrostepVarSink?: (v: unknown) => void };

/** Reads closure variables of functions through the inspector. */
class ClosureReader {
  private sinkId: string | null = null;
  private sunk: unknown;

  constructor() {
    HOST_GLOBAL.__retrostepVarSink = (v: unknown) => {
      this.sunk = v;
    };
    const r = post('Runtime.evaluate', { expression: 'globalThis.__retrostepVarSink', objectGroup: INSPECT_GROUP }) as { result?: RemoteObject };
    this.sinkId = r.result?.objectId ?? null;
    if (!this.sinkId) throw new Error('no sink');
  }

  private objectId(v: object): string | null {
    HOST_GLOBAL.__retrostepVarProbe = v;
    try {
      const r = post('Runtime.evaluate', { expression: 'globalThis.__retrostepVarProbe', objectGroup: INSPECT_GROUP }) as { result?: RemoteObject };
      return r.result?.objectId ?? null;
    } finally {
      delete HOST_GLOBAL.__retrostepVarProbe;
    }
  }

  private valueOf(ro: RemoteObject | undefined): unknown {
    if (!ro) return undefined;
    if (ro.objectId && (ro.type === 'object' || ro.type === 'function')) {
      this.sunk = undefined;
      post('Runtime.callFunctionOn', {
        objectId: this.sinkId,
        functionDeclaration: 'function (v) { this(v); }',
        arguments: [{ objectId: ro.objectId }],
        objectGroup: INSPECT_GROUP,
      });
      return this.sunk;
    }
    if (ro.type === 'number' && ro.unserializableValue !== undefined) return Number(ro.unserializableValue);
    if (ro.subtype === 'null') return null;
    return ro.value;
  }

  /** [scope description, variables] for each non-global scope fn closes over. */
  scopes(fn: object): { description: string; vars: [string, unknown][] }[] {
    const id = this.objectId(fn);
    if (!id) return [];
    const props = post('Runtime.getProperties', { objectId: id, ownProperties: true }) as { internalProperties?: PropertyDescriptor2[] };
    const scopes = props.internalProperties?.find((p) => p.name === '[[Scopes]]');
    if (!scopes?.value?.objectId) return [];
    const list = post('Runtime.getProperties', { objectId: scopes.value.objectId, ownProperties: true }) as { result?: PropertyDescriptor2[] };
    const out: { description: string; vars: [string, unknown][] }[] = [];
    for (const s of list.result ?? []) {
      const d = s.value?.description ?? '';
      if (!s.value?.objectId || VAR_SCOPE_SKIP.test(d)) continue;
      const vars = post('Runtime.getProperties', { objectId: s.value.objectId, ownProperties: true }) as { result?: PropertyDescriptor2[] };
      out.push({ description: d, vars: (vars.result ?? []).map((v) => [v.name, this.valueOf(v.value)] as [string, unknown]) });
    }
    return out;
  }

  release(): void {
    try {
      post('Runtime.releaseObjectGroup', { objectGroup: INSPECT_GROUP });
    } catch {
      // nothing held
    }
    delete HOST_GLOBAL.__retrostepVarSink;
  }
}

const byteLengthOf = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')?.get as (this: unknown) => number;

/** Bytes of an ArrayBuffer from any realm, -1 for anything else (ArrayBuffer.prototype itself included). */
function arrayBufferBytes(o: object): number {
  try {
    return byteLengthOf.call(o);
  } catch {
    return -1;
  }
}

const FUNCTION_OWN_SKIP = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);

/** One counting pass (objects seen once per pass). */
export class VarCounter {
  /** False when closures could not be read (no inspector): function scopes were not counted. */
  closuresWalked = true;
  private readonly seen = new Set<object>();
  private readonly seenScopes = new Set<string>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private closures: ClosureReader | null = null;

  constructor(
    /** Objects that cost nothing (built-ins, the shim). */
    private readonly excluded: (o: object) => boolean,
    /** Function.prototype of the pod's realm: only its functions have bundle closures. */
    private readonly realmFunctionProto: object | null,
  ) {}

  /** Vars for v and everything it reaches that was not counted yet in this pass. */
  count(v: unknown): number {
    return this.walk(v);
  }

  /** Vars for a value a name holds (a property, a closure variable): a small whole number is kept in the name. */
  held(v: unknown): number {
    return isPackedInt(v) ? VAR_RULES.packedInt : this.walk(v);
  }

  /** End of the pass: let the inspector drop what it held for us. */
  done(): void {
    this.closures?.release();
    this.closures = null;
  }

  private identity(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }

  private walk(v: unknown): number {
    if (v === null || v === undefined) return 0;
    const t = typeof v;
    if (t === 'number' || t === 'boolean' || t === 'bigint') return VAR_RULES.number;
    if (t === 'string') return 1 + Math.ceil((v as string).length / VAR_RULES.stringCharsPerVar);
    if (t !== 'object' && t !== 'function') return 0;
    const o = v as object;
    if (this.excluded(o) || this.seen.has(o)) return 0;
    this.seen.add(o);
    if (ArrayBuffer.isView(o)) return 1 + this.walk(o.buffer);
    const bytes = arrayBufferBytes(o);
    if (bytes >= 0) return Math.ceil(bytes / VAR_RULES.stringCharsPerVar);
    let n = VAR_RULES.object;
    const isFn = t === 'function';
    if (isFn) {
      n += VAR_RULES.functionCode + (o as { length: number }).length;
      n += this.walkClosures(o);
    }
    for (const key of Object.getOwnPropertyNames(o)) {
      if (isFn && FUNCTION_OWN_SKIP.has(key)) continue;
      if (key === 'length' && Array.isArray(o)) continue;
      const d = Object.getOwnPropertyDescriptor(o, key);
      n += nameVars(key);
      if (d && 'value' in d) n += this.held(d.value);
    }
    if (isFn) {
      // ES5 "classes": a prototype with methods is state; the default { constructor } one is not
      const proto = Object.getOwnPropertyDescriptor(o, 'prototype')?.value as object | undefined;
      if (proto && typeof proto === 'object' && Object.getOwnPropertyNames(proto).some((k) => k !== 'constructor')) n += VAR_RULES.propertyName + this.walk(proto);
    }
    return n;
  }

  private walkClosures(fn: object): number {
    if (!this.realmFunctionProto || Object.getPrototypeOf(fn) !== this.realmFunctionProto) return 0;
    if (!this.closures) {
      try {
        this.closures = new ClosureReader();
      } catch {
        this.closuresWalked = false;
        return 0;
      }
    }
    let n = 0;
    let scopes: { description: string; vars: [string, unknown][] }[];
    try {
      scopes = this.closures.scopes(fn);
    } catch {
      this.closuresWalked = false;
      return 0;
    }
    for (const s of scopes) {
      // functions sharing a scope see the same variables: count it once
      const key = s.description + '|' + s.vars.map(([k, val]) => k + '=' + (val !== null && (typeof val === 'object' || typeof val === 'function') ? '#' + this.identity(val) : typeof val + ':' + String(val))).join(',');
      if (this.seenScopes.has(key)) continue;
      this.seenScopes.add(key);
      n += VAR_RULES.scope;
      for (const [name, val] of s.vars) n += nameVars(name) + this.held(val);
    }
    return n;
  }
}
