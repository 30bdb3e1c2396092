/**
 * Statement counting for the pod bundle: a copy of the bundle with
 * `__S++;` before every statement it executes (function declarations
 * excluded), so the bench can tell how many JavaScript statements the pod
 * runs per IMU sample. Espruino interprets source statement by statement,
 * so this count (not V8's time) is what costs the pod CPU.
 */
import { parse } from 'acorn';
import MagicString from 'magic-string';

/** The global the instrumented bundle counts into. */
export const STATEMENT_COUNTER = '__S';

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

export function instrumentStatements(code: string): { code: string; statements: number } {
  const ast = parse(code, { ecmaVersion: 5 }) as unknown as Node;
  const ms = new MagicString(code);
  const tick = STATEMENT_COUNTER + '++;';
  let statements = 0;
  const count = (st: Node): void => {
    if (st.type === 'FunctionDeclaration' || st.type === 'EmptyStatement') return;
    ms.appendLeft(st.start, tick);
    statements++;
  };
  const visit = (node: Node): void => {
    const list = node.type === 'Program' || node.type === 'BlockStatement' ? (node.body as Node[]) : node.type === 'SwitchCase' ? (node.consequent as Node[]) : null;
    if (list) for (const st of list) count(st);
    for (const key of SINGLE_BODY[node.type] ?? []) {
      const body = node[key];
      if (isNode(body) && body.type !== 'BlockStatement') {
        ms.appendLeft(body.start, '{' + tick);
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
  return { code: 'var ' + STATEMENT_COUNTER + '=0;' + ms.toString(), statements };
}
