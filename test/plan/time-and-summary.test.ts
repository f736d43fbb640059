import { describe, expect, it } from 'vitest';
import { resolveStart } from '../../src/plan/instant.js';
import { formatAudience, planExitCode } from '../../src/plan/summary.js';
import { mapRemoteStatus } from '../../src/plan/remote-status.js';
import { plan } from '../../src/plan/plan.js';
import { campaign, input } from './builders.js';

describe('resolveStart', () => {
  it('reads now, absolute instants and local date-times in a zone', () => {
    expect(resolveStart('now', 'UTC')).toEqual({ kind: 'now' });
    expect(resolveStart('2025-03-01T09:00:00+02:00', 'America/New_York')).toEqual({ kind: 'at', instant: '2025-03-01T07:00:00.000Z' });
    expect(resolveStart('2025-07-01T09:00', 'Europe/Paris')).toEqual({ kind: 'at', instant: '2025-07-01T07:00:00.000Z' });
    expect(resolveStart('2025-07-01 09:00:30', 'Asia/Kolkata')).toEqual({ kind: 'at', instant: '2025-07-01T03:30:30.000Z' });
    expect(resolveStart('2025-07-01', 'UTC')).toEqual({ kind: 'at', instant: '2025-07-01T00:00:00.000Z' });
  });

  it('returns undefined for what it can not read, never the machine-local reading', () => {
    for (const bad of ['tomorrow', '2025-02-30T10:00', '2025-03-01T25:00', 42, null, { daysAgo: 1 }]) {
      expect(resolveStart(bad, 'UTC')).toBeUndefined();
    }
    expect(resolveStart('2025-03-01T09:00', 'Not/AZone')).toBeUndefined();
  });
});

describe('summary', () => {
  it('formats audiences like people read them', () => {
    expect([0, 950, 1000, 12_345, 999_999, 1_200_000, 3_400_000_000].map(formatAudience)).toEqual(['0', '950', '1K', '12.3K', '1M', '1.2M', '3.4B']);
  });

  it('exit codes of plan: 0 no changes, 2 changes with --detailed-exitcode, 1 on error', () => {
    const none = plan(input({ desired: [] }));
    const some = plan(input({ desired: [campaign('a')] }));
    expect(planExitCode(none.plan, none.diagnostics, true)).toBe(0);
    expect(planExitCode(some.plan, some.diagnostics, true)).toBe(2);
    expect(planExitCode(some.plan, some.diagnostics, false)).toBe(0);
    const bad = plan(input({ desired: [campaign('late', { when: '2020-01-01T00:00:00Z' })] }));
    expect(planExitCode(bad.plan, bad.diagnostics, true)).toBe(1);
  });
});

describe('remote statuses', () => {
  it('maps documented and third-party statuses; anything else is unknown', () => {
    expect(['pending', 'Scheduled', 'running', 'paused', 'completed', 'stopped', 'weird'].map(mapRemoteStatus)).toEqual([
      'scheduled',
      'scheduled',
      'running',
      'running',
      'completed',
      'stopped',
      'unknown',
    ]);
  });
});
