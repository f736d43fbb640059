/**
 * The PostgreSQL backend: the shared contract, each test in a schema of its own (dropped after),
 * plus what only PostgreSQL has: the schema setting, the migration lock, the pool settings, the
 * lock row's heartbeat and epoch, and claims raced by separate pools.
 */
import { claimTick } from '../../src/schedule/fire.js';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { openStateStore } from '../../src/state/open.js';
import { MIGRATIONS } from '../../src/state/postgres/migrations.js';
import { Wire } from '../../src/state/postgres/wire.js';
import type { RunKey, StateStore } from '../../src/state/store.js';
import { isProbablyStale } from '../../src/state/stale.js';
import { appliedCampaign, stateStoreContract } from './contract.js';
import { dropSchema, freshSchemaName, PG_URL, pgLocation, pgQuery, pgSuite } from './pg-fixture.js';

async function mustOpen(location: string): Promise<StateStore> {
  const r = await openStateStore(location);
  if (!r.ok) throw new Error(r.diagnostic.message);
  return r.store;
}

pgSuite('PostgreSQL state', () => {
  stateStoreContract('postgres', async () => {
    const schema = freshSchemaName();
    const location = pgLocation(schema);
    return {
      location,
      databaseClock: true,
      async open(opts) {
        const r = await openStateStore(location, opts);
        if (!r.ok) throw new Error(r.diagnostic.message);
        return r.store;
      },
      dispose: () => dropSchema(schema),
    };
  });

  const { schemas, location, open } = scratchStores();

  it('keeps its tables in the schema the URL names, migrated once, and says so in info', async () => {
    const at = location();
    const schema = schemas[0]!;
    const s = await open(at);
    expect(s.info).toMatchObject({ backend: 'postgres', schemaVersion: MIGRATIONS.length });
    expect(s.info.location).not.toContain('postgres@');
    await s.resources.put(appliedCampaign('a'));
    await (await open(at)).serial();
    const tables = await pgQuery<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
    expect(tables.map((t) => t.table_name)).toEqual(['audit', 'journal', 'leases', 'lock', 'outbox', 'refresh_requests', 'resources', 'runs', 'schedule_cursors', 'schema_migrations', 'state_serial']);
    expect(await pgQuery(`SELECT version FROM "${schema}".schema_migrations`)).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1 })));
    // Another schema in the same database is another state.
    const other = await open(location());
    expect(await other.resources.list()).toEqual([]);
  });

  it('lets several stores open a fresh schema at once (the migration runs once)', async () => {
    const at = location();
    const opened = await Promise.all([open(at), open(at), open(at), open(at)]);
    for (const s of opened) expect(await s.serial()).toBe(0);
    expect(await pgQuery(`SELECT count(*)::int AS n FROM "${schemas[0]}".schema_migrations`)).toEqual([{ n: MIGRATIONS.length }]);
  });

  it('connects as application campaignctl with the statement and idle-transaction timeouts', async () => {
    const at = location();
    await open(at);
    const viaStore = await pgSessionSettings(at);
    expect(viaStore).toEqual({ statement_timeout: '30s', idle_in_transaction_session_timeout: '1min', application_name: 'campaignctl', search_path: schemas[0] });
  });

  it('refuses a schema name that is not a plain identifier, as a diagnostic', async () => {
    const r = await openStateStore(pgLocation('Robert"; DROP'));
    expect(r).toMatchObject({ ok: false, diagnostic: { code: 'state.postgres-bad-location' } });
  });

  it('reports an unreachable server as a diagnostic that never repeats the password', async () => {
    const r = await openStateStore('postgres://ada:s3cr3t-pw@127.0.0.1:1/nowhere');
    expect(r).toMatchObject({ ok: false, diagnostic: { code: 'state.postgres-unreachable' } });
    expect(JSON.stringify(r)).not.toContain('s3cr3t-pw');
    expect(JSON.stringify(r)).toContain('postgres://***@127.0.0.1:1/nowhere');
  });

  it('keeps a heartbeat and an epoch on the lock row; a heartbeat a minute old is probably stale', async () => {
    const at = location();
    const s = await open(at);
    const first = await s.lock.acquire({ command: 'apply', host: 'ci-1', pid: 4242 });
    if (!first.ok) throw new Error('refused');
    expect(first.lock.epoch).toBe(1);
    expect(Math.abs(Date.parse(first.lock.heartbeat!) - Date.now())).toBeLessThan(60_000);
    expect(isProbablyStale(first.lock, 'another-host')).toBe(false);
    await pgQuery(`UPDATE "${schemas[0]}".lock SET heartbeat = $1`, [new Date(Date.now() - 120_000).toISOString()]);
    const held = (await s.lock.current())!;
    expect(isProbablyStale(held, 'another-host')).toBe(true);
    expect(await s.lock.heartbeat(first.lock.id)).toBe(true);
    expect(isProbablyStale((await s.lock.current())!, 'another-host')).toBe(false);
    expect(await s.lock.heartbeat('someone-else')).toBe(false);
    await s.lock.release(first.lock.id);
    expect(await s.lock.heartbeat(first.lock.id)).toBe(false);
    const second = await s.lock.acquire({ command: 'apply', host: 'ci-2', pid: 7 });
    expect(second).toMatchObject({ ok: true, lock: { epoch: 2, host: 'ci-2' } });
  });

  it('a second pass skips a schedule another pass holds (SKIP LOCKED), without waiting, and takes it once free', async () => {
    const at = location();
    const [a, b] = [await open(at), await open(at)];
    await a.cursors.advance('schedule.digest', '2030-01-05T10:00:00.000Z');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const first = a.transaction(async (tx) => {
      expect(await tx.cursors.take('schedule.digest')).toBe(true);
      held();
      await gate;
    });
    await holding;
    const started = Date.now();
    expect(await b.transaction((tx) => tx.cursors.take('schedule.digest'))).toBe(false);
    // Held by another, the cursor does not move either (nor wait for the holder).
    expect(await b.transaction((tx) => tx.cursors.take('schedule.digest', { advanceTo: '2030-01-05T11:00:00.000Z' }))).toBe(false);
    expect(await b.cursors.get('schedule.digest')).toBe('2030-01-05T10:00:00.000Z');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await b.transaction((tx) => tx.cursors.take('schedule.other'))).toBe(true);
    release();
    await first;
    expect(await b.transaction((tx) => tx.cursors.take('schedule.digest'))).toBe(true);
  });

  it('takeTick: held by another pass it answers null at once; once the holder commits, it reads the holder\'s claim', async () => {
    const at = location();
    const [a, b] = [await open(at), await open(at)];
    const tick: RunKey = { kind: 'schedule', subject: 'schedule.digest', key: '2030-01-05T10:00:00.000Z' };
    await a.cursors.advance(tick.subject, '2030-01-05T09:00:00.000Z');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const first = a.transaction(async (tx) => {
      expect(await tx.runs.takeTick(tick.subject, tick, tick.key)).toEqual({ run: null, claimed: [] });
      await tx.runs.claim(tick, { by: 'a' });
      held();
      await gate;
    });
    await holding;
    const started = Date.now();
    expect(await b.transaction((tx) => tx.runs.takeTick(tick.subject, tick, '2030-01-05T11:00:00.000Z'))).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
    release();
    await first;
    // The read travels in the take's message but runs after the lock, with its own snapshot: it sees a's commit.
    const after = await b.transaction((tx) => tx.runs.takeTick(tick.subject, tick, '2030-01-05T11:00:00.000Z'));
    expect(after?.run).toMatchObject({ key: tick.key, status: 'claimed', detail: { by: 'a' } });
    expect(await b.cursors.get(tick.subject)).toBe('2030-01-05T11:00:00.000Z');
  });

  it('decideTick: busy at once while another pass holds the cursor, writing nothing; after its commit, one message reads its claim, and one claims the next tick', async () => {
    const at = location();
    const [a, b] = [await open(at), await open(at)];
    const tick = (h: string): RunKey => ({ kind: 'schedule', subject: 'schedule.digest', key: `2030-01-05T${h}:00:00.000Z` });
    const ask = (k: RunKey, advanceTo: string) => b.runs.decideTick({ address: k.subject, key: k, advanceTo, detail: { by: 'b' }, overlap: 'allow' });
    await a.cursors.advance('schedule.digest', tick('09').key);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    const first = a.transaction(async (tx) => {
      expect(await tx.runs.takeTick('schedule.digest', tick('10'), tick('10').key)).toEqual({ run: null, claimed: [] });
      await tx.runs.claim(tick('10'), { by: 'a' });
      held();
      await gate;
    });
    await holding;
    const serial = await b.serial();
    const started = Date.now();
    expect(await ask(tick('10'), tick('11').key)).toEqual({ kind: 'busy' });
    expect(Date.now() - started).toBeLessThan(5000);
    release();
    await first;
    expect(await b.serial()).toBe(serial + 1);
    expect(await b.cursors.get('schedule.digest')).toBe(tick('10').key);

    // Counting at the driver's edge: how many messages reach the server.
    let messages = 0;
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      messages++;
      return (query as (...x: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      expect(await ask(tick('10'), tick('11').key)).toMatchObject({ kind: 'already-claimed', run: { key: tick('10').key, detail: { by: 'a' } } });
      expect(messages).toBe(1);
      messages = 0;
      expect(await ask(tick('12'), tick('12').key)).toMatchObject({ kind: 'claimed', run: { key: tick('12').key, detail: { by: 'b' } } });
      expect(messages).toBe(1);
    } finally {
      pg.Client.prototype.query = query;
    }
    // A decided tick moves the cursor; only a claim moves the serial.
    expect(await b.cursors.get('schedule.digest')).toBe(tick('12').key);
    expect(await b.serial()).toBe(serial + 2);
    expect((await b.runs.list({ subject: 'schedule.digest' })).map((r) => [r.key, r.detail])).toEqual([
      [tick('10').key, { by: 'a' }],
      [tick('12').key, { by: 'b' }],
    ]);
  });

  it('the wire: queryEach sends the held statements and several parameterised ones in one message, each answered', async () => {
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    const client = await pool.connect();
    try {
      let messages = 0;
      const query = client.query.bind(client);
      // Counting at the driver's edge: how many messages reach the server.
      (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
        messages++;
        return (query as (...x: unknown[]) => unknown)(...a);
      };
      const wire = new Wire(client, ['BEGIN']);
      const [one, two] = await wire.queryEach([
        { sql: 'SELECT $1::int AS n', params: [7] },
        { sql: "SELECT $1::text AS t, current_setting('transaction_isolation') AS iso", params: ["it's $1"] },
      ]);
      expect(one!.rows).toEqual([{ n: 7 }]);
      expect(two!.rows).toEqual([{ t: "it's $1", iso: 'read committed' }]);
      expect(messages).toBe(1);
      // A parameter that can not be a literal: one message per statement, same answers.
      const [bytes] = await wire.queryEach([{ sql: 'SELECT length($1::bytea) AS n', params: [Buffer.from('abc')] }]);
      expect(bytes!.rows).toEqual([{ n: 3 }]);
      expect(messages).toBe(2);
      await wire.flush('ROLLBACK');
    } finally {
      client.release();
      await pool.end();
    }
  });

  it('values written as literals inside a transaction (savepoints travel with them) come back as they were', async () => {
    const s = await open(location());
    const tricky = { quote: "it's", backslash: 'C:\\temp\\n', dollar: '$1 $$ $2', unicode: 'Grüße 🎉', sql: "'); DROP TABLE runs; --" };
    const key: RunKey = { kind: 'schedule', subject: "schedule.o'neil", key: '2030-01-05T10:00:00.000Z' };
    await s.transaction(async (tx) => {
      expect(await tx.cursors.take(key.subject, { advanceTo: key.key })).toBe(true);
      expect((await tx.runs.claim(key, tricky)).claimed).toBe(true);
    });
    expect((await s.runs.get(key))?.detail).toEqual(tricky);
    expect(await s.cursors.get(key.subject)).toBe(key.key);
    expect(await s.serial()).toBe(1);
  });

  it('8 claimers on 8 pools race 20 ticks: exactly one winner per tick, and one apply lock holder', async () => {
    const at = location();
    const claimers = await Promise.all(Array.from({ length: 8 }, () => open(at)));
    const ticks = Array.from({ length: 20 }, (_, i): RunKey => ({ kind: 'schedule', subject: 'schedule.digest', key: `2030-01-05T${String(i).padStart(2, '0')}:00:00.000Z` }));
    const wins = new Map<string, number>();
    // Replicas' passes meet on the same due tick: all 8 go for each tick at once.
    for (const tick of ticks) {
      await Promise.all(
        claimers.map(async (s, who) => {
          // As a runner pass claims (claimTick, src/schedule/fire.ts): the ledger read, then the
          // cursor row (skipped when another pass holds it: that pass is deciding this tick), the
          // run. overlap allow: the winners' runs stay claimed (nothing is sent here).
          const claim = await claimTick(s, { address: tick.subject, key: tick, now: new Date(tick.key), overlap: 'allow', invalid: null, detail: { who } });
          const claimed = claim.kind === 'claimed';
          if (claimed) wins.set(tick.key, (wins.get(tick.key) ?? 0) + 1);
        }),
      );
    }
    // A claimer that found the schedule taken skipped the tick: the holder claimed it.
    expect([...wins.values()]).toEqual(ticks.map(() => 1));
    const runs = await claimers[0]!.runs.list({ subject: 'schedule.digest' });
    expect(runs).toHaveLength(20);
    expect(await claimers[0]!.serial()).toBe(20);

    const locks = await Promise.all(claimers.map((s, i) => s.lock.acquire({ command: 'apply', host: `ci-${i}`, pid: i + 1 })));
    const held = locks.filter((l) => l.ok);
    expect(held).toHaveLength(1);
    for (const l of locks) if (!l.ok) expect(l.holder).toEqual(held[0]!.ok ? held[0]!.lock : null);
  });
});

pgSuite('PostgreSQL hints (LISTEN/NOTIFY)', () => {
  const { schemas, location, open } = scratchStores();
  const listeners: { close(): Promise<void> }[] = [];
  // Registered after scratchStores(): vitest runs afterEach hooks last-registered first, so the
  // listeners close before their stores and schemas go.
  afterEach(async () => {
    for (const l of listeners.splice(0)) await l.close();
  });
  async function openFresh(): Promise<{ store: StateStore; schema: string }> {
    const store = await open(location());
    return { store, schema: schemas.at(-1)! };
  }
  async function until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  /** The listening backend of `schema`'s channel, as pg_stat_activity shows it. */
  async function listenerPids(schema: string): Promise<number[]> {
    const { hintChannel } = await import('../../src/state/postgres/hints.js');
    const rows = await pgQuery<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'campaignctl-listen' AND query = $1`, [`LISTEN ${hintChannel(schema)}`]);
    return rows.map((r) => r.pid);
  }
  /** Waits (up to 10 s) until the LISTEN is in place: its backend shows the statement. */
  async function listening(schema: string): Promise<number[]> {
    const end = Date.now() + 10_000;
    let pids = await listenerPids(schema);
    while (pids.length === 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      pids = await listenerPids(schema);
    }
    return pids;
  }

  it('wakes a listener on a committed request or outbox item, not on a rollback nor on another schema', async () => {
    const { store: a, schema } = await openFresh();
    const { store: other } = await openFresh();
    const writer = await open(pgLocation(schema));
    expect(a.hints.available).toBe(true);
    const hints: string[] = [];
    listeners.push(a.hints.listen((k) => hints.push(k)));
    expect(await listening(schema)).toHaveLength(1);

    await writer.requests.add('webhook', 'replica-b');
    await until(() => hints.includes('refresh'), 'the refresh hint');
    await writer.transaction(async (tx) => {
      await tx.outbox.enqueue({ kind: 'message', address: 'message.x', payload: { to: 'a' } });
      throw new Error('rolled back');
    }).catch(() => undefined);
    await other.requests.add('api', 'replica-c');
    await other.outbox.enqueue({ kind: 'message', address: 'message.x', payload: { to: 'b' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(hints).toEqual(['refresh']);
    await writer.outbox.enqueue({ kind: 'message', address: 'message.x', payload: { to: 'c' } });
    await until(() => hints.includes('outbox'), 'the outbox hint');
    expect(hints).toEqual(['refresh', 'outbox']);
  });

  it('reconnects after its connection is killed, says so, wakes once, and hears hints again', async () => {
    const { store: a, schema } = await openFresh();
    const hints: string[] = [];
    const problems: string[] = [];
    listeners.push(a.hints.listen((k) => hints.push(k), (m) => problems.push(m)));
    const pids = await listening(schema);
    expect(pids).toHaveLength(1);
    await pgQuery('SELECT pg_terminate_backend($1)', [pids[0]]);
    await until(() => problems.length > 0, 'the lost connection reported');
    expect(problems[0]).toMatch(/hint connection to PostgreSQL was lost.*trying again in 500 ms/);
    await until(() => hints.includes('refresh') && hints.includes('outbox'), 'the wake after reconnecting');
    hints.length = 0;
    await a.requests.add('api', 'replica-a');
    await until(() => hints.includes('refresh'), 'a hint after reconnecting');
    const after = await listening(schema);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(pids[0]);
  });
});

pgSuite('PostgreSQL outbox claims', () => {
  const { schemas, open } = scratchStores();

  it('8 claimers on 8 pools race for 200 outbox items: each item claimed exactly once, and settled only by its claimer', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const at = pgLocation(schema);
    const claimers = await Promise.all(Array.from({ length: 8 }, () => open(at)));
    const ids: number[] = [];
    for (let n = 0; n < 200; n++) ids.push((await claimers[0]!.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n } })).item.id);
    const won = new Map<number, string[]>();
    // Each replica's drain claims a few at a time until nothing is due: all 8 at once, every round.
    await Promise.all(
      claimers.map(async (s, who) => {
        const by = `replica-${who}`;
        for (;;) {
          const claimed = await s.outbox.claimDue('2100-01-01T00:00:00Z', 3, { by, leaseMs: 60_000 });
          if (claimed.length === 0) return;
          for (const item of claimed) {
            expect(item.claimedBy).toBe(by);
            won.set(item.id, [...(won.get(item.id) ?? []), by]);
          }
        }
      }),
    );
    expect([...won.keys()].sort((a, b) => a - b)).toEqual(ids);
    expect([...won.values()].every((w) => w.length === 1)).toBe(true);
    // Several replicas took part (the race was a race), and each settles only what it won.
    expect(new Set([...won.values()].map((w) => w[0])).size).toBeGreaterThan(1);
    await Promise.all(
      ids.map(async (id, i) => {
        const winner = won.get(id)![0]!;
        const loser = winner === 'replica-0' ? 'replica-1' : 'replica-0';
        const s = claimers[i % 8]!;
        await expect(s.outbox.markDone(id, loser)).rejects.toMatchObject({ code: 'conflict' });
        await s.outbox.markDone(id, winner);
      }),
    );
    expect(await claimers[0]!.outbox.counts()).toEqual({ pending: 0, sending: 0, done: 200, failed: 0, unknown: 0 });
    expect(await claimers[0]!.serial()).toBe(0);
  });

  it('replicas expiring claims at once settle each expired item once; a live claim is left alone', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const at = pgLocation(schema);
    const replicas = await Promise.all(Array.from({ length: 8 }, () => open(at)));
    for (let n = 0; n < 20; n++) await replicas[0]!.outbox.enqueue({ kind: 'message', address: 'message.m', payload: { n } });
    expect(await replicas[0]!.outbox.claimDue('2100-01-01T00:00:00Z', 10, { by: 'dead-replica', leaseMs: 200 })).toHaveLength(10);
    expect(await replicas[1]!.outbox.claimDue('2100-01-01T00:00:00Z', 10, { by: 'live-replica', leaseMs: 60_000 })).toHaveLength(10);
    await new Promise((r) => setTimeout(r, 300));
    const expired = (await Promise.all(replicas.map((s) => s.outbox.expireClaims()))).flat();
    expect(expired).toHaveLength(10);
    expect(new Set(expired.map((i) => i.id)).size).toBe(10);
    expect(expired.every((i) => i.status === 'unknown' && i.claimedBy === 'dead-replica')).toBe(true);
    expect(await replicas[2]!.outbox.counts()).toEqual({ pending: 0, sending: 10, done: 0, failed: 0, unknown: 10 });
    expect((await replicas[2]!.outbox.list({ status: 'sending' })).every((i) => i.claimedBy === 'live-replica')).toBe(true);
  });

  it('migration 2: a send a version-1 state left `sending` (no claimer, no lease) is unknown at the first expiry', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    await pgQuery(`CREATE SCHEMA "${schema}"`);
    await pgQuery(`SET search_path TO "${schema}"; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL); ${MIGRATIONS[0]}; INSERT INTO schema_migrations VALUES (1, 'then');
      INSERT INTO outbox (kind, address, payload, status, attempts, enqueued_at, next_attempt_at, last_attempt_at) VALUES ('message', 'message.m', '{}', 'sending', 1, 'then', 'then', 'then')`);
    const s = await open(pgLocation(schema));
    expect(await s.outbox.list()).toMatchObject([{ status: 'sending', claimedBy: null, leaseUntil: null }]);
    const expired = await s.outbox.expireClaims();
    expect(expired).toMatchObject([{ status: 'unknown', lastError: expect.stringMatching(/^it was in flight when the daemon stopped: it may have been sent/) }]);
  });
});

/** The settings a store's connections run with: a pool made as the store makes its own. */
async function pgSessionSettings(at: string): Promise<Record<string, string>> {
  const { poolFor } = await import('../../src/state/postgres/store.js');
  const { parsePgLocation } = await import('../../src/state/postgres/location.js');
  const parsed = parsePgLocation(at);
  if (!parsed.ok) throw new Error(parsed.problem);
  const pool = poolFor(parsed.connectionString, parsed.schema);
  try {
    const { rows } = await pool.query(
      `SELECT current_setting('statement_timeout') AS statement_timeout, current_setting('idle_in_transaction_session_timeout') AS idle_in_transaction_session_timeout,
              current_setting('application_name') AS application_name, current_setting('search_path') AS search_path`,
    );
    return rows[0] as Record<string, string>;
  } finally {
    await pool.end();
  }
}

/**
 * Fresh schemas and the stores opened on them, for one describe block: `location()` names a new
 * schema, `open(at)` opens a store there; after each test the stores close and the schemas drop.
 */
function scratchStores(): { schemas: string[]; location(): string; open(at: string): Promise<StateStore> } {
  const schemas: string[] = [];
  const stores: StateStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const schema of schemas.splice(0)) await dropSchema(schema);
  });
  return {
    schemas,
    location() {
      const schema = freshSchemaName();
      schemas.push(schema);
      return pgLocation(schema);
    },
    async open(at) {
      const s = await mustOpen(at);
      stores.push(s);
      return s;
    },
  };
}
