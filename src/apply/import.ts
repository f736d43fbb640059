/**
 * `campaignctl import ADDRESS REMOTE_ID`: adopt a campaign that already exists on CleverTap (made
 * on the dashboard, or by an earlier tool) for a Campaign resource in the YAML. Nothing is sent to
 * CleverTap but `targets/list.json` reads: the id must be found there, because state must never
 * claim a campaign CleverTap does not have. The state row records the resource's canonical spec
 * hash (the same one the planner computes), so the next plan shows no change for it; and the
 * campaign's start date as CleverTap lists it, so refresh finds it again. The caller holds the lock.
 */
import type { CleverTapClient } from '../clevertap/client.js';
import { CleverTapError } from '../clevertap/errors.js';
import { parseScheduledOn } from '../clevertap/unverified.js';
import type { Project } from '../config/project.js';
import { closestName } from '../diagnostics/suggest.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { AppliedResource, AppliedStatus, RemoteCampaign } from '../model/applied.js';
import { mapRemoteStatus } from '../plan/remote-status.js';
import { fromYyyymmdd, isValidDate } from '../time/calendar.js';
import { localToInstant } from '../time/zone.js';
import type { JournalWindow, StateStore } from '../state/store.js';
import { coveringWindows, daysBetween, shiftYmd, windowAround, ymdOf, type Ymd } from './dates.js';
import { prepareDesired, type DesiredState } from './desired.js';
import { audit, type Provenance } from '../state/record.js';

/** Without --from/--to: the start date of the campaign's `when`, then this range around today. */
export const DEFAULT_SEARCH_DAYS_BACK = 90;
export const DEFAULT_SEARCH_DAYS_AHEAD = 365;

export interface ImportRequest {
  address: string;
  remoteId: number;
  project: Project;
  store: StateStore;
  client: CleverTapClient;
  /** command `import`; git.author is the operator. */
  provenance: Provenance;
  now: Date;
  /** --from/--to (YYYYMMDD, inclusive): search only these dates. */
  window?: JournalWindow;
  desired?: DesiredState;
  /** What commands in hints point at; default: the project's environment (a CLI adds its --dir). */
  commandTarget?: CommandTarget;
  onWindow?: (w: JournalWindow, rows: number) => void;
}

export type ImportResult =
  | { ok: true; record: AppliedResource; remote: RemoteCampaign; searched: JournalWindow[]; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; searched: JournalWindow[] };

export async function importCampaign(req: ImportRequest): Promise<ImportResult> {
  const { address, remoteId, project, store } = req;
  const fail = (...diagnostics: Diagnostic[]): ImportResult => ({ ok: false, diagnostics, searched });
  const searched: JournalWindow[] = [];

  const resource = project.resources().find((r) => r.address === address);
  if (!resource) {
    const candidates = project.resources().filter((r) => r.kind === 'Campaign').map((r) => r.address);
    return fail(importMessages.notInYaml(address, closestName(address, candidates)));
  }
  if (resource.kind !== 'Campaign') return fail(importMessages.notCampaign(address, resource.kind));
  const invalid = project.diagnostics.filter(
    (d) => d.severity === 'error' && (d.address === address || (d.address === undefined && d.file === resource.source.file)),
  );
  if (invalid.length > 0) return fail(...invalid, importMessages.invalid(address));

  const existing = await store.resources.get(address);
  const target = req.commandTarget ?? { env: project.environmentName };
  if (existing) return fail(importMessages.alreadyManaged(address, existing.remoteId, target));
  const owner = (await store.resources.listWithoutSpecs()).find((a) => a.kind === 'Campaign' && a.remoteId === remoteId);
  if (owner) return fail(importMessages.idManaged(remoteId, owner.address, target));

  const desired = (req.desired ?? prepareDesired(project)).byAddress.get(address)!.desired;
  const tz = project.environment.accountTimezone;

  // Where to look: the user's dates; else the `when` date first (one call), then a wide range.
  const passes: JournalWindow[][] = [];
  if (req.window) passes.push(coveringWindows([req.window]));
  else {
    if (desired.startsAt?.kind === 'at') passes.push(coveringWindows([windowAround(new Date(desired.startsAt.instant), tz)]));
    const today = ymdOf(req.now, tz);
    passes.push(coveringWindows([{ from: shiftYmd(today, -DEFAULT_SEARCH_DAYS_BACK), to: shiftYmd(today, DEFAULT_SEARCH_DAYS_AHEAD) }]));
  }

  let found: { remote: RemoteCampaign; window: JournalWindow } | null = null;
  try {
    for (const windows of passes) {
      const pages = await Promise.all(
        windows.map(async (w) => {
          const rows = await req.client.listCampaigns(w.from, w.to);
          searched.push(w);
          req.onWindow?.(w, rows.length);
          return { w, hit: rows.find((r) => r.id === remoteId) };
        }),
      );
      const hit = pages.find((p) => p.hit);
      if (hit) {
        found = { remote: hit.hit!, window: hit.w };
        break;
      }
    }
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    return fail(importMessages.listFailed(err.message));
  }
  if (!found) return fail(importMessages.notFound(remoteId, searched, req.window !== undefined));

  let scheduledFor: string;
  try {
    scheduledFor = await startOf(found.remote, found.window, req.client, tz, desired.startsAt);
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    return fail(importMessages.listFailed(err.message));
  }

  const remote = found.remote;
  const state = mapRemoteStatus(remote.status);
  const status: AppliedStatus = state === 'unknown' ? 'running' : state;
  const record: AppliedResource = {
    address,
    kind: 'Campaign',
    specHash: desired.specHash,
    spec: desired.canonicalSpec,
    labels: { ...resource.labels },
    protect: resource.protect,
    remoteId,
    remoteName: remote.name,
    status,
    scheduledFor,
    appliedAt: req.now.toISOString(),
    file: resource.source.file,
    commit: req.provenance.git.commit,
    author: req.provenance.git.author,
  };
  await store.transaction(async (tx) => {
    await tx.resources.put(record);
    await tx.audit.append(
      audit(req.provenance, address, 'adopt', { remoteId, remoteName: remote.name, remoteStatus: remote.status, by: req.provenance.git.author ?? 'unknown' }),
    );
  });

  const warnings: Diagnostic[] = [];
  if (state === 'stopped' || state === 'completed') warnings.push(importMessages.notLive(address, remoteId, remote.status));
  if (state === 'unknown') warnings.push(importMessages.unknownStatus(address, remote.status));
  return { ok: true, record, remote, searched, warnings };
}

/**
 * The instant refresh should look around: CleverTap's `scheduled_on` when it reads as the
 * (unverified) YYYYMMDDHHmm format; else the YAML's `when` when it falls inside the window the id
 * was found in; else the window is halved with further list calls until one day is left.
 */
async function startOf(
  remote: RemoteCampaign,
  window: JournalWindow,
  client: CleverTapClient,
  tz: string,
  start: { kind: 'now' } | { kind: 'at'; instant: string } | undefined,
): Promise<string> {
  const wall = parseScheduledOn(remote.scheduledOn);
  if (wall) {
    const local = localToInstant({ ...wall, second: 0 }, tz);
    if (local.kind !== 'gap') return local.instant.toISOString();
  }
  if (start?.kind === 'at') {
    const day = ymdOf(new Date(start.instant), tz);
    if (day >= window.from && day <= window.to) return start.instant;
  }
  let { from, to } = window;
  while (from < to) {
    const mid = shiftYmd(from, Math.floor(daysBetween(from, to) / 2));
    const rows = await client.listCampaigns(from, mid);
    if (rows.some((r) => r.id === remote.id)) to = mid;
    else from = shiftYmd(mid, 1);
  }
  return middayOf(from, tz);
}

function middayOf(ymd: Ymd, tz: string): string {
  const { year, month, day } = fromYyyymmdd(ymd);
  const r = localToInstant({ year, month, day, hour: 12, minute: 0, second: 0 }, tz);
  return r.kind === 'gap' ? new Date(Date.UTC(year, month - 1, day, 12)).toISOString() : r.instant.toISOString();
}

/** Reads `YYYYMMDD` as an inclusive date bound; null when it is not a real date. */
export function parseYmd(text: string): Ymd | null {
  if (!/^\d{8}$/.test(text)) return null;
  const n = Number(text);
  const { year, month, day } = fromYyyymmdd(n);
  // Years below 100 are refused: Date.UTC reads them as 1900-1999, so the window arithmetic
  // (shiftYmd, daysBetween) would search the wrong century.
  return year >= 100 && isValidDate(year, month, day) ? n : null;
}

/** What `import` reports (codes `import.*`); their wording is in the diagnostics catalogue. */
export const importMessages = {
  notInYaml: (address: string, suggestion: string | undefined): Diagnostic => diagnostic('import.not-in-yaml', { address, suggestion }, { address }),
  notCampaign: (address: string, kind: string): Diagnostic => diagnostic('import.not-campaign', { address, kind }, { address }),
  invalid: (address: string): Diagnostic => diagnostic('import.invalid-resource', { address }, { address }),
  alreadyManaged: (address: string, remoteId: number | null, target: CommandTarget): Diagnostic =>
    diagnostic('import.already-managed', { address, remoteId, target }, { address }),
  idManaged: (remoteId: number, owner: string, target: CommandTarget): Diagnostic => diagnostic('import.id-managed', { remoteId, owner, target }),
  notFound: (remoteId: number, searched: readonly JournalWindow[], explicit: boolean): Diagnostic =>
    diagnostic('import.not-found', { remoteId, searched, explicit, daysBack: DEFAULT_SEARCH_DAYS_BACK, daysAhead: DEFAULT_SEARCH_DAYS_AHEAD }),
  listFailed: (detail: string): Diagnostic => diagnostic('import.list-failed', { detail }),
  badDate: (flag: string, value: string): Diagnostic => diagnostic('import.bad-date', { flag, value }),
  badRange: (from: number, to: number): Diagnostic => diagnostic('import.bad-date', { from, to }),
  badId: (value: string): Diagnostic => diagnostic('import.bad-id', { value }),
  notLive: (address: string, remoteId: number, status: string): Diagnostic => diagnostic('import.not-live', { address, remoteId, status }, { address }),
  unknownStatus: (address: string, status: string): Diagnostic => diagnostic('import.unknown-status', { address, status }, { address }),
};
