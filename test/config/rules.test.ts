/**
 * Rule semantics the corpus can not show with a fixed clock and UTC: dates resolved against the
 * clock in the account's zone, limits at their exact boundaries, schedules' campaigns.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project-index/load.js';
import { resourceRules, rules, type RuleContext } from '../../src/config/rules/index.js';
import { scheduleYaml } from './schedule-yaml.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface LoadOptions {
  zone?: string;
  now: string;
  /** More lines for the sandbox environment in campaignctl.yaml (indented 4). */
  env?: string;
}

async function load(yaml: string, opts: LoadOptions) {
  return (await diagnosticsOf(yaml, opts)).map((d) => `${d.code} ${d.line}:${d.column}`);
}

async function diagnosticsOf(yaml: string, opts: LoadOptions) {
  const root = mkdtempSync(path.join(scratch, 'p-'));
  mkdirSync(path.join(root, 'campaigns'));
  writeFileSync(path.join(root, 'campaigns', 'r.yaml'), yaml);
  if (opts.zone || opts.env) {
    writeFileSync(path.join(root, 'campaignctl.yaml'), `environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: ${opts.zone ?? 'UTC'}\n${opts.env ?? ''}`);
  }
  const p = await loadProject({ dir: root, now: new Date(opts.now), environ: {} });
  return p.diagnostics;
}

const campaign = (where: string, when = 'now') => `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: c
spec:
  target_mode: sms
  where: ${where}
  content:
    body: Hi
  when: ${when}
`;

describe('where dates', () => {
  const where = '{ event_name: X, from: 20260616, to: { daysAgo: 0 } }';
  it('resolves daysAgo against the clock in the account time zone', async () => {
    // 23:30 UTC on the 15th is already the 16th in Auckland.
    const now = '2026-06-15T23:30:00Z';
    expect(await load(campaign(where), { now, zone: 'Pacific/Auckland' })).toEqual([]);
    expect(await load(campaign(where), { now })).toEqual(['rule.from-after-to 7:33']);
  });

  it('a daysAgo finding stands until an hour before the account day ends, in its last hour until the next day starts, for each clock and zone', async () => {
    const root = mkdtempSync(path.join(scratch, 'p-'));
    mkdirSync(path.join(root, 'campaigns'));
    writeFileSync(path.join(root, 'campaigns', 'r.yaml'), campaign('{ event_name: X, from: { daysAgo: 3 }, to: { daysAgo: 0 } }'));
    writeFileSync(path.join(root, 'campaigns', 'fixed.yaml'), campaign('{ event_name: X, from: 20260101, to: 20260102 }').replace('name: c', 'name: fixed'));
    const untilAt = async (now: string, zone: string) => {
      writeFileSync(path.join(root, 'campaignctl.yaml'), `environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: ${zone}\n`);
      const p = await loadProject({ dir: root, now: new Date(now), environ: {} });
      const ctx: RuleContext = { root, resources: p.resources(), environment: p.environment, partials: {}, locate: p.locate, locateIn: () => undefined, now: new Date(now) };
      const [fixed, relative] = ['campaign.fixed', 'campaign.c'].map((a) => resourceRules(p.resources().find((r) => r.address === a)!, ctx).until);
      return { fixed, relative: relative === null ? null : new Date(relative).toISOString() };
    };
    // Berlin (UTC+1 in March): the day ends at 23:00Z, so the finding stands until 22:00Z.
    expect(await untilAt('2026-03-10T12:00:00Z', 'Europe/Berlin')).toEqual({ fixed: null, relative: '2026-03-10T22:00:00.000Z' });
    // In that last hour: until the first minute of the next day.
    expect(await untilAt('2026-03-10T22:30:00Z', 'Europe/Berlin')).toEqual({ fixed: null, relative: '2026-03-10T23:00:00.000Z' });
    // The same clock in New York (UTC-4 since 8 March): its day ends at 04:00Z on the 11th.
    expect(await untilAt('2026-03-10T22:30:00Z', 'America/New_York')).toEqual({ fixed: null, relative: '2026-03-11T03:00:00.000Z' });
    expect(await untilAt('2026-03-10T12:00:00Z', 'Europe/Berlin')).toEqual({ fixed: null, relative: '2026-03-10T22:00:00.000Z' });
  });

  it('checks the campaign of a schedule too', async () => {
    const yaml = `apiVersion: campaignctl/v1
kind: Schedule
metadata:
  name: s
spec:
  cron: "0 9 * * *"
  timezone: UTC
  campaign:
    target_mode: sms
    where: { event_name: X, from: { daysAgo: 1 }, to: { daysAgo: 7 } }
    content:
      body: Hi
`;
    expect(await load(yaml, { now: '2026-06-15T12:00:00Z' })).toEqual(['rule.from-after-to 10:35']);
  });

  it('accepts the 29th of February in a leap year only', async () => {
    const ok = await load(campaign('{ event_name: X, from: 20280229, to: 20280301 }'), { now: '2026-06-15T12:00:00Z' });
    expect(ok).toEqual([]);
    const bad = await load(campaign('{ event_name: X, from: 20270229, to: 20270301 }'), { now: '2026-06-15T12:00:00Z' });
    expect(bad).toEqual(['time.invalid-date 7:33']);
  });
});

describe('when in the past', () => {
  it('reads YYYY-MM-DD HH:MM in the account time zone', async () => {
    // 09:00 on the 16th in Auckland (UTC+12) is 21:00 UTC on the 15th.
    const yaml = campaign('{}', '2026-06-16 09:00');
    expect(await load(yaml, { now: '2026-06-15T22:00:00Z', zone: 'Pacific/Auckland' })).toEqual(['rule.when-in-past 10:9']);
    expect(await load(yaml, { now: '2026-06-15T20:00:00Z', zone: 'Pacific/Auckland' })).toEqual([]);
    expect(await load(yaml, { now: '2026-06-15T22:00:00Z' })).toEqual([]);
  });

  it('compares ISO instants with their own offset, and never warns for `now`', async () => {
    const now = '2026-06-15T12:00:00Z';
    expect(await load(campaign('{}', '"2026-06-15T13:59:00+02:00"'), { now })).toEqual(['rule.when-in-past 10:9']);
    expect(await load(campaign('{}', '"2026-06-15T14:01:00+02:00"'), { now })).toEqual([]);
    expect(await load(campaign('{}', 'now'), { now })).toEqual([]);
  });
});

describe('limits at their boundaries', () => {
  const bulletin = (value: string) => `apiVersion: campaignctl/v1
kind: Bulletin
metadata:
  name: b
spec:
  business_event: E
  c-by: a@example.com
  occurrences:
    - key: k
      at: now
      name: N
      properties:
        p: "${value}"
`;
  it('allows a 512-byte property value and refuses 513 bytes', async () => {
    const now = '2026-06-15T12:00:00Z';
    expect(await load(bulletin('é'.repeat(256)), { now })).toEqual([]);
    expect(await load(bulletin('é'.repeat(256) + 'x'), { now })).toEqual(['bulletin.value-too-long 13:12']);
  });

  const schedule = (identities: number, emails: number) => `apiVersion: campaignctl/v1
kind: Schedule
metadata:
  name: s
spec:
  cron: "0 9 * * *"
  timezone: UTC
  message:
    name: m
    to:
      Identity: [${Array.from({ length: identities }, (_, i) => `u${i}`).join(', ')}]
      Email: [${Array.from({ length: emails }, (_, i) => `e${i}@example.com`).join(', ')}]
---
apiVersion: campaignctl/v1
kind: Message
metadata:
  name: m
spec:
  target_mode: sms
  content:
    body: Hi
`;
  it('counts identities across every `to` list: 1000 pass, 1001 do not', async () => {
    const now = '2026-06-15T12:00:00Z';
    expect(await load(schedule(600, 400), { now })).toEqual([]);
    expect(await load(schedule(600, 401), { now })).toEqual(['rule.too-many-identities 10:5']);
  });
});

describe('schedules and clock changes', () => {
  const schedule = scheduleYaml;
  const now = '2026-06-15T12:00:00Z';

  it('warns at the cron line when a fixed time falls in a gap, saying when it fires instead', async () => {
    const found = await diagnosticsOf(schedule('30 2 * * *', 'America/New_York'), { now });
    expect(found.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`)).toEqual(['warning schedule.dst-gap 6:9']);
    expect(found[0]!.message).toBe(
      '`30 2 * * *` meets a clock change in America/New_York on 2027-03-14 (clocks jump from 02:00 to 03:00): ' +
        '02:30 does not happen that day, so it fires once at 03:00 -04:00 (2027-03-14T07:00:00Z) instead',
    );
  });

  it('warns when a fixed time is repeated, saying it fires at the first', async () => {
    const found = await diagnosticsOf(schedule('30 1 * * *', 'America/New_York'), { now });
    expect(found.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['schedule.dst-repeat 6:9']);
    expect(found[0]!.message).toContain('(clocks go back from 02:00 to 01:00): 01:30 happens twice that day, and it fires once, at the first: 01:30 -04:00 (2026-11-01T05:30:00Z)');
  });

  it('an interval job: skipped in the gap, fired in both passes of the repeated hour (30-minute change on Lord Howe)', async () => {
    const found = await diagnosticsOf(schedule('*/15 * * * *', 'Australia/Lord_Howe'), { now });
    expect(found.map((d) => d.code)).toEqual(['schedule.dst-gap', 'schedule.dst-repeat']);
    expect(found[0]!.message).toContain('on 2026-10-04 (clocks jump from 02:00 to 02:30): 02:00 does not happen that day; it skips those times and fires next at 02:30 +11:00 (2026-10-03T15:30:00Z)');
    expect(found[1]!.message).toContain('on 2027-04-04 (clocks go back from 02:00 to 01:30): 01:30 happens twice that day, and it fires at both: 01:30 +11:00 (2027-04-03T14:30:00Z) and again at 01:30 +10:30 (2027-04-03T15:00:00Z)');
  });

  it('no warning where no named time meets a change, in a zone without DST, or for a disabled schedule', async () => {
    expect(await load(schedule('0 9 * * MON', 'Europe/Berlin'), { now })).toEqual([]);
    expect(await load(schedule('30 2 * * *', 'Asia/Kolkata'), { now })).toEqual([]);
    expect(await load(schedule('30 2 * * *', 'America/New_York', '\n  enabled: false'), { now })).toEqual([]);
  });

  it('reads "now" from the rule context: the next 12 months from then', async () => {
    // After the 2027 change, the next one New York's 02:30 meets is on 2028-03-12.
    const later = await diagnosticsOf(schedule('30 2 * * *', 'America/New_York'), { now: '2027-03-20T12:00:00Z' });
    expect(later.map((d) => d.message)).toEqual([expect.stringContaining('on 2028-03-12')]);
    // The 12 months end at the same instant a year later: the 2027-03-14 gap is in them from 2026-03-15 on.
    expect(await load(schedule('30 2 * * *', 'America/New_York'), { now: '2026-03-15T12:00:00Z' })).toEqual(['schedule.dst-gap 6:9']);
    expect(await load(schedule('30 2 * * *', 'America/New_York'), { now: '2026-03-13T12:00:00Z' })).toEqual([]);
  });

  it('refuses an expression the evaluator does not read, at the cron line', async () => {
    expect(await load(schedule('0 0 31 2 *', 'UTC'), { now })).toEqual(['cron.invalid 6:9']);
    expect(await load(schedule('0 9 * * 5#6', 'UTC'), { now })).toEqual(['cron.invalid 6:9']);
    // node-cron read these; the evaluator does not (validate used to pass them)
    expect(await load(schedule('0 0 L-3 * *', 'UTC'), { now })).toEqual(['cron.invalid 6:9']);
  });

  it('accepts what the evaluator reads (validate used to refuse these)', async () => {
    expect(await load(schedule('0 9 13 * +FRI', 'UTC'), { now })).toEqual([]);
    expect(await load(schedule('0 9 * * FRI#L', 'UTC'), { now })).toEqual([]);
  });
});

describe('quiet hours', () => {
  const quiet = '    quietHours: { start: "21:00", end: "08:00", timezone: Europe/Berlin }\n';
  const now = '2026-06-15T12:00:00Z';
  const where = '{ event_name: X, from: 20260101, to: 20260102 }';
  const bulletin = (at: string, extra = '') => `apiVersion: campaignctl/v1
kind: Bulletin
metadata:
  name: b
spec:
  business_event: News
  c-by: ops@example.com${extra}
  occurrences:
    - key: k1
      at: "2027-01-10T12:00:00Z"
      name: Day
    - key: k2
      at: "${at}"
      name: Night
`;

  it('a Campaign `when` inside the window: an error at the `when`, saying which window', async () => {
    const found = await diagnosticsOf(campaign(where, '"2027-01-10 22:30"'), { now, zone: 'Europe/Berlin', env: quiet });
    expect(found.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`)).toEqual(['error rule.quiet-hours 10:9']);
    expect(found[0]!.message).toBe('`when` 2027-01-10 22:30 falls inside quiet hours (21:00-08:00 Europe/Berlin)');
    expect(await load(campaign(where, '"2027-01-10 20:30"'), { now, zone: 'Europe/Berlin', env: quiet })).toEqual([]);
    expect(await load(campaign(where, 'now'), { now, zone: 'Europe/Berlin', env: quiet })).toEqual([]);
    // No quiet hours in the environment: nothing to refuse.
    expect(await load(campaign(where, '"2027-01-10 22:30"'), { now, zone: 'Europe/Berlin' })).toEqual([]);
  });

  it('a Schedule with a fire inside the window within 12 months: an error at the cron naming the first such fire', async () => {
    // 02:30 in New York is 08:30 in Berlin, except in the weeks one zone keeps summer time and the
    // other does not: from 2026-10-25 (Europe's change) to 2026-11-01 (New York's), 07:30.
    const found = await diagnosticsOf(scheduleYaml('30 2 * * *', 'America/New_York'), { now, env: quiet });
    const quietFound = found.filter((d) => d.code === 'rule.quiet-hours');
    expect(quietFound.map((d) => `${d.severity} ${d.line}:${d.column}`)).toEqual(['error 6:9']);
    expect(quietFound[0]!.message).toBe(
      '`30 2 * * *` fires at Sun 2026-10-25 02:30 -04:00 (2026-10-25T06:30:00Z), which falls inside quiet hours (21:00-08:00 Europe/Berlin)',
    );
    expect(await load(scheduleYaml('0 9 * * *', 'Europe/Berlin'), { now, env: quiet })).toEqual([]);
    expect(await load(scheduleYaml('*/5 9-20 * * *', 'Europe/Berlin'), { now, env: quiet })).toEqual([]);
    expect(await load(scheduleYaml('0 22 * * *', 'Europe/Berlin', '\n  enabled: false'), { now, env: quiet })).toEqual([]);
  });

  it('only fires within the next 12 months of the context\'s "now" count', async () => {
    // 22:00 on 29 February: next on 2028-02-29, beyond 12 months from June 2026, within them from March 2027.
    expect(await load(scheduleYaml('0 22 29 2 *', 'Europe/Berlin'), { now, env: quiet })).toEqual([]);
    expect(await load(scheduleYaml('0 22 29 2 *', 'Europe/Berlin'), { now: '2027-03-01T12:00:00Z', env: quiet })).toEqual(['rule.quiet-hours 6:9']);
  });

  it('a bulletin occurrence `at` inside the window: an error at that `at` only', async () => {
    const found = await diagnosticsOf(bulletin('2027-01-10T23:00:00Z'), { now, env: quiet });
    expect(found.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['rule.quiet-hours 13:11']);
    expect(found[0]!.message).toBe('occurrence k2 `at` 2027-01-10T23:00:00Z falls inside quiet hours (21:00-08:00 Europe/Berlin)');
  });

  it('`allowQuietHours: true` silences each of them', async () => {
    expect(await load(campaign(where, '"2027-01-10 22:30"\n  allowQuietHours: true'), { now, zone: 'Europe/Berlin', env: quiet })).toEqual([]);
    expect(await load(scheduleYaml('0 22 * * *', 'Europe/Berlin', '\n  allowQuietHours: true'), { now, env: quiet })).toEqual([]);
    expect(await load(bulletin('2027-01-10T23:00:00Z', '\n  allowQuietHours: true'), { now, env: quiet })).toEqual([]);
  });
});

describe('the rule list', () => {
  it('is made of distinct named functions, so each can be found and tested on its own', () => {
    const names = rules.map((r) => r.name);
    expect(names.every((n) => n.length > 0)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['duplicateAddress', 'scheduleReferences', 'whereDates', 'cronExpressions', 'timeZones']));
  });
});
