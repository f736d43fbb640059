/** The quiet-hours window: wall-clock time in the window's own zone, across midnight and clock changes. */
import { describe, expect, it } from 'vitest';
import { inQuietHours, nextQuietStart } from '../../src/time/quiet-hours.js';

const at = (iso: string) => new Date(iso);

describe('inQuietHours', () => {
  const night = { start: '21:00', end: '08:00', timezone: 'Europe/Berlin' };

  it('a window across midnight: from start (included) to end (excluded), read in its own zone', () => {
    // Berlin is UTC+1 in January.
    expect(inQuietHours(at('2027-01-10T19:59:59Z'), night, 'UTC')).toBe(false); // 20:59:59
    expect(inQuietHours(at('2027-01-10T20:00:00Z'), night, 'UTC')).toBe(true); // 21:00
    expect(inQuietHours(at('2027-01-10T23:30:00Z'), night, 'UTC')).toBe(true); // 00:30
    expect(inQuietHours(at('2027-01-11T06:59:59Z'), night, 'UTC')).toBe(true); // 07:59:59
    expect(inQuietHours(at('2027-01-11T07:00:00Z'), night, 'UTC')).toBe(false); // 08:00
    expect(inQuietHours(at('2027-01-11T11:00:00Z'), night, 'UTC')).toBe(false); // 12:00
  });

  it('a window within one day', () => {
    const lunch = { start: '12:00', end: '13:30', timezone: 'UTC' };
    expect(inQuietHours(at('2027-01-10T11:59:00Z'), lunch, 'UTC')).toBe(false);
    expect(inQuietHours(at('2027-01-10T12:00:00Z'), lunch, 'UTC')).toBe(true);
    expect(inQuietHours(at('2027-01-10T13:29:00Z'), lunch, 'UTC')).toBe(true);
    expect(inQuietHours(at('2027-01-10T13:30:00Z'), lunch, 'UTC')).toBe(false);
  });

  it('follows the zone across a clock change: 21:00 local is 20:00Z in winter, 19:00Z in summer', () => {
    // Berlin moves to UTC+2 on 2027-03-28.
    expect(inQuietHours(at('2027-03-27T19:30:00Z'), night, 'UTC')).toBe(false); // 20:30 +01:00
    expect(inQuietHours(at('2027-03-28T19:30:00Z'), night, 'UTC')).toBe(true); // 21:30 +02:00
    expect(inQuietHours(at('2027-03-29T05:30:00Z'), night, 'UTC')).toBe(true); // 07:30 +02:00
    expect(inQuietHours(at('2027-03-29T06:00:00Z'), night, 'UTC')).toBe(false); // 08:00 +02:00
    // The night the clocks jump (02:00 -> 03:00) is quiet throughout.
    expect(inQuietHours(at('2027-03-28T01:00:00Z'), night, 'UTC')).toBe(true); // 03:00 +02:00
  });

  it('without its own zone it reads the account zone', () => {
    const q = { start: '21:00', end: '08:00' };
    const t = at('2027-01-10T20:30:00Z');
    expect(inQuietHours(t, q, 'Europe/Berlin')).toBe(true); // 21:30
    expect(inQuietHours(t, q, 'America/New_York')).toBe(false); // 15:30
  });

  it('an unknown zone counts as inside (the check can not be made: refuse)', () => {
    expect(inQuietHours(at('2027-01-10T12:00:00Z'), { start: '21:00', end: '08:00', timezone: 'Mars/Olympus' }, 'UTC')).toBe(true);
  });
});

describe('nextQuietStart', () => {
  it('is the next instant the window starts, on either side of a clock change', () => {
    const night = { start: '21:00', end: '08:00', timezone: 'Europe/Berlin' };
    expect(nextQuietStart(at('2027-01-10T12:00:00Z'), night, 'UTC').toISOString()).toBe('2027-01-10T20:00:00.000Z');
    expect(nextQuietStart(at('2027-01-10T20:00:00Z'), night, 'UTC').toISOString()).toBe('2027-01-11T20:00:00.000Z');
    expect(nextQuietStart(at('2027-03-28T12:00:00Z'), night, 'UTC').toISOString()).toBe('2027-03-28T19:00:00.000Z');
  });
});
