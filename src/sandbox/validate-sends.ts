/**
 * Validation of the runtime sends: identity sends (§3), External Trigger (§7) and raising a
 * business event (§8.2), in the order of clevertap-api.md §12. Texts beyond the live ones are
 * placeholders (messages.ts).
 */
import { CODE, MSG } from './messages.js';
import { nonEmptyString } from '../clevertap/request-rules.js';
import { checkContent, fromRule, refuse } from './validate-create.js';
import { androidChannelRefusal, createdByRefusal } from '../clevertap/request-rules.js';
import type { Refusal } from './validate-create.js';
import { isRecord } from '../model/record.js';

export const IDENTITY_KEYS = ['Identity', 'Email', 'FBID', 'GPID', 'objectId'] as const;
export const EXTERNAL_TRIGGER_KEYS = ['email', 'identity', 'objectId'] as const;

type Accepted = { ok: true; identities: number };

/** `to`: a non-empty object of string arrays with only the allowed keys; counts all ids together. */
export function checkRecipients(to: unknown, keys: readonly string[], max: number): Accepted | Refusal {
  if (!isRecord(to)) return refuse(MSG.invalidRecipients, CODE.invalidRecipients);
  let n = 0;
  for (const [key, ids] of Object.entries(to)) {
    if (!keys.includes(key) || !Array.isArray(ids) || !ids.every(nonEmptyString)) {
      return refuse(MSG.invalidRecipients, CODE.invalidRecipients);
    }
    n += ids.length;
  }
  if (n === 0) return refuse(MSG.invalidRecipients, CODE.invalidRecipients);
  if (n > max) return refuse(MSG.tooManyRecipients(max), CODE.invalidRecipients);
  return { ok: true, identities: n };
}

export function validateIdentitySend(channel: string, body: Record<string, unknown>, max: number): Accepted | Refusal {
  const recipients = checkRecipients(body.to, IDENTITY_KEYS, max);
  if (!recipients.ok) return recipients;
  const content = checkContent(channel, body.content, CODE.badRequest);
  if (content) return content;
  // No `devices` here: any recipient may own an Android 8+ device, so push needs a channel
  // (the recorded failure on send/push.json, §1.4).
  const android = channel === 'push' ? androidChannelRefusal(body, undefined) : null;
  if (android) return fromRule(android);
  return recipients;
}

export function validateExternalTrigger(
  body: Record<string, unknown>,
  known: ReadonlySet<string>,
  max: number,
): Accepted | Refusal {
  const recipients = checkRecipients(body.to, EXTERNAL_TRIGGER_KEYS, max);
  if (!recipients.ok) return recipients;
  const id = body.campaign_id;
  if (!(nonEmptyString(id) || (typeof id === 'number' && Number.isSafeInteger(id)))) {
    return refuse(MSG.externalTriggerCampaignEmpty, CODE.badRequest);
  }
  if (!known.has(String(id).trim())) return refuse(MSG.externalTriggerCampaignUnknown(String(id)), CODE.badRequest);
  if (!isRecord(body.ExternalTrigger)) return refuse(MSG.externalTriggerObjectMissing, CODE.badRequest);
  return recipients;
}

/** `/2/send/externaltrigger.json` (§7, third-party shape): several campaigns in one call. */
export function validateMultiExternalTrigger(
  body: Record<string, unknown>,
  known: ReadonlySet<string>,
  maxIdentities: number,
  maxCampaigns: number,
): Accepted | Refusal {
  const list = body.campaign_id_list;
  if (!Array.isArray(list) || list.length === 0 || list.length > maxCampaigns) {
    return refuse(MSG.campaignIdListInvalid(maxCampaigns), CODE.badRequest);
  }
  for (const id of list) {
    if (!known.has(String(id).trim())) return refuse(MSG.externalTriggerCampaignUnknown(String(id)), CODE.badRequest);
  }
  const recipients = checkRecipients(body.to, EXTERNAL_TRIGGER_KEYS, maxIdentities);
  if (!recipients.ok) return recipients;
  if (!isRecord(body.ExternalTrigger)) return refuse(MSG.externalTriggerObjectMissing, CODE.badRequest);
  return recipients;
}

export function validateRaise(body: Record<string, unknown>, known: ReadonlySet<string>): { ok: true } | Refusal {
  if (!nonEmptyString(body.business_event)) return refuse(MSG.businessEventEmpty, CODE.badRequest);
  if (!known.has(body.business_event)) return refuse(MSG.businessEventUnknown(body.business_event), CODE.badRequest);
  if (!nonEmptyString(body.name)) return refuse(MSG.bulletinNameEmpty, CODE.badRequest);
  if (!isRecord(body.properties)) return refuse(MSG.propertiesInvalid, CODE.badRequest);
  for (const [key, value] of Object.entries(body.properties)) {
    if (key.length > 120) return refuse(MSG.propertyKeyTooLong(key), CODE.badRequest);
    if (typeof value !== 'string') return refuse(MSG.propertyNotString(key), CODE.badRequest);
    if (Buffer.byteLength(value, 'utf8') > 512) return refuse(MSG.propertyValueTooLong(key), CODE.badRequest);
  }
  if (!nonEmptyString(body['c-by'])) return refuse(MSG.createdByEmpty, CODE.badRequest);
  const creator = createdByRefusal(body);
  if (creator) return fromRule(creator);
  const when = body.when;
  if (when === undefined || when === null || when === '') return refuse(MSG.whenEmpty, CODE.badRequest);
  const isTimestamp = (typeof when === 'number' && Number.isSafeInteger(when) && when > 0) || (typeof when === 'string' && /^\d+$/.test(when));
  if (when !== 'now' && !isTimestamp) return refuse(MSG.whenInvalid, CODE.badRequest);
  return { ok: true };
}
