/**
 * Statement counting for the pod bundle: a copy of the bundle with
 * `__S++;__T+=n;` before every statement it executes (function declarations
 * excluded), n the statement's own tokens, so the bench can tell how many
 * JavaScript statements, and how many of their tokens, the pod runs per IMU
 * sample. Espruino interprets source text statement by statement, lexing
 * every token it passes, so these counts (not V8's time) are what costs the
 * pod CPU.
 */
import { parse, tokenizer } from 'acorn';
import MagicString from 'magic-string';

/** The globals the instrumented bundle counts statements and their tokens into. */
export const STATEMENT_COUNTER = '__S';
export const TOKEN_COUNTER = '__T';

type Node = { type: string; start: number; end: number; [k: string]: unknown };

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string' && typeof (v as Node).start === 'number';
}

/** Statement positions that hold a single statement, not a list: wrapped in a block to count them. */
const SINGLE_BODY: { [type: string]: string[] } = {
  IfStatement: ['consequent', 'alternate'],
  ForStatement: ['body'],
  ForInStatement: ['body'],
  WhileStatement: ['body'],
  DoWhileStatement: ['body'],
  LabeledStatement: ['body'],
};

/** The statements directly inside a node that count for themselves: in its blocks and cases, and its single bodies (not inside a function it makes). */
function innerStatements(node: Node, out: Node[]): Node[] {
  const list = node.type === 'BlockStatement' ? (node.body as Node[]) : node.type === 'SwitchCase' ? (node.consequent as Node[]) : null;
  if (list) {
    out.push(...list);
    return out;
  }
  const single = SINGLE_BODY[node.type] ?? [];
  for (const key of Object.keys(node)) {
    const v = node[key];
    for (const c of Array.isArray(v) ? v : [v]) {
      if (!isNode(c) || c.type === 'FunctionExpression' || c.type === 'FunctionDeclaration') continue;
      if (single.includes(key) && c.type !== 'BlockStatement') out.push(c);
      else innerStatements(c, out);
    }
  }
  return out;
}

export function instrumentStatements(code: string): { code: string; statements: number } {
  const ast = parse(code, { ecmaVersion: 5 }) as unknown as Node;
  const ms = new MagicString(code);
  const starts: number[] = [];
  for (const t of tokenizer(code, { ecmaVersion: 5 })) starts.push(t.start);
  /** Tokens starting in [a, b). */
  const tokensIn = (a: number, b: number): number => lowerBound(starts, b) - lowerBound(starts, a);
  // a statement's own tokens: its text less the statements it holds, which count their own when they run (the
  // code of a function it makes is its own: Espruino lexes through it to make the function)
  const own = (st: Node): number => tokensIn(st.start, st.end) - innerStatements(st, []).reduce((n, c) => n + tokensIn(c.start, c.end), 0);
  const tick = (st: Node): string => STATEMENT_COUNTER + '++;' + TOKEN_COUNTER + '+=' + own(st) + ';';
  let statements = 0;
  const count = (st: Node): void => {
    if (st.type === 'FunctionDeclaration' || st.type === 'EmptyStatement') return;
    ms.appendLeft(st.start, tick(st));
    statements++;
  };
  const visit = (node: Node): void => {
    const list = node.type === 'Program' || node.type === 'BlockStatement' ? (node.body as Node[]) : node.type === 'SwitchCase' ? (node.consequent as Node[]) : null;
    if (list) for (const st of list) count(st);
    for (const key of SINGLE_BODY[node.type] ?? []) {
      const body = node[key];
      if (isNode(body) && body.type !== 'BlockStatement') {
        ms.appendLeft(body.start, '{' + tick(body));
        ms.appendRight(body.end, '}');
        statements++;
      }
    }
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (Array.isArray(v)) for (const c of v) isNode(c) && visit(c);
      else if (isNode(v)) visit(v);
    }
  };
  visit(ast);
  return { code: 'var ' + STATEMENT_COUNTER + '=0,' + TOKEN_COUNTER + '=0;' + ms.toString(), statements };
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
