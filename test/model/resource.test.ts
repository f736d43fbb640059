import { describe, expect, it } from 'vitest';
import { addressOf, parseAddress } from '../../src/model/resource.js';

describe('addresses', () => {
  it('prefixes each kind with its lower-case address prefix', () => {
    expect(addressOf('Campaign', 'winter-sale')).toBe('campaign.winter-sale');
    expect(addressOf('ExternalTrigger', 'sub-upgraded')).toBe('trigger.sub-upgraded');
  });
  it('parses an address back and rejects unknown prefixes', () => {
    expect(parseAddress('bulletin.album-released')).toEqual({ kind: 'Bulletin', name: 'album-released' });
    expect(parseAddress('widget.x')).toBeUndefined();
    expect(parseAddress('campaign.')).toBeUndefined();
  });
});
