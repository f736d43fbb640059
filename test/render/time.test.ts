import { describe, expect, test } from 'vitest';
import {
  instantToWire,
  parseIsoInstant,
  resolveCqlDate,
  resolveInstantOrNow,
  resolveWhen,
  resolveWhereDates,
  whenToWire,
  wireToInstant,
} from '../../src/time/when.js';
import { scheduleScope } from '../../src/templates/schedule-scope.js';
import { utcText } from '../../src/time/local-time.js';
import { localToInstant, offsetMinutes } from '../../src/render/zone.js';

function wireOf(when: string, zone: string): string {
  const r = resolveWhen(when, zone);
  if (!r.ok) throw new Error(r.diagnostic.message);
  return whenToWire(r.value, zone);
}

function codeOf(r: { ok: boolean; diagnostic?: { code: string } }): string | undefined {
  return r.ok ? undefined : r.diagnostic?.code;
}

describe('when -> wire', () => {
  test('now stays now', () => {
    expect(wireOf('now', 'Europe/Berlin')).toBe('now');
  });

  test.each([
    ['UTC', '20260710 16:30'],
    ['Europe/Berlin', '20260710 18:30'],
    ['America/New_York', '20260710 12:30'],
    ['Asia/Kolkata', '20260710 22:00'],
    ['Australia/Adelaide', '20260711 02:00'],
  ])('an ISO instant is shown in the account zone %s', (zone, wire) => {
    expect(wireOf('2026-07-10T18:30:00+02:00', zone)).toBe(wire);
  });

  test('an instant can land on the previous day and year in the account zone', () => {
    expect(wireOf('2026-01-01T01:00:00Z', 'America/Los_Angeles')).toBe('20251231 17:00');
    expect(wireOf('2026-01-01T01:00+0530', 'UTC')).toBe('20251231 19:30');
  });

  test('seconds are dropped, not rounded', () => {
    expect(wireOf('2026-07-10T18:30:59.999Z', 'UTC')).toBe('20260710 18:30');
  });

  test('the account-local form is passed through and resolves to the right instant', () => {
    const r = resolveWhen('2026-11-01 09:00', 'Europe/Berlin');
    expect(r.ok && r.value.kind === 'at' && r.value.instant.toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(wireOf('2026-11-01 09:00', 'Europe/Berlin')).toBe('20261101 09:00');
    expect(wireOf('2026-07-01 09:00', 'Europe/Berlin')).toBe('20260701 09:00');
  });

  test('a local time skipped by DST is a problem, in Europe and in the US', () => {
    expect(codeOf(resolveWhen('2026-03-29 02:30', 'Europe/Berlin'))).toBe('time.nonexistent-local-time');
    expect(codeOf(resolveWhen('2026-03-08 02:30', 'America/New_York'))).toBe('time.nonexistent-local-time');
    expect(wireOf('2026-03-29 03:00', 'Europe/Berlin')).toBe('20260329 03:00');
  });

  test('a repeated local time (DST ends) takes the earlier instant', () => {
    const r = resolveWhen('2026-10-25 02:30', 'Europe/Berlin');
    expect(r.ok && r.value.kind === 'at' && r.value.instant.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const later = localToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin');
    expect(later.kind === 'ambiguous' && later.later.toISOString()).toBe('2026-10-25T01:30:00.000Z');
    // Both instants read as the same wall clock on the wire.
    expect(wireOf('2026-10-25T01:30:00Z', 'Europe/Berlin')).toBe('20261025 02:30');
  });

  test('impossible dates are problems, never rolled over', () => {
    expect(codeOf(resolveWhen('2026-02-31 10:00', 'UTC'))).toBe('time.invalid-date');
    expect(codeOf(resolveWhen('2026-02-29T10:00:00Z', 'UTC'))).toBe('time.invalid-date');
    expect(codeOf(resolveWhen('2026-13-01T10:00:00Z', 'UTC'))).toBe('time.invalid-date');
    expect(codeOf(resolveWhen('2026-04-31T10:00:00+02:00', 'UTC'))).toBe('time.invalid-date');
    expect(codeOf(resolveWhen('2026-01-01 24:00', 'UTC'))).toBe('time.invalid-when');
    expect(codeOf(resolveWhen('tomorrow', 'UTC'))).toBe('time.invalid-when');
    expect(wireOf('2028-02-29T10:00:00Z', 'UTC')).toBe('20280229 10:00');
    const r = resolveWhen('2026-02-31 10:00', 'UTC');
    expect(!r.ok && r.diagnostic.message).toBe('"2026-02-31 10:00" is not a real date: 2026-02 has no day 31');
  });

  test('an unknown account zone is reported', () => {
    expect(codeOf(resolveWhen('2026-01-01 10:00', 'Mars/Olympus'))).toBe('time.invalid-zone');
  });

  test('wire strings read back to the same instant', () => {
    for (const iso of ['2026-07-10T16:30:00.000Z', '2026-12-31T23:59:00.000Z', '2026-03-29T01:00:00.000Z']) {
      for (const zone of ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/Sao_Paulo']) {
        expect(wireToInstant(instantToWire(new Date(iso), zone), zone)?.toISOString()).toBe(iso);
      }
    }
    expect(wireToInstant('20260229 10:00', 'UTC')).toBeUndefined();
  });

  test('bulletin `at` takes now or an instant with offset, not a local time', () => {
    expect(resolveInstantOrNow('now')).toEqual({ ok: true, value: { kind: 'now' } });
    expect(codeOf(resolveInstantOrNow('2026-11-01 09:00'))).toBe('time.invalid-when');
    expect(parseIsoInstant('2026-11-01T09:00:00+01:00')).toEqual({ ok: true, value: new Date('2026-11-01T08:00:00Z') });
  });
});

describe('dates in where', () => {
  const now = new Date('2026-03-15T12:00:00Z');

  test('integer and ISO forms become YYYYMMDD integers', () => {
    expect(resolveCqlDate(20261101, now, 'UTC')).toEqual({ ok: true, value: 20261101 });
    expect(resolveCqlDate('2026-11-01', now, 'UTC')).toEqual({ ok: true, value: 20261101 });
  });

  test('impossible dates in either form are problems', () => {
    for (const bad of [20260231, 20261301, 20260000, 2026111, '2026-02-30', '2026-13-01', '2026-1-1']) {
      expect(codeOf(resolveCqlDate(bad, now, 'UTC'))).toBe('time.invalid-date');
    }
    const r = resolveCqlDate(20261301, now, 'UTC');
    expect(!r.ok && r.diagnostic.message).toBe('20261301 is not a real date: there is no month 13');
  });

  test('daysAgo counts calendar days back from today in the account zone', () => {
    expect(resolveCqlDate({ daysAgo: 30 }, now, 'UTC')).toEqual({ ok: true, value: 20260213 });
    expect(resolveCqlDate({ daysAgo: 0 }, now, 'UTC')).toEqual({ ok: true, value: 20260315 });
    const nearMidnight = new Date('2026-01-01T02:00:00Z');
    expect(resolveCqlDate({ daysAgo: 0 }, nearMidnight, 'America/New_York')).toEqual({ ok: true, value: 20251231 });
    expect(resolveCqlDate({ daysAgo: 0 }, nearMidnight, 'Asia/Tokyo')).toEqual({ ok: true, value: 20260101 });
    expect(resolveCqlDate({ daysAgo: 1 }, new Date('2028-03-01T12:00:00Z'), 'UTC')).toEqual({ ok: true, value: 20280229 });
    // Across the spring-forward night the count is still in whole calendar days.
    expect(resolveCqlDate({ daysAgo: 1 }, new Date('2026-03-29T22:30:00Z'), 'Europe/Berlin')).toEqual({ ok: true, value: 20260329 });
    expect(codeOf(resolveCqlDate({ daysAgo: -1 }, now, 'UTC'))).toBe('time.invalid-date');
  });

  test('every date of a where block is resolved, with problem paths', () => {
    const where = {
      event_name: 'Video Watched',
      from: { daysAgo: 30 },
      to: '2026-03-15',
      advanced_query: {
        did_all: [{ event_name: 'A', from: 20260101, to: { daysAgo: 1 } }],
        did_none: [{ event_name: 'B', from: '2026-02-30', to: 20260301 }],
        did_any: { any_events: [{ event_name: 'C', from: { daysAgo: 7 }, to: 20261301 }], operator: 'equals', value: 1 },
      },
    };
    const { where: out, problems } = resolveWhereDates(where, now, 'UTC');
    expect(out).toEqual({
      event_name: 'Video Watched',
      from: 20260213,
      to: 20260315,
      advanced_query: {
        did_all: [{ event_name: 'A', from: 20260101, to: 20260314 }],
        did_none: [{ event_name: 'B', from: '2026-02-30', to: 20260301 }],
        did_any: { any_events: [{ event_name: 'C', from: 20260308, to: 20261301 }], operator: 'equals', value: 1 },
      },
    });
    expect(problems.map((p) => p.path)).toEqual([
      ['advanced_query', 'did_none', 0, 'from'],
      ['advanced_query', 'did_any', 'any_events', 0, 'to'],
    ]);
    // The input is not modified.
    expect(where.from).toEqual({ daysAgo: 30 });
  });
});

describe('schedule scope', () => {
  test('fire time in the schedule zone', () => {
    expect(scheduleScope(new Date('2026-05-04T07:00:00Z'), 'Europe/Berlin')).toEqual({
      date: '2026-05-04',
      time: '09:00',
      iso: '2026-05-04T09:00:00+02:00',
      weekday: 'Monday',
      year: '2026',
      month: '05',
      day: '04',
      hour: '09',
      minute: '00',
      week: 19,
      timezone: 'Europe/Berlin',
      unix: 1777878000,
    });
    expect(scheduleScope(new Date('2026-01-01T03:00:00Z'), 'America/New_York').date).toBe('2025-12-31');
    expect(offsetMinutes(new Date('2026-01-01T03:00:00Z'), 'Asia/Kathmandu')).toBe(345);
  });
});

describe('utcText', () => {
  test('a whole second without its milliseconds, any other instant as toISOString gives it', () => {
    expect(utcText(new Date('2026-03-09T07:00:00.000Z'))).toBe('2026-03-09T07:00:00Z');
    expect(utcText(new Date('2026-03-09T07:00:00.250Z'))).toBe('2026-03-09T07:00:00.250Z');
    expect(utcText(new Date('1999-12-31T23:59:59.000Z'))).toBe('1999-12-31T23:59:59Z');
  });
});
