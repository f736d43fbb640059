/**
 * What `apply` prints: one line per finished change (as it happens), the closing summary with the
 * failures and what was skipped, and the JSON-lines events of `apply --json`.
 */
import type { ApplyResult, ChangeOutcome } from '../../apply/types.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { SYMBOL } from '../../plan/describe.js';
import type { PlanChange } from '../../plan/types.js';
import type { Colors } from '../context.js';
import type { ApplyRefusal as OperationRefusal } from '../../operations/apply.js';

const VERB: Record<PlanChange['action'], string> = {
  create: 'creating',
  replace: 'replacing',
  stop: 'stopping',
  forget: 'forgetting',
  update: 'updating',
  delete: 'deleting',
  send: 'sending',
};

export function progressText(change: PlanChange, done: number, total: number, elapsedMs: number): string {
  const width = String(total).length;
  return `[${String(done).padStart(width)}/${total}] ${clock(elapsedMs)}  ${VERB[change.action]} ${change.address}`;
}

export function outcomeLine(o: ChangeOutcome, c: Colors): string {
  const symbol = SYMBOL[o.action].padStart(3);
  const status = o.status === 'applied' ? c.green('ok') : o.status === 'failed' ? c.red(c.bold('FAILED')) : c.dim('skipped');
  return `${symbol} ${o.address}  ${o.action}  ${status}${o.message ? c.dim(`  ${o.message}`) : ''}`;
}

export function resultText(r: ApplyResult, c: Colors): string {
  const lines: string[] = [];
  const counts = `${r.applied} applied, ${r.failed} failed, ${r.skipped} skipped`;
  const head = r.ok
    ? c.green(`Apply complete in ${seconds(r.durationMs)}: ${counts}.`)
    : c.red(c.bold(`Apply ${r.interrupted ? 'interrupted' : 'stopped'} after ${seconds(r.durationMs)}: ${counts}.`));
  lines.push(head);
  const failed = r.outcomes.filter((o) => o.status === 'failed');
  if (failed.length > 0) {
    lines.push('Failed:');
    for (const o of failed) lines.push(`  ${c.red(o.address)}  ${o.action}: ${o.message ?? 'failed'}`);
  }
  const skipped = r.outcomes.filter((o) => o.status === 'skipped');
  if (skipped.length > 0) {
    const shown = skipped.slice(0, 10).map((o) => o.address);
    lines.push(`Skipped (not attempted): ${shown.join(', ')}${skipped.length > 10 ? `, and ${skipped.length - 10} more` : ''}`);
  }
  if (!r.ok) lines.push(c.dim('Everything applied so far is recorded in state; run plan again to see what is left.'));
  return lines.join('\n');
}

/** One JSON-lines event of `apply --json`. */
export function outcomeEvent(o: ChangeOutcome, index: number, total: number, elapsedMs: number): Record<string, unknown> {
  return {
    event: 'change',
    index: index + 1,
    total,
    address: o.address,
    action: o.action,
    status: o.status,
    remote_id: o.remoteId ?? null,
    message: o.message ?? null,
    error: o.error ?? null,
    elapsed_ms: Math.round(elapsedMs),
  };
}

export function resultEvent(r: ApplyResult): Record<string, unknown> {
  return {
    event: 'result',
    ok: r.ok,
    applied: r.applied,
    failed: r.failed,
    skipped: r.skipped,
    interrupted: r.interrupted,
    duration_ms: r.durationMs,
    outcomes: r.outcomes.map((o) => ({ address: o.address, action: o.action, status: o.status, remote_id: o.remoteId ?? null, message: o.message ?? null })),
  };
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/**
 * Why an apply changed nothing: a script reading `apply --json` always gets a closing `result`
 * event, and a refusal says which kind it was and why, instead of ending silently: the operation's
 * refusals, plus `invalid-flags` (the command line itself); `project` also stands
 * for a project with errors or a state that can not be opened.
 */
export type ApplyRefusal = OperationRefusal | 'invalid-flags';

export function refusalEvent(refused: ApplyRefusal, reason: string, diagnostics: readonly Diagnostic[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...resultEvent({ outcomes: [], applied: 0, failed: 0, skipped: 0, ok: false, interrupted: false, durationMs: 0 }),
    refused,
    reason,
    diagnostics,
    ...extra,
  };
}
