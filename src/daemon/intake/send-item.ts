/**
 * One outbox item through the same operation the CLI runs for it (`send`, `trigger`, `raise`,
 * src/operations), and what its outcome means for the item:
 * - done: every identity was sent (raise: the event was raised);
 * - unknown: some call may have landed without an answer saying so: never sent again;
 * - retry: nothing went out and every failure is one CleverTap may get past later (429 after the
 *   client's own retries, a connection that never reached it, a send stopped before it started);
 * - failed: nothing more will be tried (refused by CleverTap or by the contract's checks, or some
 *   identities were sent and the rest failed: sending the item again would repeat those).
 * The result kept on a done item holds counts only, never identities or data.
 */
import { raise } from '../../operations/raise.js';
import { send } from '../../operations/send.js';
import { trigger } from '../../operations/trigger.js';
import type { OperationContext } from '../../operations/context.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { BatchFailure } from '../../runtime/dispatch.js';
import type { JsonObject, OutboxItem } from '../../state/store.js';

export interface SendCounts {
  identities: number;
  calls: number;
  sent: number;
  failed: number;
  unknown: number;
}

export type ItemOutcome =
  | { status: 'done'; counts: SendCounts }
  | { status: 'unknown' | 'failed' | 'retry'; counts: SendCounts | null; error: string };

/** Failures that happened before CleverTap acted and that may pass later. */
const TRANSIENT: ReadonlySet<BatchFailure['kind']> = new Set(['rate-limited', 'network', 'timeout', 'server', 'not-attempted']);

export async function sendItem(ctx: OperationContext, item: OutboxItem): Promise<ItemOutcome> {
  const p = item.payload as { to?: Record<string, string[]>; data?: Record<string, unknown>; name?: string; properties?: Record<string, unknown> };
  if (item.kind === 'raise') {
    const r = await raise(ctx, { bulletin: item.address, name: p.name ?? '', properties: p.properties });
    if (r.status !== 'done') return refusedAtSend(r.status === 'refused' || r.status === 'already-claimed' ? r.diagnostics : []);
    const counts: SendCounts = { identities: 0, calls: 1, sent: r.report.outcome === 'succeeded' ? 1 : 0, failed: r.report.outcome === 'failed' ? 1 : 0, unknown: r.report.outcome === 'unknown' ? 1 : 0 };
    if (r.report.outcome === 'succeeded') return { status: 'done', counts };
    const failure = r.report.failure;
    const why = failure ? describeFailure(failure) : 'no answer';
    if (r.report.outcome === 'unknown') return { status: 'unknown', counts, error: `the raise may have landed: ${why}` };
    return { status: failure && TRANSIENT.has(failure.kind) ? 'retry' : 'failed', counts, error: `not raised: ${why}` };
  }
  const options = { contract: item.address, to: p.to ?? {}, data: p.data };
  const r = item.kind === 'message' ? await send(ctx, options) : await trigger(ctx, options);
  if (r.status !== 'done') return refusedAtSend(r.status === 'refused' ? r.diagnostics : []);
  const { identities, calls, sent, failed, unknown, batches } = r.report;
  const counts: SendCounts = { identities, calls, sent, failed, unknown };
  if (unknown === 0 && failed === 0) return { status: 'done', counts };
  const firstFailure = batches.find((b) => b.status !== 'sent')?.failure;
  const tally = `sent ${sent}, failed ${failed}, unknown ${unknown} of ${identities} identities`;
  const why = firstFailure ? `; ${describeFailure(firstFailure)}` : '';
  if (unknown > 0) return { status: 'unknown', counts, error: `${tally}: some calls may have landed${why}` };
  const retryable = sent === 0 && batches.every((b) => b.status === 'failed' && b.failure !== undefined && TRANSIENT.has(b.failure.kind));
  return { status: retryable ? 'retry' : 'failed', counts, error: `${tally}${why}` };
}

function refusedAtSend(diagnostics: readonly Diagnostic[]): ItemOutcome {
  const codes = [...new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))];
  return { status: 'failed', counts: null, error: `refused when sending, nothing sent: ${codes.join(', ') || 'no reason given'}` };
}

function describeFailure(f: BatchFailure): string {
  const parts = [f.kind, f.httpStatus === null ? null : `HTTP ${f.httpStatus}`, f.code === null ? null : `code ${f.code}`].filter(Boolean);
  return `${parts.join(', ')}: ${f.error}`;
}

/**
 * The counts of a send that succeeded, from its audit record's detail (what the operation wrote:
 * identities, calls, sent); null when the detail does not have them (then the item is settled
 * after the operation returns, as any other outcome).
 */
export function successCounts(item: Pick<OutboxItem, 'kind'>, detail: JsonObject | undefined): SendCounts | null {
  if (item.kind === 'raise') return { identities: 0, calls: 1, sent: 1, failed: 0, unknown: 0 };
  const n = (k: string) => (typeof detail?.[k] === 'number' ? (detail[k] as number) : null);
  const identities = n('identities');
  const calls = n('calls');
  const sent = n('sent');
  if (identities === null || calls === null || sent === null || sent !== identities) return null;
  return { identities, calls, sent, failed: 0, unknown: 0 };
}

export function countsJson(c: SendCounts): JsonObject {
  return { ...c };
}
