/** The cost model's counting copy of the bundle (bench/instrument.ts): statements run, and their own tokens. */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { instrumentStatements, STATEMENT_COUNTER, TOKEN_COUNTER } from '../bench/instrument.js';

function run(code: string): { statements: number; tokens: number } {
  const ctx: { [k: string]: unknown } = {};
  vm.runInNewContext(instrumentStatements(code).code, ctx);
  return { statements: ctx[STATEMENT_COUNTER] as number, tokens: ctx[TOKEN_COUNTER] as number };
}

describe('the counting bundle', () => {
  it('counts each statement run once, with its own tokens (a block it holds counts its statements when they run)', () => {
    // `var a = 1 ;` 5 tokens; the if's own 9 (`if ( a ) { } else { }`); `a = 2 ;` 4. The else branch's
    // statements do not run, so they are not counted (Espruino lexes them to skip them: the model's factor
    // is fitted on the real interpreter with this left out)
    expect(run('var a = 1; if (a) { a = 2; } else { a = 3; a = 4; }')).toEqual({ statements: 3, tokens: 5 + 9 + 4 });
  });

  it('counts a loop body each time it runs, and a function made as its whole text', () => {
    // `for ( var i = 0 ; i < 3 ; i ++ )` 14 tokens once, `s += i ;` 4 tokens 3 times
    expect(run('var s = 0; for (var i = 0; i < 3; i++) s += i;')).toEqual({ statements: 2 + 3, tokens: 5 + 14 + 3 * 4 });
    // `var f = function ( ) { return 1 ; } ;`: 12, the function's code with it; its return is not run
    expect(run('var f = function () { return 1; };')).toEqual({ statements: 1, tokens: 12 });
  });
});
