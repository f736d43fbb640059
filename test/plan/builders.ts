/**
 * Builders for planner tests: desired resources, applied rows and remote statuses with sensible
 * defaults, so each table row states only what matters to it.
 */
import type { AppliedResource, AppliedStatus, RemoteCampaign } from '../../src/model/applied.js';
import { addressOf, type Kind, type Resource } from '../../src/model/resource.js';
import { canonicalize, hashCanonical } from '../../src/plan/canonical.js';
import type { DesiredResource, PlanInput, RaisedOccurrence, StartsAt } from '../../src/plan/types.js';

export const NOW = new Date('2025-03-01T12:00:00.000Z');

/** ISO instant `minutes` from NOW (negative: in the past). */
export function inMinutes(minutes: number, from: Date = NOW): string {
  return new Date(from.getTime() + minutes * 60_000).toISOString();
}

export function campaignSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    when: inMinutes(24 * 60),
    target_mode: 'push',
    devices: ['android', 'ios'],
    where: { event_name: 'App Launched', from: 20250201, to: 20250228 },
    content: { title: 'Winter sale', body: 'Up to 50% off' },
    ...overrides,
  };
}

export interface ResourceOptions {
  labels?: Record<string, string>;
  protect?: boolean;
  file?: string;
  startsAt?: StartsAt;
}

export function desired(kind: Kind, name: string, spec: Record<string, unknown>, o: ResourceOptions = {}): DesiredResource {
  const resource: Resource = {
    kind,
    address: addressOf(kind, name),
    name,
    labels: o.labels ?? {},
    protect: o.protect ?? false,
    spec,
    source: { file: o.file ?? `campaigns/${name}.yaml`, documentIndex: 0, line: 1, column: 1 },
  };
  const d: DesiredResource = { resource, specHash: hashCanonical(spec), canonicalSpec: canonicalize(spec) };
  if (o.startsAt) d.startsAt = o.startsAt;
  return d;
}

export function campaign(name: string, overrides: Record<string, unknown> = {}, o: ResourceOptions = {}): DesiredResource {
  return desired('Campaign', name, campaignSpec(overrides), o);
}

export function message(name: string, overrides: Record<string, unknown> = {}, o: ResourceOptions = {}): DesiredResource {
  return desired('Message', name, { channel: 'push', content: { title: 'Order {{data.orderId}} shipped' }, ...overrides }, o);
}

export function bulletin(
  name: string,
  occurrences: { key: string; at: string; name?: string; properties?: Record<string, string> }[],
  o: ResourceOptions = {},
): DesiredResource {
  return desired('Bulletin', name, { event: 'Album Released', 'c-by': 'Label', occurrences }, o);
}

let nextId = 1_700_000_000;

export interface AppliedOptions {
  status?: AppliedStatus;
  remoteId?: number | null;
  protect?: boolean;
  labels?: Record<string, string>;
  scheduledFor?: string | null;
  file?: string | null;
  address?: string;
}

/** The applied row a successful apply of `d` would have left (override what the row needs). */
export function applied(d: DesiredResource, o: AppliedOptions = {}): AppliedResource {
  const isCampaign = d.resource.kind === 'Campaign';
  const when = (d.resource.spec as Record<string, unknown>).when;
  return {
    address: o.address ?? d.resource.address,
    kind: d.resource.kind,
    specHash: d.specHash,
    spec: d.canonicalSpec,
    labels: o.labels ?? d.resource.labels,
    protect: o.protect ?? d.resource.protect,
    remoteId: o.remoteId !== undefined ? o.remoteId : isCampaign ? nextId++ : null,
    remoteName: isCampaign ? `${d.resource.name} [cc-abc123]` : null,
    status: o.status ?? (isCampaign ? 'scheduled' : 'active'),
    scheduledFor: o.scheduledFor !== undefined ? o.scheduledFor : isCampaign && typeof when === 'string' && when !== 'now' ? when : null,
    appliedAt: inMinutes(-60),
    file: o.file !== undefined ? o.file : d.resource.source.file,
    commit: 'abc1234',
    author: 'dev@example.com',
  };
}

/** What CleverTap's list would say about an applied campaign. */
export function remoteOf(a: AppliedResource, status: string): RemoteCampaign {
  return { id: a.remoteId!, name: a.remoteName ?? a.address, status, scheduledOn: null };
}

export function run(bulletinAddress: string, key: string, status: RaisedOccurrence['status'], occurrenceHash?: string): RaisedOccurrence {
  const r: RaisedOccurrence = { address: bulletinAddress, key, status };
  if (occurrenceHash !== undefined) r.occurrenceHash = occurrenceHash;
  return r;
}

const AGREEING: Record<AppliedStatus, string> = {
  scheduled: 'pending',
  running: 'running',
  sent: 'completed',
  completed: 'completed',
  stopped: 'stopped',
  active: 'completed',
};

/** CleverTap's list as it would be if nothing happened outside campaignctl. */
export function agreeingRemote(rows: readonly AppliedResource[]): RemoteCampaign[] {
  return rows.filter((a) => a.kind === 'Campaign' && a.remoteId !== null).map((a) => remoteOf(a, AGREEING[a.status]));
}

/** A plan input; `remote` defaults to a list that agrees with `applied`. */
export function input(partial: Partial<PlanInput> = {}): PlanInput {
  const rows = partial.applied ?? [];
  return { desired: [], applied: rows, remote: agreeingRemote(rows), now: NOW, ...partial };
}
