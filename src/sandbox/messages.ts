/**
 * Every error text the emulator answers with. Those marked "live" were seen on a real account
 * (clevertap-api.md §2.2, §6); those marked "placeholder" are our guesses (§12 says so) and are
 * kept here, together, so that checking a real account means editing this one file.
 * The refusals validate shares (request-rules.ts) keep their texts there.
 */
import { LIVE_TEXT } from '../clevertap/request-rules.js';

export const MSG = {
  // live (§2.2, [QA])
  nameEmpty: 'Field name is empty',
  whenEmpty: 'Field when is empty',
  whereUnparseable: LIVE_TEXT.whereUnparseable,
  contentFieldEmpty: (field: string) => `Field ${field} is empty (inside content)`,
  controlGroupUnknown: (name: string) => `No custom control group with name ${name} is defined`,
  liquidNotAllowed: (field: string) =>
    `Invalid syntax for ${field} field. Rectify and try again. Read more: https://developer.clevertap.com/docs/create-campaign-api`,
  // live (§6, V-ct sample)
  notCompleted: "This target hasn't been completed",
  // live (§3, 2016 sample)
  invalidRecipients: 'Invalid recipients',
  // live (§1.4, upload endpoint)
  malformed: 'Malformed request',

  // placeholders (§12, §13.6)
  unauthorized: 'Invalid Account ID or Passcode',
  tooManyConcurrent: 'Too many concurrent requests',
  tooManyPerSecond: 'API request limit exceeded',
  serverError: 'Internal server error',
  notFound: 'Not found',
  methodNotAllowed: 'Method not allowed',
  whenInvalid: 'Field when is invalid',
  targetModeUnknown: (mode: string) => `Invalid target_mode ${mode}`,
  idInvalid: 'Field id must be a positive integer',
  campaignUnknown: (id: number) => `Campaign with id ${id} not found`,
  tooManyRecipients: (max: number) => `Too many recipients: at most ${max} identities per request`,
  externalTriggerCampaignUnknown: (id: string) => `Campaign ${id} is not an External Trigger campaign`,
  externalTriggerCampaignEmpty: 'Field campaign_id is empty',
  externalTriggerObjectMissing: 'Field ExternalTrigger is empty',
  campaignIdListInvalid: (max: number) => `Field campaign_id_list must hold 1 to ${max} campaign ids`,
  tokenMissing: 'X-CleverTap-Token header is required',
  businessEventEmpty: 'Field business_event is empty',
  businessEventUnknown: (name: string) => `Business event ${name} is not defined`,
  bulletinNameEmpty: 'Field name is empty',
  propertiesInvalid: 'Field properties must be an object of strings',
  propertyNotString: (key: string) => `Property ${key} must be a string`,
  propertyKeyTooLong: (key: string) => `Property key ${key.slice(0, 20)}... exceeds 120 characters`,
  propertyValueTooLong: (key: string) => `Property ${key} exceeds 512 bytes`,
  createdByEmpty: 'Field c-by is empty',
} as const;

/** Numeric `code`s: 9, 84 and 400 were seen live; 401 and 429 are placeholders. */
export const CODE = {
  androidChannel: 9,
  invalidRecipients: 84,
  badRequest: 400,
  unauthorized: 401,
  tooMany: 429,
  notFound: 404,
  methodNotAllowed: 405,
  serverError: 500,
} as const;
