/**
 * The emulator against the conformance table (cases.ts): each request goes over HTTP to a strict
 * emulator, and the answer must be the one clevertap-api.md documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../src/sandbox/api.js';
import type { SandboxHandle } from '../../../src/sandbox/server.js';
import { ACCOUNT, PASSCODE, closeEmulators, control, emulator, post } from '../helpers.js';
import { BUSINESS_EVENT, CASES, CLOCK, CONTROL_GROUP, TRIGGER_CAMPAIGN } from './cases.js';
import type { Case, Made } from './cases.js';

async function send(h: SandboxHandle, c: Case, made: Made): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {
    'X-CleverTap-Account-Id': ACCOUNT,
    'X-CleverTap-Passcode': c.badAuth ? 'wrong' : PASSCODE,
  };
  if (c.token) headers['X-CleverTap-Token'] = 'token';
  const contentType = c.contentType === undefined ? 'application/json' : c.contentType;
  const body = JSON.stringify(typeof c.body === 'function' ? c.body(made) : c.body);
  // fetch adds text/plain to a string body unless told otherwise: a Blob without a type sends none.
  const res = await fetch(h.url + c.path, {
    method: 'POST',
    headers: contentType === null ? headers : { ...headers, 'Content-Type': contentType },
    body: contentType === null ? new Blob([body]) : body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the emulator conforms to clevertap-api.md', () => {
  let h: SandboxHandle;
  let made: Made;

  beforeAll(async () => {
    h = await emulator({
      strict: true,
      inspection: true,
      clock: () => CLOCK,
      externalTriggers: [TRIGGER_CAMPAIGN],
      businessEvents: [BUSINESS_EVENT],
      controlGroups: [CONTROL_GROUP],
    });
    const base = { target_mode: 'sms', where: {}, content: { body: 'B' } };
    const pending = await post(h, '/1/targets/create.json', { ...base, name: 'pending', when: '20250801 10:00' });
    const completed = await post(h, '/1/targets/create.json', { ...base, name: 'completed', when: 'now' });
    made = { pending: pending.body.id as number, completed: completed.body.id as number };
    expect((await control(h, 'POST', `/campaigns/${made.completed}/complete`, { sent: 10, clicked: 1 })).status).toBe(200);
  });
  afterAll(closeEmulators);

  for (const c of CASES) {
    it(`${c.title} (${c.section})`, async () => {
      const answer = await send(h, c, made);
      const e = c.expect;
      expect(answer.status).toBe(e.http);
      expect(answer.body.status).toBe(e.status);
      if (e.error !== undefined) expect(answer.body.error).toBe(e.error);
      if (e.emulator !== undefined) {
        expect(answer.body.error).toMatch(/^campaignctl sandbox: /);
        expect(answer.body.error).toContain(e.emulator);
      }
      if (e.status === 'fail') expect(typeof answer.body.error).toBe('string');
      if (e.code === null) expect(answer.body).not.toHaveProperty('code');
      else if (e.code !== undefined) expect(answer.body.code).toBe(e.code);
      for (const key of e.has ?? []) expect(answer.body).toHaveProperty(key);
      for (const key of e.lacks ?? []) expect(answer.body).not.toHaveProperty(key);
    });
  }

  it('covers every endpoint with a valid and an invalid request, and every row of the issue', () => {
    for (const path of Object.keys(API_ROUTES)) {
      const rows = CASES.filter((c) => c.path === path);
      expect(rows.some((c) => c.expect.status === 'success'), `${path}: a valid request`).toBe(true);
      expect(rows.some((c) => c.expect.status === 'fail'), `${path}: an invalid request`).toBe(true);
    }
    for (let row = 1; row <= 9; row++) {
      expect(CASES.some((c) => c.title.startsWith(`issue row ${row}:`)), `issue row ${row}`).toBe(true);
    }
  });
});

describe('fields the contract does not list', () => {
  afterAll(closeEmulators);

  it('are accepted but marked in /__sandbox/requests when the emulator is not strict', async () => {
    const h = await emulator({ strict: false, inspection: true, externalTriggers: [TRIGGER_CAMPAIGN] });
    const body = { to: { email: ['a@example.com'] }, campaign_id: TRIGGER_CAMPAIGN, ExternalTrigger: {}, priority: 'high', ttl: 3 };
    expect((await post(h, '/1/send/externaltrigger.json', body)).status).toBe(200);
    expect((await post(h, '/1/targets/list.json', { from: 20250601, to: 20250630 })).status).toBe(200);
    const log = (await control(h, 'GET', '/requests')).body as { path: string; unlisted: string[] }[];
    expect(log.map((e) => [e.path, e.unlisted])).toEqual([
      ['/1/send/externaltrigger.json', ['priority', 'ttl']],
      ['/1/targets/list.json', []],
    ]);
  });

  it('are refused by every emulator the test suites start unless it says otherwise (vitest.config.ts sets CAMPAIGNCTL_SANDBOX_STRICT)', async () => {
    const h = await emulator();
    expect(h.state.strict).toBe(true);
    expect((await post(h, '/1/targets/result.json', { id: 1234567890, verbose: true })).body.error).toContain('strict mode: "verbose"');
  });

  it('are refused by a strict emulator, and the refusal is logged with them', async () => {
    const h = await emulator({ strict: true, inspection: true });
    const answer = await post(h, '/1/targets/stop.json', { id: 1234567890, force: true });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('campaignctl sandbox: strict mode: "force" is not among the fields clevertap-api.md §5 lists for /1/targets/stop.json');
    const log = (await control(h, 'GET', '/requests')).body as { unlisted: string[] }[];
    expect(log[0]!.unlisted).toEqual(['force']);
  });
});
