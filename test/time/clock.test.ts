/** The one clock: CAMPAIGNCTL_NOW starts it and it runs on. */
import { describe, expect, it } from 'vitest';
import { clockFrom } from '../../src/time/clock.js';

describe('the clock', () => {
  it('CAMPAIGNCTL_NOW starts it at the instant and it runs on; anything but an ISO instant is refused', async () => {
    const set = clockFrom({ CAMPAIGNCTL_NOW: '2026-03-29T08:00:00Z' });
    if (!set.ok) throw new Error('refused a valid instant');
    const first = set.clock.now().getTime();
    expect(first - Date.parse('2026-03-29T08:00:00Z')).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 20));
    expect(set.clock.now().getTime()).toBeGreaterThan(first);
    expect(set.clock.startedAt?.toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(clockFrom({ CAMPAIGNCTL_NOW: '2026-03-29 08:00' })).toEqual({ ok: false, value: '2026-03-29 08:00' });
    const system = clockFrom({});
    expect(system.ok && system.clock.startedAt).toBe(null);
  });
});
