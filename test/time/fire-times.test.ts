/**
 * Fire times across clock changes, in the four zones the DST rule is pinned on: Europe/Berlin and
 * America/New_York (one hour), Australia/Lord_Howe (30 minutes) and Asia/Kolkata (none).
 */
import { describe, expect, it } from 'vitest';
import { fireTimes, latestFireAtOrBefore, nextFireTimes, recentFireTimes, type ScheduleTiming } from '../../src/time/fire-times.js';

const at = (iso: string) => new Date(iso);
const isos = (ds: Date[]) => ds.map((d) => d.toISOString().replace('.000Z', 'Z'));
const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const LORD_HOWE = 'Australia/Lord_Howe';
const KOLKATA = 'Asia/Kolkata';

/** Gaps between consecutive fires, in minutes. */
function spacing(s: ScheduleTiming, after: string, until: string): number[] {
  const t = fireTimes(s, at(after), at(until)).map((d) => d.getTime());
  return t.slice(1).map((x, i) => (x - t[i]!) / 60_000);
}

describe('a fixed-time job in a spring-forward gap fires once, at the first instant after the gap', () => {
  it.each([
    // 2026-03-08: New York's clocks jump from 02:00 EST to 03:00 EDT (07:00Z).
    [NY, '30 2 * * *', '2026-03-07T12:00:00Z', ['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']],
    // 2026-03-29: Berlin's clocks jump from 02:00 CET to 03:00 CEST (01:00Z).
    [BERLIN, '30 2 * * *', '2026-03-28T12:00:00Z', ['2026-03-29T01:00:00Z', '2026-03-30T00:30:00Z']],
    // 2026-10-04: Lord Howe's clocks jump from 02:00 (+10:30) to 02:30 (+11) (15:30Z on the 3rd).
    [LORD_HOWE, '15 2 * * *', '2026-10-03T00:00:00Z', ['2026-10-03T15:30:00Z', '2026-10-04T15:15:00Z']],
    // A list counts as fixed times too; two times in one gap fire once, together.
    [NY, '0,30 2 * * *', '2026-03-07T12:00:00Z', ['2026-03-08T07:00:00Z', '2026-03-09T06:00:00Z', '2026-03-09T06:30:00Z']],
  ])('%s %s', (timezone, cron, after, expected) => {
    expect(isos(nextFireTimes({ cron, timezone }, at(after), expected.length))).toEqual(expected);
  });
});

describe('a fixed-time job in a repeated (fall-back) hour fires once, at the first occurrence', () => {
  it.each([
    // 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    [NY, '30 1 * * *', '2026-10-31T12:00:00Z', ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']],
    // 2026-10-25: 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
    [BERLIN, '30 2 * * *', '2026-10-24T12:00:00Z', ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']],
    // 2026-04-05: 01:45 happens at 14:45Z on the 4th (+11) and again at 15:15Z (+10:30).
    [LORD_HOWE, '45 1 * * *', '2026-04-04T00:00:00Z', ['2026-04-04T14:45:00Z', '2026-04-05T15:15:00Z']],
  ])('%s %s', (timezone, cron, after, expected) => {
    expect(isos(nextFireTimes({ cron, timezone }, at(after), expected.length))).toEqual(expected);
  });
});

describe('interval jobs follow real elapsed time', () => {
  it('a minute step keeps its real spacing through both changes, both passes of a repeated hour included', () => {
    for (const [timezone, cron, step, spring, fall] of [
      [NY, '*/30 * * * *', 30, '2026-03-08', '2026-11-01'],
      [BERLIN, '*/15 * * * *', 15, '2026-03-29', '2026-10-25'],
      [LORD_HOWE, '*/10 * * * *', 10, '2026-10-04', '2026-04-05'],
    ] as const) {
      for (const day of [spring, fall]) {
        const gaps = spacing({ cron, timezone }, `${day}T00:00:00+14:00`, `${day}T23:59:59-12:00`);
        expect(new Set(gaps), `${timezone} ${day}`).toEqual(new Set([step]));
      }
    }
  });

  it('the repeated hour is fired in both passes, the gap not at all', () => {
    const s = { cron: '*/30 * * * *', timezone: NY };
    // 01:00 and 01:30 EDT, then 01:00 and 01:30 EST, then 02:00 EST
    expect(isos(fireTimes(s, at('2026-11-01T04:45:00Z'), at('2026-11-01T07:00:00Z')))).toEqual([
      '2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z', '2026-11-01T06:30:00Z', '2026-11-01T07:00:00Z',
    ]);
    // 01:30 EST, then 03:00 EDT: 02:00 and 02:30 never show
    expect(isos(fireTimes(s, at('2026-03-08T06:15:00Z'), at('2026-03-08T07:30:00Z')))).toEqual([
      '2026-03-08T06:30:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:30:00Z',
    ]);
  });

  it('every hour keeps one real hour where the clocks move by one hour', () => {
    for (const [timezone, day] of [[NY, '2026-03-08'], [NY, '2026-11-01'], [BERLIN, '2026-03-29'], [BERLIN, '2026-10-25']]) {
      expect(new Set(spacing({ cron: '0 * * * *', timezone }, `${day}T00:00:00+14:00`, `${day}T23:59:59-12:00`))).toEqual(new Set([60]));
    }
  });

  it('a step on hours fires at the hours the clock shows: none in the gap, and no extra pass', () => {
    const s = { cron: '0 */2 * * *', timezone: NY };
    // 00:00 EST, (02:00 never shows), 04:00 EDT
    expect(isos(nextFireTimes(s, at('2026-03-08T04:30:00Z'), 2))).toEqual(['2026-03-08T05:00:00Z', '2026-03-08T08:00:00Z']);
    // 00:00 EDT, 02:00 EST (01:00 is not named, so the repeated hour adds nothing)
    expect(isos(nextFireTimes(s, at('2026-11-01T03:30:00Z'), 2))).toEqual(['2026-11-01T04:00:00Z', '2026-11-01T07:00:00Z']);
  });

  it('a 30-minute change moves an hourly job by 30 real minutes (Lord Howe)', () => {
    // 01:00 +10:30 (14:30Z), 02:00 never shows, 03:00 +11 (16:00Z)
    expect(isos(nextFireTimes({ cron: '0 * * * *', timezone: LORD_HOWE }, at('2026-10-03T14:00:00Z'), 2))).toEqual([
      '2026-10-03T14:30:00Z', '2026-10-03T16:00:00Z',
    ]);
  });
});

describe('a zone without DST', () => {
  it('Asia/Kolkata: a daily job is exactly 24 hours apart all year, at 02:30 +05:30', () => {
    const s = { cron: '30 2 * * *', timezone: KOLKATA };
    const fires = fireTimes(s, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'));
    expect(fires).toHaveLength(365);
    expect(new Set(spacing(s, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'))).toEqual(new Set([24 * 60]));
    expect(isos(fires.slice(0, 1))).toEqual(['2026-01-01T21:00:00Z']);
  });
});

describe('fireTimes, nextFireTimes and latestFireAtOrBefore agree', () => {
  it('fireTimes is (after, until]: a fire at `after` is left out, one at `until` taken in', () => {
    const s = { cron: '0 9 * * *', timezone: 'UTC' };
    expect(isos(fireTimes(s, at('2026-01-01T09:00:00Z'), at('2026-01-03T09:00:00Z')))).toEqual(['2026-01-02T09:00:00Z', '2026-01-03T09:00:00Z']);
  });

  it('latestFireAtOrBefore takes a fire at exactly t, and never one after', () => {
    const s = { cron: '30 2 * * *', timezone: NY };
    expect(latestFireAtOrBefore(s, at('2026-03-08T07:00:00Z'))?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(latestFireAtOrBefore(s, at('2026-03-08T06:59:59.999Z'))?.toISOString()).toBe('2026-03-07T07:30:00.000Z');
    expect(latestFireAtOrBefore({ cron: '30 1 * * *', timezone: NY }, at('2026-11-01T06:45:00Z'))?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('around every clock change, the latest fire at or before each minute is the last fire listed up to it', () => {
    const cases: [string, string, string][] = [
      [NY, '30 2 * * *', '2026-03-08'], [NY, '*/20 1 * * *', '2026-11-01'], [BERLIN, '0 1-3 * * *', '2026-10-25'],
      [BERLIN, '15 */1 * * *', '2026-03-29'], [LORD_HOWE, '45 1 * * *', '2026-04-05'], [LORD_HOWE, '*/25 2 * * *', '2026-10-04'],
    ];
    for (const [timezone, cron, day] of cases) {
      const s = { cron, timezone };
      const from = at(`${day}T00:00:00Z`).getTime() - 36 * 3_600_000;
      const listed = fireTimes(s, new Date(from - 3 * 86_400_000), new Date(from + 72 * 3_600_000)).map((d) => d.getTime());
      for (let t = from; t < from + 72 * 3_600_000; t += 7 * 60_000) {
        const expected = listed.filter((x) => x <= t).at(-1) ?? null;
        expect(latestFireAtOrBefore(s, new Date(t))?.getTime() ?? null, `${timezone} ${cron} at ${new Date(t).toISOString()}`).toBe(expected);
      }
    }
  });

  it('nextFireTimes lists what fireTimes lists', () => {
    const s = { cron: '*/20 1-2 * * *', timezone: BERLIN };
    const after = at('2026-10-24T12:00:00Z');
    const next = nextFireTimes(s, after, 12);
    expect(fireTimes(s, after, next.at(-1)!)).toEqual(next);
  });

  it('recentFireTimes lists what fireTimes lists, newest first, at most `limit`, across gaps and repeated hours', () => {
    const cases: [string, string, string][] = [
      [NY, '30 1 * * *', '2026-10-30T00:00:00Z'], // 01:30 repeats on 2026-11-01
      [NY, '30 2 * * *', '2026-03-05T00:00:00Z'], // 02:30 falls in the 2026-03-08 gap
      [BERLIN, '*/20 1-3 * * *', '2026-10-23T00:00:00Z'],
      [LORD_HOWE, '*/15 * * * *', '2026-10-03T12:00:00Z'],
      [KOLKATA, '0 9 * * 1-5', '2026-01-01T00:00:00Z'],
    ];
    for (const [timezone, cron, from] of cases) {
      const s = { cron, timezone };
      const after = at(from);
      const until = new Date(after.getTime() + 6 * 86_400_000);
      const all = fireTimes(s, after, until);
      expect(recentFireTimes(s, after, until, 10_000), `${timezone} ${cron}`).toEqual([...all].reverse());
      expect(recentFireTimes(s, after, until, 3)).toEqual(all.slice(-3).reverse());
      // `after` itself is excluded, `until` included.
      expect(recentFireTimes(s, all[0]!, all[1]!, 5)).toEqual([all[1]]);
    }
  });
});
