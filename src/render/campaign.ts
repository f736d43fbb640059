/**
 * Create Campaign (`POST /1/targets/create.json`) bodies from a Campaign, or from a Schedule's
 * `campaign` at a fire time. Field names and order follow clevertap-api.md section 2.
 */
import type { TemplateScope } from '../templates/engine.js';
import type { CampaignResource, CampaignSpec, ScheduleResource, ScheduledCampaignSpec } from '../model/specs.js';
import type { Resource } from '../model/resource.js';
import { Collector } from './collect.js';
import { renderContent } from './content.js';
import type { RenderContext, RenderResult } from './context.js';
import { mergeWire } from './merge.js';
import { scheduleScope } from '../templates/schedule-scope.js';
import { resolveWhen, resolveWhereDates, whenToWire } from '../time/when.js';
import { clonePlain } from '../model/record.js';

export const CREATE_CAMPAIGN_ENDPOINT = '/1/targets/create.json';

export interface CampaignCreateBody {
  name: string;
  target_mode: string;
  where?: Record<string, unknown>;
  segment?: number;
  content: Record<string, unknown>;
  devices?: string[];
  when: string;
  [field: string]: unknown;
}

/** Spec fields sent under their own (CleverTap) names when set, in this order. */
const PASS_THROUGH = [
  'respect_frequency_caps',
  'respect_throttle',
  'control_group',
  'system_control_group_include',
  'send_to_all_devices',
  'labels',
  'provider_nick_name',
  'conversion_goal',
  'ttl',
  'users_limit_overall',
] as const;

export type StartsAt = { kind: 'now' } | { kind: 'at'; instant: string };

/**
 * When a Campaign starts: `now`, or the ISO instant of its `when`. Undefined when `when` is not a
 * valid time (render and validate report why).
 */
export function campaignStartsAt(spec: { when?: unknown }, ctx: { accountTimezone: string }): StartsAt | undefined {
  const r = resolveWhen(spec.when, ctx.accountTimezone);
  if (!r.ok) return undefined;
  return r.value.kind === 'now' ? { kind: 'now' } : { kind: 'at', instant: r.value.instant.toISOString() };
}

/** The campaign name as `render` shows it: the title (or metadata name) and a preview marker. */
export function previewCampaignName(r: Resource<unknown>): string {
  const spec = r.spec as { title?: unknown; campaign?: { title?: unknown } };
  const title = r.kind === 'Schedule' ? spec.campaign?.title : spec.title;
  return `${typeof title === 'string' && title !== '' ? title : r.name} [cc:preview]`;
}

function renderSpec(
  r: Resource<unknown>,
  spec: CampaignSpec | ScheduledCampaignSpec,
  base: (string | number)[],
  ctx: RenderContext,
  name: string,
  when: { value: unknown; path: (string | number)[] } | 'now',
): RenderResult<CampaignCreateBody> {
  const col = new Collector(r.address, ctx);
  const scope: TemplateScope = { vars: ctx.vars };
  if (ctx.schedule) scope.schedule = scheduleScope(ctx.schedule.fireTime, ctx.schedule.timezone);

  // Built in CleverTap's documented field order: name, target_mode, where|segment, content, devices, when.
  const audience: Pick<CampaignCreateBody, 'where' | 'segment'> = {};
  if (spec.where !== undefined) {
    const resolved = resolveWhereDates(spec.where, ctx.now, ctx.accountTimezone);
    col.all([...base, 'where'], resolved.problems);
    audience.where = resolved.where as Record<string, unknown>;
  }
  // Both as written when both are set (validate refuses that), never one silently dropped.
  if (spec.segment !== undefined) audience.segment = spec.segment;
  const content = renderContent(col, spec.target_mode, spec.content, [...base, 'content'], scope, r.source.file);
  let wireWhen = 'now';
  if (when !== 'now') {
    const resolved = resolveWhen(when.value, ctx.accountTimezone);
    if (resolved.ok) wireWhen = whenToWire(resolved.value, ctx.accountTimezone);
    else {
      col.at(when.path, resolved.diagnostic);
      wireWhen = String(when.value);
    }
  }
  const body: CampaignCreateBody = {
    name,
    target_mode: spec.target_mode,
    ...audience,
    content: content.content,
    ...(spec.devices !== undefined ? { devices: clonePlain(spec.devices) } : {}),
    when: wireWhen,
  };
  for (const field of PASS_THROUGH) {
    const value = (spec as unknown as Record<string, unknown>)[field];
    if (value !== undefined) body[field] = clonePlain(value);
  }
  const result: RenderResult<CampaignCreateBody> = {
    endpoint: CREATE_CAMPAIGN_ENDPOINT,
    body: mergeWire(body, spec.wire),
    diagnostics: col.diagnostics,
  };
  if (content.sms) result.sms = content.sms;
  return result;
}

/**
 * The Create Campaign body of a Campaign. `name` comes from the caller (apply puts its marker in
 * it); `when` and dates are resolved against ctx, templates rendered, Liquid kept.
 */
export function renderCampaignBody(r: CampaignResource, ctx: RenderContext, name: string): RenderResult<CampaignCreateBody> {
  return renderSpec(r, r.spec, ['spec'], ctx, name, { value: r.spec.when, path: ['spec', 'when'] });
}

/**
 * The Create Campaign body a Schedule sends at a tick: its `campaign` with `when: now`, dates
 * resolved against ctx.now (the fire time) and `schedule.*` from ctx.schedule.
 */
export function renderScheduledCampaignBody(r: ScheduleResource, ctx: RenderContext, name: string): RenderResult<CampaignCreateBody> {
  const spec = r.spec.campaign;
  if (!spec) throw new Error(`${r.address} has no campaign to send`);
  return renderSpec(r, spec, ['spec', 'campaign'], ctx, name, 'now');
}
