/**
 * "Did you mean": closest() by edit distance, and closestName() for names and addresses typed
 * short, which closest() finds too far to suggest.
 */
import { describe, expect, it } from 'vitest';
import { closest, closestName, nearNames } from '../../src/diagnostics/suggest.js';

const ADDRESSES = ['campaign.new-season-night-shift', 'campaign.winter-sale', 'campaign.winter-sale-push', 'message.order-shipped'];

describe('closest', () => {
  it('suggests a near typo, ignores case, and nothing too far', () => {
    expect(closest('campaign.winter-sael', ADDRESSES)).toBe('campaign.winter-sale');
    expect(closest('MESSAGE.ORDER-SHIPPED', ADDRESSES)).toBe('message.order-shipped');
    expect(closest('campaign.new-season', ADDRESSES)).toBeUndefined();
  });
});

describe('closestName', () => {
  it('an address typed short suggests the one address it begins', () => {
    expect(closestName('campaign.new-season', ADDRESSES)).toBe('campaign.new-season-night-shift');
  });

  it('a start shared by several falls back to the nearest by edits; a typo is still found', () => {
    expect(closestName('campaign.winter', ADDRESSES)).toBe('campaign.winter-sale');
    expect(closestName('campaign.winter-sael', ADDRESSES)).toBe('campaign.winter-sale');
    expect(closestName('campaign.unrelated', ADDRESSES)).toBeUndefined();
  });

  it('never suggests the word itself, nor anything for an empty word', () => {
    expect(closestName('campaign.winter-sale', ['campaign.winter-sale'])).toBeUndefined();
    expect(closestName('', ADDRESSES)).toBeUndefined();
  });
});

describe('nearNames', () => {
  it('every name the word begins, sorted; else the closest; else none', () => {
    expect(nearNames('campaign.winter', ADDRESSES)).toEqual(['campaign.winter-sale', 'campaign.winter-sale-push']);
    expect(nearNames('campaign.winter-sael', ADDRESSES)).toEqual(['campaign.winter-sale']);
    expect(nearNames('schedule.weekly', ADDRESSES)).toEqual([]);
  });
});
