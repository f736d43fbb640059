/**
 * Runtime sends as operations: the CLI's `send`, `trigger`, `raise`, apply's occurrence raises and
 * (later) the daemon's HTTP API all call these. They never print; they return reports.
 */
export type { Provenance, RuntimeContext, RuntimeHooks } from './context.js';
export { DEFAULT_PARALLEL } from './context.js';
export type { BatchFailure, BatchOutcome, BatchStatus } from './dispatch.js';
export type { RuntimeOutcome } from './audit.js';
export {
  IDENTITY_KEYS,
  RecipientsBuilder,
  normalizeIdentityKey,
  recipientsFromTo,
  type IdentityKey,
  type Recipients,
} from './recipients.js';
export {
  executeSend,
  fireTrigger,
  prepareMessage,
  prepareTrigger,
  requestBody,
  sendMessage,
  type IdentityLists,
  type PreparedSend,
  type SendInput,
  type SendOptions,
  type SendReport,
  type SendResult,
} from './send.js';
export { executeRaise, prepareOccurrence, prepareRaise, raiseBulletin, type AdHocRaise, type PreparedRaise, type RaiseReport, type RaiseResult } from './raise.js';
export {
  occurrenceRunKey,
  raiseOccurrence,
  resolveOccurrence,
  type OccurrenceInput,
  type OccurrenceResult,
  type ResolveOutcome,
  type ResolveResult,
} from './occurrence.js';
