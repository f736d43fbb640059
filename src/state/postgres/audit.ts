/** The `audit` table: append-only history of applied changes and runtime sends. */
import { checkStorableText, toStorableJson } from '../json-guard.js';
import type { AuditEntry, AuditInput, AuditStore, JsonObject } from '../store.js';
import type { Ctx, Executor } from './db.js';

interface AuditRow {
  id: number;
  at: string;
  command: string;
  address: string | null;
  action: string;
  outcome: AuditEntry['outcome'];
  detail: string | null;
  commit_sha: string | null;
  author: string | null;
  dirty: number | null;
  journal_id: string | null;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    command: r.command,
    address: r.address,
    action: r.action,
    outcome: r.outcome,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as JsonObject),
    commit: r.commit_sha,
    author: r.author,
    dirty: r.dirty === null ? null : r.dirty === 1,
    journalId: r.journal_id,
  };
}

export async function appendAudit(c: Ctx, e: AuditInput): Promise<AuditEntry> {
  const detail = e.detail === undefined ? null : toStorableJson(e.detail, 'audit detail');
  for (const [what, text] of [['command', e.command], ['action', e.action], ['author', e.author]] as const) {
    checkStorableText(text, `audit ${what}`);
  }
  const at = e.at ?? c.now();
  const [row] = await c.rows<AuditRow>(
    `INSERT INTO audit (at, command, address, action, outcome, detail, commit_sha, author, dirty, journal_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [at, e.command, e.address, e.action, e.outcome ?? null, detail, e.commit, e.author, e.dirty === null ? null : e.dirty ? 1 : 0, e.journalId ?? null],
  );
  c.recorded();
  return toEntry(row!);
}

export function auditStore(x: Executor): AuditStore {
  return {
    append: (e) => x.write((c) => appendAudit(c, e)),
    list: (f = {}) =>
      x.read(async (c) =>
        (
          await c.rows<AuditRow>(
            `SELECT * FROM audit WHERE ($1::text IS NULL OR address = $1) AND ($2::text IS NULL OR command = $2)
             ORDER BY id DESC LIMIT $3`,
            [f.address ?? null, f.command ?? null, f.limit ?? 100],
          )
        ).map(toEntry),
      ),
  };
}
