/**
 * POST /hooks/github in-process: the signature over the raw bytes decides whether anything
 * happens; only a push to the followed branch asks for a fetch. Every answer is counted.
 */
import { describe, expect, it } from 'vitest';
import { githubSignature } from '../../src/daemon/http/webhook-signature.js';
import { createHmac } from 'node:crypto';
import { openIntake, SECRET } from './intake-helpers.js';

const PUSH = JSON.stringify({ ref: 'refs/heads/main', after: 'a'.repeat(40), repository: { full_name: 'shop/campaigns' } });

function hook(body: string, headers: Record<string, string>) {
  return { method: 'POST' as const, url: '/hooks/github', headers: { 'content-type': 'application/json', ...headers }, payload: body };
}

async function webhookCounts(t: Awaited<ReturnType<typeof openIntake>>): Promise<Record<string, number>> {
  const got = await t.services.metrics.webhookRequestsTotal.get();
  return Object.fromEntries(got.values.map((v) => [String(v.labels.result), v.value]));
}

describe('POST /hooks/github', () => {
  it('a signed push to the followed branch: 202 at once and one fetch asked for', async () => {
    const t = await openIntake({ branch: 'main' });
    // Signed over these exact bytes: whitespace a JSON re-serialisation would drop is part of them.
    const raw = PUSH.replace('{', '{ ');
    const res = await t.app.inject(hook(raw, { 'x-github-event': 'push', 'x-hub-signature-256': githubSignature(raw, SECRET) }));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true, event: 'push', action: 'fetch' });
    expect(t.fetches).toBe(1);
    expect(await webhookCounts(t)).toEqual({ accepted: 1 });
  });

  it('GitHub\'s form encoding (payload=...) is read too', async () => {
    const t = await openIntake({ branch: 'main' });
    const raw = new URLSearchParams({ payload: PUSH }).toString();
    const res = await t.app.inject({ ...hook(raw, { 'x-github-event': 'push', 'x-hub-signature-256': githubSignature(raw, SECRET) }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'push', 'x-hub-signature-256': githubSignature(raw, SECRET) } });
    expect(res.statusCode).toBe(202);
    expect(t.fetches).toBe(1);
  });

  it.each([
    ['no signature', {}],
    ['a signature with another secret', { 'x-hub-signature-256': githubSignature(PUSH, 'another-secret') }],
    ['a signature of other bytes', { 'x-hub-signature-256': githubSignature(PUSH + ' ', SECRET) }],
    ['a truncated signature', { 'x-hub-signature-256': githubSignature(PUSH, SECRET).slice(0, 40) }],
    ['only the SHA-1 signature, correct', { 'x-hub-signature': `sha1=${createHmac('sha1', SECRET).update(PUSH).digest('hex')}` }],
  ])('%s: 401 and nothing happens', async (_name, headers) => {
    const t = await openIntake({ branch: 'main' });
    const res = await t.app.inject(hook(PUSH, { 'x-github-event': 'push', ...headers }));
    expect(res.statusCode).toBe(401);
    expect(t.fetches).toBe(0);
    expect(res.body).not.toContain(SECRET);
    expect(await webhookCounts(t)).toEqual({ unauthorized: 1 });
  });

  it('the SHA-1 refusal says which header to configure', async () => {
    const t = await openIntake();
    const res = await t.app.inject(hook(PUSH, { 'x-github-event': 'push', 'x-hub-signature': `sha1=${createHmac('sha1', SECRET).update(PUSH).digest('hex')}` }));
    expect(res.json<{ message: string }>().message).toMatch(/X-Hub-Signature-256/);
  });

  it.each([
    ['a push to another branch', 'push', JSON.stringify({ ref: 'refs/heads/feature-x' }), /refs\/heads\/feature-x.*follows refs\/heads\/main/],
    ['a tag push', 'push', JSON.stringify({ ref: 'refs/tags/v1' }), /refs\/tags\/v1/],
    ['another event', 'issues', JSON.stringify({ action: 'opened' }), /event `issues`/],
  ])('%s: 202 with `ignored` saying why, no fetch', async (_name, event, raw, why) => {
    const t = await openIntake({ branch: 'main' });
    const res = await t.app.inject(hook(raw, { 'x-github-event': event, 'x-hub-signature-256': githubSignature(raw, SECRET) }));
    expect(res.statusCode).toBe(202);
    expect(res.json<{ accepted: boolean; ignored: string }>()).toMatchObject({ accepted: false, ignored: expect.stringMatching(why) });
    expect(t.fetches).toBe(0);
    expect(await webhookCounts(t)).toEqual({ ignored: 1 });
  });

  it('a ping: 202, no fetch', async () => {
    const t = await openIntake();
    const raw = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const res = await t.app.inject(hook(raw, { 'x-github-event': 'ping', 'x-hub-signature-256': githubSignature(raw, SECRET) }));
    expect(res.statusCode).toBe(202);
    expect(t.fetches).toBe(0);
  });

  it('a body over 3 MiB: 413, counted, nothing happens', async () => {
    const t = await openIntake();
    const raw = JSON.stringify({ ref: 'refs/heads/main', pad: 'x'.repeat(3 * 1024 * 1024) });
    const res = await t.app.inject(hook(raw, { 'x-github-event': 'push', 'x-hub-signature-256': githubSignature(raw, SECRET) }));
    expect(res.statusCode).toBe(413);
    expect(t.fetches).toBe(0);
    expect(await webhookCounts(t)).toEqual({ 'too-large': 1 });
  });

  it('without CAMPAIGNCTL_WEBHOOK_SECRET: 403, nothing happens', async () => {
    const t = await openIntake({ webhookSecret: null });
    const res = await t.app.inject(hook(PUSH, { 'x-github-event': 'push', 'x-hub-signature-256': githubSignature(PUSH, SECRET) }));
    expect(res.statusCode).toBe(403);
    expect(t.fetches).toBe(0);
  });

  it('the rest of the API keeps its JSON parser', async () => {
    const t = await openIntake();
    const res = await t.app.inject({ method: 'POST', url: '/v1/messages/order-shipped/send', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.services.secrets.apiToken}` }, payload: '{"to":' });
    expect(res.statusCode).toBe(400);
    expect(await t.o.ctx.store.outbox.list()).toEqual([]);
  });
});
