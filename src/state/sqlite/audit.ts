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

export function appendAudit(c: Ctx, e: AuditInput): AuditEntry {
  const detail = e.detail === undefined ? null : toStorableJson(e.detail, 'audit detail');
  for (const [what, text] of [['command', e.command], ['action', e.action], ['author', e.author]] as const) {
    checkStorableText(text, `audit ${what}`);
  }
  const at = e.at ?? c.now();
  const info = c
    .stmt(
      `INSERT INTO audit (at, command, address, action, outcome, detail, commit_sha, author, dirty, journal_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(at, e.command, e.address, e.action, e.outcome ?? null, detail, e.commit, e.author, e.dirty === null ? null : e.dirty ? 1 : 0, e.journalId ?? null);
  c.recorded();
  return toEntry(c.stmt('SELECT * FROM audit WHERE id = ?').get(info.lastInsertRowid) as AuditRow);
}

export function auditStore(x: Executor): AuditStore {
  return {
    append: (e) => x.write((c) => appendAudit(c, e)),
    list: (f = {}) =>
      x.read((c) =>
        (
          c
            .stmt(
              `SELECT * FROM audit WHERE (@address IS NULL OR address = @address) AND (@command IS NULL OR command = @command)
               ORDER BY id DESC LIMIT @limit`,
            )
            .all({ address: f.address ?? null, command: f.command ?? null, limit: f.limit ?? 100 }) as AuditRow[]
        ).map(toEntry),
      ),
  };
}
