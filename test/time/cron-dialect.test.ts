/**
 * The Schedule dialect: what validate accepts is what the evaluator evaluates, and how
 * day-of-month and day-of-week combine.
 */
import { describe, expect, it } from 'vitest';
import { compileCron, cronProblem } from '../../src/time/cron-dialect.js';
import { nextFireTimes } from '../../src/time/fire-times.js';

const days = (cron: string, after: string, n: number) =>
  nextFireTimes({ cron, timezone: 'UTC' }, new Date(after), n).map((d) => d.toISOString().slice(0, 10));

describe('the Schedule dialect', () => {
  it('day-of-month and day-of-week combine with OR when both are restricted, as in crontab', () => {
    // November 2026: Friday the 13th; the other Fridays are the 6th, 20th, 27th
    expect(days('0 9 13 * FRI', '2026-11-01T00:00:00Z', 5)).toEqual(['2026-11-06', '2026-11-13', '2026-11-20', '2026-11-27', '2026-12-04']);
    // `+` before the day-of-week asks for AND: only Friday the 13th
    expect(days('0 9 13 * +FRI', '2026-11-01T00:00:00Z', 2)).toEqual(['2026-11-13', '2027-08-13']);
    // one side unrestricted: the other alone decides
    expect(days('0 9 * * MON', '2026-11-01T00:00:00Z', 2)).toEqual(['2026-11-02', '2026-11-09']);
  });

  it('reads names, 7 as Sunday, 6 fields with seconds first, L, W and #', () => {
    expect(days('0 9 * jan-feb sun', '2026-12-31T00:00:00Z', 1)).toEqual(['2027-01-03']);
    expect(days('0 9 * * 7', '2026-11-01T10:00:00Z', 1)).toEqual(['2026-11-08']);
    expect(nextFireTimes({ cron: '15 0 9 * * *', timezone: 'UTC' }, new Date('2026-11-01T00:00:00Z'), 1)[0]!.toISOString()).toBe('2026-11-01T09:00:15.000Z');
    expect(days('0 9 L * *', '2026-02-01T00:00:00Z', 1)).toEqual(['2026-02-28']);
    expect(days('0 9 15W * *', '2026-11-01T00:00:00Z', 1)).toEqual(['2026-11-16']); // the 15th is a Sunday
    expect(days('0 9 * * MON#2', '2026-11-01T00:00:00Z', 1)).toEqual(['2026-11-09']);
  });

  it('the README examples fire as the README says', () => {
    const utc = (cron: string, after: string, n: number) =>
      nextFireTimes({ cron, timezone: 'UTC' }, new Date(after), n).map((d) => d.toISOString().slice(0, 19));
    // Friday 18:45, then Monday 08:00
    expect(utc('*/15 8-18 * * MON-FRI', '2026-11-06T18:40:00Z', 2)).toEqual(['2026-11-06T18:45:00', '2026-11-09T08:00:00']);
    expect(utc('0 9 1-7 * +MON', '2026-01-01T00:00:00Z', 12)).toEqual(utc('0 9 * * MON#1', '2026-01-01T00:00:00Z', 12));
    expect(utc('30 0 9 L * *', '2026-02-01T00:00:00Z', 2)).toEqual(['2026-02-28T09:00:30', '2026-03-31T09:00:30']);
  });

  it.each([
    ['61 9 * * MON', /minute/],
    ['0 9 * * 8', /dayOfWeek/],
    ['0 9 * * * * *', /5 or 6 parts/],
    ['0 9 * *', /parts/],
    ['5/5 * * * *', /stepping/],
    ['*/0 * * * *', /stepping/],
    ['0 0 31 2 *', /never fires/],
    ['@daily', /nicknames/],
  ])('refuses %s, saying why', (cron, why) => {
    expect(cronProblem(cron)).toMatch(why);
  });

  it('accepts what it evaluates', () => {
    for (const cron of ['0 9 * * MON', '*/15 * * * *', '0 0 9 * * MON-FRI', '30 2 1,15 * *', '0 0 29 2 *', '0 9 ? * MON']) {
      expect(cronProblem(cron), cron).toBeUndefined();
      expect(nextFireTimes({ cron, timezone: 'Europe/Berlin' }, new Date('2026-01-01T00:00:00Z'), 1)).toHaveLength(1);
    }
  });

  it('an unknown zone is a reason, not an exception', () => {
    const c = compileCron('0 9 * * *', 'Mars/Olympus_Mons');
    expect(c.ok).toBe(false);
  });

  it('tells fixed-time jobs (no `*` or step in seconds, minutes, hours) from interval jobs', () => {
    const fixed = (cron: string) => {
      const c = compileCron(cron, 'UTC');
      return c.ok && c.fixedTime;
    };
    expect(['30 2 * * *', '0,30 2 * * MON', '0 1-3 * * *', '0 30 2 * * *'].map(fixed)).toEqual([true, true, true, true]);
    expect(['*/15 * * * *', '0 * * * *', '0 */2 * * *', '0 0-23/2 * * *', '* 0 9 * * *'].map(fixed)).toEqual([false, false, false, false, false]);
  });
});
