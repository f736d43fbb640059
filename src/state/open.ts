/**
 * Opens the state store named by an environment's `state` setting (or CAMPAIGNCTL_STATE): a file
 * path is SQLite; a `postgres://` / `postgresql://` URL is PostgreSQL (./postgres/, tables in the
 * schema named by `?schema=`, default `campaignctl`).
 *
 * Problems the user can fix (an unsupported URL, a file that is not a database, a folder that can
 * not be written, a server that can not be reached, a state written by a newer campaignctl) are
 * RETURNED as a Diagnostic, never thrown: `{ ok: false, diagnostic }`; the CLI prints it and exits
 * 1. Messages never repeat a URL's credentials. A PostgreSQL server whose clock differs from this
 * machine's by more than a minute opens with a `state.clock-skew` warning in `warnings`.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PostgresOptions } from './postgres/store.js';
import { openSqliteStore, type SqliteOptions } from './sqlite/store.js';
import type { StateStore } from './store.js';

export type OpenStateOptions = SqliteOptions & PostgresOptions;
export type OpenStateResult = { ok: true; store: StateStore; warnings?: Diagnostic[] } | { ok: false; diagnostic: Diagnostic };

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** Beyond this, the database's clock (leases) and this machine's (ticks, recorded times) disagree visibly. */
export const CLOCK_SKEW_WARN_MS = 60_000;

/** A location safe to print: the user information of a URL (user and password) replaced by ***. */
export function displayLocation(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/\s@]*)@/i, (_, scheme: string) => `${scheme}***@`);
}

export function isPostgresLocation(location: string): boolean {
  const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
  return scheme === 'postgres' || scheme === 'postgresql';
}

function problem(d: Diagnostic): OpenStateResult {
  return { ok: false, diagnostic: d };
}

export async function openStateStore(location: string, opts: OpenStateOptions = {}): Promise<OpenStateResult> {
  const scheme = URL_SCHEME.exec(location)?.[1]?.toLowerCase();
  if (isPostgresLocation(location)) return openPostgres(location, opts);
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

async function openPostgres(location: string, opts: OpenStateOptions): Promise<OpenStateResult> {
  const shown = displayLocation(location);
  try {
    // Loaded only for a PostgreSQL location: node-postgres costs a SQLite user's every command ~30-100 ms of start-up.
    const { openPostgresStore } = await import('./postgres/store.js');
    const opened = await openPostgresStore(location, opts);
    if (!opened.ok) {
      return opened.reason === 'bad-location'
        ? problem(diagnostic('state.postgres-bad-location', { location: shown, problem: opened.problem }))
        : problem(diagnostic('state.newer-schema', { location: shown, found: opened.found, known: opened.known }));
    }
    const warnings =
      Math.abs(opened.clockSkewMs) > CLOCK_SKEW_WARN_MS ? [diagnostic('state.clock-skew', { location: shown, skewSeconds: Math.round(opened.clockSkewMs / 1000) })] : [];
    return { ok: true, store: opened.store, warnings };
  } catch (err) {
    return problem(diagnostic('state.postgres-unreachable', { location: shown, detail: redact((err as Error).message ?? String(err), location) }));
  }
}

/** A driver message never repeats the URL's password (it should not, this makes sure). */
function redact(message: string, location: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(location).password);
  } catch {
    // not a URL: nothing to hide
  }
  return password ? message.split(password).join('***') : message;
}
