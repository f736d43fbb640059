import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { canonicalize, canonicalized, canonicalJson, hashCanonical } from '../../src/plan/canonical.js';
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

  it('orders keys by UTF-16 code units, as the default sort does, however many there are', () => {
    // Deterministic pseudo-random keys: ASCII cases, digits, punctuation, accents, an astral character.
    const alphabet = ['a', 'B', 'z', '_', '$', '0', '9', 'é', 'É', '\u{1F600}', 'ü', '-', 'Z', 'b'];
    let seed = 7;
    // The high bits of a linear congruential generator (its low bits repeat within a few draws).
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 16;
    for (const size of [0, 1, 2, 5, 17, 32, 33, 80]) {
      const keys = new Set<string>();
      while (keys.size < size) keys.add(Array.from({ length: 1 + (next() % 4) }, () => alphabet[next() % alphabet.length]).join(''));
      const value = Object.fromEntries([...keys].map((k, i) => [k, { [`${k}2`]: i, [k]: [i] }]));
      const canonical = canonicalize(value) as Record<string, Record<string, unknown>>;
      // Members added in default-sort order (an integer-like key such as "9" then still lists first: JS objects list those first).
      const inSortOrder = (ks: string[]) => Object.keys(Object.fromEntries([...ks].sort().map((k) => [k, 0])));
      expect(Object.keys(canonical)).toEqual(inSortOrder([...keys]));
      for (const k of keys) expect(Object.keys(canonical[k]!)).toEqual(inSortOrder([k, `${k}2`]));
    }
  });

  it('a canonical form made once is handed back as it is; anything else is canonicalized', () => {
    const made = canonicalize({ b: { d: 1, c: [2] }, a: 'x' });
    expect(canonicalized(made)).toBe(made);
    // Equal content that canonicalize did not make is copied into canonical form, not trusted.
    const lookalike = { a: 'x', b: { c: [2], d: 1 } };
    expect(canonicalized(lookalike)).not.toBe(lookalike);
    expect(canonicalized(lookalike)).toEqual(made);
    const unsorted = { z: 1, a: undefined, m: -0 };
    expect(canonicalized(unsorted)).toEqual({ m: 0, z: 1 });
    expect(canonicalized('text')).toBe('text');
    expect(canonicalized(undefined)).toBeNull();
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
