/** Which ticks one runner pass fires, misses or skips (pure: spec, cursor, now). */
import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../../src/model/specs.js';
import { MAX_TICKS_PER_PASS, planTicks } from '../../src/schedule/ticks.js';

const spec = (extra: Partial<ScheduleSpec> = {}): ScheduleSpec => ({ cron: '0 9 * * *', timezone: 'Europe/Berlin', trigger: { name: 't', to: { identity: ['u'] } }, ...extra }) as ScheduleSpec;
const at = (iso: string) => new Date(iso);
const iso = (p: { fire: Date | null; passed: { at: Date; reason: string }[] }) => ({ fire: p.fire?.toISOString() ?? null, passed: p.passed.map((x) => [x.at.toISOString(), x.reason]) });

describe('planTicks', () => {
  it('catch-up skip fires a tick up to 60 s after it, and not one second later', () => {
    expect(iso(planTicks(spec(), at('2026-06-01T00:00:00Z'), at('2026-06-01T07:01:00Z')))).toEqual({ fire: '2026-06-01T07:00:00.000Z', passed: [] });
    expect(iso(planTicks(spec(), at('2026-06-01T00:00:00Z'), at('2026-06-01T07:01:01Z')))).toEqual({ fire: null, passed: [['2026-06-01T07:00:00.000Z', 'missed']] });
  });

  it('a tick at the cursor itself was already considered', () => {
    expect(iso(planTicks(spec(), at('2026-06-01T07:00:00Z'), at('2026-06-01T07:00:30Z')))).toEqual({ fire: null, passed: [] });
  });

  it('catch-up latest fires only the newest tick inside the window; older ones are missed', () => {
    const p = planTicks(spec({ catchUp: { policy: 'latest', window: '3h' } }), at('2026-05-31T00:00:00Z'), at('2026-06-01T09:59:00Z'));
    expect(iso(p)).toEqual({ fire: '2026-06-01T07:00:00.000Z', passed: [['2026-05-31T07:00:00.000Z', 'missed']] });
  });

  it('disabled: every tick is passed over as disabled', () => {
    const p = planTicks(spec({ enabled: false }), at('2026-05-31T00:00:00Z'), at('2026-06-01T07:00:10Z'));
    expect(iso(p)).toEqual({ fire: null, passed: [['2026-06-01T07:00:00.000Z', 'disabled'], ['2026-05-31T07:00:00.000Z', 'disabled']] });
  });

  it('a minutely schedule left alone for a month looks at no more than MAX_TICKS_PER_PASS ticks', () => {
    const p = planTicks(spec({ cron: '* * * * *' }), at('2026-05-01T00:00:00Z'), at('2026-06-01T00:00:30Z'));
    expect(p.fire?.toISOString()).toBe('2026-06-01T00:00:00.000Z');
    expect(p.passed).toHaveLength(MAX_TICKS_PER_PASS - 1);
  });
});
