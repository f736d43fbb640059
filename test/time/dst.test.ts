/** Where a Schedule meets a clock change, and what the evaluator does there (validate warns from it). */
import { describe, expect, it } from 'vitest';
import { dstEncounters } from '../../src/time/dst.js';

const from = new Date('2026-06-15T12:00:00Z');
const until = new Date('2027-06-15T12:00:00Z');
const met = (cron: string, timezone: string) =>
  dstEncounters({ cron, timezone }, from, until).map((e) => ({
    kind: e.kind,
    at: new Date(e.transition.at).toISOString(),
    named: new Date(e.named).toISOString().slice(11, 16),
    fixedTime: e.fixedTime,
    fires: e.fires.map((f) => f.toISOString()),
  }));

describe('dstEncounters', () => {
  it('a fixed time in the gap: fires at the end of the gap; not named in the repeated hour: no repeat', () => {
    expect(met('30 2 * * *', 'America/New_York')).toEqual([
      { kind: 'gap', at: '2027-03-14T07:00:00.000Z', named: '02:30', fixedTime: true, fires: ['2027-03-14T07:00:00.000Z'] },
    ]);
  });

  it('a fixed time in the repeated hour: fires once, at the first', () => {
    expect(met('30 1 * * *', 'America/New_York')).toEqual([
      { kind: 'repeat', at: '2026-11-01T06:00:00.000Z', named: '01:30', fixedTime: true, fires: ['2026-11-01T05:30:00.000Z'] },
    ]);
  });

  it('an interval job: skips the gap and fires in both passes of the repeated hour', () => {
    expect(met('*/30 * * * *', 'Europe/Berlin')).toEqual([
      { kind: 'repeat', at: '2026-10-25T01:00:00.000Z', named: '02:00', fixedTime: false, fires: ['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z'] },
      { kind: 'gap', at: '2027-03-28T01:00:00.000Z', named: '02:00', fixedTime: false, fires: ['2027-03-28T01:00:00.000Z'] },
    ]);
  });

  it('a 30-minute change (Lord Howe) is met only by times inside its half hour', () => {
    // gap 2026-10-04 02:00-02:30 local; repeat 2027-04-04 01:30-02:00 local
    expect(met('15 2 * * *', 'Australia/Lord_Howe').map((e) => `${e.kind} ${e.named} ${e.fires}`)).toEqual(['gap 02:15 2026-10-03T15:30:00.000Z']);
    expect(met('45 1 * * *', 'Australia/Lord_Howe').map((e) => `${e.kind} ${e.named} ${e.fires}`)).toEqual(['repeat 01:45 2027-04-03T14:45:00.000Z']);
    expect(met('45 2 * * *', 'Australia/Lord_Howe')).toEqual([]);
    expect(met('15 1 * * *', 'Australia/Lord_Howe')).toEqual([]);
  });

  it('a day-of-week job meets a change only when it falls on that day', () => {
    // both changes in New York are on Sundays
    expect(met('30 1 * * SUN', 'America/New_York').map((e) => e.kind)).toEqual(['repeat']);
    expect(met('30 1 * * MON', 'America/New_York')).toEqual([]);
  });

  it('a zone without DST (Asia/Kolkata) is never met', () => {
    expect(met('*/5 * * * *', 'Asia/Kolkata')).toEqual([]);
  });
});
