/**
 * Message via Identity and External Trigger sends: check the caller's data against the contract,
 * render the body once, split the identities into calls of at most 1,000, send them through the
 * client, and sort each call into sent / failed / unknown (dispatch.ts). Nothing is sent when the
 * data or the identities are wrong.
 *
 * prepare* are pure (no network, no state): `--dry-run` and the daemon's request validation use
 * them alone. sendMessage / fireTrigger run the whole operation and record it in the audit history.
 */
import { batchIdentities, countIdentities } from '../clevertap/batch.js';
import type { IdentityChannel } from '../clevertap/endpoints.js';
import { MAX_IDENTITIES_PER_EXTERNAL_TRIGGER, MAX_IDENTITIES_PER_SEND } from '../clevertap/unverified.js';
import type { ExternalTriggerBody, IdentitySendBody } from '../clevertap/wire.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { ExternalTriggerResource, MessageResource } from '../model/specs.js';
import type { RenderContext } from '../render/context.js';
import { renderMessageBody } from '../render/message.js';
import { renderTriggerBody } from '../render/trigger.js';
import type { JsonObject } from '../state/store.js';
import { recordRuntime, type RuntimeOutcome } from './audit.js';
import { DEFAULT_PARALLEL, type RuntimeContext } from './context.js';
import { dispatchBatches, totals, type BatchOutcome } from './dispatch.js';
import {
  IDENTITY_KEYS,
  keysUnsupportedByTrigger,
  recipientsFromTo,
  toExternalTriggerTo,
  toIdentitySendTo,
  type Recipients,
} from './recipients.js';

export type IdentityLists = Record<string, string[]>;

export interface PreparedSend {
  kind: 'message' | 'trigger';
  /** The contract: `message.x` or `trigger.y`. */
  address: string;
  /** `push`, `webpush`, `email`, `sms`, or `externaltrigger`. */
  channel: string;
  endpoint: string;
  /** The body of every call; `to` is replaced by each batch's identities. */
  body: Record<string, unknown>;
  batches: { to: IdentityLists; count: number }[];
  identities: number;
  /** Errors mean nothing may be sent; warnings (content checks) travel with the result. */
  diagnostics: Diagnostic[];
}

export interface SendInput {
  to: Recipients;
  /** The caller's data (Message `data`, ExternalTrigger payload); undefined means `{}`. */
  data?: unknown;
}

export interface SendOptions {
  /** Keep the identities in the audit record (off by default: they are personal data). */
  recordIdentities?: boolean;
  /** Check and render only: nothing is sent or recorded. */
  dryRun?: boolean;
}

export interface SendReport {
  address: string;
  channel: string;
  endpoint: string;
  identities: number;
  /** Calls that reached CleverTap (a call is one batch, whatever its retries). */
  calls: number;
  sent: number;
  failed: number;
  unknown: number;
  outcome: RuntimeOutcome;
  /** Every batch, in order, with its identities. */
  batches: BatchOutcome<IdentityLists>[];
  /** Identities of definitely failed batches: safe to send again. */
  failedRecipients: Recipients;
  /** Identities of batches that may have landed: check before sending again. */
  unknownRecipients: Recipients;
  /** Warnings after sending (the audit record could not be written). */
  diagnostics: Diagnostic[];
}

export type SendResult =
  | { status: 'invalid'; prepared: PreparedSend; diagnostics: Diagnostic[] }
  | { status: 'dry-run'; prepared: PreparedSend }
  | { status: 'done'; prepared: PreparedSend; report: SendReport };

export function prepareMessage(render: RenderContext, message: MessageResource, input: SendInput): PreparedSend {
  const rendered = renderMessageBody(message, render, input.data ?? {}, {});
  const diagnostics = [...rendered.diagnostics];
  const n = countIdentities(input.to);
  if (n === 0) diagnostics.push({ ...diagnostic('runtime.no-recipients', { command: 'send' }), address: message.address });
  const to = toIdentitySendTo(input.to);
  return {
    kind: 'message',
    address: message.address,
    channel: message.spec.target_mode,
    endpoint: rendered.endpoint,
    body: rendered.body,
    batches: batchIdentities(to as IdentityLists, MAX_IDENTITIES_PER_SEND).map((b) => ({ to: b, count: countIdentities(b) })),
    identities: n,
    diagnostics,
  };
}

export function prepareTrigger(trigger: ExternalTriggerResource, input: SendInput): PreparedSend {
  const rendered = renderTriggerBody(trigger, input.data ?? {}, {});
  const diagnostics = [...rendered.diagnostics];
  const n = countIdentities(input.to);
  if (n === 0) diagnostics.push({ ...diagnostic('runtime.no-recipients', { command: 'trigger' }), address: trigger.address });
  const unsupported = keysUnsupportedByTrigger(input.to);
  for (const key of unsupported) {
    const allowed = IDENTITY_KEYS.filter((k) => k !== 'FBID' && k !== 'GPID');
    diagnostics.push({ ...diagnostic('runtime.identity-key', { key, allowed, endpoint: rendered.endpoint }), address: trigger.address });
  }
  const to = unsupported.length ? {} : toExternalTriggerTo(input.to);
  return {
    kind: 'trigger',
    address: trigger.address,
    channel: 'externaltrigger',
    endpoint: rendered.endpoint,
    body: rendered.body,
    batches: batchIdentities(to as IdentityLists, MAX_IDENTITIES_PER_EXTERNAL_TRIGGER).map((b) => ({ to: b, count: countIdentities(b) })),
    identities: n,
    diagnostics,
  };
}

/** The exact body of each call (what a dry run shows and what is sent). */
export function requestBody(p: PreparedSend, batch: { to: IdentityLists }): Record<string, unknown> {
  return { ...p.body, to: batch.to };
}

export async function sendMessage(ctx: RuntimeContext, input: SendInput & SendOptions & { message: MessageResource }): Promise<SendResult> {
  return run(ctx, prepareMessage(ctx.render, input.message, input), input);
}

export async function fireTrigger(ctx: RuntimeContext, input: SendInput & SendOptions & { trigger: ExternalTriggerResource }): Promise<SendResult> {
  return run(ctx, prepareTrigger(input.trigger, input), input);
}

async function run(ctx: RuntimeContext, prepared: PreparedSend, opts: SendOptions): Promise<SendResult> {
  if (hasErrors(prepared.diagnostics)) return { status: 'invalid', prepared, diagnostics: prepared.diagnostics };
  if (opts.dryRun) return { status: 'dry-run', prepared };
  return { status: 'done', prepared, report: await executeSend(ctx, prepared, opts) };
}

/** Sends a prepared (error-free) send and records it. */
export async function executeSend(ctx: RuntimeContext, p: PreparedSend, opts: SendOptions = {}): Promise<SendReport> {
  if (hasErrors(p.diagnostics)) throw new Error(`executeSend: ${p.address} has errors; check prepared.diagnostics first`);
  const call =
    p.kind === 'message'
      ? (to: IdentityLists) => ctx.client.sendToIdentities(p.channel as IdentityChannel, requestBody(p, { to }) as IdentitySendBody)
      : (to: IdentityLists) => ctx.client.externalTrigger(requestBody(p, { to }) as ExternalTriggerBody);
  const outcomes = await dispatchBatches(p.batches, call, {
    parallel: ctx.parallel ?? DEFAULT_PARALLEL,
    hooks: { onBatch: ctx.hooks?.onBatch },
    signal: ctx.signal,
  });
  const t = totals(outcomes);
  const outcome: RuntimeOutcome = t.unknown > 0 ? 'unknown' : t.failed > 0 ? 'failed' : 'succeeded';
  const pick = (status: 'failed' | 'unknown') => recipientsFromTo(mergeTo(outcomes.filter((o) => o.status === status).map((o) => o.to)));
  const report: SendReport = {
    address: p.address,
    channel: p.channel,
    endpoint: p.endpoint,
    identities: p.identities,
    ...t,
    outcome,
    batches: outcomes,
    failedRecipients: pick('failed'),
    unknownRecipients: pick('unknown'),
    diagnostics: [],
  };
  const recorded = await recordRuntime(ctx.store, ctx.provenance, {
    address: p.address,
    action: p.kind === 'message' ? 'send' : 'trigger',
    outcome,
    detail: auditDetail(report, opts.recordIdentities === true),
  });
  report.diagnostics.push(...recorded.diagnostics);
  return report;
}

/** How many failed batches the audit record describes one by one. */
const AUDIT_FAILURES_SHOWN = 20;

function auditDetail(r: SendReport, withIdentities: boolean): JsonObject {
  const failures = r.batches
    .filter((b) => b.status !== 'sent')
    .slice(0, AUDIT_FAILURES_SHOWN)
    .map((b) => ({
      batch: b.index + 1,
      identities: b.count,
      status: b.status,
      kind: b.failure?.kind ?? null,
      httpStatus: b.failure?.httpStatus ?? null,
      error: b.failure?.error ?? null,
    }));
  const detail: JsonObject = {
    channel: r.channel,
    endpoint: r.endpoint,
    identities: r.identities,
    calls: r.calls,
    batches: r.batches.length,
    sent: r.sent,
    failed: r.failed,
    unknown: r.unknown,
    failures,
  };
  if (withIdentities) {
    detail.recipients = {
      sent: recipientsFromTo(mergeTo(r.batches.filter((b) => b.status === 'sent').map((b) => b.to))) as JsonObject,
      failed: r.failedRecipients as JsonObject,
      unknown: r.unknownRecipients as JsonObject,
    };
  }
  return detail;
}

function mergeTo(tos: readonly IdentityLists[]): IdentityLists {
  const out: IdentityLists = {};
  for (const to of tos) for (const [k, ids] of Object.entries(to)) (out[k] ??= []).push(...ids);
  return out;
}
