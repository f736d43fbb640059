/**
 * What a Schedule sends at one tick: its `campaign` (Create Campaign, `when: now`), or a Message /
 * ExternalTrigger with the schedule's `to` and its `data`, whose strings are templates over
 * `vars.*` and `schedule.*` (the fire time in the schedule's zone).
 */
import type { Resource } from '../model/resource.js';
import type { ExternalTriggerResource, MessageResource, ScheduleResource } from '../model/specs.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import { renderScheduledCampaignBody } from './campaign.js';
import { Collector } from './collect.js';
import type { RenderContext, RenderResult } from './context.js';
import { renderMessageBody } from './message.js';
import { scheduleScope } from '../templates/schedule-scope.js';
import { renderTriggerBody } from './trigger.js';

function renderDataStrings(col: Collector, value: unknown, at: (string | number)[], ctx: RenderContext): unknown {
  const scope = { vars: ctx.vars, schedule: ctx.schedule ? scheduleScope(ctx.schedule.fireTime, ctx.schedule.timezone) : undefined };
  if (typeof value === 'string') return col.text(at, value, scope, { timeZone: ctx.accountTimezone });
  if (Array.isArray(value)) return value.map((v, i) => renderDataStrings(col, v, [...at, i], ctx));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDataStrings(col, v, [...at, k], ctx)]));
  }
  return value;
}

/**
 * The request a Schedule makes at the tick ctx.schedule.fireTime (ctx.now should be that time
 * too, for relative dates). `name` is the campaign name for a `campaign` send.
 */
export function renderScheduleSend(
  r: ScheduleResource,
  resources: readonly Resource<unknown>[],
  ctx: RenderContext,
  name: string,
): RenderResult<unknown> {
  const spec = r.spec;
  if (spec.campaign) return renderScheduledCampaignBody(r, ctx, name);
  const col = new Collector(r.address, ctx);
  const send = spec.message ? { kind: 'Message' as const, key: 'message', s: spec.message } : spec.trigger ? { kind: 'ExternalTrigger' as const, key: 'trigger', s: spec.trigger } : undefined;
  if (!send) throw new Error(`${r.address} has nothing to send`);
  const target = resources.find((x) => x.kind === send.kind && x.name === send.s.name);
  if (!target) {
    col.at(['spec', send.key, 'name'], diagnostic('rule.unknown-reference', { kind: send.kind, name: send.s.name, known: [] }));
    return { endpoint: '', body: null, diagnostics: col.diagnostics };
  }
  const data = renderDataStrings(col, send.s.data ?? {}, ['spec', send.key, 'data'], ctx);
  const result =
    send.kind === 'Message'
      ? renderMessageBody(target as MessageResource, ctx, data, spec.message!.to)
      : renderTriggerBody(target as ExternalTriggerResource, data, spec.trigger!.to);
  // Data problems are about this schedule's `data`, not the target resource.
  const other = result.diagnostics.filter((d) => d.code !== 'render.data-invalid');
  for (const d of result.diagnostics) if (d.code === 'render.data-invalid') col.at(['spec', send.key, 'data'], d);
  return { ...result, diagnostics: [...col.diagnostics, ...other] };
}

/**
 * A Schedule's `message`/`trigger` data with its strings rendered for the tick ctx.schedule (the
 * runner hands the result to the same send preparation as `send` and `trigger`).
 */
export function renderScheduleData(r: ScheduleResource, ctx: RenderContext): { data: unknown; diagnostics: RenderResult<unknown>['diagnostics'] } {
  const key = r.spec.message ? 'message' : 'trigger';
  const col = new Collector(r.address, ctx);
  const data = renderDataStrings(col, (r.spec.message ?? r.spec.trigger)?.data ?? {}, ['spec', key, 'data'], ctx);
  return { data, diagnostics: col.diagnostics };
}
