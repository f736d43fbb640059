import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { canonicalize, canonicalJson, hashCanonical } from '../../src/plan/canonical.js';
import { diffSpecs } from '../../src/plan/diff.js';

describe('canonical form and hash', () => {
  it('key order never matters, at any depth', () => {
    const a = { b: 1, a: { y: [1, 2], x: 'v' } };
    const b = { a: { x: 'v', y: [1, 2] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":"v","y":[1,2]},"b":1}');
    expect(hashCanonical(a)).toBe(hashCanonical(b));
  });

  it('undefined members are dropped; array order is kept and meaningful', () => {
    expect(canonicalize({ a: undefined, b: [3, undefined, 1] })).toEqual({ b: [3, null, 1] });
    expect(hashCanonical({ a: 1, b: undefined })).toBe(hashCanonical({ a: 1 }));
    expect(hashCanonical({ devices: ['android', 'ios'] })).not.toBe(hashCanonical({ devices: ['ios', 'android'] }));
  });

  it('numbers and strings stay distinct; null is not absent', () => {
    expect(hashCanonical({ v: 1 })).not.toBe(hashCanonical({ v: '1' }));
    expect(hashCanonical({ v: null })).not.toBe(hashCanonical({}));
    expect(canonicalize(-0)).toBe(0);
    expect(canonicalize(Number.NaN)).toBeNull();
  });

  it('hash is sha256: plus 64 hex digits, stable across runs', () => {
    expect(hashCanonical({ a: 1 })).toBe('sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });

  it('YAML formatting, key order and comments never change the hash', () => {
    const one = parse(`
# the winter push
when: "2025-03-02T09:00:00Z"
content: {title: Winter, body: "Hi"}   # inline map
devices: [android, ios]
`);
    const two = parse(`
devices:
  - android
  - ios
content:
  body: Hi
  title: 'Winter'
when: 2025-03-02T09:00:00Z
`);
    expect(hashCanonical(one)).toBe(hashCanonical(two));
  });
});

describe('field diff', () => {
  it('reports changed, added and removed leaves with readable paths', () => {
    const before = { content: { title: 'A', body: 'x' }, devices: ['android'], guard: { maxAudience: 10 } };
    const after = { content: { title: 'B', body: 'x', 'c-by': 'u', 'a.b': 1 }, devices: ['android', 'ios'] };
    expect(diffSpecs(before, after)).toEqual([
      { path: 'content["a.b"]', after: 1 },
      { path: 'content.c-by', after: 'u' },
      { path: 'content.title', before: 'A', after: 'B' },
      { path: 'devices[1]', after: 'ios' },
      { path: 'guard', before: { maxAudience: 10 } },
    ]);
  });

  it('a changed type is one entry at that path; equal values give no entries', () => {
    expect(diffSpecs({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: 'a', before: { b: 1 }, after: [1] }]);
    expect(diffSpecs({ b: 1, a: 2 }, { a: 2, b: 1 })).toEqual([]);
    expect(diffSpecs({ a: null }, {})).toEqual([{ path: 'a', before: null }]);
  });
});
