/**
 * Hints on PostgreSQL: NOTIFY from the writing transaction (PostgreSQL delivers it on commit, and
 * drops it on rollback), LISTEN on one dedicated client per listener, never a pooled one (a pooled
 * connection goes back to the pool, and a LISTEN through a transaction pooler is lost). The
 * channel is named from the schema, so projects sharing a database do not wake each other.
 * A hint is only a wake-up: after a lost connection the listener reconnects with backoff and wakes
 * its caller once (what was sent meanwhile is gone), and the caller's polling goes on regardless.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { HintKind, HintListener, StateHints } from '../store.js';

/** `$1` is the hint kind; the channel comes from the schema the statement runs in. */
export const NOTIFY_SQL = `SELECT pg_notify('campaignctl_' || left(md5(current_schema()), 16), $1)`;

export function hintChannel(schema: string): string {
  return `campaignctl_${createHash('md5').update(schema).digest('hex').slice(0, 16)}`;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
const KINDS: readonly string[] = ['refresh', 'outbox'] satisfies HintKind[];

export function pgHints(connectionString: string, schema: string): StateHints {
  const channel = hintChannel(schema);
  return {
    available: true,
    listen(onHint, onProblem): HintListener {
      let closed = false;
      let client: pg.Client | null = null;
      let failures = 0;
      let retry: NodeJS.Timeout | undefined;
      const connect = async (again: boolean) => {
        if (closed) return;
        const c = (client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000, keepAlive: true, application_name: 'campaignctl-listen' }));
        let gone = false;
        const lost = (why: string) => {
          if (gone) return;
          gone = true;
          c.removeAllListeners('notification');
          void c.end().catch(() => undefined);
          if (closed) return;
          const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures++);
          onProblem?.(`the hint connection to PostgreSQL was lost (${why}); trying again in ${delay} ms, polling goes on meanwhile`);
          retry = setTimeout(() => void connect(true), delay);
          retry.unref();
        };
        c.on('error', (err) => lost(err.message));
        c.on('end', () => lost('the connection ended'));
        c.on('notification', (n) => {
          if (n.channel === channel && n.payload !== undefined && KINDS.includes(n.payload)) onHint(n.payload as HintKind);
        });
        try {
          await c.connect();
          await c.query(`LISTEN ${channel}`);
          failures = 0;
          // What was sent while the connection was down is lost: look once, as if hinted.
          if (again) for (const kind of KINDS) onHint(kind as HintKind);
        } catch (err) {
          lost((err as Error).message);
        }
      };
      void connect(false);
      return {
        async close() {
          closed = true;
          clearTimeout(retry);
          await client?.end().catch(() => undefined);
        },
      };
    },
  };
}
