/**
 * One transaction's statements on one client, in as few round trips as the protocol allows.
 * Statements without results that matter (BEGIN, SAVEPOINT, RELEASE) are HELD and sent in front of
 * the next statement, in one simple-protocol message: a parameterised statement then goes with
 * its parameters written as quoted literals (what node-postgres sends as untyped text parameters,
 * so PostgreSQL infers the same types), escaped by node-postgres's escapeLiteral. A parameter that
 * is not a string, number, boolean or null is never inlined: the held statements go first, on their own.
 *
 * A transaction's BEGIN, savepoints and serial bump cost no round trip of their own this way; on
 * a local server a round trip costs about what planning the statement does, on a remote one it is
 * the network hop. (A tick's decision goes further: one function call, ./runs.ts decideTick.)
 */
import pg from 'pg';
import type { PoolClient, QueryResult } from 'pg';

/** A statement and its `$n` parameters. */
export interface Statement {
  sql: string;
  params: readonly unknown[];
}

export class Wire {
  private held: string[];
  /** Something reached the server: the transaction is open there (or failed there). */
  sent = false;

  constructor(
    private readonly client: PoolClient,
    held: string[] = [],
  ) {
    this.held = held;
  }

  /** Sends later, in front of the next statement. */
  hold(statement: string): void {
    this.held.push(statement);
  }

  /** Drops `statement` and whatever was held after it, if not sent yet; true when it was still held. */
  unhold(statement: string): boolean {
    const at = this.held.lastIndexOf(statement);
    if (at < 0) return false;
    this.held = this.held.slice(0, at);
    return true;
  }

  /** Forgets what is held (COMMIT releases savepoints by itself). */
  dropHeld(): void {
    this.held = [];
  }

  async query(sql: string, params: unknown[] = []): Promise<QueryResult> {
    if (this.held.length === 0) return this.send(() => this.client.query(sql, params));
    const text = params.length === 0 ? sql : inline(sql, params);
    if (text === null) {
      await this.flush();
      return this.send(() => this.client.query(sql, params));
    }
    const all = [...this.held, text].join('; ');
    this.held = [];
    return this.send(async () => last(await this.client.query(all)));
  }

  /**
   * Several statements in one message, after what is held; the result of each. Each statement
   * runs with its own snapshot (READ COMMITTED), so one that follows a row lock sees what the
   * lock's previous holder committed. A parameter that can not be inlined sends them one by one.
   */
  async queryEach(statements: readonly Statement[]): Promise<QueryResult[]> {
    const texts = statements.map((s) => (s.params.length === 0 ? s.sql : inline(s.sql, s.params)));
    if (texts.some((t) => t === null)) {
      const out: QueryResult[] = [];
      for (const s of statements) out.push(await this.query(s.sql, [...s.params]));
      return out;
    }
    const all = [...this.held, ...(texts as string[])].join('; ');
    this.held = [];
    return this.send(async () => {
      const r = await this.client.query(all);
      const results = Array.isArray(r) ? (r as QueryResult[]) : [r];
      return results.slice(results.length - statements.length);
    });
  }

  /** Sends what is held, with `statements` after it (none held and none given: nothing is sent). */
  async flush(...statements: string[]): Promise<void> {
    const all = [...this.held, ...statements];
    this.held = [];
    if (all.length > 0) await this.send(() => this.client.query(all.join('; ')));
  }

  private send<T>(f: () => Promise<T>): Promise<T> {
    this.sent = true;
    return f();
  }
}

/** A multi-statement simple query answers with one result per statement: the caller's is the last. */
function last(r: QueryResult | QueryResult[]): QueryResult {
  return Array.isArray(r) ? r[r.length - 1]! : r;
}

function literal(v: unknown): string | null {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return pg.escapeLiteral(v);
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' || typeof v === 'boolean') return pg.escapeLiteral(String(v));
  return null;
}

/**
 * `sql` with each `$n` outside quotes and comments replaced by the literal of params[n-1]; null
 * when a parameter can not be written as a literal. Quoted text, identifiers and comments are
 * copied as they are.
 */
export function inline(sql: string, params: readonly unknown[]): string | null {
  const literals = params.map(literal);
  if (literals.some((l) => l === null)) return null;
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (quote) {
      out += ch;
      // A doubled quote inside quotes is the quote character itself: the loop sees it as close + open.
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
      continue;
    }
    // Comments are copied whole: a quote or a `$1` in one is not SQL.
    const comment = ch === '-' && sql[i + 1] === '-' ? sql.indexOf('\n', i) : ch === '/' && sql[i + 1] === '*' ? sql.indexOf('*/', i) + 1 : -2;
    if (comment !== -2) {
      const end = comment < 0 ? sql.length - 1 : comment;
      out += sql.slice(i, end + 1);
      i = end;
      continue;
    }
    const number = ch === '$' ? /^\d+/.exec(sql.slice(i + 1))?.[0] : undefined;
    if (number === undefined) {
      out += ch;
      continue;
    }
    const value = literals[Number(number) - 1];
    if (value === undefined) throw new Error(`statement refers to $${number} but has ${params.length} parameters`);
    out += value;
    i += number.length;
  }
  return out;
}
