/**
 * Refresh: what CleverTap says about the managed campaigns. `targets/list.json` is the only read
 * (it gives id, name, status and start time; content can not be read back), queried over bounded
 * date windows that cover the start dates state recorded. A campaign that started `now` has its
 * apply time as start (scheduledFor, else appliedAt).
 *
 * Status vocabulary is an unverified API fact: this module does not interpret it. The ONE mapping
 * from CleverTap's strings to scheduled/running/completed/stopped is `mapRemoteStatus` in
 * src/plan/remote-status.ts (unknown strings kept verbatim and treated as live by the planner).
 */
import type { CleverTapClient, ListAnswer } from '../clevertap/client.js';
import type { RemoteCampaign } from '../model/applied.js';
import { mapRemoteStatus, type RemoteState } from '../plan/remote-status.js';
import type { AppliedWithoutSpec, JournalWindow, StateStore } from '../state/store.js';
import { coveringWindows, windowAround } from './dates.js';

export interface RemoteStatusEntry {
  address: string;
  remoteId: number;
  /** null: not in any list window (missing on CleverTap). */
  remote: RemoteCampaign | null;
  /** The mapped state; `unknown` keeps remote.status verbatim for display. */
  state: RemoteState | 'missing';
}

export interface RefreshResult {
  /** Every row the windows returned, deduplicated by id (what plan() takes as `remote`). */
  remote: RemoteCampaign[];
  windows: JournalWindow[];
  /** One entry per managed campaign with a remote id. */
  statuses: RemoteStatusEntry[];
  /** Addresses whose campaign no window returned. */
  missing: string[];
  /**
   * The digests of CleverTap's answers, one per window of `windows` (ListAnswer.digest), when each
   * window was asked whole: the same digests again are the same rows (../apply/no-change.ts).
   */
  answers?: string[];
}

export interface RefreshOptions {
  accountTimezone: string;
  /** Called once per list call (progress). */
  onWindow?: (w: JournalWindow, rows: number) => void;
}

/** The managed campaigns refresh looks for: campaigns in state that carry a CleverTap id. */
export function managedCampaigns<A extends AppliedWithoutSpec>(applied: readonly A[]): (A & { remoteId: number })[] {
  return applied.filter((a): a is A & { remoteId: number } => a.kind === 'Campaign' && a.remoteId !== null);
}

export function refreshWindows(applied: readonly AppliedWithoutSpec[], accountTimezone: string): JournalWindow[] {
  // Rows kept across plans (rowsWithoutSpecs: frozen, the same until state's revision moves) keep their windows too.
  const kept = Object.isFrozen(applied) ? keptWindows.get(applied) : undefined;
  if (kept?.zone === accountTimezone) return kept.windows;
  const windows = windowsOfStarts(campaignStarts(applied), accountTimezone);
  if (!Object.isFrozen(applied)) return windows;
  for (const w of windows) Object.freeze(w);
  keptWindows.set(applied, { zone: accountTimezone, windows: Object.freeze(windows) as JournalWindow[] });
  return windows;
}

/** The distinct start instants of the managed campaigns (scheduledFor, else appliedAt): what StateStore's campaignStarts() answers. */
export function campaignStarts(applied: readonly AppliedWithoutSpec[]): Set<string> {
  const starts = new Set<string>();
  for (const a of managedCampaigns(applied)) starts.add(a.scheduledFor ?? a.appliedAt);
  return starts;
}

/**
 * The list windows that cover these start instants: one window per instant (10,000 campaigns start
 * at a few hundred), then as few list calls as cover them (a window met again is one
 * coveringWindows skips: it is inside the last one by then).
 */
export function windowsOfStarts(starts: Iterable<string>, accountTimezone: string): JournalWindow[] {
  const around: JournalWindow[] = [];
  for (const start of starts) around.push(windowAround(new Date(start), accountTimezone));
  return coveringWindows(around);
}

const keptWindows = new WeakMap<readonly AppliedWithoutSpec[], { zone: string; windows: JournalWindow[] }>();

/** Throws CleverTapError when a list call fails after the client's retries (the caller reports it). */
export async function refreshCampaigns(
  client: CleverTapClient,
  applied: readonly AppliedWithoutSpec[],
  opts: RefreshOptions,
): Promise<RefreshResult> {
  const windows = refreshWindows(applied, opts.accountTimezone);
  return refreshOfAnswers(managedCampaigns(applied), windows, await listWindows(client, windows, opts.onWindow));
}

/**
 * One list call per window (the client's list semaphore bounds how many run at once). `known`:
 * per window, the digest of an answer decoded before (ListAnswer: the same bytes are not decoded
 * again unless asked).
 */
export function listWindows(client: CleverTapClient, windows: readonly JournalWindow[], onWindow?: RefreshOptions['onWindow'], known?: readonly string[]): Promise<ListAnswer[]> {
  return Promise.all(
    windows.map(async (w, i) => {
      const answer = await client.listAnswer(w.from, w.to, known?.[i]);
      if (onWindow) onWindow(w, answer.rows().length);
      return answer;
    }),
  );
}

/** Each answer's rows, by window. */
export function pagesOf(answers: readonly ListAnswer[]): RemoteCampaign[][] {
  return answers.map((a) => a.rows());
}

/** The refresh of these managed campaigns from the answers to whole windows, their digests kept. */
export function refreshOfAnswers(managed: readonly { address: string; remoteId: number }[], windows: JournalWindow[], answers: readonly ListAnswer[]): RefreshResult {
  return { ...assembleRefresh(managed, windows, pagesOf(answers)), answers: answers.map((a) => a.digest) };
}

/** The refresh of these managed campaigns from the pages their windows returned. */
export function assembleRefresh(
  managed: readonly { address: string; remoteId: number }[],
  windows: JournalWindow[],
  pages: readonly RemoteCampaign[][],
): RefreshResult {
  const byId = remoteById(pages);
  const statuses: RemoteStatusEntry[] = [];
  const missing: string[] = [];
  for (const a of managed) {
    const remote = byId.get(a.remoteId) ?? null;
    if (!remote) missing.push(a.address);
    statuses.push({ address: a.address, remoteId: a.remoteId, remote, state: remote ? mapRemoteStatus(remote.status) : 'missing' });
  }
  return { remote: [...byId.values()].sort((x, y) => x.id - y.id), windows, statuses, missing };
}

/** Every row the pages hold, by id; the first of a campaign two windows both returned. */
export function remoteById(pages: readonly RemoteCampaign[][]): Map<number, RemoteCampaign> {
  const byId = new Map<number, RemoteCampaign>();
  for (const rows of pages) for (const r of rows) if (!byId.has(r.id)) byId.set(r.id, r);
  return byId;
}

/**
 * A refresh started early, before the CPU-bound part of planning (hashes, rules), so CleverTap's
 * answer arrives while that runs. Valid for a plan only on the state it was read from (same serial)
 * and only when no journal row was open (settling would change the rows first).
 */
export interface EarlyRefresh {
  serial: number;
  /** The state rows the windows cover; absent when the windows came from a no-change record (./no-change.ts), rows unread. */
  rows?: readonly AppliedWithoutSpec[];
  windows: JournalWindow[];
  /** CleverTap's answers, one per window. */
  answers: Promise<ListAnswer[]>;
}

/**
 * Starts the list calls for the rows of state, or for `windows` known to cover them; undefined
 * while journal rows are open. Without `windows` they are made from state's campaign start
 * instants, asked on their own, so the calls are on the wire while the rows are read and decoded
 * (~100 ms for 10,000 rows, about what CleverTap takes to answer). Should the rows then start at
 * other instants (another process wrote state in between), the calls are made again for theirs.
 */
export async function startEarlyRefresh(
  store: Pick<StateStore, 'serial' | 'journal' | 'resources' | 'revision'>,
  client: CleverTapClient,
  opts: RefreshOptions & { windows?: JournalWindow[]; known?: readonly string[] },
): Promise<EarlyRefresh | undefined> {
  if ((await store.journal.listOpen()).length > 0) return undefined;
  const serial = await store.serial();
  if (opts.windows) return { serial, windows: opts.windows, ...(await ask(client, opts.windows, opts, opts.known)) };
  const starts = await store.resources.campaignStarts();
  let windows = windowsOfStarts(starts, opts.accountTimezone);
  let asked = await ask(client, windows, opts);
  const rows = await rowsWithoutSpecs(store);
  if (!sameSet(campaignStarts(rows), starts)) {
    windows = refreshWindows(rows, opts.accountTimezone);
    asked = await ask(client, windows, opts);
  }
  return { serial, rows, windows, ...asked };
}

/** The list calls over `windows`, put on the wire before this returns. */
async function ask(client: CleverTapClient, windows: JournalWindow[], opts: RefreshOptions, known?: readonly string[]): Promise<Pick<EarlyRefresh, 'answers'>> {
  const answers = listWindows(client, windows, opts.onWindow, known);
  answers.catch(() => undefined); // a failure is reported where the result is awaited (computePlan)
  // One turn of the event loop puts the list requests on the wire before the caller goes on.
  await new Promise((resolve) => setImmediate(resolve));
  return { answers };
}

function sameSet(a: ReadonlySet<string>, b: readonly string[]): boolean {
  return a.size === new Set(b).size && b.every((x) => a.has(x));
}

/** The rows a store last gave, by the revision they were read at (see rowsWithoutSpecs). */
const keptRows = new WeakMap<object, { revision: string; rows: readonly AppliedWithoutSpec[] }>();

/**
 * State's rows without specs. A store kept open (the daemon's) is asked for them again only when its
 * revision moved: the revision changes with every write that changes the recorded state, in this
 * process or any other (../state/store.ts), so equal revisions mean equal rows. Read between two
 * equal revisions, or not kept. The rows are frozen: every plan that reuses them reads the same.
 */
export async function rowsWithoutSpecs(store: Pick<StateStore, 'resources' | 'revision'>): Promise<readonly AppliedWithoutSpec[]> {
  const before = await store.revision();
  const kept = keptRows.get(store);
  if (kept && kept.revision === before) return kept.rows;
  const rows = await store.resources.listWithoutSpecs();
  if ((await store.revision()) === before) {
    for (const r of rows) Object.freeze(Object.freeze(r).labels);
    keptRows.set(store, { revision: before, rows: Object.freeze(rows) });
  }
  return rows;
}
