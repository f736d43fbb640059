/**
 * Opens the state store named by an environment's `state` setting (or CAMPAIGNCTL_STATE): a file
 * path is SQLite; a `postgres://` / `postgresql://` URL is PostgreSQL (not in this version).
 *
 * Problems the user can fix (an unsupported URL, a file that is not a database, a folder that can
 * not be written, a state written by a newer campaignctl) are RETURNED as a Diagnostic, never
 * thrown: `{ ok: false, diagnostic }`; the CLI prints it and exits 1. Messages never repeat a URL's
 * credentials.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { openSqliteStore, type SqliteOptions } from './sqlite/store.js';
import type { StateStore } from './store.js';

export type OpenStateOptions = SqliteOptions;
export type OpenStateResult = { ok: true; store: StateStore } | { ok: false; diagnostic: Diagnostic };

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const HINT = 'Set `state` in campaignctl.yaml (or CAMPAIGNCTL_STATE) to a file path, e.g. .campaignctl/production.db.';

/** A location safe to print: credentials in a URL replaced by ***. */
export function displayLocation(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/\s@]*)@/i, (_, scheme: string) => `${scheme}***@`);
}

function problem(code: string, message: string, hint = HINT): OpenStateResult {
  return { ok: false, diagnostic: { severity: 'error', code, message, hint } };
}

export async function openStateStore(location: string, opts: OpenStateOptions = {}): Promise<OpenStateResult> {
  const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return problem(
      'state.postgres-unavailable',
      `PostgreSQL state is not available in this version (state: ${displayLocation(location)})`,
    );
  }
  if (scheme) return problem('state.unsupported-location', `unsupported state location scheme "${scheme}://"`);
  if (!location.trim()) return problem('state.unsupported-location', 'the state location is empty');
  try {
    const opened = openSqliteStore(location, opts);
    if (opened.ok) return opened;
    return problem(
      'state.newer-schema',
      `state file ${location} has schema version ${opened.found}; this campaignctl knows up to ${opened.known}`,
      'Upgrade campaignctl; an older version must not write a newer state.',
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'SQLITE_NOTADB' ? 'it is not a SQLite database' : e.message;
    return problem('state.open-failed', `can not open state file ${location}: ${why}`);
  }
}
