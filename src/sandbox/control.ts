/**
 * The emulator's test and demo controls, used in-process (`handle.state`) or over HTTP under
 * `/__sandbox/` (inspection.ts). Nothing here exists on CleverTap: it is how tests look inside and
 * play the dashboard (stop a campaign, register External Trigger campaigns and business events).
 */
import type { FaultInjector, FaultName, ScriptedFault } from './faults.js';
import type { FamilyConcurrency } from './limits.js';
import { campaignStatus } from './store.js';
import type { CampaignStatus, SandboxStore, SendRecord, StoredCampaign } from './store.js';
import type { SandboxClock } from './time.js';
import { ymdhm } from './time.js';

export interface RequestLogEntry {
  seq: number;
  /** Sandbox clock at arrival. */
  at: string;
  method: string;
  path: string;
  /** API family, null for unknown paths. */
  family: string | null;
  /** Request headers without secrets (passcode, token, authorization are never recorded). */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  fault: FaultName | null;
  /**
   * Top-level body fields the contract does not list for this endpoint (unverified: CleverTap may
   * refuse them); a strict emulator refuses the request, otherwise it only marks them here.
   */
  unlisted: string[];
  /** The contract rule that refused it (src/clevertap/request-rules.ts ids), or null. */
  rule: string | null;
  /**
   * What was sent back; null when the connection was dropped or left hanging. A list in the body
   * longer than SANDBOX_DEFAULTS.loggedListItems is kept cut to that many items, and `omitted`
   * says how many were left out of each such field.
   */
  response: { status: number; body: Record<string, unknown>; omitted?: Record<string, number> } | null;
  /** True when the request's effect was applied (also for dropped and hung ones). */
  committed: boolean;
  durationMs: number;
}

export interface CampaignView extends StoredCampaign {
  status: CampaignStatus;
  scheduled_on: number;
}

export interface ConcurrencySnapshot {
  limit: number;
  inFlight: Record<string, number>;
  peak: Record<string, number>;
}

export interface SandboxControl {
  readonly accountId: string;
  /** Refuses request fields the contract does not list (SandboxOptions.strict). */
  readonly strict: boolean;
  requests(filter?: { family?: string; path?: string }): RequestLogEntry[];
  clearRequests(): void;
  campaigns(): CampaignView[];
  campaign(id: number): CampaignView | undefined;
  /** Identity sends, External Trigger calls and raises that were accepted. */
  sends(): SendRecord[];
  now(): Date;
  setClock(instant: Date): void;
  advanceClock(ms: number): void;
  /** Empty account (configured dashboard objects kept), empty log, peaks and scripted faults cleared. */
  reset(): void;
  registerExternalTriggers(ids: readonly (string | number)[]): void;
  registerBusinessEvents(names: readonly string[]): void;
  registerControlGroups(names: readonly string[]): void;
  registered(): { externalTriggers: string[]; businessEvents: string[]; controlGroups: string[] };
  /** Test hook: the campaign reports `completed` (optionally with these numbers). False if unknown. */
  markCompleted(id: number, result?: { sent: number; clicked: number }): boolean;
  /** A stop made on the dashboard, outside campaignctl (drift tests). False if unknown. */
  dashboardStop(id: number): boolean;
  concurrency(): ConcurrencySnapshot;
  resetPeaks(): void;
  /** Exact faults for the next matching requests (before the random ones). */
  injectFaults(faults: readonly ScriptedFault[]): void;
  pendingFaults(): readonly Required<ScriptedFault>[];
}

export interface ControlDeps {
  accountId: string;
  store: SandboxStore;
  clock: SandboxClock;
  concurrency: FamilyConcurrency;
  faults: FaultInjector;
  log: RequestLogEntry[];
  strict: boolean;
  completeAfterMs: number;
  timeZone: string;
}

export function createControl(d: ControlDeps): SandboxControl {
  const view = (c: StoredCampaign): CampaignView => ({
    ...c,
    status: campaignStatus(c, d.clock.now(), d.completeAfterMs),
    scheduled_on: ymdhm(new Date(c.startsAt), d.timeZone),
  });
  const persistClock = () => {
    d.store.clockOffsetMs = d.clock.offsetMs;
  };
  return {
    accountId: d.accountId,
    strict: d.strict,
    requests: (filter) =>
      d.log.filter((e) => (!filter?.family || e.family === filter.family) && (!filter?.path || e.path === filter.path)),
    clearRequests: () => {
      d.log.length = 0;
    },
    campaigns: () => d.store.campaigns().map(view),
    campaign: (id) => {
      const c = d.store.campaign(id);
      return c && view(c);
    },
    sends: () => [...d.store.sends()],
    now: () => d.clock.now(),
    setClock: (instant) => {
      d.clock.set(instant);
      persistClock();
    },
    advanceClock: (ms) => {
      d.clock.advance(ms);
      persistClock();
    },
    reset: () => {
      d.store.reset();
      d.clock.advance(-d.clock.offsetMs);
      d.log.length = 0;
      d.concurrency.resetPeaks();
      d.faults.clearScript();
    },
    registerExternalTriggers: (ids) => d.store.register('externalTriggers', ids),
    registerBusinessEvents: (names) => d.store.register('businessEvents', names),
    registerControlGroups: (names) => d.store.register('controlGroups', names),
    registered: () => ({
      externalTriggers: [...d.store.externalTriggers],
      businessEvents: [...d.store.businessEvents],
      controlGroups: [...d.store.controlGroups],
    }),
    markCompleted: (id, result) => {
      if (!d.store.campaign(id)) return false;
      d.store.updateCampaign(id, { completedAt: d.clock.now().toISOString(), result: result ?? null });
      return true;
    },
    dashboardStop: (id) => {
      const c = d.store.campaign(id);
      if (!c) return false;
      if (!c.stoppedAt && !c.completedAt) d.store.updateCampaign(id, { stoppedAt: d.clock.now().toISOString(), stoppedBy: 'dashboard' });
      return true;
    },
    concurrency: () => d.concurrency.snapshot(),
    resetPeaks: () => d.concurrency.resetPeaks(),
    injectFaults: (faults) => d.faults.script(faults),
    pendingFaults: () => d.faults.scripted,
  };
}
