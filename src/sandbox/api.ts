/**
 * CleverTap's endpoints as the emulator answers them (clevertap-api.md §2-§8 shapes, §12 rules).
 * Each handler validates, applies its effect to the store, and returns the reply; the HTTP layer
 * (server.ts) decides whether that reply is ever delivered (faults).
 */
import { audienceSize, estimateKeys, queryHash, splitEstimate } from './estimates.js';
import { CODE, MSG } from './messages.js';
import { campaignResult, campaignStatus, campaignStatusAt } from './store.js';
import type { SandboxStore, StoredCampaign } from './store.js';
import { ymd, ymdhm } from './time.js';
import { listRangeRefusal } from '../clevertap/request-rules.js';
import { validateCreate } from './validate-create.js';
import { validateExternalTrigger, validateIdentitySend, validateMultiExternalTrigger, validateRaise } from './validate-sends.js';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  /** The shared request rule that refused it (src/clevertap/request-rules.ts), for the request log. */
  rule?: string;
}

export interface ApiSettings {
  timeZone: string;
  everyoneAudience: number;
  completeAfterMs: number;
  liquidInCampaigns: boolean;
  maxIdentitiesPerSend: number;
  maxCampaignsPerMultiTrigger: number;
}

export interface ApiContext {
  store: SandboxStore;
  now(): Date;
  settings: ApiSettings;
}

export interface ApiRoute {
  family: 'create' | 'list' | 'stop' | 'result' | 'send' | 'externaltrigger' | 'trigger';
  /** Writes that take effect; `drop-after-commit` and `timeout` faults commit them first. */
  writes: boolean;
  /** Needs the X-CleverTap-Token header as well (§1.2). */
  needsToken?: boolean;
  handle(ctx: ApiContext, body: Record<string, unknown>): Reply;
}

const success = (extra: Record<string, unknown> = {}): Reply => ({ status: 200, body: { status: 'success', ...extra } });

/** Validation failures are 400 (§2.2 "Inferred", §13.6). */
export function failure(error: string, code?: number, status = 400): Reply {
  return { status, body: code === undefined ? { status: 'fail', error } : { status: 'fail', error, code } };
}

/** A refusal as a reply, naming the shared request rule behind it when there is one. */
export function fromRefusal(r: { error: string; code?: number; rule?: string }): Reply {
  const reply = failure(r.error, r.code);
  return r.rule === undefined ? reply : { ...reply, rule: r.rule };
}

function create(ctx: ApiContext, body: Record<string, unknown>): Reply {
  const now = ctx.now();
  const checked = validateCreate(body, {
    now,
    timeZone: ctx.settings.timeZone,
    controlGroups: ctx.store.controlGroups,
    liquidInCampaigns: ctx.settings.liquidInCampaigns,
  });
  if (!checked.ok) return fromRefusal(checked);
  const query = { where: body.where, segment: body.segment };
  const hash = queryHash(query);
  const audience = audienceSize(query, ctx.settings.everyoneAudience, hash);
  const estimates = splitEstimate(audience, estimateKeys(checked.targetMode, body.devices), hash);
  if (body.estimate_only === true) return success({ estimates });
  const id = ctx.store.nextCampaignId(now);
  ctx.store.addCampaign({
    id,
    name: String(body.name),
    targetMode: checked.targetMode,
    createdAt: now.toISOString(),
    startsAt: checked.startsAt.toISOString(),
    estimates,
    audience,
    stoppedAt: null,
    stoppedBy: null,
    completedAt: null,
    result: null,
    body,
  });
  return success({ id, estimates: body.skip_estimate === true ? {} : estimates });
}

function list(ctx: ApiContext, body: Record<string, unknown>): Reply {
  const range = listRangeRefusal(body);
  if (range) return fromRefusal({ ...range, code: range.code ?? CODE.badRequest });
  const from = body.from as number;
  const to = body.to as number;
  const now = ctx.now().getTime();
  const tz = ctx.settings.timeZone;
  const completeAfterMs = ctx.settings.completeAfterMs;
  const targets = [];
  for (const c of ctx.store.campaigns()) {
    const local = localStart(c, tz);
    if (local.day < from || local.day > to) continue;
    targets.push({ id: c.id, name: c.name, status: campaignStatusAt(c, local.startMs, now, completeAfterMs), scheduled_on: local.minute });
  }
  return success({ targets });
}

interface LocalStart {
  startsAt: string;
  tz: string;
  startMs: number;
  day: number;
  minute: number;
}

/**
 * A campaign's start as a list reads it (the instant, and its day and minute in the account zone),
 * worked out once per campaign and zone: a list reads every campaign of the account. Kept beside
 * the campaign object and checked against its start, so a campaign whose start moved is read anew.
 */
const localStarts = new WeakMap<StoredCampaign, LocalStart>();
function localStart(c: StoredCampaign, tz: string): LocalStart {
  let local = localStarts.get(c);
  if (local === undefined || local.startsAt !== c.startsAt || local.tz !== tz) {
    const instant = new Date(c.startsAt);
    local = { startsAt: c.startsAt, tz, startMs: instant.getTime(), day: ymd(instant, tz), minute: ymdhm(instant, tz) };
    localStarts.set(c, local);
  }
  return local;
}

function campaignId(body: Record<string, unknown>): number | null {
  const id = body.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

function stop(ctx: ApiContext, body: Record<string, unknown>): Reply {
  const id = campaignId(body);
  if (id === null) return failure(MSG.idInvalid, CODE.badRequest);
  const c = ctx.store.campaign(id);
  if (!c) return failure(MSG.campaignUnknown(id), CODE.badRequest);
  // Already stopped or already finished: success, nothing changes (§5: stop is idempotent).
  const status = campaignStatus(c, ctx.now(), ctx.settings.completeAfterMs);
  if (status === 'pending' || status === 'running') {
    ctx.store.updateCampaign(id, { stoppedAt: ctx.now().toISOString(), stoppedBy: 'api' });
  }
  return success();
}

function result(ctx: ApiContext, body: Record<string, unknown>): Reply {
  const id = campaignId(body);
  if (id === null) return failure(MSG.idInvalid, CODE.badRequest);
  const c = ctx.store.campaign(id);
  if (!c) return failure(MSG.campaignUnknown(id), CODE.badRequest);
  if (campaignStatus(c, ctx.now(), ctx.settings.completeAfterMs) !== 'completed') {
    return failure(MSG.notCompleted); // no `code` on this one (§6)
  }
  return success({ result: campaignResult(c) });
}

function identitySend(channel: string): ApiRoute['handle'] {
  return (ctx, body) => {
    const checked = validateIdentitySend(channel, body, ctx.settings.maxIdentitiesPerSend);
    if (!checked.ok) return fromRefusal(checked);
    ctx.store.recordSend({ at: ctx.now().toISOString(), kind: 'identity', endpoint: `/1/send/${channel}.json`, identities: checked.identities, body });
    return success({ message: 'Added to queue for processing' });
  };
}

function externalTrigger(ctx: ApiContext, body: Record<string, unknown>): Reply {
  const checked = validateExternalTrigger(body, ctx.store.externalTriggers, ctx.settings.maxIdentitiesPerSend);
  if (!checked.ok) return fromRefusal(checked);
  ctx.store.recordSend({ at: ctx.now().toISOString(), kind: 'external-trigger', endpoint: '/1/send/externaltrigger.json', identities: checked.identities, body });
  return success({ message: 'Added to queue for processing' });
}

function multiExternalTrigger(ctx: ApiContext, body: Record<string, unknown>): Reply {
  const s = ctx.settings;
  const checked = validateMultiExternalTrigger(body, ctx.store.externalTriggers, s.maxIdentitiesPerSend, s.maxCampaignsPerMultiTrigger);
  if (!checked.ok) return fromRefusal(checked);
  ctx.store.recordSend({ at: ctx.now().toISOString(), kind: 'external-trigger', endpoint: '/2/send/externaltrigger.json', identities: checked.identities, body });
  return success({ message: 'Added to queue for processing' });
}

function raise(ctx: ApiContext, body: Record<string, unknown>): Reply {
  const checked = validateRaise(body, ctx.store.businessEvents);
  if (!checked.ok) return fromRefusal(checked);
  ctx.store.recordSend({ at: ctx.now().toISOString(), kind: 'raise', endpoint: '/1/targets/trigger.json', identities: 0, body });
  return success();
}

export const API_ROUTES: Record<string, ApiRoute> = {
  '/1/targets/create.json': { family: 'create', writes: true, handle: create },
  '/1/targets/list.json': { family: 'list', writes: false, handle: list },
  '/1/targets/stop.json': { family: 'stop', writes: true, handle: stop },
  '/1/targets/result.json': { family: 'result', writes: false, handle: result },
  '/1/send/push.json': { family: 'send', writes: true, handle: identitySend('push') },
  '/1/send/webpush.json': { family: 'send', writes: true, handle: identitySend('webpush') },
  '/1/send/email.json': { family: 'send', writes: true, handle: identitySend('email') },
  '/1/send/sms.json': { family: 'send', writes: true, handle: identitySend('sms') },
  '/1/send/whatsapp.json': { family: 'send', writes: true, handle: identitySend('whatsapp') },
  '/1/send/externaltrigger.json': { family: 'externaltrigger', writes: true, handle: externalTrigger },
  '/2/send/externaltrigger.json': { family: 'externaltrigger', writes: true, needsToken: true, handle: multiExternalTrigger },
  '/1/targets/trigger.json': { family: 'trigger', writes: true, handle: raise },
};
