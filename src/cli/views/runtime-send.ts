/**
 * Text and JSON views of runtime sends (`send`, `trigger`, `raise`): the dry-run bodies with
 * identities elided after the first few, and the summary (calls, sent, failed, unknown, where the
 * failed and unknown identities were written and what to do with them).
 */
import type { Colors } from '../context.js';
import type { WrittenFiles } from '../../operations/runtime-files.js';
import { resolveCommand, type CommandTarget } from '../../diagnostics/command-line.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { BatchOutcome, IdentityLists, PreparedRaise, PreparedSend, RaiseReport, SendReport } from '../../runtime/index.js';
import { requestBody } from '../../runtime/index.js';

/** Ids shown per key in a dry run before "... N more". */
export const SHOWN_IDS = 3;

export function elideTo(to: IdentityLists, keep: number = SHOWN_IDS): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, ids] of Object.entries(to)) {
    out[key] = ids.length > keep ? [...ids.slice(0, keep), `... ${ids.length - keep} more`] : [...ids];
  }
  return out;
}

const n = (v: number) => v.toLocaleString('en-US');
const plural = (v: number, one: string, many = `${one}s`) => `${n(v)} ${v === 1 ? one : many}`;

function countsByKey(to: IdentityLists): string {
  return Object.entries(to)
    .map(([k, ids]) => `${k} ${n(ids.length)}`)
    .join(', ');
}

export function sendDryRunText(p: PreparedSend, c: Colors): string {
  const lines = [
    `${c.bold('Dry run')}: nothing is sent.`,
    `POST ${p.endpoint} ${c.dim('x')} ${plural(p.batches.length, 'call')}, ${plural(p.identities, 'identity', 'identities')}`,
  ];
  p.batches.forEach((b, i) => lines.push(`  call ${i + 1}/${p.batches.length}: ${countsByKey(b.to)}`));
  const first = p.batches[0];
  if (first) {
    lines.push('', `Body of call 1 (${p.batches.length > 1 ? 'every call carries the same body with its own `to`; ' : ''}ids after the first ${SHOWN_IDS} elided):`);
    lines.push(JSON.stringify({ ...requestBody(p, first), to: elideTo(first.to) }, null, 2));
  }
  return lines.join('\n');
}

export function sendDryRunJson(p: PreparedSend, diagnostics: readonly Diagnostic[]): Record<string, unknown> {
  return {
    ok: true,
    dryRun: true,
    address: p.address,
    endpoint: p.endpoint,
    identities: p.identities,
    calls: p.batches.length,
    requests: p.batches.map((b) => ({ ...requestBody(p, b), to: elideTo(b.to) })),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
}

function failureLine(b: BatchOutcome<IdentityLists>): string {
  const f = b.failure;
  const what = !f ? '' : f.kind === 'not-attempted' ? f.error : `${f.error}${f.httpStatus !== null ? ` (HTTP ${f.httpStatus})` : ` (${f.kind})`}`;
  const verdict = b.status === 'unknown' ? 'may have been delivered' : 'not delivered';
  return `batch ${b.index + 1}: ${plural(b.count, 'identity', 'identities')} ${b.status}, ${verdict}: ${what}`;
}

/** Failed batches listed one by one up to this many. */
const LISTED_FAILURES = 10;

/** `retry`: the command that sends to the failed identities again (null when it could not be made). */
export function sendSummaryText(r: SendReport, files: WrittenFiles, opts: { c: Colors; retry: string | null; sandbox: boolean }): string {
  const { c } = opts;
  const lines = [
    `${r.address}: ${plural(r.identities, 'identity', 'identities')} in ${plural(r.calls, 'call')} to ${r.endpoint}${opts.sandbox ? c.dim(' (embedded sandbox: nothing reached CleverTap)') : ''}`,
    `  sent     ${c.green(n(r.sent))}`,
    `  failed   ${r.failed ? c.red(n(r.failed)) : '0'}`,
    `  unknown  ${r.unknown ? c.yellow(n(r.unknown)) : '0'}`,
  ];
  const bad = r.batches.filter((b) => b.status !== 'sent');
  for (const b of bad.slice(0, LISTED_FAILURES)) lines.push(`  ${failureLine(b)}`);
  if (bad.length > LISTED_FAILURES) lines.push(`  ... and ${bad.length - LISTED_FAILURES} more batches`);
  if (files.failed) {
    lines.push(`Failed identities (definitely not sent) written to ${files.failed}${opts.retry ? `; send them again with:\n  ${opts.retry}` : ''}`);
  }
  if (files.unknown) {
    lines.push(
      `Unknown identities (the call may have landed; never resent automatically) written to ${files.unknown}.`,
      '  Check with CleverTap before sending them again: sending twice is worse than asking.',
    );
  }
  return lines.join('\n');
}

export function sendJson(r: SendReport, files: WrittenFiles, diagnostics: readonly Diagnostic[]): Record<string, unknown> {
  return {
    ok: r.outcome === 'succeeded',
    dryRun: false,
    address: r.address,
    endpoint: r.endpoint,
    identities: r.identities,
    calls: r.calls,
    sent: r.sent,
    failed: r.failed,
    unknown: r.unknown,
    outcome: r.outcome,
    files,
    failures: r.batches
      .filter((b) => b.status !== 'sent')
      .map((b) => ({ batch: b.index + 1, identities: b.count, status: b.status, ...b.failure })),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
}

export function raiseDryRunText(p: PreparedRaise, c: Colors): string {
  return [`${c.bold('Dry run')}: nothing is sent.`, `POST ${p.endpoint}`, JSON.stringify(p.body, null, 2)].join('\n');
}

export function raiseText(p: PreparedRaise, r: RaiseReport, opts: { c: Colors; target: CommandTarget; sandbox: boolean; occurrence?: boolean }): string {
  const { c } = opts;
  const where = opts.sandbox ? c.dim(' (embedded sandbox: nothing reached CleverTap)') : '';
  const what = `${p.address}: business event "${p.body.business_event}" named "${p.body.name}"`;
  if (r.outcome === 'succeeded') return `${what} raised${where}`;
  const f = r.failure;
  const why = f ? `${f.error}${f.httpStatus !== null ? ` (HTTP ${f.httpStatus})` : ` (${f.kind})`}` : '';
  if (r.outcome === 'failed') return `${what} ${c.red('not raised')}: ${why}`;
  const settle = opts.occurrence
    ? `It is recorded as unknown and never raised again automatically; after checking CleverTap run:\n  ${resolveCommand(opts.target, p.address)}`
    : 'It is not retried: check CleverTap before raising it again.';
  return `${what} ${c.yellow('outcome unknown')}: ${why}; it may have been raised.\n${settle}`;
}

export function raiseJson(p: PreparedRaise, r: RaiseReport | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ok: r ? r.outcome === 'succeeded' : true,
    dryRun: r === null,
    address: p.address,
    endpoint: p.endpoint,
    body: p.body,
    outcome: r?.outcome ?? null,
    failure: r?.failure ?? null,
    ...extra,
  };
}
