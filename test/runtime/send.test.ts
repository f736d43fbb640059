/**
 * sendMessage and fireTrigger end to end against the emulator: exact request bodies per endpoint,
 * batching, contract violations that send nothing, 429 storms, ambiguous batches never resent,
 * dry runs, and the audit record (identities only when asked).
 */
import { describe, expect, it } from 'vitest';
import type { ExternalTriggerResource, MessageResource } from '../../src/model/specs.js';
import { fireTrigger, sendMessage, prepareMessage, requestBody } from '../../src/runtime/index.js';
import { TRIGGER_ID, ids, useFixtures } from './fixture.js';

const setup = useFixtures();

const DATA = { orderId: 'SN-104233', carrier: 'DHL' };

describe('sendMessage', () => {
  it('sends the exact body the API documents: capitalised `to` keys, rendered content, Liquid kept', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    const result = await sendMessage(f.ctx, { message, to: { Identity: ['user-42'], Email: ['a@example.com'] }, data: DATA });
    expect(result.status).toBe('done');
    const requests = f.sandbox.state.requests();
    expect(requests.map((r) => r.path)).toEqual(['/1/send/push.json']);
    expect(requests[0]!.body).toEqual({
      to: { Identity: ['user-42'], Email: ['a@example.com'] },
      content: {
        title: 'Order SN-104233 is on its way',
        body: 'Hi {{ Profile.name | default: "there" }}: your ShopNest order SN-104233 shipped with DHL.',
        platform_specific: { android: { wzrk_cid: 'orders' } },
      },
      tag_group: 'transactional-orders',
      respect_frequency_caps: false,
    });
    expect(requests[0]!.response?.status).toBe(200);
    if (result.status !== 'done') return;
    expect(result.report).toMatchObject({ identities: 2, calls: 1, sent: 2, failed: 0, unknown: 0, outcome: 'succeeded' });
  });

  it('email goes to /1/send/email.json with its provider', async () => {
    const f = await setup();
    const message = f.resource('message.receipt') as MessageResource;
    const result = await sendMessage(f.ctx, { message, to: { Email: ['a@example.com'] }, data: { orderId: 'A1' } });
    expect(result.status).toBe('done');
    const [req] = f.sandbox.state.requests();
    expect(req!.path).toBe('/1/send/email.json');
    expect(req!.body).toEqual({
      to: { Email: ['a@example.com'] },
      content: { subject: 'Your receipt A1', body: '<p>Thanks for shopping at ShopNest</p>', sender_name: 'ShopNest' },
      provider_nick_name: 'ses',
    });
  });

  it('2,500 identities go out as 3 calls of 1000, 1000 and 500, all keys counted together', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    const to = { Identity: ids(2000), Email: ids(500, 'mail-').map((x) => `${x}@example.com`) };
    const result = await sendMessage(f.ctx, { message, to, data: DATA });
    const bodies = f.sandbox.state.requests().map((r) => r.body as { to: Record<string, string[]> });
    const sizes = bodies.map((b) => Object.values(b.to).reduce((n, l) => n + l.length, 0)).sort((a, b) => b - a);
    expect(sizes).toEqual([1000, 1000, 500]);
    // every id exactly once, across the calls
    const sent = bodies.flatMap((b) => [...(b.to.Identity ?? []), ...(b.to.Email ?? [])]);
    expect(new Set(sent).size).toBe(2500);
    expect(sent).toHaveLength(2500);
    expect(result.status === 'done' && result.report).toMatchObject({ calls: 3, sent: 2500, failed: 0, unknown: 0 });
    expect(f.sandbox.state.sends()).toHaveLength(3);
  });

  it('a contract violation names the field and the rule, and nothing reaches the emulator', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    const result = await sendMessage(f.ctx, {
      message,
      to: { Identity: ['user-1'] },
      data: { orderId: 'X-1', carrier: 'FedEx', items: 0, extra: 'x' },
    });
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    const messages = result.diagnostics.map((d) => d.message).join('\n');
    expect(result.diagnostics.every((d) => d.code === 'render.data-invalid' || d.severity === 'warning')).toBe(true);
    expect(messages).toContain('orderId');
    expect(messages).toContain('carrier');
    expect(messages).toContain('items');
    expect(messages).toContain('extra');
    expect(f.sandbox.state.requests()).toHaveLength(0);
    expect(await f.store.audit.list()).toHaveLength(0);
  });

  it('a missing required field is an error before sending', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    const result = await sendMessage(f.ctx, { message, to: { Identity: ['user-1'] }, data: { orderId: 'SN-123456' } });
    expect(result.status).toBe('invalid');
    if (result.status === 'invalid') expect(result.diagnostics.map((d) => d.message).join()).toContain('carrier');
    expect(f.sandbox.state.requests()).toHaveLength(0);
  });

  it('no recipients is an error, not an empty success', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    const result = await sendMessage(f.ctx, { message, to: {}, data: DATA });
    expect(result.status).toBe('invalid');
    if (result.status === 'invalid') expect(result.diagnostics.map((d) => d.code)).toContain('runtime.no-recipients');
    expect(f.sandbox.state.requests()).toHaveLength(0);
  });

  it('a 429 storm converges: every identity sent once, never more than 3 in flight', async () => {
    const f = await setup({ sandbox: { faults: '429:0.4', seed: 7, latencyMs: [2, 10] } });
    const message = f.resource('message.order-shipped') as MessageResource;
    const result = await sendMessage(f.ctx, { message, to: { Identity: ids(6000) }, data: DATA });
    expect(result.status === 'done' && result.report).toMatchObject({ calls: 6, sent: 6000, failed: 0, unknown: 0, outcome: 'succeeded' });
    const requests = f.sandbox.state.requests();
    expect(requests.some((r) => r.response?.status === 429)).toBe(true);
    expect(f.sandbox.state.sends()).toHaveLength(6); // accepted exactly once each
    expect(f.sandbox.state.concurrency().peak.send).toBeLessThanOrEqual(3);
  });

  it('drop-after-commit makes that batch unknown: reported with its ids, never sent again', async () => {
    const f = await setup();
    f.sandbox.state.injectFaults([{ fault: 'drop-after-commit', family: 'send', count: 1 }]);
    const message = f.resource('message.order-shipped') as MessageResource;
    const all = ids(2500);
    const result = await sendMessage(f.ctx, { message, to: { Identity: all }, data: DATA });
    expect(result.status).toBe('done');
    if (result.status !== 'done') return;
    const r = result.report;
    expect(r).toMatchObject({ calls: 3, unknown: 1000, failed: 0, sent: 1500, outcome: 'unknown' });
    // the first request to arrive took the fault; its ids are the unknown ones
    const dropped = f.sandbox.state.requests().find((e) => e.fault === 'drop-after-commit')!;
    expect(r.unknownRecipients.Identity).toEqual((dropped.body as { to: { Identity: string[] } }).to.Identity);
    expect(f.sandbox.state.requests()).toHaveLength(3); // no resend
    expect(f.sandbox.state.sends()).toHaveLength(3); // it did land
    const batch = r.batches.find((b) => b.status === 'unknown')!;
    expect(batch.failure).toMatchObject({ kind: 'network', httpStatus: null });
  });

  it('a definite failure reports the batch as failed with its identities, safe to resend', async () => {
    const f = await setup();
    // the client tries 5 times: the first batch (sent alone) takes all five 429s
    f.sandbox.state.injectFaults([{ fault: '429', family: 'send', count: 5 }]);
    const message = f.resource('message.order-shipped') as MessageResource;
    const result = await sendMessage({ ...f.ctx, parallel: 1 }, { message, to: { Identity: ids(1500) }, data: DATA });
    expect(result.status).toBe('done');
    if (result.status !== 'done') return;
    expect(result.report).toMatchObject({ failed: 1000, sent: 500, unknown: 0, outcome: 'failed' });
    expect(result.report.failedRecipients.Identity).toHaveLength(1000);
    expect(result.report.batches.find((b) => b.status === 'failed')!.failure).toMatchObject({ kind: 'rate-limited', httpStatus: 429 });
  });

  it('authentication refused stops the send: later batches are not attempted and count as failed', async () => {
    const f = await setup({ client: { passcode: 'wrong-passcode' } });
    const message = f.resource('message.order-shipped') as MessageResource;
    const result = await sendMessage({ ...f.ctx, parallel: 1 }, { message, to: { Identity: ids(3000) }, data: DATA });
    expect(result.status === 'done' && result.report).toMatchObject({ calls: 1, failed: 3000, sent: 0 });
    expect(f.sandbox.state.requests()).toHaveLength(1);
    if (result.status === 'done') expect(result.report.batches[2]!.failure!.kind).toBe('not-attempted');
  });

  it('dry run renders every call and sends nothing, records nothing', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    const result = await sendMessage(f.ctx, { message, to: { Identity: ids(1001) }, data: DATA, dryRun: true });
    expect(result.status).toBe('dry-run');
    expect(result.prepared.batches.map((b) => b.count)).toEqual([1000, 1]);
    expect(requestBody(result.prepared, result.prepared.batches[1]!)).toMatchObject({ to: { Identity: ['user-01001'] }, tag_group: 'transactional-orders' });
    expect(f.sandbox.state.requests()).toHaveLength(0);
    expect(await f.store.audit.list()).toHaveLength(0);
  });

  it('records the send in the audit history with counts and commit, without identities by default', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    await sendMessage(f.ctx, { message, to: { Identity: ['user-1', 'user-2'] }, data: DATA });
    const [entry] = await f.store.audit.list();
    expect(entry).toMatchObject({
      command: 'send',
      address: 'message.order-shipped',
      action: 'send',
      outcome: 'succeeded',
      commit: 'c0ffee0000000000000000000000000000000000',
      detail: { channel: 'push', identities: 2, calls: 1, sent: 2, failed: 0, unknown: 0 },
    });
    expect(JSON.stringify(entry)).not.toContain('user-1');
  });

  it('--record-identities keeps them in the record', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    await sendMessage(f.ctx, { message, to: { Identity: ['user-1'] }, data: DATA, recordIdentities: true });
    const [entry] = await f.store.audit.list();
    expect(entry!.detail).toMatchObject({ recipients: { sent: { Identity: ['user-1'] } } });
  });

  it('the prepared body is the same one the emulator receives', async () => {
    const f = await setup();
    const message = f.resource('message.order-shipped') as MessageResource;
    const prepared = prepareMessage(f.ctx.render, message, { to: { GPID: ['g-1'] }, data: DATA });
    await sendMessage(f.ctx, { message, to: { GPID: ['g-1'] }, data: DATA });
    expect(f.sandbox.state.requests()[0]!.body).toEqual(requestBody(prepared, prepared.batches[0]!));
  });
});

describe('fireTrigger', () => {
  it('sends lower-case `to` keys, the campaign_id from YAML and the payload as ExternalTrigger', async () => {
    const f = await setup();
    const trigger = f.resource('trigger.subscription-upgraded') as ExternalTriggerResource;
    const result = await fireTrigger(f.ctx, {
      trigger,
      to: { Email: ['jane@example.com'], Identity: ['u-1'], objectId: ['__g1'] },
      data: { plan: 'Premium', renewsOn: '2027-01-31' },
    });
    expect(result.status).toBe('done');
    const [req] = f.sandbox.state.requests();
    expect(req!.path).toBe('/1/send/externaltrigger.json');
    expect(req!.body).toEqual({
      to: { identity: ['u-1'], email: ['jane@example.com'], objectId: ['__g1'] },
      campaign_id: TRIGGER_ID,
      ExternalTrigger: { plan: 'Premium', renewsOn: '2027-01-31' },
    });
    expect(req!.response?.status).toBe(200);
  });

  it('refuses FBID/GPID (External Trigger has no such keys) and a payload outside the contract', async () => {
    const f = await setup();
    const trigger = f.resource('trigger.subscription-upgraded') as ExternalTriggerResource;
    const result = await fireTrigger(f.ctx, { trigger, to: { FBID: ['fb-1'] }, data: { plan: 'Gold', renewsOn: 'soon' } });
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    const codes = result.diagnostics.map((d) => d.code);
    expect(codes).toContain('runtime.identity-key');
    expect(result.diagnostics.filter((d) => d.code === 'render.data-invalid').map((d) => d.message).join('\n')).toMatch(/plan[\s\S]*renewsOn|renewsOn[\s\S]*plan/);
    expect(f.sandbox.state.requests()).toHaveLength(0);
  });

  it('batches 2,500 ids into 3 calls', async () => {
    const f = await setup();
    const trigger = f.resource('trigger.subscription-upgraded') as ExternalTriggerResource;
    const result = await fireTrigger(f.ctx, { trigger, to: { Email: ids(2500).map((x) => `${x}@e.com`) }, data: { plan: 'Standard' } });
    expect(result.status === 'done' && result.report).toMatchObject({ calls: 3, sent: 2500, outcome: 'succeeded' });
    expect(f.sandbox.state.requests().map((r) => (r.body as { to: { email: string[] } }).to.email.length).sort()).toEqual([1000, 1000, 500]);
    const [entry] = await f.store.audit.list();
    expect(entry).toMatchObject({ action: 'trigger', address: 'trigger.subscription-upgraded', detail: { channel: 'externaltrigger', calls: 3 } });
  });
});
