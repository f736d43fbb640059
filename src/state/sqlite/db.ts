/**
 * One better-sqlite3 connection shared by the table modules, and the two ways they run:
 * - on the store, each call is its own unit: reads as they are, writes in BEGIN IMMEDIATE (so two
 *   processes on one file serialise their writes) with the serial bumped in the same transaction;
 * - inside store.transaction(fn), every call joins the one open transaction.
 * better-sqlite3 is synchronous but the interface is async: while a transaction callback awaits,
 * other callers of this store queue behind a mutex instead of slipping into the open transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import { StateError } from '../errors.js';

/** What a table operation sees: the connection, the clock, and how to say "recorded state changed". */
export interface Ctx {
  stmt(sql: string): Database.Statement;
  now(): string;
  /** Real time (or the `now` option in tests), never a CAMPAIGNCTL_NOW clock: what leases are timed by. */
  leaseNow(): string;
  /** Call when a row of resources, journal, runs or audit changed: the serial is bumped once at commit. */
  recorded(): void;
}

export interface Executor {
  read<T>(f: (c: Ctx) => T): Promise<T>;
  write<T>(f: (c: Ctx) => T): Promise<T>;
}

export class SqliteDb {
  private readonly statements = new Map<string, Database.Statement>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly inTransaction = new AsyncLocalStorage<true>();
  private closed = false;

  constructor(
    readonly db: Database.Database,
    private readonly clock: () => Date,
    private readonly leaseClock: () => Date = clock,
  ) {}

  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  now(): string {
    return this.clock().toISOString();
  }

  /** The executor for calls made on the store itself. */
  readonly store: Executor = {
    read: (f) => this.exclusive(() => f(this.ctx(() => {}))),
    write: (f) =>
      this.exclusive(() => {
        let changed = false;
        return this.immediate(() => {
          const out = f(this.ctx(() => (changed = true)));
          if (changed) this.bumpSerial();
          return out;
        });
      }),
  };

  /** Runs fn inside one BEGIN IMMEDIATE transaction, handing it an executor bound to it. */
  transaction<T>(fn: (x: Executor) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      let changed = false;
      let active = true;
      const run = <R>(f: () => R): Promise<R> => {
        if (!active) return Promise.reject(new StateError('conflict', 'transaction handle used after the transaction ended'));
        try {
          return Promise.resolve(f());
        } catch (err) {
          return Promise.reject(err);
        }
      };
      // Each write is a savepoint: a method that throws half way (a settle whose resource is refused)
      // is undone as a unit even if the callback catches the error and goes on to commit.
      const tx: Executor = {
        read: (f) => run(() => f(this.ctx(() => {}))),
        write: (f) =>
          run(() => {
            let wrote = false;
            const out = this.db.transaction(() => f(this.ctx(() => (wrote = true))))();
            if (wrote) changed = true;
            return out;
          }),
      };
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const out = await this.inTransaction.run(true, () => fn(tx));
        if (changed) this.bumpSerial();
        this.db.exec('COMMIT');
        return out;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        active = false;
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private ctx(recorded: () => void): Ctx {
    return { stmt: (sql) => this.stmt(sql), now: () => this.now(), leaseNow: () => this.leaseClock().toISOString(), recorded };
  }

  private bumpSerial(): void {
    this.stmt('UPDATE state_serial SET value = value + 1, revision = lower(hex(randomblob(16))) WHERE id = 1').run();
  }

  private immediate<T>(f: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = f();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Serialises every call on this connection; refuses calls from inside a transaction callback. */
  private exclusive<T>(f: () => T | Promise<T>): Promise<T> {
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
