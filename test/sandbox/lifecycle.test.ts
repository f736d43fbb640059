/**
 * Campaign state in the emulator: status derived from a movable clock (no sleeping), list by
 * scheduled date inclusive, stop (idempotent, API and dashboard), report only once completed,
 * and deterministic estimates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { T0, closeEmulators, control, emulator, post, pushCampaign } from './helpers.js';

afterEach(closeEmulators);

const HOUR = 3_600_000;

async function create(h: { url: string }, body: Record<string, unknown>): Promise<number> {
  const answer = await post(h, '/1/targets/create.json', body);
  expect(answer.body.status).toBe('success');
  return answer.body.id as number;
}

async function listed(h: { url: string }, from: number, to: number) {
  const answer = await post(h, '/1/targets/list.json', { from, to });
  return answer.body.targets as { id: number; name: string; status: string; scheduled_on: number }[];
}

describe('lifecycle', () => {
  it('pending until the scheduled time, running, then completed after the configured duration', async () => {
    const h = await emulator({ completeAfterMs: 2 * HOUR });
    const id = await create(h, pushCampaign({ when: '20250701 18:30' })); // T0 is 12:00 UTC
    const status = async () => (await listed(h, 20250701, 20250701)).find((t) => t.id === id)?.status;
    expect(await status()).toBe('pending');
    h.state.advanceClock(6.5 * HOUR);
    expect(await status()).toBe('running');
    h.state.advanceClock(2 * HOUR - 1);
    expect(await status()).toBe('running');
    expect((await post(h, '/1/targets/result.json', { id })).body).toEqual({ status: 'fail', error: "This target hasn't been completed" });
    h.state.advanceClock(1);
    expect(await status()).toBe('completed');
    const report = await post(h, '/1/targets/result.json', { id });
    expect(report.body.status).toBe('success');
    const result = report.body.result as { sent: number; clicked: number };
    expect(result.sent).toBe(h.state.campaign(id)!.audience);
    expect(result.clicked).toBeGreaterThan(0);
    expect(result.clicked).toBeLessThan(result.sent);
  });

  it('"now" campaigns run at once; the clock moves over HTTP too', async () => {
    const h = await emulator({ inspection: true, completeAfterMs: HOUR });
    const id = await create(h, pushCampaign());
    expect((await listed(h, 20250701, 20250701))[0]).toEqual({ id, name: 'cac:test:v1', status: 'running', scheduled_on: 202507011200 });
    expect((await control(h, 'POST', '/clock', { advanceMs: HOUR })).body.now).toBe('2025-07-01T13:00:00.000Z');
    expect((await listed(h, 20250701, 20250701))[0]!.status).toBe('completed');
    expect((await control(h, 'POST', '/clock', { set: '2025-07-01T12:30:00Z' })).body.now).toBe('2025-07-01T12:30:00.000Z');
    expect((await listed(h, 20250701, 20250701))[0]!.status).toBe('running');
    expect((await control(h, 'GET', '/clock')).body).toEqual({ now: '2025-07-01T12:30:00.000Z' });
  });

  it('stop freezes a campaign as stopped; stopping again succeeds; a finished one stays completed', async () => {
    const h = await emulator({ completeAfterMs: HOUR });
    const scheduled = await create(h, pushCampaign({ when: '20250705 09:00' }));
    const done = await create(h, pushCampaign({ name: 'done' }));
    expect((await post(h, '/1/targets/stop.json', { id: scheduled })).body).toEqual({ status: 'success' });
    expect((await post(h, '/1/targets/stop.json', { id: scheduled })).body).toEqual({ status: 'success' });
    h.state.advanceClock(10 * 24 * HOUR);
    expect((await post(h, '/1/targets/stop.json', { id: done })).body).toEqual({ status: 'success' });
    const rows = await listed(h, 20250701, 20250731);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [scheduled, 'stopped'],
      [done, 'completed'],
    ]);
    expect((await post(h, '/1/targets/result.json', { id: scheduled })).body.error).toBe("This target hasn't been completed");
    expect(h.state.campaign(scheduled)!.stoppedBy).toBe('api');
  });

  it('lists by scheduled date, both ends included, in the account time zone', async () => {
    const h = await emulator({ accountTimezone: 'Asia/Kolkata' });
    const a = await create(h, pushCampaign({ name: 'a', when: '20250702 00:10' })); // 2025-07-01 18:40 UTC
    const b = await create(h, pushCampaign({ name: 'b', when: '20250705 23:50' }));
    const c = await create(h, pushCampaign({ name: 'c', when: '20250706 00:00' }));
    const ids = async (from: number, to: number) => (await listed(h, from, to)).map((t) => t.id);
    expect(await ids(20250702, 20250705)).toEqual([a, b]);
    expect(await ids(20250701, 20250701)).toEqual([]);
    expect(await ids(20250706, 20250706)).toEqual([c]);
    expect(await ids(20250702, 20250702)).toEqual([a]);
    expect((await listed(h, 20250702, 20250702))[0]!.scheduled_on).toBe(202507020010);
    expect(h.state.campaign(a)!.startsAt).toBe('2025-07-01T18:40:00.000Z');
  });

  it('test hooks: mark completed with numbers, and a stop made on the dashboard', async () => {
    const h = await emulator({ inspection: true });
    const id = await create(h, pushCampaign({ when: '20250801 10:00' }));
    const other = await create(h, pushCampaign({ name: 'other', when: '20250801 10:00' }));
    expect((await control(h, 'POST', `/campaigns/${id}/complete`, { sent: 82, clicked: 28 })).status).toBe(200);
    expect((await post(h, '/1/targets/result.json', { id })).body).toEqual({ status: 'success', result: { sent: 82, clicked: 28 } });
    expect((await control(h, 'POST', `/campaigns/${other}/stop`)).status).toBe(200);
    expect((await control(h, 'POST', '/campaigns/99/stop')).status).toBe(404);
    const campaigns = (await control(h, 'GET', '/campaigns')).body as { id: number; status: string; stoppedBy: string | null }[];
    expect(campaigns.map((c) => [c.id, c.status, c.stoppedBy])).toEqual([
      [id, 'completed', null],
      [other, 'stopped', 'dashboard'],
    ]);
  });

  it('ids are 10-digit, increasing and distinct even within one second', async () => {
    const h = await emulator();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await create(h, pushCampaign({ name: `n${i}` })));
    expect(ids.every((id) => /^\d{10}$/.test(String(id)))).toBe(true);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
    expect(ids[0]).toBe(Math.floor(T0.getTime() / 1000));
  });
});

describe('estimates', () => {
  it('the same query gives the same numbers, whatever the key order, across emulators', async () => {
    const where = { event_name: 'Charged', from: 20250101, to: 20250131, common_profile_properties: { profile_fields: [{ name: 'Tier', operator: 'equals', value: 'Gold' }] } };
    const reordered = { common_profile_properties: where.common_profile_properties, to: 20250131, from: 20250101, event_name: 'Charged' };
    const h1 = await emulator();
    const h2 = await emulator();
    const e1 = (await post(h1, '/1/targets/create.json', pushCampaign({ where, estimate_only: true }))).body.estimates;
    const e2 = (await post(h2, '/1/targets/create.json', pushCampaign({ where: reordered, estimate_only: true }))).body.estimates;
    expect(e1).toEqual(e2);
    const other = (await post(h1, '/1/targets/create.json', pushCampaign({ where: { ...where, event_name: 'App Launched' }, estimate_only: true }))).body.estimates;
    expect(other).not.toEqual(e1);
    expect(h1.state.campaigns()).toHaveLength(0);
  });

  it('everyone reaches the configured audience, split over the channel keys', async () => {
    const h = await emulator({ everyoneAudience: 5000 });
    const sum = (e: unknown) => Object.values(e as Record<string, number>).reduce((a, b) => a + b, 0);
    const push = (await post(h, '/1/targets/create.json', pushCampaign({ where: {}, estimate_only: true }))).body.estimates;
    expect(sum(push)).toBe(5000);
    const sms = (await post(h, '/1/targets/create.json', pushCampaign({ target_mode: 'sms', content: { body: 'b' }, where: {}, estimate_only: true }))).body.estimates;
    expect(sms).toEqual({ web: 5000 });
    const web = (await post(h, '/1/targets/create.json', pushCampaign({ target_mode: 'webpush', where: { event_name: 'A' }, estimate_only: true }))).body.estimates as Record<string, number>;
    expect(Object.keys(web)).toEqual(['chrome']);
    expect(web.chrome).toBeGreaterThan(0);
    expect(web.chrome).toBeLessThan(5000);
  });
});
