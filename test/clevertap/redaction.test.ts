/**
 * The passcode never leaves the client: a scenario with a distinctive passcode goes through
 * successes and every kind of failure, and no error (message, stack, JSON, util.inspect with
 * hidden fields), hook event, inspected client or emulator log may contain it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clevertap/client.js';
import type { CleverTapClient, ClientHooks } from '../../src/clevertap/client.js';
import { closeEmulators, emulator, pushCampaign } from '../sandbox/helpers.js';
import type { CampaignCreateBody } from '../../src/clevertap/wire.js';

const SECRET = 'Zq7-DISTINCTIVE-passcode-4481';
const WRONG = 'Wx2-ANOTHER-distinctive-9907';

const servers: http.Server[] = [];
const clients: CleverTapClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await closeEmulators();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function everythingAbout(value: unknown): string {
  const parts = [String(value), inspect(value, { showHidden: true, depth: Infinity, getters: true })];
  try {
    parts.push(JSON.stringify(value));
  } catch {
    /* circular: inspect covers it */
  }
  if (value instanceof Error) {
    parts.push(value.message, value.stack ?? '');
    for (const key of Object.getOwnPropertyNames(value)) parts.push(inspect((value as unknown as Record<string, unknown>)[key], { depth: Infinity }));
  }
  return parts.join('\n');
}

function capturingHooks(sink: string[]): ClientHooks {
  return {
    onRequest: (e) => void sink.push(everythingAbout(e)),
    onResponse: (e) => void sink.push(everythingAbout(e)),
    onRetry: (e) => void sink.push(everythingAbout(e)),
  };
}

describe('the passcode never leaks', () => {
  it('through errors, hooks, inspection or the emulator log', async () => {
    const h = await emulator({ passcode: SECRET, hangMs: 5_000 });
    const captured: string[] = [];
    const make = (passcode: string) => {
      const c = createClient({
        baseUrl: h.url,
        accountId: 'TEST-ACCT-0001',
        passcode,
        timeoutMs: 600,
        createsPerSecond: 1000,
        hooks: capturingHooks(captured),
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      });
      clients.push(c);
      return c;
    };
    const client = make(SECRET);
    const body = pushCampaign() as CampaignCreateBody;
    const errors: unknown[] = [];
    const collect = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => void errors.push(e));

    await client.createCampaign(body);
    await collect(client.createCampaign({ ...body, name: '' })); // fail
    h.state.injectFaults([{ fault: 'drop-after-commit' }]);
    await collect(client.createCampaign(body)); // network, ambiguous
    h.state.injectFaults([{ fault: 'timeout' }]);
    await collect(client.sendToIdentities('sms', { to: { Identity: ['u'] }, content: { body: 'b' } })); // timeout
    h.state.injectFaults([{ fault: '429', count: 2 }]);
    await collect(client.listCampaigns(20250701, 20250701)); // rate-limited after retries
    h.state.injectFaults([{ fault: '500' }]);
    await collect(client.raiseBusinessEvent({ business_event: 'x', name: 'n', properties: {}, 'c-by': 'a', when: 'now' }));
    await collect(make(WRONG).listCampaigns(20250701, 20250701)); // 401
    const url = h.url;
    await h.close();
    await collect(client.listCampaigns(20250701, 20250701)); // refused

    expect(errors.map((e) => (e as { kind: string }).kind)).toEqual(['fail', 'network', 'timeout', 'rate-limited', 'server', 'auth', 'network']);
    const haystack = [...errors.map(everythingAbout), ...captured, everythingAbout(client), JSON.stringify(h.state.requests())].join('\n');
    expect(captured.length).toBeGreaterThan(10);
    expect(haystack).toContain('TEST-ACCT-0001'); // the account id is not secret, and it is there
    expect(haystack).toContain(url);
    expect(haystack).not.toContain(SECRET);
    expect(haystack).not.toContain(WRONG);
  });

  it('even when a server echoes it back in an error', async () => {
    const server = http.createServer((req, res) => {
      const echoed = String(req.headers['x-clevertap-passcode']);
      if (req.url === '/1/targets/list.json') {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'fail', error: `bad passcode ${echoed}` }));
      } else {
        res.writeHead(502, { 'Content-Type': 'text/html' });
        res.end(`<html>upstream rejected ${echoed}</html>`);
      }
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const captured: string[] = [];
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, accountId: 'A', passcode: SECRET, hooks: capturingHooks(captured), retry: { maxAttempts: 1 } });
    clients.push(client);
    const e1 = await client.listCampaigns(20250101, 20250101).catch((e: unknown) => e);
    const e2 = await client.createCampaign(pushCampaign() as CampaignCreateBody).catch((e: unknown) => e);
    expect((e1 as { error: string }).error).toBe('bad passcode ***');
    expect((e2 as { kind: string; ambiguous: boolean }).kind).toBe('server');
    expect((e2 as { ambiguous: boolean }).ambiguous).toBe(true);
    const haystack = [everythingAbout(e1), everythingAbout(e2), ...captured].join('\n');
    expect(haystack).toContain('***');
    expect(haystack).not.toContain(SECRET);
  });
});
