/**
 * Raising a business event (`POST /1/targets/trigger.json`, clevertap-api.md §8.2): one call,
 * never retried once it may have landed (an ambiguous outcome is `unknown`). The properties are
 * checked against the Bulletin's `properties` schema and CleverTap's limits (string values, keys
 * <= 120 characters, values <= 512 bytes) before anything is sent; `c-by` comes from the YAML and
 * `when` is `now`.
 */
import { CleverTapError } from '../clevertap/errors.js';
import { closest } from '../diagnostics/suggest.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { BulletinOccurrence, BulletinResource } from '../model/specs.js';
import type { RenderContext } from '../render/context.js';
import { renderRaiseBody, type RaiseBody } from '../render/bulletin.js';
import { recordRuntime, type RuntimeOutcome } from './audit.js';
import type { RuntimeContext } from './context.js';
import type { BatchFailure } from './dispatch.js';

export interface PreparedRaise {
  /** `bulletin.x`, or `bulletin.x#key` for an occurrence. */
  address: string;
  bulletin: string;
  occurrenceKey?: string;
  endpoint: string;
  body: RaiseBody;
  diagnostics: Diagnostic[];
}

export interface RaiseReport {
  address: string;
  endpoint: string;
  outcome: RuntimeOutcome;
  /** Why it failed or may not have landed. */
  failure?: BatchFailure;
  /** Warnings after the call (the record could not be written). */
  diagnostics: Diagnostic[];
}

export type RaiseResult =
  | { status: 'invalid'; prepared: PreparedRaise; diagnostics: Diagnostic[] }
  | { status: 'dry-run'; prepared: PreparedRaise }
  | { status: 'done'; prepared: PreparedRaise; report: RaiseReport };

export interface AdHocRaise {
  /** The instance name; may use `{{properties.x}}` and `{{vars.x}}` like an occurrence's name. */
  name: string;
  properties?: Record<string, unknown>;
}

/** An ad hoc raise (`campaignctl raise --name ... --set ...`), checked and rendered; pure. */
export function prepareRaise(render: RenderContext, bulletin: BulletinResource, input: AdHocRaise): PreparedRaise {
  const properties = input.properties ?? {};
  const rendered = renderRaiseBody(bulletin, render, { name: input.name, properties: properties as Record<string, string> });
  const diagnostics = [...rendered.diagnostics, ...stringValueProblems(bulletin.address, properties)];
  if (input.name.trim() === '') {
    diagnostics.push({ ...diagnostic('input.invalid', { option: '--name', detail: 'the name is empty', hint: 'CleverTap needs a name for each raise, e.g. --name "Show X episode 12"' }), address: bulletin.address });
  }
  return { address: bulletin.address, bulletin: bulletin.address, endpoint: rendered.endpoint, body: rendered.body, diagnostics };
}

/**
 * An occurrence from the YAML, rendered to be raised now. It is raised because it is due, so
 * `when` is `now` whatever its `at` (a future occurrence is not raised before its time).
 */
export function prepareOccurrence(render: RenderContext, bulletin: BulletinResource, key: string): PreparedRaise {
  const address = `${bulletin.address}#${key}`;
  const occurrences = bulletin.spec.occurrences ?? [];
  const occurrence = occurrences.find((o: BulletinOccurrence) => o.key === key);
  if (!occurrence) {
    const known = occurrences.map((o) => o.key);
    const d = diagnostic('runtime.occurrence-unknown-key', { address: bulletin.address, key, known, suggestion: closest(key, known) });
    return {
      address,
      bulletin: bulletin.address,
      occurrenceKey: key,
      endpoint: '',
      body: { business_event: bulletin.spec.business_event, name: '', properties: {}, 'c-by': bulletin.spec['c-by'], when: 'now' },
      diagnostics: [{ ...d, address: bulletin.address }],
    };
  }
  const rendered = renderRaiseBody(bulletin, render, occurrence);
  return {
    address,
    bulletin: bulletin.address,
    occurrenceKey: key,
    endpoint: rendered.endpoint,
    body: { ...rendered.body, when: 'now' },
    diagnostics: [...rendered.diagnostics, ...stringValueProblems(bulletin.address, occurrence.properties ?? {})],
  };
}

export async function raiseBulletin(
  ctx: RuntimeContext,
  input: AdHocRaise & { bulletin: BulletinResource; dryRun?: boolean },
): Promise<RaiseResult> {
  const prepared = prepareRaise(ctx.render, input.bulletin, input);
  if (hasErrors(prepared.diagnostics)) return { status: 'invalid', prepared, diagnostics: prepared.diagnostics };
  if (input.dryRun) return { status: 'dry-run', prepared };
  return { status: 'done', prepared, report: await executeRaise(ctx, prepared) };
}

/** Raises a prepared (error-free) ad hoc raise: one call, recorded in the audit history. */
export async function executeRaise(ctx: RuntimeContext, prepared: PreparedRaise): Promise<RaiseReport> {
  if (hasErrors(prepared.diagnostics)) throw new Error(`executeRaise: ${prepared.address} has errors; check prepared.diagnostics first`);
  const call = await callRaise(ctx, prepared);
  const report: RaiseReport = { address: prepared.address, endpoint: prepared.endpoint, outcome: call.outcome, diagnostics: [] };
  if (call.failure) report.failure = call.failure;
  const recorded = await recordRuntime(ctx.store, ctx.provenance, {
    address: prepared.address,
    action: 'raise',
    outcome: call.outcome,
    detail: raiseDetail(prepared, call.failure),
  });
  report.diagnostics.push(...recorded.diagnostics);
  return report;
}

/** The one call; a CleverTapError becomes failed (definitely not raised) or unknown (may have been). */
export async function callRaise(ctx: RuntimeContext, p: PreparedRaise): Promise<{ outcome: RuntimeOutcome; failure?: BatchFailure }> {
  try {
    await ctx.client.raiseBusinessEvent({ ...p.body });
    return { outcome: 'succeeded' };
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    const failure: BatchFailure = { kind: err.kind, httpStatus: err.httpStatus, code: err.code, error: err.error };
    return { outcome: err.ambiguous ? 'unknown' : 'failed', failure };
  }
}

export function raiseDetail(p: PreparedRaise, failure: BatchFailure | undefined): Record<string, string | number | null> {
  const detail: Record<string, string | number | null> = {
    channel: 'business-event',
    endpoint: p.endpoint,
    business_event: p.body.business_event,
    name: p.body.name,
    calls: 1,
  };
  if (failure) {
    detail.kind = failure.kind;
    detail.httpStatus = failure.httpStatus;
    detail.error = failure.error;
  }
  return detail;
}

/** CleverTap maps business event properties as strings only (§8.1): anything else is refused here. */
function stringValueProblems(address: string, properties: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value === 'string') continue;
    const detail = 'must be a string: CleverTap takes business event properties as strings (rule: type)';
    out.push({ ...diagnostic('render.data-invalid', { path: key, detail }), address });
  }
  return out;
}
