/**
 * The pure pieces of apply: campaign names with their marker, list windows, template inputs in the
 * spec hash.
 */
import { describe, expect, it } from 'vitest';
import { campaignTitle, markerOf, MAX_REMOTE_NAME_LENGTH, remoteCampaignName } from '../../src/apply/marker.js';
import { coveringWindows, MAX_WINDOW_DAYS, daysBetween, shiftYmd, windowAround, ymdOf } from '../../src/apply/dates.js';
import { parseYmd } from '../../src/apply/import.js';
import { refreshWindows } from '../../src/apply/refresh.js';
import type { AppliedResource } from '../../src/model/applied.js';

describe('remote campaign names', () => {
  it('carry the marker after the title, and only that marker is read back', () => {
    const name = remoteCampaignName('Winter sale push', '0a1b2c3d4e');
    expect(name).toBe('Winter sale push [cc:0a1b2c3d4e]');
    expect(markerOf(name)).toBe('0a1b2c3d4e');
    expect(markerOf('Winter sale push')).toBeNull();
    expect(markerOf('Copy of [cc:0a1b2c3d4e] edited')).toBeNull();
    expect(markerOf('x [cc:0a1b2c3d4u]')).toBeNull(); // u is not Crockford base32
  });

  it('cut a long title so the whole name stays within the limit and the marker survives', () => {
    const name = remoteCampaignName('A'.repeat(300), 'zzzzzzzzzz');
    expect(name.length).toBe(MAX_REMOTE_NAME_LENGTH);
    expect(name.endsWith('... [cc:zzzzzzzzzz]')).toBe(true);
    expect(markerOf(name)).toBe('zzzzzzzzzz');
    expect(remoteCampaignName('  spaced \n title ', '0000000000')).toBe('spaced title [cc:0000000000]');
    expect(() => remoteCampaignName('x', 'NOT-A-MARKER')).toThrow(RangeError);
  });

  it('use the spec title, else the resource name', () => {
    expect(campaignTitle({ name: 'promo', spec: { title: 'Promo push' } })).toBe('Promo push');
    expect(campaignTitle({ name: 'promo', spec: { title: '  ' } })).toBe('promo');
    expect(campaignTitle({ name: 'promo', spec: {} })).toBe('promo');
  });
});

describe('list windows', () => {
  it('a start date is widened by a day on each side, in the account zone', () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in Berlin.
    const instant = new Date('2030-12-31T23:30:00Z');
    expect(ymdOf(instant, 'UTC')).toBe(20301231);
    expect(ymdOf(instant, 'Europe/Berlin')).toBe(20310101);
    expect(windowAround(instant, 'Europe/Berlin')).toEqual({ from: 20301231, to: 20310102 });
    expect(shiftYmd(20280228, 1)).toBe(20280229);
    expect(daysBetween(20301231, 20310102)).toBe(2);
  });

  it('--from/--to dates are real dates from year 100 on (Date.UTC reads earlier years as 19xx)', () => {
    expect(parseYmd('20240229')).toBe(20240229);
    expect(parseYmd('01000101')).toBe(1000101);
    expect(parseYmd('00990101')).toBeNull();
    expect(parseYmd('00000101')).toBeNull();
    expect(parseYmd('20240431')).toBeNull();
  });

  it('windows are merged while the span stays within 31 days, and never longer', () => {
    const w = coveringWindows([
      { from: 20300101, to: 20300103 },
      { from: 20300110, to: 20300112 },
      { from: 20300129, to: 20300131 },
      { from: 20300201, to: 20300203 },
      { from: 20300601, to: 20300603 },
    ]);
    expect(w).toEqual([
      { from: 20300101, to: 20300131 },
      { from: 20300201, to: 20300203 },
      { from: 20300601, to: 20300603 },
    ]);
    for (const x of w) expect(daysBetween(x.from, x.to)).toBeLessThan(MAX_WINDOW_DAYS);
  });

  it('every date is covered, whatever the spread', () => {
    const dates: number[] = [];
    for (let i = 0; i < 500; i++) dates.push(shiftYmd(20300101, (i * 37) % 900));
    const w = coveringWindows(dates.map((d) => ({ from: shiftYmd(d, -1), to: shiftYmd(d, 1) })));
    for (const d of dates) for (const day of [shiftYmd(d, -1), d, shiftYmd(d, 1)]) expect(w.some((x) => x.from <= day && day <= x.to)).toBe(true);
    for (let i = 1; i < w.length; i++) expect(w[i]!.from).toBeGreaterThan(w[i - 1]!.to);
    expect(w.length).toBeLessThan(40);
  });

  it('refresh covers the managed campaigns with a remote id; `now` ones by their apply time', () => {
    const row = (address: string, remoteId: number | null, scheduledFor: string | null, appliedAt = '2030-03-10T10:00:00Z'): AppliedResource => ({
      address, kind: 'Campaign', specHash: 'h', spec: {}, labels: {}, protect: false, remoteId, remoteName: null,
      status: 'scheduled', scheduledFor, appliedAt, commit: null, author: null,
    });
    const w = refreshWindows(
      [row('campaign.a', 1, '2030-05-01T09:00:00Z'), row('campaign.b', 2, null), row('campaign.c', null, '2031-01-01T00:00:00Z'), { ...row('message.m', null, null), kind: 'Message' }],
      'UTC',
    );
    expect(w).toEqual([
      { from: 20300309, to: 20300311 },
      { from: 20300430, to: 20300502 },
    ]);
  });

  it('one window per start instant gives the windows of one per campaign', () => {
    const rows: AppliedResource[] = [];
    for (let i = 0; i < 3000; i++) {
      // 3,000 campaigns over 70 start instants across a DST change, some `now` ones by apply time.
      const start = new Date(Date.UTC(2030, 9, 1 + ((i * 7) % 70), (i * 5) % 24)).toISOString();
      const now = i % 11 === 0;
      rows.push({
        address: `campaign.c${i}`, kind: 'Campaign', specHash: 'h', spec: {}, labels: {}, protect: false, remoteId: i + 1, remoteName: null,
        status: 'scheduled', scheduledFor: now ? null : start, appliedAt: now ? start : '2030-01-01T00:00:00Z', commit: null, author: null,
      });
    }
    for (const zone of ['Europe/Berlin', 'Pacific/Kiritimati', 'America/St_Johns']) {
      const perCampaign = coveringWindows(rows.map((a) => windowAround(new Date(a.scheduledFor ?? a.appliedAt), zone)));
      expect(refreshWindows(rows, zone), zone).toEqual(perCampaign);
    }
  });
});

describe('windowAround against the calendar helpers', () => {
  it('gives the local start date widened by a day, across DST changes and odd offsets', () => {
    let checked = 0;
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Australia/Lord_Howe']) {
      // every 37 minutes across the 2026 transitions of both hemispheres
      for (const [from, to] of [[Date.UTC(2026, 2, 27), Date.UTC(2026, 3, 7)], [Date.UTC(2026, 8, 25), Date.UTC(2026, 10, 3)]] as const) {
        for (let t = from; t < to; t += 37 * 60_000) {
          const day = ymdOf(new Date(t), zone);
          expect(windowAround(new Date(t), zone)).toEqual({ from: shiftYmd(day, -1), to: shiftYmd(day, 1) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });
});
