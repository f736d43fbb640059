import { describe, expect, it } from 'vitest';
import { nextOccurrenceDue } from '../../src/schedule/next-due.js';

const NOW = new Date('2026-06-01T07:00:00Z');
const bulletin = (...ats: unknown[]) => ({ business_event: 'Album Released', occurrences: ats.map((at, i) => ({ key: `k${i}`, at })) });

describe('nextOccurrenceDue', () => {
  it('is the earliest occurrence still ahead, across bulletins', () => {
    const specs = [bulletin('2026-06-01T09:00:00Z', '2026-06-01T07:00:12Z'), bulletin('2026-06-01T07:05:00Z')];
    expect(nextOccurrenceDue(specs, 'UTC', NOW)).toBe('2026-06-01T07:00:12.000Z');
  });

  it('passes over what is already due (past, exactly now, `now`) and what does not resolve', () => {
    const specs = [bulletin('2026-06-01T06:59:59Z', '2026-06-01T07:00:00Z', 'now', 'next tuesday', 42, '2026-02-30T09:00'), bulletin('2026-06-01T07:00:00.001Z')];
    expect(nextOccurrenceDue(specs, 'UTC', NOW)).toBe('2026-06-01T07:00:00.001Z');
    expect(nextOccurrenceDue([bulletin('2026-06-01T06:00:00Z', 'now')], 'UTC', NOW)).toBeNull();
  });

  it('reads a local date-time in the account\'s zone, as run-due does', () => {
    // 09:30 in Berlin (CEST, +02:00) is 07:30 UTC: ahead of 07:00 UTC, though 09:30 UTC would be later.
    expect(nextOccurrenceDue([bulletin('2026-06-01T09:30', '2026-06-01T08:00:00Z')], 'Europe/Berlin', NOW)).toBe('2026-06-01T07:30:00.000Z');
    // 08:30 in New York (EDT, -04:00) is 12:30 UTC.
    expect(nextOccurrenceDue([bulletin('2026-06-01T08:30', '2026-06-01T13:00:00Z')], 'America/New_York', NOW)).toBe('2026-06-01T12:30:00.000Z');
  });

  it('null for no bulletins, no occurrences, or specs that are not bulletins', () => {
    expect(nextOccurrenceDue([], 'UTC', NOW)).toBeNull();
    expect(nextOccurrenceDue([{ business_event: 'X' }, null, 'text', { occurrences: 'x' }], 'UTC', NOW)).toBeNull();
  });
});
