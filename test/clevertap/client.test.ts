/**
 * Every client operation against the emulator: success shapes, documented failures as one error
 * type, the envelope deciding over the HTTP code, and batching of identity sends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CleverTapError } from '../../src/clevertap/errors.js';
import { batchIdentities } from '../../src/clevertap/batch.js';
import { closeEmulators, emulator, pushCampaign } from '../sandbox/helpers.js';
import type { CampaignCreateBody } from '../../src/clevertap/wire.js';
import { clientFor, closeClients, rejection } from './helpers.js';

afterEach(async () => {
  closeClients();
  await closeEmulators();
});

const campaign = (o: Record<string, unknown> = {}) => pushCampaign(o) as CampaignCreateBody;

describe('operations', () => {
  it('create, estimate, list, stop and report', async () => {
    const h = await emulator({ completeAfterMs: 60_000 });
    const client = clientFor(h);
    const created = await client.createCampaign(campaign({ when: '20250701 12:30' }));
    expect(created.id).toBe(h.state.campaigns()[0]!.id);
    expect(created.estimates).toEqual(h.state.campaigns()[0]!.estimates);

    const estimated = await client.estimateCampaign(campaign({ skip_estimate: true }));
    expect(estimated.estimates).toEqual(created.estimates); // same query, same numbers
    expect(h.state.campaigns()).toHaveLength(1); // an estimate creates nothing
    expect(h.state.requests()[1]!.body).toMatchObject({ estimate_only: true });
    expect(h.state.requests()[1]!.body).not.toHaveProperty('skip_estimate');

    expect(await client.listCampaigns(20250701, 20250701)).toEqual([
      { id: created.id, name: 'cac:test:v1', status: 'pending', scheduledOn: 202507011230 },
    ]);
    expect(await client.campaignReport(created.id)).toEqual({ completed: false, message: "This target hasn't been completed" });
    h.state.markCompleted(created.id, { sent: 82, clicked: 28 });
    expect(await client.campaignReport(created.id)).toEqual({ completed: true, sent: 82, clicked: 28, result: { sent: 82, clicked: 28 } });

    const second = await client.createCampaign(campaign({ name: 'second', when: '20250702 08:00' }));
    await client.stopCampaign(second.id);
    await client.stopCampaign(second.id); // idempotent
    expect((await client.listCampaigns(20250702, 20250702)).map((c) => c.status)).toEqual(['stopped']);
  });

  it("a list as one answer: the digest of CleverTap's bytes, the same rows whether decoded at once or when asked", async () => {
    const h = await emulator({ completeAfterMs: 60_000 });
    const client = clientFor(h);
    const created = await client.createCampaign(campaign({ when: '20250701 12:30' }));
    const first = await client.listAnswer(20250701, 20250701);
    expect(first.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(first.rows()).toEqual(await client.listCampaigns(20250701, 20250701));
    // The same answer again, its digest known: the same digest, the rows decoded only now.
    const again = await client.listAnswer(20250701, 20250701, first.digest);
    expect(again.digest).toBe(first.digest);
    expect(again.rows()).toEqual(first.rows());
    expect(again.rows()).toBe(again.rows()); // decoded once
    // CleverTap says something else: another digest, whatever the caller knew, and the new rows.
    await client.stopCampaign(created.id);
    const stopped = await client.listAnswer(20250701, 20250701, first.digest);
    expect(stopped.digest).not.toBe(first.digest);
    expect(stopped.rows().map((c) => c.status)).toEqual(['stopped']);
    // A known answer's failure is still a failure: only a success is ever digested as known.
    await expect(client.listAnswer(20250799, 20250701, first.digest)).rejects.toBeInstanceOf(CleverTapError);
  });

  it('createCampaign never sends estimate_only, even if the body carries it', async () => {
    const h = await emulator();
    const client = clientFor(h);
    await client.createCampaign({ ...campaign(), estimate_only: true });
    expect(h.state.campaigns()).toHaveLength(1);
    expect(h.state.requests()[0]!.body).not.toHaveProperty('estimate_only');
  });

  it('identity sends, external triggers and business events', async () => {
    const h = await emulator({ externalTriggers: ['1695721550'], businessEvents: ['Program Released'] });
    const client = clientFor(h);
    expect(await client.sendToIdentities('sms', { to: { Identity: ['u1'] }, content: { body: 'Shipped' } })).toEqual({
      message: 'Added to queue for processing',
    });
    expect(await client.externalTrigger({ to: { email: ['jane@example.com'] }, campaign_id: '1695721550', ExternalTrigger: { Name: 'Jane' } })).toEqual({
      message: 'Added to queue for processing',
    });
    expect(
      await client.raiseBusinessEvent({ business_event: 'Program Released', name: 'Ep 12', properties: { program_id: '1' }, 'c-by': 'a@example.com', when: 'now' }),
    ).toEqual({ message: undefined });
    expect(h.state.sends().map((s) => s.endpoint)).toEqual(['/1/send/sms.json', '/1/send/externaltrigger.json', '/1/targets/trigger.json']);
    const headers = h.state.requests()[0]!.headers;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-clevertap-account-id']).toBe('TEST-ACCT-0001');
    expect(headers.connection).toBe('keep-alive');
  });

  it('2,500 identities go out as 3 calls of at most 1,000', async () => {
    const h = await emulator();
    const client = clientFor(h);
    const to = { Identity: ids('i', 1800), Email: ids('e', 700) };
    const batches = batchIdentities(to, 1000);
    for (const batch of batches) await client.sendToIdentities('sms', { to: batch, content: { body: 'hi' } });
    const sent = h.state.sends();
    expect(sent.map((s) => s.identities)).toEqual([1000, 1000, 500]);
    const all = sent.flatMap((s) => {
      const b = s.body as { to: Record<string, string[]> };
      return [...(b.to.Identity ?? []), ...(b.to.Email ?? [])];
    });
    expect(all).toEqual([...to.Identity, ...to.Email]);
  });

  it('refuses more than 1,000 identities in one call before sending anything', async () => {
    const h = await emulator();
    const client = clientFor(h);
    await expect(client.sendToIdentities('sms', { to: { Identity: ids('i', 1001) }, content: { body: 'x' } })).rejects.toThrow(RangeError);
    expect(h.state.requests()).toHaveLength(0);
  });
});

describe('failures', () => {
  it('a validation failure is one CleverTapError with the endpoint, status, code and text', async () => {
    const h = await emulator();
    const client = clientFor(h);
    const err = await rejection<CleverTapError>(client.createCampaign(campaign({ content: { title: 't', body: 'b' } })));
    expect(err).toBeInstanceOf(CleverTapError);
    expect(err.toJSON()).toEqual({
      message: 'CleverTap /1/targets/create.json: Notification channel is required for devices having Android 8.0 or above (HTTP 400, code 9)',
      endpoint: '/1/targets/create.json',
      family: 'create',
      kind: 'fail',
      httpStatus: 400,
      code: 9,
      error: 'Notification channel is required for devices having Android 8.0 or above',
      retryable: false,
      ambiguous: false,
      attempts: 1,
    });
  });

  it('each documented failure surfaces with CleverTap\'s text', async () => {
    const h = await emulator();
    const client = clientFor(h);
    const texts = async (p: Promise<unknown>) => (await rejection<CleverTapError>(p)).error;
    expect(await texts(client.createCampaign({ ...campaign(), name: '' }))).toBe('Field name is empty');
    expect(await texts(client.createCampaign({ ...campaign(), when: '' }))).toBe('Field when is empty');
    expect(await texts(client.estimateCampaign({ ...campaign(), where: { from: 20250702, to: 20250701 } }))).toBe(
      'Query parse failure - The from date cannot be after the to date',
    );
    expect(await texts(client.stopCampaign(1234567890))).toBe('Campaign with id 1234567890 not found');
    expect(await texts(client.sendToIdentities('push', { to: { Identity: ['u'] }, content: { body: 'b' } }))).toBe('Field title is empty (inside content)');
    expect(await texts(client.externalTrigger({ to: { identity: ['u'] }, campaign_id: 5, ExternalTrigger: {} }))).toBe(
      'Campaign 5 is not an External Trigger campaign',
    );
    expect(await texts(client.raiseBusinessEvent({ business_event: 'Nope', name: 'n', properties: {}, 'c-by': 'a@b.c', when: 'now' }))).toBe(
      'Business event Nope is not defined',
    );
    expect(h.state.requests()).toHaveLength(7); // failures are final: no retries
  });

  it('status "fail" is a failure even with HTTP 200', async () => {
    const h = await emulator({ validationHttpStatus: 200 });
    const client = clientFor(h);
    const err = await rejection<CleverTapError>(client.createCampaign({ ...campaign(), name: '' }));
    expect(err).toMatchObject({ kind: 'fail', httpStatus: 200, error: 'Field name is empty', retryable: false, ambiguous: false });
    const report = await rejection<CleverTapError>(client.campaignReport(42));
    expect(report).toMatchObject({ kind: 'fail', httpStatus: 200 });
    expect(h.state.campaigns()).toHaveLength(0);
  });

  it('401: wrong credentials are an auth error, not retried', async () => {
    const h = await emulator();
    const client = clientFor(h, { passcode: 'not-the-passcode' });
    const err = await rejection<CleverTapError>(client.listCampaigns(20250101, 20250101));
    expect(err).toMatchObject({ kind: 'auth', httpStatus: 401, code: 401, error: 'Invalid Account ID or Passcode', retryable: false, ambiguous: false, attempts: 1 });
  });
});

function ids(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
}
