import { describe, expect, test } from 'vitest';
import { createTemplateEngine } from '../../src/templates/engine.js';
import type { Resource } from '../../src/model/resource.js';
import type {
  BulletinResource,
  CampaignResource,
  ExternalTriggerResource,
  MessageResource,
  ScheduleResource,
} from '../../src/model/specs.js';
import { campaignStartsAt, previewCampaignName, renderCampaignBody } from '../../src/render/campaign.js';
import type { RenderContext } from '../../src/render/context.js';
import { renderMessageBody } from '../../src/render/message.js';
import { renderTriggerBody } from '../../src/render/trigger.js';
import { renderRaiseBody } from '../../src/render/bulletin.js';
import { renderScheduleSend } from '../../src/render/schedule.js';

function resource<S>(kind: Resource['kind'], name: string, spec: S, file = 'campaigns/x.yaml'): Resource<S> {
  const prefix = { Campaign: 'campaign', Message: 'message', ExternalTrigger: 'trigger', Bulletin: 'bulletin', Schedule: 'schedule' }[kind];
  return { kind, name, address: `${prefix}.${name}`, labels: {}, protect: false, spec, source: { file, documentIndex: 0, line: 1, column: 1 } };
}

const files = new Map<string, string>([
  ['campaigns/email/winter.html', '<h1>Hi {{ Profile.name | default: "there" }}</h1>\n<p>{{vars.brand}} in {{vars.region}}</p>'],
  ['campaigns/email/broken.html', '<p>ok</p>\n<p>{{vars.nope}}</p>'],
]);

function context(overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    engine: createTemplateEngine({ partials: { sig: '-- {{vars.brand}}' } }),
    vars: { region: 'eu1', brand: 'Tunes & Co' },
    now: new Date('2026-03-15T12:00:00Z'),
    accountTimezone: 'Europe/Berlin',
    readFile: (p) => (files.has(p) ? { ok: true, text: files.get(p)! } : { ok: false, detail: 'no such file' }),
    ...overrides,
  };
}

describe('Create Campaign body', () => {
  const push = resource('Campaign', 'new-season', {
    title: 'New season',
    target_mode: 'push',
    where: {
      event_name: 'Video Watched',
      from: { daysAgo: 30 },
      to: { daysAgo: 0 },
      event_properties: [{ name: 'Genre', operator: 'equals', value: 'Thriller' }],
      advanced_query: { did_none: [{ event_name: 'App Uninstalled', from: '2026-01-01', to: 20260314 }] },
    },
    content: {
      title: 'New season in {{vars.region}}',
      body: 'Hi {{ Profile.name | default: "there" }}, {{upper vars.brand}} has it {{> sig}}',
      platform_specific: { android: { wzrk_cid: 'shows', deep_link: 'app://s/{{vars.region}}' }, ios: { 'mutable-content': 'true', badge_count: 1 } },
    },
    devices: ['android', 'ios'],
    when: '2026-03-20T18:30:00+01:00',
    respect_frequency_caps: false,
    control_group: { type: 'campaign', percentage: 10 },
    labels: ['campaigns-as-code'],
    guard: { maxAudience: 100000 },
    wire: { estimate_only: false, content: { platform_specific: { android: { wzrk_cid: 'override', large_icon: 'x.png' } } } },
  }) as CampaignResource;

  test('push: dates and when resolved, templates rendered, Liquid kept, wire merged last', () => {
    const r = renderCampaignBody(push, context(), 'New season [cc:abc]');
    expect(r.endpoint).toBe('/1/targets/create.json');
    expect(r.diagnostics).toEqual([]);
    expect(JSON.stringify(r.body)).toBe(
      JSON.stringify({
        name: 'New season [cc:abc]',
        target_mode: 'push',
        where: {
          event_name: 'Video Watched',
          from: 20260213,
          to: 20260315,
          event_properties: [{ name: 'Genre', operator: 'equals', value: 'Thriller' }],
          advanced_query: { did_none: [{ event_name: 'App Uninstalled', from: 20260101, to: 20260314 }] },
        },
        content: {
          title: 'New season in eu1',
          body: 'Hi {{ Profile.name | default: "there" }}, TUNES & CO has it -- Tunes & Co',
          platform_specific: {
            android: { wzrk_cid: 'override', deep_link: 'app://s/eu1', large_icon: 'x.png' },
            ios: { 'mutable-content': 'true', badge_count: 1 },
          },
        },
        devices: ['android', 'ios'],
        when: '20260320 18:30',
        respect_frequency_caps: false,
        control_group: { type: 'campaign', percentage: 10 },
        labels: ['campaigns-as-code'],
        estimate_only: false,
      }),
    );
    // The resource itself is untouched.
    expect(push.spec.where?.from).toEqual({ daysAgo: 30 });
  });

  test('the account zone decides the wire time and today', () => {
    const r = renderCampaignBody(push, context({ accountTimezone: 'Asia/Tokyo', now: new Date('2026-03-15T20:00:00Z') }), 'n');
    expect(r.body.when).toBe('20260321 02:30');
    expect(r.body.where?.to).toBe(20260316);
  });

  test('email: body_file read relative to the YAML file, HTML-escaped values, fields in CleverTap order', () => {
    const email = resource('Campaign', 'winter', {
      target_mode: 'email',
      where: {},
      content: { sender_name: '{{vars.brand}}', subject: 'Winter at {{vars.brand}}', body_file: 'winter.html' },
      when: 'now',
      provider_nick_name: 'ses',
    }, 'campaigns/email/winter.yaml') as CampaignResource;
    const r = renderCampaignBody(email, context(), 'winter');
    expect(r.diagnostics).toEqual([]);
    expect(r.body).toEqual({
      name: 'winter',
      target_mode: 'email',
      where: {},
      content: {
        subject: 'Winter at Tunes & Co',
        body: '<h1>Hi {{ Profile.name | default: "there" }}</h1>\n<p>Tunes &amp; Co in eu1</p>',
        sender_name: 'Tunes & Co',
      },
      when: 'now',
      provider_nick_name: 'ses',
    });
    expect(Object.keys(r.body.content)).toEqual(['subject', 'body', 'sender_name']);
  });

  test('email: problems in body_file point into that file; a path leaving the project is refused', () => {
    const spec = { target_mode: 'email', where: {}, content: { sender_name: 'x', subject: 'y', body_file: 'broken.html' }, when: 'now' };
    const r = renderCampaignBody(resource('Campaign', 'b', spec, 'campaigns/email/b.yaml') as CampaignResource, context(), 'b');
    expect(r.diagnostics).toMatchObject([{ code: 'template.missing-value', file: 'campaigns/email/broken.html', line: 2, column: 6, address: 'campaign.b' }]);

    const escape = { ...spec, content: { ...spec.content, body_file: '../../../etc/passwd' } };
    const e = renderCampaignBody(resource('Campaign', 'e', escape, 'campaigns/email/e.yaml') as CampaignResource, context(), 'e');
    expect(e.diagnostics.map((d) => d.code)).toEqual(['file.unreadable']);
    expect(e.diagnostics[0].message).toContain('outside the project');
    expect('body_file' in e.body.content).toBe(false);
  });

  test('sms with a segment, stats for render', () => {
    const sms = resource('Campaign', 'otp', { target_mode: 'sms', segment: 4711, content: { body: 'Sale in {{vars.region}} 🎉' }, when: 'now' }) as CampaignResource;
    const r = renderCampaignBody(sms, context(), 'otp');
    expect(r.body).toEqual({ name: 'otp', target_mode: 'sms', segment: 4711, content: { body: 'Sale in eu1 🎉' }, when: 'now' });
    expect(r.sms).toEqual({ encoding: 'UCS-2', characters: 14, segments: 1, perSegment: 70, approximate: false });
  });

  test('problems are located through ctx.locate at their YAML paths', () => {
    const bad = resource('Campaign', 'bad', {
      target_mode: 'push',
      where: { from: '2026-02-30', to: 20261301 },
      content: { title: '{{vars.regoin}}', body: 'x'.repeat(241) },
      devices: ['android'],
      when: '2026-03-29 02:30',
    }) as CampaignResource;
    const asked: string[] = [];
    const locate = (address: string, path: (string | number)[]) => {
      asked.push(`${address}:${path.join('.')}`);
      // A plain scalar as wide as the title's text.
      return { file: 'campaigns/x.yaml', line: 10 + path.length, column: 3, endLine: 10 + path.length, endColumn: 18 };
    };
    const r = renderCampaignBody(bad, context({ locate }), 'bad');
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ['time.invalid-date', 'error', 13],
      ['time.invalid-date', 'error', 13],
      ['template.missing-value', 'error', 13],
      ['content.push-body-too-long', 'warning', 13],
      ['time.nonexistent-local-time', 'error', 12],
    ]);
    expect(asked).toEqual([
      'campaign.bad:spec.where.from',
      'campaign.bad:spec.where.to',
      'campaign.bad:spec.content.title',
      'campaign.bad:spec.content.body',
      'campaign.bad:spec.when',
    ]);
    // The template problem sits inside the string: column 3 + 2 (after `{{`).
    expect(r.diagnostics[2].column).toBe(5);
  });

  test('campaignStartsAt and the preview name', () => {
    expect(campaignStartsAt({ when: 'now' }, { accountTimezone: 'UTC' })).toEqual({ kind: 'now' });
    expect(campaignStartsAt({ when: '2026-11-01 09:00' }, { accountTimezone: 'Europe/Berlin' })).toEqual({ kind: 'at', instant: '2026-11-01T08:00:00.000Z' });
    expect(campaignStartsAt({ when: '2026-02-31 09:00' }, { accountTimezone: 'UTC' })).toBeUndefined();
    expect(previewCampaignName(push)).toBe('New season [cc:preview]');
    expect(previewCampaignName(resource('Campaign', 'plain', {}))).toBe('plain [cc:preview]');
  });
});

describe('Message via Identity body', () => {
  const message = resource('Message', 'order-shipped', {
    target_mode: 'push',
    content: { title: 'Order {{data.orderId}} shipped', body: '{{ Profile.name | default: "Hi" }}, track: {{data.url}} ({{data.carrier}})' },
    data: {
      type: 'object',
      properties: {
        orderId: { type: 'string', examples: ['A-1'] },
        url: { type: 'string', format: 'uri' },
        carrier: { type: 'string', default: 'DHL' },
      },
      required: ['orderId', 'url'],
      additionalProperties: false,
    },
    tag_group: 'transactional',
    respect_frequency_caps: false,
    wire: { wzrk_cid: 'orders' },
  }) as unknown as MessageResource;

  test('to, rendered content with defaults filled in, optional fields, wire', () => {
    const r = renderMessageBody(message, context(), { orderId: 'A-17', url: 'https://t.test/A-17' }, { Identity: ['u1', 'u2'], Email: ['a@x.test'] });
    expect(r.endpoint).toBe('/1/send/push.json');
    expect(r.diagnostics).toEqual([]);
    expect(JSON.stringify(r.body)).toBe(
      JSON.stringify({
        to: { Identity: ['u1', 'u2'], Email: ['a@x.test'] },
        content: { title: 'Order A-17 shipped', body: '{{ Profile.name | default: "Hi" }}, track: https://t.test/A-17 (DHL)' },
        tag_group: 'transactional',
        respect_frequency_caps: false,
        wzrk_cid: 'orders',
      }),
    );
  });

  test('data violating the schema: each field and rule named', () => {
    const r = renderMessageBody(message, context(), { orderId: 5, coupon: 'X' }, { Identity: ['u1'] });
    expect(r.diagnostics.filter((d) => d.code === 'render.data-invalid').map((d) => d.message).sort()).toEqual([
      'data `coupon` is not in the schema',
      'data `orderId` must be a string',
      'data `url` is required',
    ]);
  });
});

describe('External Trigger body', () => {
  const trigger = resource('ExternalTrigger', 'subscription-upgraded', {
    campaign_id: '1695721550',
    identity: 'email',
    payload: { type: 'object', properties: { plan: { type: 'string', enum: ['pro', 'max'] }, note: { type: 'string' } }, required: ['plan'] },
  }) as unknown as ExternalTriggerResource;

  test('lower-case to, campaign_id as written, ExternalTrigger = data, not templated', () => {
    const r = renderTriggerBody(trigger, { plan: 'pro', note: '{{vars.region}}' }, { email: ['jane@x.test'] });
    expect(r.endpoint).toBe('/1/send/externaltrigger.json');
    expect(r.diagnostics).toEqual([]);
    expect(r.body).toEqual({ to: { email: ['jane@x.test'] }, campaign_id: '1695721550', ExternalTrigger: { plan: 'pro', note: '{{vars.region}}' } });
  });

  test('payload violations; keys outside the contract are refused unless it allows them', () => {
    const r = renderTriggerBody(trigger, { plan: 'free', extra: 'x' }, { email: ['j@x.test'] });
    expect(r.diagnostics.map((d) => [d.code, d.message, d.address])).toEqual([
      ['render.data-invalid', 'data `extra` is not in the schema', 'trigger.subscription-upgraded'],
      ['render.data-invalid', 'data `plan` must be one of `pro`, `max`', 'trigger.subscription-upgraded'],
    ]);
  });
});

describe('Raise Business Event body', () => {
  const bulletin = resource('Bulletin', 'album-released', {
    business_event: 'Album Released',
    'c-by': 'ops@x.test',
    properties: { type: 'object', properties: { artist: { type: 'string' }, album: { type: 'string' } }, required: ['artist'], additionalProperties: true },
    occurrences: [
      { key: 'a1', at: '2026-05-07T09:00:00+02:00', name: '{{properties.artist}}: {{properties.album}} ({{vars.region}})', properties: { artist: 'Nova', album: 'Tides' } },
      { key: 'a2', at: 'now', name: 'Plain {{properties.nope}}', properties: { artist: 'x'.repeat(513), ['k'.repeat(121)]: 'v' } },
    ],
  }) as BulletinResource;

  test('name templated with properties, when as UNIX seconds', () => {
    const r = renderRaiseBody(bulletin, context(), bulletin.spec.occurrences![0]);
    expect(r.endpoint).toBe('/1/targets/trigger.json');
    expect(r.diagnostics).toEqual([]);
    expect(r.body).toEqual({
      business_event: 'Album Released',
      name: 'Nova: Tides (eu1)',
      properties: { artist: 'Nova', album: 'Tides' },
      'c-by': 'ops@x.test',
      when: 1778137200,
    });
  });

  test('limits and missing properties are problems located at the occurrence', () => {
    const asked: string[] = [];
    const r = renderRaiseBody(bulletin, context({ locate: (_a, p) => (asked.push(p.join('.')), undefined) }), bulletin.spec.occurrences![1]);
    expect(r.body.when).toBe('now');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['render.data-invalid', 'render.data-invalid', 'template.missing-value']);
    expect(asked).toEqual(['spec.occurrences.1.properties.artist', 'spec.occurrences.1.properties.' + 'k'.repeat(121), 'spec.occurrences.1.name']);
  });

  test('an ad hoc raise defaults to now', () => {
    const r = renderRaiseBody(bulletin, context(), { name: '{{properties.artist}} live', properties: { artist: 'Nova' } });
    expect(r.body).toMatchObject({ name: 'Nova live', when: 'now' });
  });
});

describe('Schedule sends', () => {
  const fireTime = new Date('2026-05-04T07:00:00Z');
  const ctx = context({ now: fireTime, schedule: { fireTime, timezone: 'Europe/Berlin' } });

  test('a scheduled campaign: when now, schedule.* in content, daysAgo from the fire time', () => {
    const s = resource('Schedule', 'weekly', {
      cron: '0 9 * * MON',
      timezone: 'Europe/Berlin',
      campaign: { target_mode: 'push', where: { event_name: 'App Launched', from: { daysAgo: 7 }, to: { daysAgo: 0 } }, content: { title: 'Week {{schedule.week}}', body: '{{schedule.weekday}} {{schedule.date}}' }, devices: ['ios'] },
    }) as ScheduleResource;
    const r = renderScheduleSend(s, [], ctx, 'weekly [cc:x]');
    expect(r.diagnostics).toEqual([]);
    expect(r.body).toEqual({
      name: 'weekly [cc:x]',
      target_mode: 'push',
      where: { event_name: 'App Launched', from: 20260427, to: 20260504 },
      content: { title: 'Week 19', body: 'Monday 2026-05-04' },
      devices: ['ios'],
      when: 'now',
    });
  });

  test('a scheduled message: data strings templated, then the Message body', () => {
    const digest = resource('Message', 'digest', {
      target_mode: 'email',
      content: { subject: 'Digest {{data.week}}', body: '<p>{{data.week}}</p>', sender_name: 'T' },
      data: { type: 'object', properties: { week: { type: 'string' } }, required: ['week'] },
    });
    const s = resource('Schedule', 'digest-weekly', {
      cron: '0 9 * * MON',
      timezone: 'Europe/Berlin',
      message: { name: 'digest', to: { Email: ['a@x.test'] }, data: { week: '{{schedule.date}} ({{vars.region}})' } },
    }) as ScheduleResource;
    const r = renderScheduleSend(s, [digest], ctx, 'unused');
    expect(r.endpoint).toBe('/1/send/email.json');
    expect(r.diagnostics).toEqual([]);
    expect(r.body).toEqual({
      to: { Email: ['a@x.test'] },
      content: { subject: 'Digest 2026-05-04 (eu1)', body: '<p>2026-05-04 (eu1)</p>', sender_name: 'T' },
    });
  });
});
