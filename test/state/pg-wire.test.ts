/** Parameters written into SQL text as literals (src/state/postgres/wire.ts), so BEGIN and savepoints travel with a statement. */
import { describe, expect, it } from 'vitest';
import { inline } from '../../src/state/postgres/wire.js';

describe('inline', () => {
  it('writes each $n as a quoted literal, as node-postgres sends untyped text parameters', () => {
    expect(inline('UPDATE runs SET status = $4, attempts = $5 WHERE key = $1 AND $6 AND detail IS $2', ['2030-01-05', null, 'x', "it's", 3, true])).toBe(
      `UPDATE runs SET status = 'it''s', attempts = '3' WHERE key = '2030-01-05' AND 'true' AND detail IS NULL`,
    );
    // $1 is not the start of $10.
    const ten = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inline('SELECT $10, $1', ten)).toBe(`SELECT 'v10', 'v1'`);
  });

  it('escapes what would end the literal: quotes and backslashes', () => {
    expect(inline('SELECT $1', ["a'; DROP TABLE runs; --"])).toBe(`SELECT 'a''; DROP TABLE runs; --'`);
    // One backslash in the value: an E'' literal with it doubled (node-postgres's escapeLiteral).
    expect(inline('SELECT $1', ["a\\b'c"])).toBe(`SELECT  E'a\\\\b''c'`);
  });

  it('leaves $n inside quotes, identifiers and comments alone', () => {
    expect(inline(`SELECT '$1', "col$1", $1 -- it's $1\n, $2 /* $2's */`, ['a', 'b'])).toBe(`SELECT '$1', "col$1", 'a' -- it's $1\n, 'b' /* $2's */`);
  });

  it('declines what is not a string, number, boolean or null, and refuses a missing parameter', () => {
    expect(inline('SELECT $1', [{ a: 1 }])).toBeNull();
    expect(inline('SELECT $1', [Buffer.from('x')])).toBeNull();
    expect(inline('SELECT $1', [Number.NaN])).toBeNull();
    expect(() => inline('SELECT $2', ['a'])).toThrow(/\$2 but has 1 parameters/);
  });
});
