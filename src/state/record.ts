/**
 * The rows apply writes: AppliedResource records and audit entries, each stamped with the git
 * commit, author and dirty flag of the project it was applied from (null outside a git repo).
 */
import type { GitInfo } from '../git/repo.js';
import type { AppliedResource, AppliedStatus, RenderedRequest } from '../model/applied.js';
import type { Resource } from '../model/resource.js';
import type { AuditInput, JsonObject } from './store.js';

/** Who did it and from which commit, as apply and the runtime operations record it; built once per run. */
export interface Provenance {
  /** `apply`, `stop`, `import`, `watch`, `send`, `trigger`, `raise`, ... */
  command: string;
  git: Pick<GitInfo, 'commit' | 'author' | 'dirty' | 'isRepo'>;
}

export const NO_GIT: Provenance['git'] = { isRepo: false, commit: null, author: null, dirty: false };

export function audit(
  p: Provenance,
  address: string | null,
  action: string,
  detail?: JsonObject,
  outcome?: AuditInput['outcome'],
): AuditInput {
  const entry: AuditInput = {
    command: p.command,
    address,
    action,
    commit: p.git.commit,
    author: p.git.author,
    dirty: p.git.isRepo ? p.git.dirty : null,
  };
  if (detail) entry.detail = detail;
  if (outcome) entry.outcome = outcome;
  return entry;
}

export interface AppliedCampaignInput {
  address: string;
  specHash: string;
  spec: unknown;
  resource?: Pick<Resource, 'labels' | 'protect' | 'source'>;
  remoteId: number;
  remoteName: string;
  /** ISO start; a `now` campaign starts when it was created. */
  scheduledFor: string;
  startsNow: boolean;
  appliedAt: string;
  /** The request's content as sent; unknown for a campaign adopted by read-back. */
  rendered?: RenderedRequest;
}

export function appliedCampaign(p: Provenance, c: AppliedCampaignInput): AppliedResource {
  const status: AppliedStatus = c.startsNow ? 'running' : 'scheduled';
  return {
    address: c.address,
    kind: 'Campaign',
    specHash: c.specHash,
    spec: c.spec,
    labels: { ...(c.resource?.labels ?? {}) },
    protect: c.resource?.protect ?? false,
    remoteId: c.remoteId,
    remoteName: c.remoteName,
    status,
    scheduledFor: c.scheduledFor,
    appliedAt: c.appliedAt,
    file: c.resource?.source.file ?? null,
    commit: p.git.commit,
    author: p.git.author,
    ...(c.rendered ? { rendered: c.rendered } : {}),
  };
}

/** A contract (Message, ExternalTrigger, Bulletin) or Schedule: recorded only, nothing remote. */
export function appliedContract(
  p: Provenance,
  resource: Pick<Resource, 'address' | 'kind' | 'labels' | 'protect' | 'source'>,
  specHash: string,
  spec: unknown,
  appliedAt: string,
): AppliedResource {
  return {
    address: resource.address,
    kind: resource.kind,
    specHash,
    spec,
    labels: { ...resource.labels },
    protect: resource.protect,
    remoteId: null,
    remoteName: null,
    status: 'active',
    scheduledFor: null,
    appliedAt,
    file: resource.source.file,
    commit: p.git.commit,
    author: p.git.author,
  };
}
