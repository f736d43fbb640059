/**
 * The emulator's validation contract (clevertap-api.md §12): each message, the order in which
 * checks run (first failure answers), and the success shapes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT, PASSCODE, closeEmulators, emulator, post, pushCampaign, without } from './helpers.js';

afterEach(closeEmulators);

const CREATE = '/1/targets/create.json';

describe('targets/create.json validation', () => {
  const cases: [string, Record<string, unknown>, string, number?][] = [
    ['no name', without(pushCampaign(), 'name'), 'Field name is empty'],
    ['blank name', pushCampaign({ name: '  ' }), 'Field name is empty'],
    ['no when', without(pushCampaign(), 'when'), 'Field when is empty'],
    ['no where', without(pushCampaign(), 'where'), 'Query specified in where failed to parse'],
    ['where not an object', pushCampaign({ where: 'everyone' }), 'Query specified in where failed to parse'],
    ['where.from not YYYYMMDD', pushCampaign({ where: { event_name: 'A', from: '2025-06-01', to: 20250630 } }), 'Query specified in where failed to parse'],
    ['from after to', pushCampaign({ where: { event_name: 'A', from: 20250701, to: 20250630 } }), 'Query parse failure - The from date cannot be after the to date'],
    ['push without title', pushCampaign({ content: { body: 'b' } }), 'Field title is empty (inside content)'],
    ['push without body', pushCampaign({ content: { title: 't' } }), 'Field body is empty (inside content)'],
    ['no target_mode means push', without(pushCampaign({ content: { subject: 's', body: 'b', sender_name: 'n' } }), 'target_mode'), 'Field title is empty (inside content)'],
    ['webpush without title', pushCampaign({ target_mode: 'webpush', content: { body: 'b' } }), 'Field title is empty (inside content)'],
    ['email without subject', pushCampaign({ target_mode: 'email', content: { body: 'b', sender_name: 'n' } }), 'Field subject is empty (inside content)'],
    ['email without body', pushCampaign({ target_mode: 'email', content: { subject: 's', sender_name: 'n' } }), 'Field body is empty (inside content)'],
    ['email without sender_name', pushCampaign({ target_mode: 'email', content: { subject: 's', body: 'b' } }), 'Field sender_name is empty (inside content)'],
    ['sms without body', pushCampaign({ target_mode: 'sms', content: {} }), 'Field body is empty (inside content)'],
    ['android device without channel', pushCampaign({ content: { title: 't', body: 'b' } }), 'Notification channel is required for devices having Android 8.0 or above', 9],
    ['unknown custom control group', pushCampaign({ control_group: { type: 'custom', name: 'Holdout' } }), 'No custom control group with name Holdout is defined'],
    // ordering: the earlier check answers when two fail
    ['no name and no when', without(pushCampaign(), 'name', 'when'), 'Field name is empty'],
    ['no when and no where', without(pushCampaign(), 'when', 'where'), 'Field when is empty'],
    ['no where and no content', without(pushCampaign(), 'where', 'content'), 'Query specified in where failed to parse'],
    ['from after to and no title', pushCampaign({ where: { from: 20250702, to: 20250701 }, content: {} }), 'Query parse failure - The from date cannot be after the to date'],
    ['no title and no android channel', pushCampaign({ content: { body: 'b' } }), 'Field title is empty (inside content)'],
    ['no channel and unknown control group', pushCampaign({ content: { title: 't', body: 'b' }, control_group: { type: 'custom', name: 'X' } }), 'Notification channel is required for devices having Android 8.0 or above', 9],
  ];

  it.each(cases)('%s', async (_label, body, error, code) => {
    const h = await emulator();
    const answer = await post(h, CREATE, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(code === undefined ? { status: 'fail', error } : { status: 'fail', error, code });
    expect(h.state.campaigns()).toHaveLength(0);
  });

  it('accepts the variants the docs allow', async () => {
    const h = await emulator({ controlGroups: ['Holdout'] });
    const ok = [
      pushCampaign({ devices: ['ios'], content: { title: 't', body: 'b' } }), // no android: no channel needed
      pushCampaign({ content: { title: 't', body: 'b' }, wzrk_cid: 'top-level' }), // channel at the top level
      pushCampaign({ control_group: { type: 'custom', name: 'Holdout' } }),
      pushCampaign({ control_group: { type: 'campaign', percentage: 10 } }),
      without(pushCampaign({ segment: 'all' }), 'where'),
      pushCampaign({ where: {} }),
      pushCampaign({ target_mode: 'sms', content: { body: 'b' } }),
      pushCampaign({ target_mode: 'email', content: { subject: 's', body: 'b', sender_name: 'n' } }),
      pushCampaign({ when: '20250710 18:30' }),
      pushCampaign({ when: { type: 'later', delivery_date_time: ['20250717 15:20'], delivery_timezone: 'user' } }),
    ];
    for (const body of ok) {
      const answer = await post(h, CREATE, body);
      expect(answer.body.status, JSON.stringify(answer.body)).toBe('success');
    }
    expect(h.state.campaigns()).toHaveLength(ok.length);
  });

  it('refuses Liquid in push when the account lacks the beta', async () => {
    const h = await emulator({ liquidInCampaigns: false });
    const answer = await post(h, CREATE, pushCampaign({ content: { title: 'Hi {{ Profile.name | default: "there" }}', body: 'b', platform_specific: { android: { wzrk_cid: 'c' } } } }));
    expect(answer.body.error).toBe('Invalid syntax for title field. Rectify and try again. Read more: https://developer.clevertap.com/docs/create-campaign-api');
  });

  it('answers with a 10-digit integer id and per-device estimates; none of them for estimate_only', async () => {
    const h = await emulator();
    const created = await post(h, CREATE, pushCampaign());
    expect(created.status).toBe(200);
    expect(created.body.status).toBe('success');
    expect(String(created.body.id)).toMatch(/^\d{10}$/);
    expect(Object.keys(created.body.estimates as object).sort()).toEqual(['android', 'ios']);
    const estimate = await post(h, CREATE, pushCampaign({ estimate_only: true }));
    expect(estimate.body).toEqual({ status: 'success', estimates: created.body.estimates });
    const skipped = await post(h, CREATE, pushCampaign({ skip_estimate: true }));
    expect(skipped.body.estimates).toEqual({});
    expect(typeof skipped.body.id).toBe('number');
    expect(h.state.campaigns()).toHaveLength(2);
  });
});

describe('other endpoints', () => {
  it('list needs YYYYMMDD integers', async () => {
    const h = await emulator();
    expect((await post(h, '/1/targets/list.json', { from: 20250701 })).body).toEqual({
      status: 'fail',
      error: 'campaignctl sandbox: fields from and to are required as YYYYMMDD integers (clevertap-api.md §4)',
      code: 400,
    });
    expect((await post(h, '/1/targets/list.json', { from: 20250702, to: 20250701 })).body.error).toBe(
      'Query parse failure - The from date cannot be after the to date',
    );
    expect((await post(h, '/1/targets/list.json', { from: 20250701, to: 20250701 })).body).toEqual({ status: 'success', targets: [] });
  });

  it('stop and result need a known positive id', async () => {
    const h = await emulator();
    for (const path of ['/1/targets/stop.json', '/1/targets/result.json']) {
      expect((await post(h, path, { id: -5 })).body.error).toBe('Field id must be a positive integer');
      expect((await post(h, path, { id: 'abc' })).body.error).toBe('Field id must be a positive integer');
      expect((await post(h, path, { id: 1234567890 })).body).toEqual({ status: 'fail', error: 'Campaign with id 1234567890 not found', code: 400 });
    }
  });

  it('identity sends check recipients, the limit, content and the Android channel', async () => {
    const h = await emulator();
    const sms = { to: { Identity: ['u1'] }, content: { body: 'hi' } };
    const cases: [string, string, unknown, string, number?][] = [
      ['no to', 'sms', { content: { body: 'b' } }, 'Invalid recipients', 84],
      ['unknown key', 'sms', { to: { Phone: ['1'] }, content: { body: 'b' } }, 'Invalid recipients', 84],
      ['lower-case key', 'sms', { to: { identity: ['1'] }, content: { body: 'b' } }, 'Invalid recipients', 84],
      ['no ids', 'sms', { to: { Identity: [] }, content: { body: 'b' } }, 'Invalid recipients', 84],
      ['1001 ids over two keys', 'sms', { to: { Identity: ids(600), Email: ids(401) }, content: { body: 'b' } }, 'Too many recipients: at most 1000 identities per request', 84],
      ['push without title', 'push', { to: { Identity: ['u'] }, content: { body: 'b' } }, 'Field title is empty (inside content)', 400],
      ['push without channel', 'push', { to: { Identity: ['u'] }, content: { title: 't', body: 'b' } }, 'Notification channel is required for devices having Android 8.0 or above', 9],
      ['email without subject', 'email', { to: { Email: ['a@b.c'] }, content: { body: 'b', sender_name: 'n' } }, 'Field subject is empty (inside content)', 400],
      ['webpush without body', 'webpush', { to: { Identity: ['u'] }, content: { title: 't' } }, 'Field body is empty (inside content)', 400],
    ];
    for (const [label, channel, body, error, code] of cases) {
      const answer = await post(h, `/1/send/${channel}.json`, body);
      expect(answer, label).toEqual({ status: 400, body: { status: 'fail', error, code } });
    }
    expect(h.state.sends()).toHaveLength(0);
    const thousand = await post(h, '/1/send/sms.json', { to: { Identity: ids(999), Email: ['a@b.c'] }, content: { body: 'hi' } });
    expect(thousand.body).toEqual({ status: 'success', message: 'Added to queue for processing' });
    expect((await post(h, '/1/send/push.json', { ...sms, content: { title: 't', body: 'b' }, wzrk_cid: 'c' })).body.status).toBe('success');
    expect((await post(h, '/1/send/whatsapp.json', { to: { Identity: ['u'] }, content: { template_name: 'x' } })).body.status).toBe('success');
    expect(h.state.sends().map((s) => [s.endpoint, s.identities])).toEqual([
      ['/1/send/sms.json', 1000],
      ['/1/send/push.json', 1],
      ['/1/send/whatsapp.json', 1],
    ]);
  });

  it('external trigger needs recipients, a registered dashboard campaign and the ExternalTrigger object', async () => {
    const h = await emulator({ externalTriggers: [1695721550] });
    const good = { to: { email: ['jane@example.com'] }, campaign_id: '1695721550', ExternalTrigger: { Name: 'Jane' } };
    const path = '/1/send/externaltrigger.json';
    expect((await post(h, path, { ...good, to: { Email: ['x'] } })).body).toEqual({ status: 'fail', error: 'Invalid recipients', code: 84 });
    expect((await post(h, path, without(good, 'campaign_id'))).body.error).toBe('Field campaign_id is empty');
    expect((await post(h, path, { ...good, campaign_id: 42 })).body.error).toBe('Campaign 42 is not an External Trigger campaign');
    expect((await post(h, path, without(good, 'ExternalTrigger'))).body.error).toBe('Field ExternalTrigger is empty');
    expect((await post(h, path, good)).body.status).toBe('success');
    expect((await post(h, path, { ...good, campaign_id: 1695721550 })).body.status).toBe('success');
    // registered later through the control API, as a dashboard user would publish one
    h.state.registerExternalTriggers([42]);
    expect((await post(h, path, { ...good, campaign_id: 42 })).body.status).toBe('success');
    expect(h.state.sends()).toHaveLength(3);
  });

  it('the /2 external trigger also needs the token header and at most 5 campaigns', async () => {
    const h = await emulator({ externalTriggers: [1, 2, 3, 4, 5, 6] });
    const body = { to: { identity: ['u'] }, campaign_id_list: [1, 2], ExternalTrigger: {} };
    const auth = { 'X-CleverTap-Account-Id': ACCOUNT, 'X-CleverTap-Passcode': PASSCODE };
    expect(await post(h, '/2/send/externaltrigger.json', body, auth)).toEqual({
      status: 401,
      body: { status: 'fail', error: 'X-CleverTap-Token header is required', code: 401 },
    });
    const withToken = { ...auth, 'X-CleverTap-Token': 'tok' };
    expect((await post(h, '/2/send/externaltrigger.json', { ...body, campaign_id_list: [1, 2, 3, 4, 5, 6] }, withToken)).body.error).toBe(
      'Field campaign_id_list must hold 1 to 5 campaign ids',
    );
    expect((await post(h, '/2/send/externaltrigger.json', body, withToken)).body.status).toBe('success');
    expect(JSON.stringify(h.state.requests())).not.toContain('"tok"');
  });

  it('raising a business event checks each field in order', async () => {
    const h = await emulator({ businessEvents: ['Program Released'] });
    const good = { business_event: 'Program Released', name: 'Ep 12', properties: { program_id: '234567' }, 'c-by': 'admin@example.com', when: 'now' };
    const path = '/1/targets/trigger.json';
    const cases: [Record<string, unknown>, string][] = [
      [without(good, 'business_event'), 'Field business_event is empty'],
      [{ ...good, business_event: 'Album Released' }, 'Business event Album Released is not defined'],
      [without(good, 'name'), 'Field name is empty'],
      [{ ...good, properties: ['a'] }, 'Field properties must be an object of strings'],
      [{ ...good, properties: { program_id: 234567 } }, 'Property program_id must be a string'],
      [{ ...good, properties: { ['k'.repeat(121)]: 'v' } }, `Property key ${'k'.repeat(20)}... exceeds 120 characters`],
      [{ ...good, properties: { big: 'é'.repeat(257) } }, 'Property big exceeds 512 bytes'],
      [without(good, 'c-by'), 'Field c-by is empty'],
      [without(good, 'when'), 'Field when is empty'],
      [{ ...good, when: 'tomorrow' }, 'Field when is invalid'],
    ];
    for (const [body, error] of cases) expect((await post(h, path, body)).body, error).toEqual({ status: 'fail', error, code: 400 });
    expect((await post(h, path, good)).body).toEqual({ status: 'success' });
    expect((await post(h, path, { ...good, when: 1752000000 })).body).toEqual({ status: 'success' });
    expect(h.state.sends().map((s) => s.kind)).toEqual(['raise', 'raise']);
  });
});

describe('HTTP level', () => {
  it('needs both auth headers and the right values: 401 with the failure envelope', async () => {
    const h = await emulator();
    const envelope = { status: 401, body: { status: 'fail', error: 'Invalid Account ID or Passcode', code: 401 } };
    expect(await post(h, '/1/targets/list.json', { from: 20250101, to: 20250101 }, { 'X-CleverTap-Account-Id': ACCOUNT })).toEqual(envelope);
    expect(await post(h, '/1/targets/list.json', { from: 20250101, to: 20250101 }, { 'X-CleverTap-Passcode': PASSCODE })).toEqual(envelope);
    expect(
      await post(h, '/1/targets/list.json', { from: 20250101, to: 20250101 }, { 'X-CleverTap-Account-Id': ACCOUNT, 'X-CleverTap-Passcode': 'wrong' }),
    ).toEqual(envelope);
    expect(
      await post(h, '/1/targets/list.json', { from: 20250101, to: 20250101 }, { 'X-CleverTap-Account-Id': 'OTHER', 'X-CleverTap-Passcode': PASSCODE }),
    ).toEqual(envelope);
  });

  it('answers unknown paths, other methods and malformed JSON with the failure envelope', async () => {
    const h = await emulator();
    expect(await post(h, '/1/targets/edit.json', {})).toEqual({ status: 404, body: { status: 'fail', error: 'Not found', code: 404 } });
    const get = await fetch(h.url + '/1/targets/list.json');
    expect(get.status).toBe(405);
    expect(await post(h, '/1/targets/create.json', '{"name": ')).toEqual({ status: 400, body: { status: 'fail', error: 'Malformed request', code: 400 } });
    expect(await post(h, '/1/targets/create.json', '[1,2]')).toEqual({ status: 400, body: { status: 'fail', error: 'Malformed request', code: 400 } });
  });

  it('can answer validation failures with HTTP 200 (the status code is unverified)', async () => {
    const h = await emulator({ validationHttpStatus: 200 });
    expect(await post(h, '/1/targets/create.json', without(pushCampaign(), 'name'))).toEqual({
      status: 200,
      body: { status: 'fail', error: 'Field name is empty' },
    });
  });
});

function ids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `id-${i}`);
}
