/**
 * What campaignctl recorded as applied (the state store persists these) and what CleverTap reports
 * (the refresh reads these). The planner compares desired Resources against both.
 */
import type { Kind } from './resource.js';

/** Lifecycle of an applied campaign as campaignctl knows it; contracts and schedules use `active`. */
export type AppliedStatus = 'scheduled' | 'running' | 'sent' | 'stopped' | 'completed' | 'active';

export interface AppliedResource {
  address: string;
  kind: Kind;
  /** sha256 of the canonical desired spec (see plan/canonical.ts) that was applied. */
  specHash: string;
  /** The canonical spec as applied, for field-level diffs. Never contains secrets. */
  spec: unknown;
  /**
   * Campaigns: the request's `content` as rendered and sent, so a later plan can show what a
   * `body_file`, partial or variable change does to the text (the spec only holds their hashes).
   * Absent on rows applied before campaignctl recorded it, and on campaigns adopted by read-back.
   */
  rendered?: RenderedRequest;
  labels: Record<string, string>;
  protect: boolean;
  /** CleverTap campaign id (campaigns only). */
  remoteId: number | null;
  /** The `name` sent to CleverTap, carrying the journal marker. */
  remoteName: string | null;
  status: AppliedStatus;
  /** ISO instant the campaign is scheduled to start (campaigns only). */
  scheduledFor: string | null;
  appliedAt: string;
  /** Project-relative file the resource was defined in when applied (scopes `--changed-since` to deleted files). */
  file?: string | null;
  commit: string | null;
  author: string | null;
}

/** What of a request body state keeps (see AppliedResource.rendered). */
export interface RenderedRequest {
  content: unknown;
}

/** One row of `targets/list.json`, normalised. */
export interface RemoteCampaign {
  id: number;
  name: string;
  /** CleverTap's status string verbatim (`pending`, `running`, `stopped`, `completed`, ...). */
  status: string;
  /** As returned (`scheduled_on`); format unverified, kept raw. */
  scheduledOn: unknown;
}
