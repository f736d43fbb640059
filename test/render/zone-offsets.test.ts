/**
 * zonedParts reads the wall clock from a per-hour cache of Intl's offsets; these compare it with
 * Intl itself, minute by minute across DST changes and at random instants in every zone Node knows.
 */
import { describe, expect, test } from 'vitest';
import { localToInstant, zonedParts } from '../../src/render/zone.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

/** The reading straight from Intl, as an independent reference. */
function intl(instant: Date, zone: string) {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short' });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second), weekday: WEEKDAYS.indexOf(p.weekday!) };
}

describe('zonedParts agrees with Intl', () => {
  test.each([
    ['Europe/Berlin', '2026-03-29T00:00:00Z', '2026-10-25T00:00:00Z'],
    ['America/New_York', '2026-03-08T05:00:00Z', '2026-11-01T04:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T14:00:00Z', '2026-10-03T15:00:00Z'],
    ['America/Sao_Paulo', '2018-11-04T01:00:00Z', '2019-02-16T23:00:00Z'],
    ['Asia/Kathmandu', '1985-12-31T18:00:00Z', '1986-01-01T00:00:00Z'],
    ['Pacific/Apia', '2011-12-29T08:00:00Z', '2011-12-30T12:00:00Z'],
  ])('every 7 minutes and 13 seconds across the changes of %s', (zone, a, b) => {
    for (const around of [a, b]) {
      const start = Date.parse(around) - 6 * 3_600_000;
      for (let t = start; t < start + 12 * 3_600_000; t += 433_000) {
        expect(zonedParts(new Date(t), zone), `${zone} ${new Date(t).toISOString()}`).toEqual(intl(new Date(t), zone));
      }
    }
  });

  test('at random instants from 1900 to 2100 in every zone', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    for (const zone of [...Intl.supportedValuesOf('timeZone'), 'UTC']) {
      for (let i = 0; i < 40; i++) {
        const t = new Date(Math.floor(from + random() * (to - from)));
        expect(zonedParts(t, zone), `${zone} ${t.toISOString()}`).toEqual(intl(t, zone));
      }
    }
  });

  test('local times still resolve exactly at DST changes (gap, repeat)', () => {
    expect(localToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin')).toEqual({ kind: 'gap' });
    const repeated = localToInstant({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin');
    expect(repeated.kind === 'ambiguous' && [repeated.instant.toISOString(), repeated.later.toISOString()]).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']);
  });
});
