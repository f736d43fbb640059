/**
 * What the client retries and what it refuses to: 429 storms converge without ever exceeding the
 * per-family limit (the emulator's peak counter proves it); writes whose outcome is unknown are
 * flagged ambiguous and sent once (the emulator's request log proves it); reads are retried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import type { CleverTapError } from '../../src/clevertap/errors.js';
import type { FaultName } from '../../src/sandbox/faults.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { closeEmulators, emulator, pushCampaign } from '../sandbox/helpers.js';
import type { CampaignCreateBody } from '../../src/clevertap/wire.js';
import { clientFor, closeClients, rejection } from './helpers.js';

afterEach(async () => {
  closeClients();
  await closeEmulators();
});

const campaign = (name: string) => pushCampaign({ name }) as CampaignCreateBody;

describe('429', () => {
  it('a seeded 429 storm converges and the client never has more than 3 in flight per family', async () => {
    const h = await emulator({ faults: '429:0.3', seed: 3, latencyMs: [2, 15] });
    let retries = 0;
    const client = clientFor(h, { retry: { maxAttempts: 15 }, hooks: { onRetry: (e) => void (e.reason === 'rate-limited' && retries++) } });
    const creates = Array.from({ length: 40 }, (_, i) => client.createCampaign(campaign(`c${i}`)));
    const lists = Array.from({ length: 30 }, () => client.listCampaigns(20250701, 20250701));
    await Promise.all([...creates, ...lists]);
    expect(h.state.campaigns()).toHaveLength(40);
    const refused = h.state.requests().filter((e) => e.response?.status === 429);
    expect(refused.length).toBeGreaterThan(10);
    expect(refused.every((e) => e.fault === '429')).toBe(true); // never the emulator's own limit
    expect(retries).toBe(refused.length);
    const { peak } = h.state.concurrency();
    expect(peak.create).toBeLessThanOrEqual(3);
    expect(peak.list).toBeLessThanOrEqual(3);
    expect(peak.create).toBe(3); // the limit was actually used
  });

  it('against a tighter server limit, 429s back off and converge; the client still holds at most its own 3', async () => {
    const h = await emulator({ concurrency: 2, latencyMs: 10 });
    const client = clientFor(h, { retry: { maxAttempts: 20 } });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.createCampaign(campaign(`c${i}`))));
    expect(h.state.campaigns()).toHaveLength(20);
    expect(h.state.requests().some((e) => e.response?.status === 429)).toBe(true);
    expect(h.state.concurrency().peak.create).toBe(3);
  });

  it('gives up after maxAttempts with a retryable, unambiguous error', async () => {
    const h = await emulator();
    h.state.injectFaults([{ fault: '429', count: 10 }]);
    const client = clientFor(h, { retry: { maxAttempts: 4 } });
    const err = await rejection<CleverTapError>(client.createCampaign(campaign('x')));
    expect(err).toMatchObject({ kind: 'rate-limited', httpStatus: 429, code: 429, retryable: true, ambiguous: false, attempts: 4 });
    expect(h.state.requests()).toHaveLength(4);
    expect(h.state.campaigns()).toHaveLength(0);
  });

  it('spaces creates so the server\'s per-second cap is never hit', async () => {
    const h = await emulator({ createsPerSecond: 2 });
    const client = clientFor(h, { createsPerSecond: 2 });
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.createCampaign(campaign(`c${i}`))));
    expect(h.state.campaigns()).toHaveLength(5);
    expect(h.state.requests().filter((e) => e.response?.status === 429)).toHaveLength(0);
  });
});

type Write = { name: string; path: string; call: (c: CleverTapClient) => Promise<unknown>; effect: (h: SandboxHandle) => number };

const writes: Write[] = [
  { name: 'create', path: '/1/targets/create.json', call: (c) => c.createCampaign(campaign('w')), effect: (h) => h.state.campaigns().length },
  {
    name: 'identity send',
    path: '/1/send/sms.json',
    call: (c) => c.sendToIdentities('sms', { to: { Identity: ['u'] }, content: { body: 'b' } }),
    effect: (h) => h.state.sends().length,
  },
  {
    name: 'external trigger',
    path: '/1/send/externaltrigger.json',
    call: (c) => c.externalTrigger({ to: { identity: ['u'] }, campaign_id: '777', ExternalTrigger: {} }),
    effect: (h) => h.state.sends().length,
  },
  {
    name: 'raise',
    path: '/1/targets/trigger.json',
    call: (c) => c.raiseBusinessEvent({ business_event: 'Launch', name: 'n', properties: {}, 'c-by': 'a@b.c', when: 'now' }),
    effect: (h) => h.state.sends().length,
  },
];

describe('ambiguous writes are flagged and sent exactly once', () => {
  const faults: [FaultName, CleverTapError['kind'], number][] = [
    ['drop-after-commit', 'network', 1],
    ['timeout', 'timeout', 1],
    ['500', 'server', 0],
  ];
  for (const w of writes) {
    for (const [fault, kind, effects] of faults) {
      it(`${w.name} + ${fault}`, async () => {
        const h = await emulator({ externalTriggers: ['777'], businessEvents: ['Launch'], hangMs: 5_000 });
        h.state.injectFaults([{ fault }]);
        const client = clientFor(h, { timeoutMs: 200, retry: { maxAttempts: 5 } });
        const err = await rejection<CleverTapError>(w.call(client));
        expect(err).toMatchObject({ kind, ambiguous: true, retryable: false, attempts: 1, endpoint: w.path });
        expect(h.state.requests({ path: w.path })).toHaveLength(1);
        expect(w.effect(h)).toBe(effects); // the emulator committed drop/timeout, not 500
      });
    }
  }

  it('a connection that was never made is not ambiguous, so even a create is retried', async () => {
    const h = await emulator();
    const url = h.url;
    await h.close();
    let retries = 0;
    const client = clientFor({ url }, { retry: { maxAttempts: 3 }, hooks: { onRetry: () => void retries++ } });
    const err = await rejection<CleverTapError>(client.createCampaign(campaign('x')));
    expect(err).toMatchObject({ kind: 'network', httpStatus: null, ambiguous: false, retryable: true, attempts: 3 });
    expect(err.error).toContain('ECONNREFUSED');
    expect(retries).toBe(2);
  });
});

describe('reads and stops are retried', () => {
  it('list after a dropped connection', async () => {
    const h = await emulator();
    h.state.injectFaults([{ fault: 'drop-after-commit', family: 'list' }]);
    const reasons: string[] = [];
    const client = clientFor(h, { hooks: { onRetry: (e) => void reasons.push(`${e.family}:${e.reason}:${e.attempt}`) } });
    expect(await client.listCampaigns(20250701, 20250701)).toEqual([]);
    expect(h.state.requests({ family: 'list' })).toHaveLength(2);
    expect(reasons).toEqual(['list:network:1']);
  });

  it('report after a 500, estimate after a timeout', async () => {
    const h = await emulator({ hangMs: 5_000 });
    const client = clientFor(h, { timeoutMs: 600 });
    const { id } = await client.createCampaign(campaign('r'));
    h.state.markCompleted(id);
    h.state.injectFaults([{ fault: '500', family: 'result' }]);
    expect(await client.campaignReport(id)).toMatchObject({ completed: true });
    expect(h.state.requests({ family: 'result' })).toHaveLength(2);
    h.state.injectFaults([{ fault: 'timeout', family: 'create' }]);
    expect((await client.estimateCampaign(campaign('e'))).estimates).toEqual(h.state.campaigns()[0]!.estimates);
    expect(h.state.requests({ family: 'create' })).toHaveLength(3);
    expect(h.state.campaigns()).toHaveLength(1);
  });

  it('stop after 500s; when they never end, the error says it may have landed but may be retried', async () => {
    const h = await emulator();
    const client = clientFor(h, { retry: { maxAttempts: 3 } });
    const { id } = await client.createCampaign(campaign('s'));
    h.state.injectFaults([{ fault: '500', family: 'stop', count: 2 }]);
    await client.stopCampaign(id);
    expect(h.state.campaign(id)!.status).toBe('stopped');
    h.state.injectFaults([{ fault: '500', family: 'stop', count: 3 }]);
    const err = await rejection<CleverTapError>(client.stopCampaign(id));
    expect(err).toMatchObject({ kind: 'server', httpStatus: 500, ambiguous: true, retryable: true, attempts: 3 });
  });

  it('a read that keeps failing is retryable and never ambiguous', async () => {
    const h = await emulator();
    h.state.injectFaults([{ fault: 'drop-after-commit', family: 'list', count: 5 }]);
    const client = clientFor(h, { retry: { maxAttempts: 3 } });
    const err = await rejection<CleverTapError>(client.listCampaigns(20250701, 20250701));
    expect(err).toMatchObject({ kind: 'network', ambiguous: false, retryable: true, attempts: 3 });
  });
});
