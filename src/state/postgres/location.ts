/**
 * What a `postgres://` state URL says: the connection (handed to node-postgres as is) and the
 * schema campaignctl's tables live in, `?schema=NAME` (default `campaignctl`), so several projects
 * can share one database. The password never has to be in the URL: node-postgres falls back to
 * PGPASSWORD and ~/.pgpass, and a URL with a password is accepted only from the environment
 * (see ../open.ts).
 */
import { SCHEMA_NAME } from './migrations.js';

export const DEFAULT_SCHEMA = 'campaignctl';

export type PgLocation = { ok: true; connectionString: string; schema: string; hasPassword: boolean } | { ok: false; problem: string };

export function parsePgLocation(location: string): PgLocation {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return { ok: false, problem: 'it is not a valid URL' };
  }
  const schema = url.searchParams.get('schema') ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) return { ok: false, problem: `schema "${schema}" is not a plain lower-case name (letters, digits, _)` };
  url.searchParams.delete('schema');
  return { ok: true, connectionString: url.toString(), schema, hasPassword: url.password !== '' };
}
