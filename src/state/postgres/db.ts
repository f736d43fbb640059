/**
 * One node-postgres pool shared by the table modules, and the two ways they run (as SQLite's
 * ./sqlite/db.ts does it, so both backends give the same serial and transaction semantics):
 * - on the store, each call is its own unit: one transaction on one checked-out client, the serial
 *   bumped in it when recorded state changed;
 * - inside store.transaction(fn), every call joins the one open transaction (same client), each
 *   write in a savepoint so a method that throws half way is undone as a unit.
 * Calls on one store run one at a time (a mutex): a reader started while a transaction callback
 * awaits waits for it, as with SQLite, instead of reading around it. Separate stores (processes,
 * replicas) run side by side: row locks, unique keys and the serial row keep them apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';
import { StateError } from '../errors.js';
import { Wire, type Statement } from './wire.js';

/** What a table operation sees: queries on the current client, the clocks, "recorded state changed". */
export interface Ctx {
  /** Rows of a query; `$1`-style parameters. */
  rows<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The rows of each statement, sent together in one message (./wire.ts queryEach). */
  rowsOfEach(statements: readonly Statement[]): Promise<unknown[][]>;
  /** Rows changed (or returned) by a statement. */
  run(sql: string, params?: unknown[]): Promise<number>;
  /** The store's clock (the `now` option, else the process clock): ISO, as SQLite writes it. */
  now(): string;
  /** The database's now(), ISO with milliseconds: what leases and the lock heartbeat are timed by. */
  dbNow(): Promise<string>;
  /** Call when a row of resources, journal, runs or audit changed: the serial is bumped once at commit. */
  recorded(): void;
}

export interface Executor {
  read<T>(f: (c: Ctx) => Promise<T>): Promise<T>;
  write<T>(f: (c: Ctx) => Promise<T>): Promise<T>;
  /**
   * The statements as one transaction, BEGIN and COMMIT in the same message as they are (one
   * round trip), each with its own snapshot; the rows of each. What they record they must count
   * themselves (state_serial, as BUMP_SERIAL does). Inside store.transaction they join the open
   * transaction in a savepoint, and commit with it.
   */
  atomic(statements: readonly Statement[]): Promise<unknown[][]>;
  /** The store's clock, as Ctx.now. */
  now(): string;
}

/** Moves the serial and the revision: what a transaction that changed recorded state ends with. */
const BUMP_SERIAL = `UPDATE state_serial SET value = value + 1, revision = replace(gen_random_uuid()::text, '-', '') WHERE id = 1`;

export class PgDb {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly inTransaction = new AsyncLocalStorage<true>();
  private closed = false;

  constructor(
    readonly pool: Pool,
    private readonly clock: () => Date,
  ) {}

  /** The executor for calls made on the store itself. */
  readonly store: Executor = {
    read: (f) => this.exclusive(() => this.withClient((client) => f(this.ctx(new Wire(client), () => {})))),
    write: (f) =>
      this.exclusive(() =>
        this.withClient(async (client) => {
          let changed = false;
          // BEGIN travels with the first statement (./wire.ts).
          const wire = new Wire(client, ['BEGIN']);
          try {
            const out = await f(this.ctx(wire, () => (changed = true)));
            // One round trip for the end: the serial bump (no parameters) travels with the COMMIT.
            if (wire.sent) await wire.flush(...(changed ? [BUMP_SERIAL] : []), 'COMMIT');
            return out;
          } catch (err) {
            if (wire.sent) await rollback(client);
            throw err;
          }
        }),
      ),
    now: () => this.clock().toISOString(),
    atomic: (statements) =>
      this.exclusive(() =>
        this.withClient(async (client) => {
          const wire = new Wire(client, ['BEGIN']);
          try {
            const results = await wire.queryEach([...statements, { sql: 'COMMIT', params: [] }]);
            return results.slice(0, statements.length).map((r) => r.rows as unknown[]);
          } catch (err) {
            await rollback(client);
            throw err;
          }
        }),
      ),
  };

  /**
   * Runs fn inside one transaction on one client, handing it an executor bound to it. Round trips
   * are what a transaction costs (a remote database is a network hop away): BEGIN, each
   * SAVEPOINT and RELEASE are held and travel with the next statement (./wire.ts), the serial
   * bump with the COMMIT. A transaction that sent nothing sends no COMMIT either.
   */
  transaction<T>(fn: (x: Executor) => Promise<T>): Promise<T> {
    return this.exclusive(() =>
      this.withClient(async (client) => {
        let changed = false;
        let active = true;
        let savepoints = 0;
        const wire = new Wire(client, ['BEGIN']);
        const guard = <R>(f: () => Promise<R>): Promise<R> =>
          active ? f() : Promise.reject(new StateError('conflict', 'transaction handle used after the transaction ended'));
        const tx: Executor = {
          read: (f) => guard(() => f(this.ctx(wire, () => {}))),
          write: (f) =>
            guard(async () => {
              const name = `w${++savepoints}`;
              let wrote = false;
              wire.hold(`SAVEPOINT ${name}`);
              try {
                const out = await f(this.ctx(wire, () => (wrote = true)));
                wire.hold(`RELEASE SAVEPOINT ${name}`);
                if (wrote) changed = true;
                return out;
              } catch (err) {
                // A savepoint never sent: nothing of this write reached the server.
                if (!wire.unhold(`SAVEPOINT ${name}`)) await wire.flush(`ROLLBACK TO SAVEPOINT ${name}`, `RELEASE SAVEPOINT ${name}`);
                throw err;
              }
            }),
          atomic: (statements) => tx.write((c) => c.rowsOfEach(statements)),
          now: () => this.clock().toISOString(),
        };
        try {
          const out = await this.inTransaction.run(true, () => fn(tx));
          if (wire.sent) {
            // COMMIT releases every savepoint: the held RELEASEs are not needed.
            wire.dropHeld();
            await wire.flush(...(changed ? [BUMP_SERIAL] : []), 'COMMIT');
          }
          return out;
        } catch (err) {
          if (wire.sent) await rollback(client);
          throw err;
        } finally {
          active = false;
        }
      }),
    );
  }

  /** Waits for the calls under way, then ends the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.tail;
    this.closed = true;
    await this.pool.end();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private ctx(wire: Wire, recorded: () => void): Ctx {
    return {
      rows: async <R>(sql: string, params: unknown[] = []) => (await wire.query(sql, params)).rows as R[],
      rowsOfEach: async (statements) => (await wire.queryEach(statements)).map((r) => r.rows as unknown[]),
      run: async (sql, params = []) => (await wire.query(sql, params)).rowCount ?? 0,
      now: () => this.clock().toISOString(),
      dbNow: async () => ((await wire.query('SELECT now() AS now')).rows[0] as { now: Date }).now.toISOString(),
      recorded,
    };
  }

  private async withClient<T>(f: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await f(client);
    } catch (err) {
      // A connection that failed mid-statement is not handed out again.
      if (!(err instanceof StateError) && isConnectionError(err)) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** Serialises every call on this store; refuses calls from inside a transaction callback. */
  private exclusive<T>(f: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StateError('closed', 'the state store is closed'));
    if (this.inTransaction.getStore()) {
      return Promise.reject(
        new StateError('nested-transaction', 'called the store from inside its own transaction callback; use the tx argument'),
      );
    }
    const result = this.tail.then(() => {
      if (this.closed) throw new StateError('closed', 'the state store is closed');
      return f();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}

async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone: the server rolled the transaction back itself.
  }
}

/** Errors without a SQLSTATE come from the connection, not from a statement. */
function isConnectionError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && !('code' in err && typeof (err as { code: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code));
}
