/**
 * The emergency stop: `campaignctl stop ADDRESS... | --selector k=v --reason TEXT`. No plan, no
 * YAML change needed: the managed campaigns named are stopped on CleverTap now, each through the
 * journal (a row opened before `targets/stop.json`, settled after it with the resource recorded as
 * `stopped` and an audit entry naming who and why). The caller holds the apply lock.
 *
 * A stopped resource stays in state as `stopped`: while it is still in the YAML the next plan says
 * it is kept stopped (it is not re-created behind the operator's back); once it leaves the YAML the
 * plan forgets it. `metadata.protect` only guards against stops by removal; an explicit stop is
 * obeyed, and the result says the campaign was protected.
 */
import type { CleverTapClient } from '../clevertap/client.js';
import { CleverTapError } from '../clevertap/errors.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AppliedResource } from '../model/applied.js';
import { closestName } from '../diagnostics/suggest.js';
import { baseAddress } from '../plan/addresses.js';
import type { StateStore } from '../state/store.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import { audit, type Provenance } from '../state/record.js';

export interface StopSelection {
  /** Resource addresses; a superseded leftover (`campaign.x@12`) is stopped with its resource. */
  addresses?: readonly string[];
  /** Every pair must match the labels recorded in state. */
  selector?: Readonly<Record<string, string>>;
}

export interface SelectedStops {
  targets: AppliedResource[];
  diagnostics: Diagnostic[];
}

/** Which state rows a stop concerns; unknown addresses and empty selections are errors. */
/** `target`: what the commands in hints point at (the CLI's environment and --dir). */
export function selectStopTargets(applied: readonly AppliedResource[], sel: StopSelection, target: CommandTarget = { env: undefined }): SelectedStops {
  const diagnostics: Diagnostic[] = [];
  const chosen = new Map<string, AppliedResource>();
  for (const address of sel.addresses ?? []) {
    const rows = applied.filter((a) => a.address === address || baseAddress(a.address) === address);
    if (rows.length === 0) {
      diagnostics.push(stopMessages.notManaged(address, closestName(address, applied.map((a) => a.address)), target));
      continue;
    }
    const campaigns = rows.filter((a) => a.kind === 'Campaign');
    if (campaigns.length === 0) {
      diagnostics.push(stopMessages.notCampaign(address, rows[0]!.kind));
      continue;
    }
    for (const row of campaigns) chosen.set(row.address, row);
  }
  if (sel.selector) {
    const pairs = Object.entries(sel.selector);
    const matched = applied.filter((a) => a.kind === 'Campaign' && pairs.every(([k, v]) => a.labels[k] === v));
    if (matched.length === 0) diagnostics.push(stopMessages.noneSelected(pairs.map(([k, v]) => `${k}=${v}`).join(','), target));
    for (const row of matched) chosen.set(row.address, row);
  }
  return { targets: [...chosen.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)), diagnostics };
}

export type StopStatus = 'stopped' | 'skipped' | 'failed';

export interface StopOutcome {
  address: string;
  remoteId: number | null;
  status: StopStatus;
  message: string;
  /** The resource is `metadata.protect: true`: stopped anyway, because it was asked explicitly. */
  protect: boolean;
  /** The outcome is unknown (a timeout after sending); the next apply sends the stop again. */
  ambiguous?: boolean;
}

export interface StopNowResult {
  outcomes: StopOutcome[];
  stopped: number;
  skipped: number;
  failed: number;
  ok: boolean;
}

export interface StopNowDeps {
  store: StateStore;
  client: CleverTapClient;
  /** command `stop`; git.author is the operator (who), not the author of HEAD. */
  provenance: Provenance;
  now?: () => Date;
  onStopped?: (o: StopOutcome) => void;
}

export interface StopNowInput {
  targets: readonly AppliedResource[];
  reason: string;
  /** Who asked, recorded in the audit history. */
  by: string;
}

const FINISHED = new Set(['completed', 'sent']);

export async function stopNow(deps: StopNowDeps, input: StopNowInput): Promise<StopNowResult> {
  const outcomes = await Promise.all(input.targets.map((t) => stopOne(deps, t, input)));
  for (const o of outcomes) deps.onStopped?.(o);
  const count = (s: StopStatus) => outcomes.filter((o) => o.status === s).length;
  const failed = count('failed');
  return { outcomes, stopped: count('stopped'), skipped: count('skipped'), failed, ok: failed === 0 };
}

async function stopOne(deps: StopNowDeps, target: AppliedResource, input: StopNowInput): Promise<StopOutcome> {
  const base = { address: target.address, remoteId: target.remoteId, protect: target.protect };
  if (target.status === 'stopped') return { ...base, status: 'skipped', message: 'already stopped' };
  if (FINISHED.has(target.status)) return { ...base, status: 'skipped', message: `already ${target.status}; nothing to stop` };
  if (target.remoteId === null) return { ...base, status: 'skipped', message: 'no CleverTap campaign id recorded; nothing to stop' };
  const remoteId = target.remoteId;
  const detail = { remoteId, reason: input.reason, by: input.by, protect: target.protect, emergency: true };

  // The spec hash marks the row as an emergency stop: if it is settled later (an interrupted run),
  // the resource stays, recorded as stopped, instead of being forgotten like a removed campaign.
  const row = await deps.store.journal.open({ address: target.address, operation: 'stop', request: { remoteId, specHash: target.specHash }, window: null });
  try {
    await deps.client.stopCampaign(remoteId);
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    if (err.ambiguous) {
      // Stop is idempotent: the row stays open and the next plan/apply sends the stop again.
      return {
        ...base,
        status: 'failed',
        ambiguous: true,
        message: `${err.message}; the stop may or may not have landed; run stop again (or the next apply sends it again)`,
      };
    }
    await deps.store.journal.settle({
      id: row.id,
      outcome: 'failed',
      message: err.message,
      audit: audit(deps.provenance, target.address, 'stop', { ...detail, error: err.message }, 'failed'),
    });
    return { ...base, status: 'failed', message: err.message };
  }
  const current = await deps.store.resources.get(target.address);
  const keep = current && current.remoteId === remoteId ? current : target;
  await deps.store.journal.settle({
    id: row.id,
    outcome: 'succeeded',
    message: `stopped ${remoteId} (emergency stop by ${input.by}: ${input.reason})`,
    resource: { put: { ...keep, status: 'stopped' } },
    audit: audit(deps.provenance, target.address, 'stop', detail),
  });
  const protectNote = target.protect ? ' (protected: stopped anyway because it was asked explicitly)' : '';
  return { ...base, status: 'stopped', message: `stopped campaign ${remoteId}${protectNote}` };
}

/** What `stop` reports (codes `stop.*`); their wording is in the diagnostics catalogue. */
export const stopMessages = {
  notManaged: (address: string, suggestion: string | undefined, target: CommandTarget): Diagnostic =>
    diagnostic('stop.not-managed', { address, suggestion, target }, { address }),
  notCampaign: (address: string, kind: string): Diagnostic => diagnostic('stop.not-campaign', { address, kind }, { address }),
  noneSelected: (selector: string, target: CommandTarget): Diagnostic => diagnostic('stop.none-selected', { selector, target }),
  reasonRequired: (): Diagnostic => diagnostic('stop.reason-required', {}),
  nothingNamed: (target: CommandTarget): Diagnostic => diagnostic('stop.nothing-named', { target }),
};
