/**
 * Two `watch` replicas' outbox drains on one PostgreSQL state (each with its own store, pool,
 * project and emulator, as two processes would have): every accepted send is claimed by one of
 * them, sent once (to that replica's emulator) and recorded done under that replica's claim.
 */
import { expect, it } from 'vitest';
import { dropSchema, freshSchemaName, pgLocation, pgSuite } from '../state/pg-fixture.js';
import { AUTH, openIntake, until, type Intake } from './intake-helpers.js';

const DATA = { orderId: 'SN-104233', carrier: 'DHL' };

function identities(t: Intake): string[] {
  return t.o.emulator.state.sends().flatMap((s) => (s.body as { to: { Identity: string[] } }).to.Identity);
}

pgSuite('the outbox drained by two replicas on one PostgreSQL', () => {
  it('each accepted send is claimed by one replica, sent once, and recorded done under its claim', async () => {
    const schema = freshSchemaName();
    try {
      const state = pgLocation(schema);
      const a = await openIntake({ state, sandbox: { latencyMs: 30 } });
      const b = await openIntake({ state, sandbox: { latencyMs: 30 } });
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await a.app.inject({ method: 'POST', url: '/v1/messages/order-shipped/send', headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify({ to: { Identity: [`user-${i}`] }, data: DATA }) });
        expect(res.statusCode).toBe(202);
        ids.push(res.json<{ id: number }>().id);
      }
      const drains = [a.drain({ claimer: 'replica-a', pollMs: 20 }), b.drain({ claimer: 'replica-b', pollMs: 20 })];
      await until(async () => (await b.o.ctx.store.outbox.counts()).done === 30, 20_000);
      await Promise.all(drains.map((d) => d.stop()));

      const sent = [...identities(a), ...identities(b)];
      expect(sent.sort()).toEqual(ids.map((_, i) => `user-${i}`).sort());
      // Both took part, and each item's claimer is the replica whose emulator got its call.
      expect(identities(a).length).toBeGreaterThan(0);
      expect(identities(b).length).toBeGreaterThan(0);
      const items = await a.o.ctx.store.outbox.list();
      expect(items.filter((i) => i.claimedBy === 'replica-a')).toHaveLength(identities(a).length);
      expect(items.filter((i) => i.claimedBy === 'replica-b')).toHaveLength(identities(b).length);
      expect(items.every((i) => i.status === 'done' && i.attempts === 1 && i.leaseUntil === null)).toBe(true);
      expect([...a.errors, ...b.errors]).toEqual([]);
    } finally {
      await dropSchema(schema).catch(() => undefined);
    }
  }, 60_000);
});
