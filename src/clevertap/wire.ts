/**
 * Request and result shapes of the client's operations. Bodies keep CleverTap's own field names
 * (clevertap-api.md §2-§8) and stay open (`[key: string]: unknown`) because the YAML passes
 * CleverTap's vocabulary through unchanged.
 */
import type { IdentityChannel } from './endpoints.js';

/** `targets/create.json` (§2). `estimate_only` is set by the client, never by the caller. */
export interface CampaignCreateBody {
  name: string;
  target_mode?: string;
  where?: Record<string, unknown>;
  segment?: 'all' | number;
  content: Record<string, unknown>;
  devices?: string[];
  when: string | Record<string, unknown>;
  skip_estimate?: boolean;
  [key: string]: unknown;
}

/** Identity keys of the send endpoints (§3); case-sensitive. */
export type IdentityKey = 'Identity' | 'Email' | 'FBID' | 'GPID' | 'objectId';
export type IdentityTo = Partial<Record<IdentityKey, string[]>>;

/** `send/{channel}.json` (§3). At most 1,000 identities: batch with batchIdentities first. */
export interface IdentitySendBody {
  to: IdentityTo;
  content: Record<string, unknown>;
  [key: string]: unknown;
}

/** External Trigger `to` keys are lower case (§7). */
export type ExternalTriggerTo = Partial<Record<'email' | 'identity' | 'objectId', string[]>>;

/** `send/externaltrigger.json` (§7): fires a dashboard-built External Trigger campaign. */
export interface ExternalTriggerBody {
  to: ExternalTriggerTo;
  campaign_id: string | number;
  ExternalTrigger: Record<string, unknown>;
  [key: string]: unknown;
}

/** `targets/trigger.json` (§8.2): raises a dashboard-defined business event. */
export interface RaiseBusinessEventBody {
  business_event: string;
  name: string;
  properties: Record<string, string>;
  'c-by': string;
  when: 'now' | number;
  [key: string]: unknown;
}

export type Estimates = Record<string, number>;

export interface CreateResult {
  id: number;
  estimates: Estimates;
}

export interface EstimateResult {
  estimates: Estimates;
}

/** `targets/result.json`: a campaign that has not finished is an answer, not an error. */
export type CampaignReport =
  | { completed: true; sent: number; clicked: number; result: Record<string, unknown> }
  | { completed: false; message: string };

export interface SendResult {
  /** CleverTap's `message` (e.g. "Added to queue for processing") when it sends one. */
  message?: string;
}

export type { IdentityChannel };
