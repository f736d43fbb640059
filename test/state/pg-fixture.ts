/**
 * The PostgreSQL the tests use: CAMPAIGNCTL_TEST_PG_URL (.ci/run sets it to the machine's
 * postgres://postgres@127.0.0.1:5432/test). Each test gets a schema of its own, dropped after.
 * When the variable is unset or the server can not be reached, `pgUnavailable` says why: the
 * suites then skip with that reason printed, except under CI=true, where pgSuite fails instead.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, it } from 'vitest';

export const PG_URL = process.env.CAMPAIGNCTL_TEST_PG_URL ?? '';

async function probe(): Promise<string | null> {
  if (!PG_URL) return 'CAMPAIGNCTL_TEST_PG_URL is not set';
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return `PostgreSQL at CAMPAIGNCTL_TEST_PG_URL can not be reached: ${(err as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Null when PostgreSQL is there; else why not. */
export const pgUnavailable: string | null = await probe();

/**
 * describe() for tests that need PostgreSQL. Unavailable: under CI=true one failing test says why;
 * elsewhere the suite is skipped, and the reason printed.
 */
export function pgSuite(name: string, body: () => void): void {
  if (pgUnavailable === null) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs PostgreSQL (CI=true: it must run)', () => {
        throw new Error(`${pgUnavailable}; under CI=true the PostgreSQL tests must run`);
      });
    });
    return;
  }
  console.warn(`[skipped] ${name}: ${pgUnavailable} (set CAMPAIGNCTL_TEST_PG_URL=postgres://USER@HOST:5432/DB to run it)`);
  describe.skip(`${name} (skipped: ${pgUnavailable})`, body);
}

/** A schema name no other test uses. */
export function freshSchemaName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** The test URL pointing at `schema`. */
export function pgLocation(schema: string): string {
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs one query on the test database (outside any store), for checks a store does not expose. */
export async function pgQuery<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}
