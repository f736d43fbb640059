/**
 * clonePlain: the deep copy render takes of parsed YAML data (instead of structuredClone, several
 * times slower): equal values, nothing shared, exotic numbers kept, no prototype reachable.
 */
import { describe, expect, it } from 'vitest';
import { clonePlain } from '../../src/model/record.js';

describe('clonePlain', () => {
  it('copies parsed data deeply, sharing nothing, and gives what structuredClone gives', () => {
    const value = { where: { from: { daysAgo: 3 }, list: [1, 'two', null, true, { deep: [[-0, NaN, Infinity]] }] }, empty: {}, none: [] };
    const copy = clonePlain(value);
    expect(copy).toEqual(structuredClone(value));
    expect(Object.is(copy.where.list[4] && (copy.where.list[4] as { deep: number[][] }).deep[0]![0], -0)).toBe(true);
    (copy.where.from as { daysAgo: number }).daysAgo = 9;
    (copy.where.list as unknown[]).push('more');
    expect(value.where.from.daysAgo).toBe(3);
    expect(value.where.list).toHaveLength(5);
  });

  it('keeps a __proto__ key as data and never as a prototype', () => {
    const parsed = JSON.parse('{"a": {"__proto__": {"polluted": true}, "b": 1}}') as { a: Record<string, unknown> };
    const copy = clonePlain(parsed);
    expect(Object.keys(copy.a)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(copy.a)).toBe(Object.prototype);
    expect((copy.a as { polluted?: boolean }).polluted).toBeUndefined();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
