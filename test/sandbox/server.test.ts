/**
 * The emulator as a server: persistence across restarts, concurrency limits and peak counting,
 * seeded and scripted faults, the optional create rate cap, and the /__sandbox/ controls.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector, parseFaultSpec, parseLatency } from '../../src/sandbox/faults.js';
import { SandboxDataFileError } from '../../src/sandbox/store.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { ACCOUNT, PASSCODE, closeEmulators, control, emulator, post, pushCampaign } from './helpers.js';

afterEach(closeEmulators);

describe('persistence', () => {
  it('keeps campaigns, sends, registrations and the moved clock across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    const dataFile = join(dir, 'nested', 'sandbox.json');
    const first = await emulator({ dataFile, businessEvents: ['Launch'] });
    const id = (await post(first, '/1/targets/create.json', pushCampaign({ when: '20250702 09:00' }))).body.id as number;
    first.state.registerExternalTriggers(['777']);
    await post(first, '/1/send/sms.json', { to: { Identity: ['u'] }, content: { body: 'hi' } });
    first.state.advanceClock(2 * 86_400_000);
    await first.close();
    expect(readdirSync(join(dir, 'nested'))).toEqual(['sandbox.json']); // temp files renamed away

    const second = await emulator({ dataFile });
    const list = await post(second, '/1/targets/list.json', { from: 20250702, to: 20250702 });
    expect(list.body.targets).toEqual([{ id, name: 'cac:test:v1', status: 'completed', scheduled_on: 202507020900 }]);
    expect(second.state.now().toISOString()).toBe('2025-07-03T12:00:00.000Z');
    expect(second.state.sends()).toHaveLength(1);
    expect(second.state.registered()).toEqual({ externalTriggers: ['777'], businessEvents: ['Launch'], controlGroups: [] });
    const next = (await post(second, '/1/targets/create.json', pushCampaign())).body.id as number;
    expect(next).toBeGreaterThan(id);
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).campaigns).toHaveLength(2);
  });

  it('refuses a data file that is not its own, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
    const dataFile = join(dir, 'broken.json');
    writeFileSync(dataFile, '{"campaigns": ');
    await expect(startSandbox({ dataFile })).rejects.toThrow(SandboxDataFileError);
    await expect(startSandbox({ dataFile })).rejects.toThrow(/broken\.json: not valid JSON/);
    writeFileSync(dataFile, '{"hello": 1}');
    await expect(startSandbox({ dataFile })).rejects.toThrow(/not a sandbox data file/);
  });
});

describe('concurrency', () => {
  it('answers the request beyond the per-family limit with 429 and records the peak', async () => {
    const h = await emulator({ concurrency: 2, latencyMs: 500 });
    const body = { from: 20250701, to: 20250701 };
    const answers = await Promise.all([1, 2, 3].map(() => post(h, '/1/targets/list.json', body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    expect(answers.find((a) => a.status === 429)!.body).toEqual({ status: 'fail', error: 'Too many concurrent requests', code: 429 });
    // other families are counted separately
    const mixed = await Promise.all([post(h, '/1/targets/list.json', body), post(h, '/1/targets/list.json', body), post(h, '/1/targets/create.json', pushCampaign())]);
    expect(mixed.map((a) => a.status)).toEqual([200, 200, 200]);
    const snapshot = h.state.concurrency();
    expect(snapshot.peak).toEqual({ list: 3, create: 1 });
    expect(snapshot.inFlight).toEqual({ list: 0, create: 0 });
  });

  it('optionally caps creates per second', async () => {
    const h = await emulator({ createsPerSecond: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(h, '/1/targets/create.json', pushCampaign())).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(h.state.campaigns()).toHaveLength(2);
  });
});

describe('faults', () => {
  it('parses specs and latency, refusing nonsense', () => {
    expect(parseFaultSpec('429:0.2,500:0.05,drop-after-commit:0.05,timeout:0.01')).toEqual({
      ok: true,
      value: [
        { fault: '429', probability: 0.2 },
        { fault: '500', probability: 0.05 },
        { fault: 'drop-after-commit', probability: 0.05 },
        { fault: 'timeout', probability: 0.01 },
      ],
    });
    expect(parseFaultSpec('404:0.1')).toMatchObject({ ok: false });
    expect(parseFaultSpec('429:1.5')).toMatchObject({ ok: false });
    expect(parseFaultSpec('429:0.7,500:0.7')).toMatchObject({ ok: false, error: expect.stringContaining('more than 1') });
    expect(parseLatency('50')).toEqual({ ok: true, value: 50 });
    expect(parseLatency('20..80')).toEqual({ ok: true, value: [20, 80] });
    expect(parseLatency('80..20')).toMatchObject({ ok: false });
  });

  it('the same seed picks the same faults; scripted faults come first', () => {
    const parsed = parseFaultSpec('429:0.3,500:0.2');
    if (!parsed.ok) throw new Error(parsed.error);
    const rates = parsed.value;
    const draw = (seed: number) => {
      const f = new FaultInjector(rates, seed);
      return Array.from({ length: 200 }, () => f.next('create'));
    };
    const a = draw(7);
    expect(draw(7)).toEqual(a);
    expect(draw(8)).not.toEqual(a);
    const share = (name: string) => a.filter((x) => x === name).length / a.length;
    expect(share('429')).toBeGreaterThan(0.15);
    expect(share('429')).toBeLessThan(0.45);
    expect(share('500')).toBeGreaterThan(0.08);
    const scripted = new FaultInjector([], 1);
    scripted.script([{ fault: 'timeout', family: 'list' }, { fault: '500', count: 2 }]);
    expect([scripted.next('create'), scripted.next('list'), scripted.next('list'), scripted.next('list')]).toEqual(['500', 'timeout', '500', null]);
  });

  it("keeps a reply's long list cut in its request log entry, and says how many items it left out; the client gets them all", async () => {
    const h = await emulator();
    for (let i = 0; i < 60; i++) expect((await post(h, '/1/targets/create.json', pushCampaign({ name: `c${i}` }))).status).toBe(200);
    const listed = await post(h, '/1/targets/list.json', { from: 20250701, to: 20250701 });
    expect(listed.body.targets).toHaveLength(60);
    const entry = h.state.requests({ family: 'list' })[0]!;
    expect(entry.response!.body.targets).toEqual((listed.body.targets as unknown[]).slice(0, 50));
    expect(entry.response!.omitted).toEqual({ targets: 10 });
    // A short list is kept whole, with nothing omitted.
    const create = h.state.requests({ family: 'create' })[0]!;
    expect(create.response).toEqual({ status: 200, body: expect.objectContaining({ status: 'success' }) });
  });

  it('drop-after-commit applies the create, then destroys the connection unanswered', async () => {
    const h = await emulator();
    h.state.injectFaults([{ fault: 'drop-after-commit', family: 'create' }]);
    await expect(post(h, '/1/targets/create.json', pushCampaign())).rejects.toThrow();
    expect(h.state.campaigns()).toHaveLength(1);
    const [entry] = h.state.requests();
    expect(entry).toMatchObject({ fault: 'drop-after-commit', response: null, committed: true });
  });

  it('timeout applies the request and holds it unanswered for hangMs at most, then drops it', async () => {
    const h = await emulator({ hangMs: 200 });
    h.state.injectFaults([{ fault: 'timeout' }]);
    await expect(post(h, '/1/send/sms.json', { to: { Identity: ['u'] }, content: { body: 'hi' } })).rejects.toThrow();
    expect(h.state.sends()).toHaveLength(1);
    const [entry] = h.state.requests();
    expect(entry).toMatchObject({ fault: 'timeout', response: null, committed: true });
    expect(entry!.durationMs).toBeGreaterThanOrEqual(190);
    expect(h.state.concurrency().inFlight.send).toBe(0);
  });

  it('429 and 500 faults answer without applying anything', async () => {
    const h = await emulator();
    h.state.injectFaults([{ fault: '429' }, { fault: '500' }]);
    expect((await post(h, '/1/targets/create.json', pushCampaign())).status).toBe(429);
    expect(await post(h, '/1/targets/create.json', pushCampaign())).toEqual({ status: 500, body: { status: 'fail', error: 'Internal server error', code: 500 } });
    expect(h.state.campaigns()).toHaveLength(0);
    expect((await post(h, '/1/targets/create.json', pushCampaign())).status).toBe(200);
  });

  it('close() ends hanging requests at once', async () => {
    const h = await startSandbox({ accountId: ACCOUNT, passcode: PASSCODE, hangMs: 60_000 });
    h.state.injectFaults([{ fault: 'timeout' }]);
    const pending = post(h, '/1/targets/list.json', { from: 20250101, to: 20250101 }).then(
      () => 'answered',
      () => 'dropped',
    );
    while (h.state.requests().length === 0) await new Promise((r) => setTimeout(r, 5));
    await h.close();
    expect(await pending).toBe('dropped');
  });
});

describe('inspection over HTTP', () => {
  it('is off unless asked for', async () => {
    const h = await emulator();
    expect((await control(h, 'GET', '/requests')).status).toBe(404);
  });

  it('logs requests with bodies but without secrets, and exposes every control', async () => {
    const h = await emulator({ inspection: true });
    await post(h, '/1/targets/create.json', pushCampaign());
    const log = (await control(h, 'GET', '/requests?family=create')).body as { headers: Record<string, string>; body: unknown }[];
    expect(log).toHaveLength(1);
    expect(log[0]!.body).toEqual(pushCampaign());
    expect(log[0]!.headers['x-clevertap-account-id']).toBe(ACCOUNT);
    expect(JSON.stringify(log)).not.toContain(PASSCODE);
    expect(Object.keys(log[0]!.headers)).not.toContain('x-clevertap-passcode');

    expect((await control(h, 'POST', '/external-triggers', { ids: [123] })).body.externalTriggers).toEqual(['123']);
    expect((await control(h, 'POST', '/business-events', { names: ['Launch'] })).body.businessEvents).toEqual(['Launch']);
    expect((await control(h, 'POST', '/control-groups', { names: ['Holdout'] })).body.controlGroups).toEqual(['Holdout']);
    expect((await post(h, '/1/targets/trigger.json', { business_event: 'Launch', name: 'n', properties: {}, 'c-by': 'a@b.c', when: 'now' })).body.status).toBe('success');
    expect((await control(h, 'GET', '/sends')).body).toHaveLength(1);

    expect((await control(h, 'POST', '/faults', { next: [{ fault: '500', family: 'list' }] })).body).toEqual([{ fault: '500', family: 'list', count: 1 }]);
    expect((await control(h, 'POST', '/faults', { next: [{ fault: 'boom' }] })).status).toBe(400);
    expect((await post(h, '/1/targets/list.json', { from: 20250701, to: 20250701 })).status).toBe(500);
    expect((await control(h, 'GET', '/concurrency')).body.peak.list).toBe(1);

    expect((await control(h, 'POST', '/reset')).status).toBe(200);
    expect((await control(h, 'GET', '/campaigns')).body).toEqual([]);
    expect((await control(h, 'GET', '/requests')).body).toEqual([]);
    expect((await control(h, 'GET', '/registered')).body).toEqual({ externalTriggers: [], businessEvents: [], controlGroups: [] });
    expect((await control(h, 'GET', '/nope')).status).toBe(404);
  });
});
