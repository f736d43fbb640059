/**
 * Rule semantics the corpus can not show with a fixed clock and UTC: dates resolved against the
 * clock in the account's zone, limits at their exact boundaries, schedules' campaigns.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/config/project.js';
import { rules } from '../../src/config/rules/index.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function load(yaml: string, opts: { zone?: string; now: string }) {
  const root = mkdtempSync(path.join(scratch, 'p-'));
  mkdirSync(path.join(root, 'campaigns'));
  writeFileSync(path.join(root, 'campaigns', 'r.yaml'), yaml);
  if (opts.zone) {
    writeFileSync(path.join(root, 'campaignctl.yaml'), `environments:\n  sandbox:\n    provider: sandbox\n    accountTimezone: ${opts.zone}\n`);
  }
  const p = await loadProject({ dir: root, now: new Date(opts.now), environ: {} });
  return p.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
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

describe('the rule list', () => {
  it('is made of distinct named functions, so each can be found and tested on its own', () => {
    const names = rules.map((r) => r.name);
    expect(names.every((n) => n.length > 0)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['duplicateAddress', 'scheduleReferences', 'whereDates', 'cronExpressions', 'timeZones']));
  });
});
