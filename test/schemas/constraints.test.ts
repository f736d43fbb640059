/**
 * The constraints the schemas in schemas/ state, each shown accepting a minimal valid document and
 * rejecting the one change that breaks it (so a loosened schema fails here).
 */
import { describe, expect, it } from 'vitest';
import { strictAjv, validateWith, type JsonObject } from './schema-set.js';

const ajv = strictAjv();

function envelope(kind: string, spec: JsonObject): JsonObject {
  return { apiVersion: 'campaignctl/v1', kind, metadata: { name: 'example-1' }, spec };
}

const pushCampaign = (): JsonObject =>
  envelope('Campaign', {
    target_mode: 'push',
    where: { event_name: 'App Launched', from: { daysAgo: 30 }, to: 20261101 },
    content: { title: 'Hi', body: 'There' },
    devices: ['android'],
    when: 'now',
  });

function spec(doc: JsonObject): JsonObject {
  return doc.spec as JsonObject;
}

function campaignErrors(edit: (s: JsonObject) => void): string[] {
  const doc = pushCampaign();
  edit(spec(doc));
  return validateWith(ajv, 'campaign.schema.json', doc);
}

describe('envelope', () => {
  it('accepts the minimal push campaign', () => {
    expect(validateWith(ajv, 'campaign.schema.json', pushCampaign())).toEqual([]);
  });

  it('rejects a wrong apiVersion, a wrong kind, a bad name and an unknown top-level key', () => {
    expect(validateWith(ajv, 'campaign.schema.json', { ...pushCampaign(), apiVersion: 'v1' })).toContain(
      '/apiVersion must be equal to constant',
    );
    expect(validateWith(ajv, 'campaign.schema.json', { ...pushCampaign(), kind: 'Message' })).toContain(
      '/kind must be equal to constant',
    );
    for (const name of ['Upper', '-lead', 'trail-', 'a'.repeat(64), 'under_score']) {
      const errors = validateWith(ajv, 'campaign.schema.json', { ...pushCampaign(), metadata: { name } });
      expect(errors.some((e) => e.startsWith('/metadata/name must match pattern')), name).toBe(true);
    }
    expect(validateWith(ajv, 'campaign.schema.json', { ...pushCampaign(), metadata: { name: 'a' } })).toEqual([]);
    expect(validateWith(ajv, 'campaign.schema.json', { ...pushCampaign(), extra: 1 })).toContain(
      '/ must NOT have additional properties',
    );
  });

  it('takes string labels and a boolean protect only', () => {
    const ok = { ...pushCampaign(), metadata: { name: 'x', labels: { team: 'growth' }, protect: true } };
    expect(validateWith(ajv, 'campaign.schema.json', ok)).toEqual([]);
    const bad = { ...pushCampaign(), metadata: { name: 'x', labels: { team: 3 }, protect: 'yes' } };
    expect(validateWith(ajv, 'campaign.schema.json', bad)).toEqual([
      '/metadata/labels/team must be string',
      '/metadata/protect must be boolean',
    ]);
  });
});

describe('Campaign spec', () => {
  it('needs exactly one of where and segment', () => {
    expect(campaignErrors((s) => { s.segment = 42; })).toContain('/spec must match exactly one schema in oneOf');
    expect(campaignErrors((s) => { delete s.where; })).toContain('/spec must match exactly one schema in oneOf');
    expect(campaignErrors((s) => { delete s.where; s.segment = 42; })).toEqual([]);
    expect(campaignErrors((s) => { s.where = {}; })).toEqual([]);
  });

  it('accepts the three date forms and rejects impossible ISO dates and negative daysAgo', () => {
    for (const from of [20261101, '2026-11-01', { daysAgo: 0 }]) {
      expect(campaignErrors((s) => { (s.where as JsonObject).from = from; }), JSON.stringify(from)).toEqual([]);
    }
    for (const from of ['2026-02-31', '2026-13-01', { daysAgo: -1 }, { daysAgo: 3, extra: 1 }, 2026110, '20261101']) {
      expect(campaignErrors((s) => { (s.where as JsonObject).from = from; }).length, JSON.stringify(from)).toBeGreaterThan(0);
    }
  });

  it('requires from and to with a base event_name, and models advanced_query', () => {
    expect(campaignErrors((s) => { delete (s.where as JsonObject).to; })).toContain('/spec/where must have properties from, to when property event_name is present');
    const advanced = {
      common_profile_properties: { profile_fields: [{ name: 'Customer Type', operator: 'equals', value: 'Gold' }] },
      advanced_query: {
        did_all: [{ event_name: 'Charged', from: '2026-01-01', to: { daysAgo: 1 }, operator: 'greater_than', value: 2 }],
        did_none: [{ event_name: 'App Uninstalled' }],
        did_any: { any_events: [{ event_name: 'Search' }, { event_name: 'Product Viewed' }], operator: 'greater_than_equals', value: 1 },
      },
    };
    expect(campaignErrors((s) => { s.where = advanced; })).toEqual([]);
    expect(campaignErrors((s) => { s.where = { advanced_query: { did_not: [] } }; })).toContain(
      '/spec/where/advanced_query must NOT have additional properties',
    );
    expect(campaignErrors((s) => { s.where = { event_properties: [{ name: 'Amount', operator: 'bigger', value: 3 }] }; })).toContain(
      '/spec/where/event_properties/0/operator must be equal to one of the allowed values',
    );
  });

  it('shapes content by target_mode', () => {
    expect(campaignErrors((s) => { delete (s.content as JsonObject).title; })).toContain("/spec/content must have required property 'title'");
    expect(campaignErrors((s) => { delete s.devices; })).toContain("/spec must have required property 'devices'");
    expect(campaignErrors((s) => { s.target_mode = 'webpush'; delete s.devices; })).toEqual([]);
    expect(campaignErrors((s) => { s.target_mode = 'sms'; })).toContain('/spec/content must NOT have additional properties');
    expect(campaignErrors((s) => { s.target_mode = 'sms'; s.content = { body: 'Hi' }; })).toEqual([]);
    expect(campaignErrors((s) => { s.target_mode = 'email'; s.content = { subject: 'S', body: 'B' }; })).toContain(
      "/spec/content must have required property 'sender_name'",
    );
    expect(campaignErrors((s) => { s.target_mode = 'email'; s.content = { subject: 'S', body_file: 'b.html', sender_name: 'Me' }; })).toEqual([]);
    expect(campaignErrors((s) => { s.target_mode = 'email'; s.content = { subject: 'S', body: 'B', body_file: 'b.html', sender_name: 'Me' }; })).toContain(
      '/spec/content must match exactly one schema in oneOf',
    );
    expect(campaignErrors((s) => { s.target_mode = 'whatsapp'; })).toContain('/spec/target_mode must be equal to one of the allowed values');
  });

  it('lets platform_specific platforms carry free keys but not unknown platforms', () => {
    expect(campaignErrors((s) => { (s.content as JsonObject).platform_specific = { android: { wzrk_cid: 'x', Key: 'Value_android' } }; })).toEqual([]);
    expect(campaignErrors((s) => { (s.content as JsonObject).platform_specific = { blackberry: {} }; })).toContain(
      '/spec/content/platform_specific must NOT have additional properties',
    );
  });

  it('accepts the three `when` forms only', () => {
    for (const when of ['now', '2027-03-01 18:00', '2027-03-01T18:00:00+01:00', '2027-03-01T17:00Z']) {
      expect(campaignErrors((s) => { s.when = when; }), when).toEqual([]);
    }
    for (const when of ['tomorrow', '20270301 18:00', '2027-03-01T18:00', '2027-13-01 18:00', '2027-03-01 24:00']) {
      expect(campaignErrors((s) => { s.when = when; }).some((e) => e.startsWith('/spec/when must match pattern')), when).toBe(true);
    }
    expect(campaignErrors((s) => { delete s.when; })).toContain("/spec must have required property 'when'");
  });

  it('checks control_group, guard and wire', () => {
    expect(campaignErrors((s) => { s.control_group = { type: 'custom' }; })).toContain("/spec/control_group must have required property 'name'");
    expect(campaignErrors((s) => { s.control_group = { type: 'campaign', percentage: 10 }; })).toEqual([]);
    expect(campaignErrors((s) => { s.guard = { maxAudience: -1 }; })).toContain('/spec/guard/maxAudience must be >= 0');
    expect(campaignErrors((s) => { s.guard = { max: 5 }; })).toContain('/spec/guard must NOT have additional properties');
    expect(campaignErrors((s) => { s.wire = { wzrk_acts: '[]', anything: { nested: true } }; })).toEqual([]);
  });
});

describe('Schedule spec', () => {
  const base = (): JsonObject => ({ cron: '0 9 * * MON', timezone: 'Europe/Berlin' });
  const scheduleErrors = (s: JsonObject): string[] => validateWith(ajv, 'schedule.schema.json', envelope('Schedule', s));
  const message = { name: 'order-shipped', to: { Identity: ['u1'] }, data: { orderId: 'SN-1' } };

  it('needs exactly one of campaign, message and trigger', () => {
    expect(scheduleErrors({ ...base(), message })).toEqual([]);
    expect(scheduleErrors({ ...base(), trigger: { name: 'x', to: { email: ['a@b.co'] } } })).toEqual([]);
    expect(scheduleErrors(base())).toContain('/spec must match exactly one schema in oneOf');
    expect(scheduleErrors({ ...base(), message, trigger: { name: 'x', to: { identity: ['u'] } } })).toContain(
      '/spec must match exactly one schema in oneOf',
    );
  });

  it('sends a campaign without `when`', () => {
    const campaign = { target_mode: 'sms', where: {}, content: { body: 'Weekly' } };
    expect(scheduleErrors({ ...base(), campaign })).toEqual([]);
    expect(scheduleErrors({ ...base(), campaign: { ...campaign, when: 'now' } })).toContain(
      '/spec/campaign must NOT have additional properties',
    );
  });

  it('spells `to` keys as each CleverTap endpoint does', () => {
    expect(scheduleErrors({ ...base(), message: { ...message, to: { identity: ['u1'] } } })).toContain(
      '/spec/message/to must NOT have additional properties',
    );
    expect(scheduleErrors({ ...base(), message: { ...message, to: {} } })).toContain('/spec/message/to must NOT have fewer than 1 properties');
  });

  it('checks catchUp, overlap and cron shape', () => {
    for (const window of ['2h', 'PT2H', '1h30m', 'P1D', '90s']) {
      expect(scheduleErrors({ ...base(), message, catchUp: { policy: 'latest', window } }), window).toEqual([]);
    }
    for (const window of ['2 hours', 'PT', 'P', 'h2', '']) {
      expect(scheduleErrors({ ...base(), message, catchUp: { policy: 'latest', window } }).length, window).toBeGreaterThan(0);
    }
    expect(scheduleErrors({ ...base(), message, catchUp: { policy: 'all' } })).toContain(
      '/spec/catchUp/policy must be equal to one of the allowed values',
    );
    expect(scheduleErrors({ ...base(), message, overlap: 'queue' })).toContain('/spec/overlap must be equal to one of the allowed values');
    expect(scheduleErrors({ ...base(), message, cron: '0 9 * *' }).some((e) => e.startsWith('/spec/cron must match pattern'))).toBe(true);
    expect(scheduleErrors({ ...base(), message, cron: '0 0 9 * * MON' })).toEqual([]);
  });
});

describe('Bulletin, ExternalTrigger and Message specs', () => {
  it('checks occurrences', () => {
    const bulletin = (occ: JsonObject): string[] =>
      validateWith(ajv, 'bulletin.schema.json', envelope('Bulletin', { business_event: 'Album Released', 'c-by': 'a@b.co', occurrences: [occ] }));
    expect(bulletin({ key: 'k1', at: 'now', name: 'x', properties: { artist: 'A' } })).toEqual([]);
    expect(bulletin({ key: 'k1', at: '2027-05-07T08:00:00+02:00', name: 'x' })).toEqual([]);
    expect(bulletin({ key: 'k1', at: '2027-05-07 08:00', name: 'x' }).some((e) => e.startsWith('/spec/occurrences/0/at must match pattern'))).toBe(true);
    expect(bulletin({ key: 'k1', at: 'now', name: 'x', properties: { n: 3 } })).toContain('/spec/occurrences/0/properties/n must be string');
    expect(bulletin({ at: 'now', name: 'x' })).toContain("/spec/occurrences/0 must have required property 'key'");
  });

  it('keeps business event property contracts to strings', () => {
    const errors = validateWith(
      ajv,
      'bulletin.schema.json',
      envelope('Bulletin', { business_event: 'E', 'c-by': 'not-an-email', properties: { type: 'object', properties: { n: { type: 'number' } } } }),
    );
    expect(errors).toContain('/spec/c-by must match format "email"');
    expect(errors).toContain('/spec/properties/properties/n/type must be equal to constant');
  });

  it('takes a campaign_id as integer or digit string and string-leaf payloads', () => {
    const trigger = (s: JsonObject): string[] => validateWith(ajv, 'external-trigger.schema.json', envelope('ExternalTrigger', s));
    expect(trigger({ campaign_id: 1695721550 })).toEqual([]);
    expect(trigger({ campaign_id: '1695721550', identity: 'email' })).toEqual([]);
    expect(trigger({ campaign_id: '16957x' }).length).toBeGreaterThan(0);
    expect(trigger({ campaign_id: 1, identity: 'Identity' })).toContain('/spec/identity must be equal to one of the allowed values');
    expect(trigger({ campaign_id: 1, payload: { type: 'object', properties: { n: { type: 'number' } } } })).toContain(
      '/spec/payload/properties/n/type must be equal to one of the allowed values',
    );
  });

  it('describes message data with a JSON Schema subset', () => {
    const message = (data: JsonObject): string[] =>
      validateWith(ajv, 'message.schema.json', envelope('Message', { target_mode: 'sms', content: { body: '{{data.code}}' }, data }));
    expect(message({ type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: '^[0-9]{6}$' } } })).toEqual([]);
    expect(message({ type: 'object', properties: { code: { type: 'string', maxLenght: 6 } } })).toContain(
      '/spec/data/properties/code must NOT have additional properties',
    );
  });
});

describe('campaignctl.yaml', () => {
  const config = (c: JsonObject): string[] => validateWith(ajv, 'config.schema.json', c);

  it('accepts sandbox and clevertap environments with every documented setting', () => {
    expect(
      config({
        defaultEnvironment: 'sandbox',
        environments: {
          sandbox: {
            provider: 'sandbox',
            sandbox: { externalTriggers: [1, '2'], businessEvents: ['E'], everyoneAudience: 10, customControlGroups: ['G'], completeAfter: '10m' },
          },
          production: {
            provider: 'clevertap',
            region: 'in1',
            apiUrl: 'https://in1.api.clevertap.com',
            accountTimezone: 'Asia/Kolkata',
            credentials: { accountIdEnv: 'CT_ACCOUNT', passcodeEnv: 'CT_PASSCODE' },
            state: 'postgres://ci@db/campaignctl',
            limits: { concurrency: 2, createsPerSecond: 1 },
            vars: { region: 'IN', nested: { a: 1 } },
            quietHours: { start: '22:00', end: '07:00', timezone: 'Asia/Kolkata' },
          },
        },
      }),
    ).toEqual([]);
  });

  it('rejects unknown regions and providers, secrets in credentials and bad limits', () => {
    const env = (e: JsonObject): string[] => config({ environments: { prod: { provider: 'clevertap', ...e } } });
    expect(env({ region: 'eu2' })).toContain('/environments/prod/region must be equal to one of the allowed values');
    expect(env({ provider: 'mailchimp' })).toContain('/environments/prod/provider must be equal to one of the allowed values');
    expect(env({ credentials: { passcode: 'hunter2' } })).toContain('/environments/prod/credentials must NOT have additional properties');
    expect(env({ credentials: { passcodeEnv: 'not a name' } }).some((e) => e.startsWith('/environments/prod/credentials/passcodeEnv must match'))).toBe(true);
    expect(env({ limits: { concurrency: 10 } })).toContain('/environments/prod/limits/concurrency must be <= 3');
    expect(env({ quietHours: { start: '22h' , end: '07:00' } }).some((e) => e.startsWith('/environments/prod/quietHours/start must match'))).toBe(true);
    expect(config({ environments: { Prod: { provider: 'sandbox' } } }).length).toBeGreaterThan(0);
  });
});
