/**
 * `campaignctl render` end to end: the built CLI against a small temp project.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCqlDate } from '../../src/time/when.js';
import { CliRunner, type CliResult } from './cli-run.js';

const root = mkdtempSync(path.join(tmpdir(), 'campaignctl-render-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

function run(...args: string[]): Promise<CliResult> {
  return new CliRunner(root, {}).run(args);
}

beforeAll(() => {
  write(
    'campaignctl.yaml',
    `environments:
  sandbox:
    provider: sandbox
    accountTimezone: Asia/Kolkata
    vars: { region: eu1, brand: "Tunes & Co" }
`,
  );
  write('campaigns/_partials/footer.hbs', '<p>{{vars.brand}}</p>');
  write(
    'campaigns/push.yaml',
    `apiVersion: campaignctl/v1
kind: Campaign
metadata: { name: season }
spec:
  title: New season
  target_mode: push
  where:
    event_name: Video Watched
    from: { daysAgo: 30 }
    to: 2099-01-31
  content:
    title: "Back in {{vars.region}}"
    body: 'Hi {{ Profile.name | default: "there" }} {% if Profile.vip %}VIP{% endif %}'
  devices: [android]
  when: 2099-03-01T18:00:00+01:00
  wire: { skip_estimate: true, wzrk_cid: releases }
---
apiVersion: campaignctl/v1
kind: Campaign
metadata: { name: long-sms }
spec:
  target_mode: sms
  where: {}
  content:
    body: "Grüße aus {{vars.region}} 🎉 ${'x'.repeat(80)}"
  when: 2099-05-01 09:30
---
apiVersion: campaignctl/v1
kind: Campaign
metadata: { name: mail }
spec:
  target_mode: email
  segment: 42
  content:
    subject: News from {{vars.brand}}
    sender_name: Tunes
    body_file: mails/news.html
  when: now
---
apiVersion: campaignctl/v1
kind: Campaign
metadata: { name: typo }
spec:
  target_mode: push
  where: {}
  content:
    title: Hi
    body: "From {{vars.regoin}}"
  devices: [ios]
  when: now
`,
  );
  write('campaigns/mails/news.html', '<h1>{{ Profile.name | default: "Hi" }}</h1>\n{{> footer}}');
  write(
    'campaigns/messages.yaml',
    `apiVersion: campaignctl/v1
kind: Message
metadata: { name: shipped }
spec:
  target_mode: push
  content:
    title: "Order {{data.orderId}}"
    body: "{{data.customer.name}}: {{data.carrier}} ({{ Profile.city | default: 'your city' }})"
    platform_specific: { android: { wzrk_cid: orders } }
  data:
    type: object
    required: [orderId, customer]
    properties:
      orderId: { type: string, pattern: "^A-[0-9]+$", examples: [A-1] }
      carrier: { type: string, default: DHL }
      customer:
        type: object
        required: [name]
        properties:
          name: { type: string, examples: [Ann] }
  tag_group: orders
---
apiVersion: campaignctl/v1
kind: Bulletin
metadata: { name: album }
spec:
  business_event: Album Released
  c-by: ops@example.com
  occurrences:
    - key: tides
      at: now
      name: "{{properties.artist}} - {{properties.album}}"
      properties: { artist: Nova, album: Tides }
`,
  );
  write('data.yaml', 'orderId: A-17\ncustomer:\n  name: Bo\n');
});

describe('campaignctl render', () => {
  it('prints the endpoint and the Create Campaign body: dates and when in the account zone, Liquid kept, wire merged', async () => {
    const before = new Date();
    const r = await run('render', 'campaign.season');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [first, ...rest] = r.stdout.trimEnd().split('\n');
    expect(first).toBe('POST /1/targets/create.json');
    const body = JSON.parse(rest.join('\n'));
    const from = [before, new Date()].map((now) => {
      const d = resolveCqlDate({ daysAgo: 30 }, now, 'Asia/Kolkata');
      return d.ok ? d.value : undefined;
    });
    expect(from).toContain(body.where.from);
    expect(body).toEqual({
      name: 'New season [cc:preview]',
      target_mode: 'push',
      where: { event_name: 'Video Watched', from: body.where.from, to: 20990131 },
      content: { title: 'Back in eu1', body: 'Hi {{ Profile.name | default: "there" }} {% if Profile.vip %}VIP{% endif %}' },
      devices: ['android'],
      when: '20990301 22:30',
      skip_estimate: true,
      wzrk_cid: 'releases',
    });
  });

  it('--json: endpoint, body and the SMS segment warning; exit 0', async () => {
    const r = await run('render', 'campaign.long-sms', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.endpoint).toBe('/1/targets/create.json');
    expect(doc.body.when).toBe('20990501 09:30');
    expect(doc.body.content.body).toMatch(/^Grüße aus eu1 🎉 x{80}$/);
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toMatchObject([{ code: 'content.sms-segments', severity: 'warning', file: 'campaigns/push.yaml', line: 25 }]);
    expect(doc.warnings[0].message).toBe('SMS body is 97 UCS-2 characters: 2 segments of up to 67');
    expect(doc.sms).toEqual({ encoding: 'UCS-2', characters: 97, segments: 2, per_segment: 67, approximate: false });
  });

  it('email body_file is read next to the YAML, with partials and HTML escaping', async () => {
    const r = await run('render', 'campaign.mail', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).body).toEqual({
      name: 'mail [cc:preview]',
      target_mode: 'email',
      segment: 42,
      content: { subject: 'News from Tunes & Co', body: '<h1>{{ Profile.name | default: "Hi" }}</h1>\n<p>Tunes &amp; Co</p>', sender_name: 'Tunes' },
      when: 'now',
    });
  });

  it('a Message with --data (YAML) and dotted --set applied after it; defaults filled in; --to recipients', async () => {
    const r = await run('render', 'message.shipped', '--data', 'data.yaml', '--set', 'customer.name=Cy', '--to', 'Identity:u1,u2', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.endpoint).toBe('/1/send/push.json');
    expect(doc.body).toEqual({
      to: { Identity: ['u1', 'u2'] },
      content: { title: 'Order A-17', body: "Cy: DHL ({{ Profile.city | default: 'your city' }})", platform_specific: { android: { wzrk_cid: 'orders' } } },
      tag_group: 'orders',
    });
  });

  it('data breaking the Message contract: each field and rule named, exit 1', async () => {
    const r = await run('render', 'message.shipped', '--set', 'orderId=B-1', '--set', 'extra=1');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('render.data-invalid  data `orderId` must match pattern "^A-[0-9]+$"');
    expect(r.stderr).toContain('data `customer` is required');
    expect(r.stderr).toContain('data `extra` is not in the schema');
    // Consequences of the missing data are not reported twice.
    expect(r.stderr).not.toContain('template.missing-value');
  });

  it('a template error is a located error with the source line; exit 1', async () => {
    const r = await run('render', 'campaign.typo');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('campaigns/push.yaml:48:19  error  template.unknown-variable  unknown template variable `vars.regoin`');
    expect(r.stderr).toContain('did you mean `vars.region`?');
    expect(r.stderr).toContain('    body: "From {{vars.regoin}}"');
  });

  it('a bulletin occurrence and an unknown address', async () => {
    const ok = await run('render', 'bulletin.album', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      endpoint: '/1/targets/trigger.json',
      body: { business_event: 'Album Released', name: 'Nova - Tides', properties: { artist: 'Nova', album: 'Tides' }, 'c-by': 'ops@example.com', when: 'now' },
    });
    const bad = await run('render', 'campaign.sesaon');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('render.unknown-address  no resource `campaign.sesaon`');
    expect(bad.stderr).toContain('did you mean `campaign.season`?');
  });
});

describe('the hint of a var without a value', () => {
  it('names campaignctl.yaml, not --set (which never reaches vars); following it renders', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-render-hint-'));
    try {
      const config = (team: string) => `environments:\n  sandbox:\n    provider: sandbox\n    vars: { team: ${team} }\n`;
      writeFileSync(path.join(dir, 'campaignctl.yaml'), config('{}'));
      mkdirSync(path.join(dir, 'campaigns'));
      writeFileSync(
        path.join(dir, 'campaigns/hi.yaml'),
        'apiVersion: campaignctl/v1\nkind: Message\nmetadata: { name: hi }\nspec:\n  target_mode: push\n  content:\n    title: "From {{vars.team.lead}}"\n    body: Hello\n    platform_specific: { android: { wzrk_cid: general } }\n',
      );
      const runner = new CliRunner(dir, {});
      const failed = await runner.run(['render', 'message.hi']);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('template.missing-value');
      expect(failed.stderr).toContain('hint: give `team.lead` a value under `vars` of the environment in campaignctl.yaml');
      expect(failed.stderr).not.toContain('--set vars.');
      // What the old hint said does not help:
      expect((await runner.run(['render', 'message.hi', '--set', 'vars.team.lead=Ana'])).code).toBe(1);
      writeFileSync(path.join(dir, 'campaignctl.yaml'), config('{ lead: Ana }'));
      const fixed = await runner.run(['render', 'message.hi']);
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toContain('"title": "From Ana"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
