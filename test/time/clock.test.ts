/** The one clock: CAMPAIGNCTL_NOW starts it and it runs on. */
import { describe, expect, it } from 'vitest';
import { clockFrom, clockNote } from '../../src/time/clock.js';

describe('the clock', () => {
  it('CAMPAIGNCTL_NOW starts it at the instant and it runs on; anything but an ISO instant is refused', async () => {
    const set = clockFrom({ CAMPAIGNCTL_NOW: '2026-03-29T08:00:00Z' });
    if (!set.ok) throw new Error('refused a valid instant');
    const first = set.clock.now().getTime();
    expect(first - Date.parse('2026-03-29T08:00:00Z')).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 20));
    expect(set.clock.now().getTime()).toBeGreaterThan(first);
    expect(set.clock.startedAt?.toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(clockFrom({ CAMPAIGNCTL_NOW: '2026-03-29 08:00' })).toEqual({ ok: false, variable: 'CAMPAIGNCTL_NOW', value: '2026-03-29 08:00' });
    const system = clockFrom({});
    expect(system.ok && system.clock.startedAt).toBe(null);
  });

  it('CAMPAIGNCTL_NOW_RATE runs the simulated clock N times real time, and waits for it take 1/N of the time', async () => {
    const set = clockFrom({ CAMPAIGNCTL_NOW: '2026-03-29T08:00:00Z', CAMPAIGNCTL_NOW_RATE: '600' });
    if (!set.ok) throw new Error('refused a valid rate');
    const realStart = Date.now();
    await new Promise((r) => setTimeout(r, 100));
    const simulated = set.clock.now().getTime() - Date.parse('2026-03-29T08:00:00Z');
    const real = Date.now() - realStart;
    // 100 real ms are a minute at 600 x; the bounds leave room for a loaded machine's timers.
    expect(simulated).toBeGreaterThanOrEqual(600 * 95);
    expect(simulated).toBeLessThanOrEqual(600 * (real + 5));
    expect(set.clock.rate).toBe(600);
    expect(set.clock.realMs(60_000)).toBe(100);
    expect(clockNote(set.clock)).toContain('running 600 x real time (CAMPAIGNCTL_NOW_RATE)');
    const plain = clockFrom({ CAMPAIGNCTL_NOW: '2026-03-29T08:00:00Z' });
    expect(plain.ok && plain.clock.rate === 1 && plain.clock.realMs(60_000)).toBe(60_000);
    expect(plain.ok && clockNote(plain.clock)).not.toContain('x real time');
    expect(clockFrom({ CAMPAIGNCTL_NOW: '2026-03-29T08:00:00Z', CAMPAIGNCTL_NOW_RATE: '0.5' }).ok).toBe(true);
  });

  it('a rate that is not a positive number, or comes without CAMPAIGNCTL_NOW, is refused', () => {
    for (const bad of ['0', '-2', 'fast', '1e3', 'Infinity', '0x10', '60s']) {
      expect(clockFrom({ CAMPAIGNCTL_NOW: '2026-03-29T08:00:00Z', CAMPAIGNCTL_NOW_RATE: bad }), bad).toEqual({ ok: false, variable: 'CAMPAIGNCTL_NOW_RATE', value: bad, withoutNow: false });
    }
    expect(clockFrom({ CAMPAIGNCTL_NOW_RATE: '60' })).toEqual({ ok: false, variable: 'CAMPAIGNCTL_NOW_RATE', value: '60', withoutNow: true });
    const system = clockFrom({ CAMPAIGNCTL_NOW_RATE: '' });
    expect(system.ok && system.clock.startedAt).toBe(null);
  });
});
