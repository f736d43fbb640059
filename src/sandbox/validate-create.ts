/**
 * `targets/create.json` validation in CleverTap's order (clevertap-api.md §12): the first failed
 * check answers, so a body with several problems reports the same one CleverTap would.
 */
import { MSG } from './messages.js';
import { parseWhenString } from './time.js';
import { isRecord } from '../model/record.js';
import {
  androidChannelRefusal,
  devicesRefusal,
  nonEmptyString,
  whenInPastRefusal,
  whereDatesRefusal,
  whereWithSegmentRefusal,
} from '../clevertap/request-rules.js';
import type { RequestRefusal } from '../clevertap/request-rules.js';

/** `rule`: the shared request rule (src/clevertap/request-rules.ts) behind it, when there is one. */
export type Refusal = { ok: false; error: string; code?: number; rule?: string };

export interface CreateChecks {
  now: Date;
  timeZone: string;
  controlGroups: ReadonlySet<string>;
  /** The "Liquid in Create Campaign API" private beta (§10): off means Liquid in push is refused. */
  liquidInCampaigns: boolean;
}

export interface AcceptedCreate {
  ok: true;
  targetMode: string;
  startsAt: Date;
}

const CONTENT_FIELDS: Record<string, readonly string[]> = {
  push: ['title', 'body'],
  webpush: ['title', 'body'],
  email: ['subject', 'body', 'sender_name'],
  sms: ['body'],
  // Shapes known only from third parties (§2.2): accepted without content checks.
  whatsapp: [],
  webhook: [],
  notificationinbox: [],
};

export function validateCreate(body: Record<string, unknown>, checks: CreateChecks): AcceptedCreate | Refusal {
  if (!nonEmptyString(body.name)) return refuse(MSG.nameEmpty);

  if (body.when === undefined || body.when === null || body.when === '') return refuse(MSG.whenEmpty);
  const startsAt = resolveWhen(body.when, checks);
  if (!startsAt) return refuse(MSG.whenInvalid);
  const past = whenInPastRefusal(startsAt, checks.now);
  if (past) return fromRule(past);

  const both = whereWithSegmentRefusal(body);
  if (both) return fromRule(both);
  const where = body.where;
  if (where === undefined) {
    if (!(body.segment === 'all' || (Number.isSafeInteger(body.segment) && (body.segment as number) > 0))) {
      return refuse(MSG.whereUnparseable);
    }
  } else {
    if (!isRecord(where)) return refuse(MSG.whereUnparseable);
    if (where.event_name !== undefined && typeof where.event_name !== 'string') return refuse(MSG.whereUnparseable);
    const dates = whereDatesRefusal(where);
    if (dates) return fromRule(dates);
  }

  const targetMode = body.target_mode === undefined ? 'push' : body.target_mode;
  if (typeof targetMode !== 'string' || !(targetMode in CONTENT_FIELDS)) return refuse(MSG.targetModeUnknown(String(targetMode)));
  const contentProblem = checkContent(targetMode, body.content);
  if (contentProblem) return contentProblem;
  if (targetMode === 'push' && !checks.liquidInCampaigns) {
    const content = body.content as Record<string, unknown>;
    for (const field of ['title', 'body']) if (/\{\{|\{%/.test(String(content[field]))) return refuse(MSG.liquidNotAllowed(field));
  }

  if (targetMode === 'push') {
    // A `devices` list is checked before it decides whether Android is in; with no `devices`
    // Android is in, so the missing channel (CleverTap's code 9) answers first.
    const push =
      body.devices === undefined
        ? (androidChannelRefusal(body, body.devices) ?? devicesRefusal(body))
        : (devicesRefusal(body) ?? androidChannelRefusal(body, body.devices));
    if (push) return fromRule(push);
  }

  const cg = body.control_group;
  if (isRecord(cg) && cg.type === 'custom') {
    const name = typeof cg.name === 'string' ? cg.name : '';
    if (!checks.controlGroups.has(name)) return refuse(MSG.controlGroupUnknown(name));
  }
  return { ok: true, targetMode, startsAt };
}

/** Content checks shared with the identity sends: the first missing field of the channel. */
export function checkContent(channel: string, content: unknown, code?: number): Refusal | null {
  const c = isRecord(content) ? content : {};
  for (const field of CONTENT_FIELDS[channel] ?? []) {
    if (!nonEmptyString(c[field])) return refuse(MSG.contentFieldEmpty(field), code);
  }
  return null;
}

/** `"now"`, `"YYYYMMDD HH:MM"` (account zone), or the push object form (§2.5). */
function resolveWhen(when: unknown, checks: CreateChecks): Date | null {
  if (when === 'now') return checks.now;
  if (typeof when === 'string') return parseWhenString(when, checks.timeZone);
  if (!isRecord(when)) return null;
  if (when.type === 'now') return checks.now;
  const first = Array.isArray(when.delivery_date_time) ? when.delivery_date_time[0] : when.start_time;
  return typeof first === 'string' ? parseWhenString(first, checks.timeZone) : null;
}

/** A refusal of the shared request rules (what validate also reports), as the emulator answers it. */
export function fromRule(r: RequestRefusal): Refusal {
  return { ...refuse(r.error, r.code), rule: r.rule };
}

export function refuse(error: string, code?: number): Refusal {
  return code === undefined ? { ok: false, error } : { ok: false, error, code };
}


