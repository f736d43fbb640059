/** AddressIndex: a read-only index by address with entries put over a shared base, reading as the Map it stands for. */
import { describe, expect, it } from 'vitest';
import { AddressIndex } from '../../src/apply/address-index.js';

const keys = Array.from({ length: 600 }, (_, i) => `campaign.c${(i * 7919) % 600}`);

describe('AddressIndex', () => {
  it('reads as the Map with the entries replaced, in the base order, through any number of puts', () => {
    const expected = new Map(keys.map((k) => [k, `v0 ${k}`]));
    let index = AddressIndex.of(new Map(expected));
    const sorted = index.sortedAddresses();
    expect(sorted).toEqual([...keys].sort());
    expect(Object.isFrozen(sorted)).toBe(true);
    // More puts than the overlay keeps (256) before it is folded into a new base.
    for (let round = 1; round <= 3; round++) {
      for (const k of keys.filter((_, i) => i % 2 === round % 2)) {
        const next = index.with(new Map([[k, `v${round} ${k}`]]))!;
        expected.set(k, `v${round} ${k}`);
        expect(index.get(k)).not.toBe(`v${round} ${k}`);
        index = next;
      }
      expect([...index]).toEqual([...expected]);
      expect([...index.keys()]).toEqual([...expected.keys()]);
      expect([...index.values()]).toEqual([...expected.values()]);
      expect(index.size).toBe(expected.size);
      expect(index.sortedAddresses()).toBe(sorted);
      // Along a sorted list with more addresses than the index has (the planner's union with state's).
      const union = Object.freeze([...keys, 'campaign.zz-applied-only', 'bulletin.a'].sort());
      expect(index.along(union)).toEqual(union.map((k) => expected.get(k)));
      const seen: [string, string][] = [];
      index.forEach((v, k) => seen.push([k, v]));
      expect(seen).toEqual([...expected]);
    }
    expect(index.has('campaign.c1')).toBe(true);
    expect(index.has('campaign.nope')).toBe(false);
    expect(index.get('campaign.nope')).toBeUndefined();
  });

  it('refuses an address the base does not have (a new index is built then)', () => {
    const index = AddressIndex.of(new Map([['campaign.a', 1]]));
    expect(index.with(new Map([['campaign.b', 2]]))).toBeUndefined();
    expect([...index]).toEqual([['campaign.a', 1]]);
  });
});
