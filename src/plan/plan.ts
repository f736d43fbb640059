/**
 * plan(): the pure planner. Desired resources (from YAML), applied state and CleverTap's statuses
 * go in with `now`; an ordered Plan and the errors that refuse it come out. No I/O, no clock.
 * Estimates and guards are the second step (./finalize.ts) because estimates need the network.
 */
import type { AppliedResource, RemoteCampaign } from '../model/applied.js';
import { baseAddress, isSuperseded } from './addresses.js';
import { assessCampaign, isLive, type CampaignAssessment } from './campaign-status.js';
import { planCampaign } from './campaigns.js';
import { compareCodeUnits } from './canonical.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { nearNames } from '../diagnostics/suggest.js';
import type { PlanContext } from './context.js';
import { planContract } from './contracts.js';
import { messages } from './messages.js';
import { planOccurrences } from './occurrences.js';
import { orderChanges } from './order.js';
import { addressesInScope, scopeFilter } from './scope.js';
import { summarize } from './summary.js';
import type { DesiredResource, Plan, PlanInput, PlanResult, RaisedOccurrence } from './types.js';

export function plan(input: PlanInput): PlanResult {
  const options = input.options ?? {};
  const ctx: PlanContext = {
    now: input.now,
    timeZone: input.accountTimezone ?? 'UTC',
    commandTarget: input.commandTarget ?? { env: undefined },
    heal: options.heal === true,
    locate: input.locate,
    changes: [],
    drift: [],
    warnings: [],
    errors: [],
    notes: [],
    scheduled: [],
  };

  const byCaller = input.desiredByAddress !== undefined && input.desiredByAddress.size === input.desired.length;
  const desiredBy = byCaller ? lookup(input.desiredByAddress!) : indexDesired(input.desired);
  const appliedBy = memoised(appliedIndexes, input.applied, indexApplied);
  const remoteById = input.remote === null ? null : memoised(remoteIndexes, input.remote, remoteIndex);

  const filter = scopeFilter(options.scope);
  const scoped = filter.active ? addressesInScope([...desiredBy.values()], [...appliedBy.values()], filter) : null;
  if (options.scope?.addresses?.length && options.scope.unknownTargets !== 'skip') ctx.errors.push(...unknownTargets(options.scope.addresses, desiredBy.keys(), appliedBy.keys(), ctx.commandTarget));
  const inScope = (address: string) => scoped === null || scoped.has(address) || scoped.has(baseAddress(address));

  const runsByBulletin = new Map<string, RaisedOccurrence[]>();
  for (const r of input.raisedOccurrences ?? []) {
    const list = runsByBulletin.get(r.address) ?? [];
    list.push(r);
    runsByBulletin.set(r.address, list);
  }

  const sortedDesired = byCaller ? input.desiredAddresses : undefined;
  const union =
    sortedDesired !== undefined && Object.isFrozen(sortedDesired) && Object.isFrozen(input.applied)
      ? memoisedUnion(sortedDesired, appliedBy)
      : { addresses: addressUnion(desiredBy.keys(), appliedBy), rows: undefined };
  const { addresses, rows } = union;
  const along = rows !== undefined && input.desiredAlong !== undefined ? input.desiredAlong(addresses) : undefined;
  let considered = 0;
  // Campaign statuses across the whole state, scoped or not: the mass-stop guard counts against all
  // of them. Every applied address is in `addresses`, so they are assessed in the one pass.
  let liveManagedCampaigns = 0;
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[i]!;
    const a = rows !== undefined ? rows[i] : appliedBy.get(address);
    let status: CampaignAssessment | undefined;
    if (a !== undefined && a.kind === 'Campaign') {
      status = assessCampaign(a, remoteById, input.now);
      if (isLive(status.effective) && !isSuperseded(a.address)) liveManagedCampaigns++;
    }
    if (!inScope(address)) continue;
    considered++;
    const d = along !== undefined ? along[i]?.desired : desiredBy.get(address);
    const kind = d?.resource.kind ?? a!.kind;
    if (kind === 'Campaign') planCampaign(ctx, d, a, status);
    else planContract(ctx, d, a);
    if (kind === 'Bulletin' && d) planOccurrences(ctx, d, a, runsByBulletin.get(address) ?? []);
  }

  if (filter.active) ctx.warnings.unshift(messages.partial(filter.describe, considered));
  if (input.remote === null) ctx.warnings.unshift(messages.notRefreshed());

  const changes = orderChanges(ctx.changes);
  const drift = [...ctx.drift].sort((x, y) => compareCodeUnits(x.address, y.address));
  const result: Plan = {
    now: input.now.toISOString(),
    changes,
    drift,
    warnings: ctx.warnings,
    notes: ctx.notes,
    scheduled: [...ctx.scheduled].sort((x, y) => compareCodeUnits(x.at, y.at) || compareCodeUnits(x.address, y.address)),
    partial: filter.active,
    refreshed: input.remote !== null,
    liveManagedCampaigns,
    finalized: false,
    summary: summarize(changes, drift),
  };
  return { plan: result, diagnostics: ctx.errors };
}

/**
 * `--target` addresses that name no resource in the YAML or in state (by their resource's address,
 * as scoping matches them: `bulletin.x#key` names bulletin.x), each an error with the addresses
 * that begin with what was typed, else the closest one there is.
 */
function unknownTargets(targets: readonly string[], desired: Iterable<string>, applied: Iterable<string>, command: CommandTarget): Diagnostic[] {
  const known = new Set(desired);
  for (const address of applied) known.add(baseAddress(address));
  const out: Diagnostic[] = [];
  for (const target of targets) {
    const base = baseAddress(target);
    if (known.has(base)) continue;
    out.push(messages.targetUnknown(target, nearNames(base, known), command));
  }
  return out;
}

/** What the planner asks of its desired index, over the caller's map (one entry per resource: no duplicates). */
function lookup(byAddress: ReadonlyMap<string, { desired: DesiredResource }>): Pick<Map<string, DesiredResource>, 'get' | 'keys' | 'values'> {
  return {
    get: (address) => byAddress.get(address)?.desired,
    keys: () => byAddress.keys(),
    values: () => [...byAddress.values()].map((x) => x.desired).values(),
  };
}

/** First definition (by file, then document) wins; duplicate addresses are a loader error. */
function indexDesired(desired: readonly DesiredResource[]): Map<string, DesiredResource> {
  const out = new Map<string, DesiredResource>();
  for (const d of desired) {
    const seen = out.get(d.resource.address);
    if (!seen || definedEarlier(d, seen)) out.set(d.resource.address, d);
  }
  return out;
}

function definedEarlier(a: DesiredResource, b: DesiredResource): boolean {
  const byFile = compareCodeUnits(a.resource.source.file, b.resource.source.file);
  return byFile < 0 || (byFile === 0 && a.resource.source.documentIndex < b.resource.source.documentIndex);
}

/**
 * The applied rows and CleverTap's rows by key, kept per input array: the daemon plans every edit
 * on the same arrays (state's frozen rows until its revision moves; the kept refresh while nothing
 * re-asked changed), and 10,000-entry indexes cost several ms a plan. Only frozen arrays are kept:
 * one that can not change keeps its index, so plan() stays a pure function of its input (an array
 * a caller may still change is indexed anew each time).
 */
const appliedIndexes = new WeakMap<readonly AppliedResource[], Map<string, AppliedResource>>();
const remoteIndexes = new WeakMap<readonly RemoteCampaign[], Map<number, RemoteCampaign>>();

function memoised<T extends object, I>(kept: WeakMap<T, I>, input: T, build: (input: T) => I): I {
  if (!Object.isFrozen(input)) return build(input);
  let index = kept.get(input);
  if (index === undefined) kept.set(input, (index = build(input)));
  return index;
}

/** Every desired and applied address, sorted. */
function addressUnion(desired: Iterable<string>, appliedBy: ReadonlyMap<string, AppliedResource>): string[] {
  const all = new Set(desired);
  for (const k of appliedBy.keys()) all.add(k);
  // default sort order is UTF-16 code units, the same as compareCodeUnits, and much faster
  return [...all].sort();
}

/**
 * The union kept per frozen array of desired addresses and index of a frozen applied array (both
 * can not change, so neither can their union), with each address's applied row at its place: an
 * edit that adds or removes no address plans on the same arrays, and the union of 10,000
 * addresses costs a few ms to build and sort, their 10,000 look-ups a few more.
 */
interface Union {
  addresses: readonly string[];
  rows: readonly (AppliedResource | undefined)[] | undefined;
}

const unions = new WeakMap<readonly string[], WeakMap<ReadonlyMap<string, AppliedResource>, Union>>();

function memoisedUnion(sortedDesired: readonly string[], appliedBy: ReadonlyMap<string, AppliedResource>): Union {
  let byApplied = unions.get(sortedDesired);
  if (byApplied === undefined) unions.set(sortedDesired, (byApplied = new WeakMap()));
  let union = byApplied.get(appliedBy);
  if (union === undefined) {
    const addresses = Object.freeze(addressUnion(sortedDesired, appliedBy));
    union = { addresses, rows: Object.freeze(addresses.map((a) => appliedBy.get(a))) };
    byApplied.set(appliedBy, union);
  }
  return union;
}

function remoteIndex(remote: readonly RemoteCampaign[]): Map<number, RemoteCampaign> {
  const out = new Map<number, RemoteCampaign>();
  for (const r of remote) out.set(r.id, r);
  return out;
}

function indexApplied(applied: readonly AppliedResource[]): Map<string, AppliedResource> {
  const out = new Map<string, AppliedResource>();
  for (const a of applied) if (!out.has(a.address)) out.set(a.address, a);
  return out;
}
