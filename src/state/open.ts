/**
 * Opens the state store named by an environment's `state` setting (or CAMPAIGNCTL_STATE): a file
 * path is SQLite; a `postgres://` / `postgresql://` URL is PostgreSQL (not in this version).
 *
 * Problems the user can fix (an unsupported URL, a file that is not a database, a folder that can
 * not be written, a state written by a newer campaignctl) are RETURNED as a Diagnostic, never
 * thrown: `{ ok: false, diagnostic }`; the CLI prints it and exits 1. Messages never repeat a URL's
 * credentials.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { openSqliteStore, type SqliteOptions } from './sqlite/store.js';
import type { StateStore } from './store.js';

export type OpenStateOptions = SqliteOptions;
export type OpenStateResult = { ok: true; store: StateStore } | { ok: false; diagnostic: Diagnostic };

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** A location safe to print: credentials in a URL replaced by ***. */
export function displayLocation(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/\s@]*)@/i, (_, scheme: string) => `${scheme}***@`);
}

function problem(d: Diagnostic): OpenStateResult {
  return { ok: false, diagnostic: d };
}

export async function openStateStore(location: string, opts: OpenStateOptions = {}): Promise<OpenStateResult> {
  const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    return problem(diagnostic('state.postgres-unavailable', { location: displayLocation(location) }));
  }
  if (scheme) return problem(diagnostic('state.unsupported-location', { scheme }));
  if (!location.trim()) return problem(diagnostic('state.unsupported-location', {}));
  try {
    const opened = openSqliteStore(location, opts);
    if (opened.ok) return opened;
    return problem(diagnostic('state.newer-schema', { location, found: opened.found, known: opened.known }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return problem(diagnostic('state.open-failed', { location, detail: e.message, notADatabase: e.code === 'SQLITE_NOTADB' }));
  }
}
