/**
 * The state store: campaignctl's own record of what it applied (CleverTap can not give content back),
 * plus the coordination tables the reconciler, runtime sends, cron runner and daemon share.
 * DESIGN.md section 3. Backends: SQLite (./sqlite/) and PostgreSQL (./postgres/); both pass
 * test/state/contract.ts. Nothing here is backend specific: every method is async, no SQL crosses
 * this interface, JSON values are plain objects, times are ISO-8601 UTC strings.
 *
 * Serial: `serial()` grows by exactly 1 per committed transaction that changed the RECORDED state
 * (resources, journal, runs, audit). Saved plans carry it; `apply PLANFILE` refuses when it moved.
 * The lock and the outbox are coordination tables and never bump it: taking the apply lock must not
 * make the plan being applied stale, and a daemon draining its queue must not invalidate every
 * saved plan in CI. Reads, refused claims/acquires and no-op deletes do not bump it either.
 *
 * Secrets: no record type has a place for headers, passcodes or tokens, and every stored JSON value
 * is checked (./json-guard.ts): secret-looking keys (`passcode`, `token`, `authorization`,
 * `headers`, ...) and credentialed URLs are refused with a StateError before anything is written.
 */
import type { AppliedResource } from '../model/applied.js';
import type { SnapshotStore } from './snapshot.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// Journal: one row per remote write, opened BEFORE the call, settled after it.

/** Remote writes that are journaled. `import` adopts an existing campaign (no remote write, but read back). */
export type JournalOperation = 'create' | 'stop' | 'raise' | 'import';

/**
 * How a journal row ended.
 * - succeeded: the call returned and did what was asked (remoteId for a create);
 * - failed: the call definitely did not happen (non-retryable or retried-out error, nothing created);
 * - not-created: read-back proved the ambiguous create absent (safe to retry with a NEW row);
 * - adopted: read-back found the marker on CleverTap; its id is adopted (remoteId).
 */
export type JournalOutcome = 'succeeded' | 'failed' | 'not-created' | 'adopted';
export type JournalStatus = 'open' | JournalOutcome;

/** What the call was about, enough to settle it later. A closed set of fields: no bodies, no headers. */
export interface JournalRequest {
  /** The CleverTap campaign `name` sent (title + marker), for create. */
  remoteName?: string;
  /** The campaign being stopped (stop), adopted (import) or replaced (create of a replace). */
  remoteId?: number;
  /** Hash of the canonical spec being applied. */
  specHash?: string;
  /** ISO instant the campaign is scheduled for, or 'now'. */
  scheduledFor?: string;
  /** For raise: the run key (`bulletin.x#key`) the call belongs to. */
  runKey?: string;
}

/** Dates to search with targets/list.json on read-back, inclusive, as CleverTap wants them: YYYYMMDD. */
export interface JournalWindow {
  from: number;
  to: number;
}

export interface JournalOpenInput {
  address: string;
  operation: JournalOperation;
  request: JournalRequest;
  /** null when the operation can not be read back (stop is idempotent; raise is not listable). */
  window: JournalWindow | null;
}

export interface JournalEntry extends JournalOpenInput {
  /** The marker: 10 lower-case Crockford base32 characters, unique, safe inside a campaign name. */
  id: string;
  status: JournalStatus;
  openedAt: string;
  closedAt: string | null;
  /** The CleverTap id that resulted (succeeded create, adopted), else null. */
  remoteId: number | null;
  /** Why it failed / how it was settled; plain words, no secrets. */
  message: string | null;
}

/**
 * Settles an open journal row together with its consequence, atomically: the row is closed, the
 * resource is written or deleted, the audit record appended and the serial bumped, or none of it.
 * This is the ONLY way to close a journal row, so a closed row without its audit or resource update
 * can not exist.
 */
export interface JournalSettlement {
  id: string;
  outcome: JournalOutcome;
  remoteId?: number | null;
  message?: string | null;
  /** The resource row change that goes with this outcome (none for failed / not-created). */
  resource?: { put: AppliedResource } | { delete: string };
  /** Appended with journalId set; its outcome defaults from the journal's (adopted -> succeeded). */
  audit: AuditInput;
}

// ---------------------------------------------------------------------------------------------
// Lock: one apply lock per state (apply, stop, import, state rm take it; plan reads without it).

export interface LockHolder {
  /** Exact id `force-unlock` needs. */
  id: string;
  host: string;
  pid: number;
  /** e.g. `apply`, `stop campaign.x`. */
  command: string;
  since: string;
  /**
   * PostgreSQL only: the holder's last sign of life (the database's now(), renewed while the command
   * runs). Older than a minute: shown as probably stale. SQLite judges by the pid instead (one host).
   */
  heartbeat?: string;
  /** PostgreSQL only: grows by one with every new holder (a fencing token). */
  epoch?: number;
}

export interface LockRequest {
  command: string;
  host: string;
  pid: number;
  /** Re-entrant acquire: when the lock is already held under this id, acquire succeeds again. */
  holderId?: string;
}

export type LockResult = { ok: true; lock: LockHolder } | { ok: false; holder: LockHolder };

// ---------------------------------------------------------------------------------------------
// Runs: one row per bulletin occurrence and per schedule fire instant, claimed before sending.

export type RunKind = 'occurrence' | 'schedule';
/**
 * done = raised/sent; unknown = ambiguous, never retried automatically; failed = definitely not sent.
 * Schedule ticks only: refused = a guard said no (nothing sent); missed = too late for the
 * schedule's catch-up policy; skipped = not fired (overlap with a fire still in flight, disabled).
 */
export type RunStatus = 'claimed' | 'done' | 'failed' | 'unknown' | 'refused' | 'missed' | 'skipped';

export interface RunKey {
  kind: RunKind;
  /** The bulletin or schedule address. */
  subject: string;
  /** The occurrence key, or the schedule's fire instant (ISO). */
  key: string;
}

export interface RunRecord extends RunKey {
  status: RunStatus;
  /** How many times it was claimed (a `failed` run may be claimed again). */
  attempts: number;
  claimedAt: string;
  updatedAt: string;
  detail: JsonObject | null;
  /** A scheduled campaign's final figures from CleverTap's report, once fetched (null before, and for every other run). */
  report: RunReport | null;
}

/** What CleverTap reported for a campaign a tick created, once the campaign completed: final, so never asked again. */
export interface RunReport {
  sent: number;
  clicked: number;
  /** When campaignctl fetched it (ISO). */
  fetchedAt: string;
}

/**
 * claimed: true -> this caller owns the send. claimed: false -> someone claimed it before; `run`
 * says how it went. A run in `failed` is claimed again (attempts + 1); `claimed`, `done` and
 * `unknown` are never handed out twice (a crash after the claim leaves `claimed`: treat as unknown).
 */
export type ClaimResult = { claimed: true; run: RunRecord } | { claimed: false; run: RunRecord };

/**
 * What a pass that took a schedule's cursor sees of its ledger (RunStore.takeTick): the tick's own
 * row if any pass decided it already, and the schedule's ticks still \`claimed\` (the overlap check's input).
 */
export interface RunLedger {
  run: RunRecord | null;
  claimed: RunRecord[];
}

/** A tick a pass asks RunStore.decideTick to claim for it, if nothing stands in the way. */
export interface TickRequest {
  /** The schedule's address: its cursor is the lock passes take to decide its ticks. */
  address: string;
  key: RunKey;
  /** Where the cursor moves (forward only) when the tick is decided. */
  advanceTo: string;
  /** The claim's detail (host, pid, what it sends). */
  detail: JsonObject;
  /** `check`: any other tick of this schedule still `claimed` leaves the decision to the caller (overlap). */
  overlap: 'allow' | 'check';
}

/**
 * decideTick's answer: `busy` when another pass holds the cursor (it decides the tick),
 * `already-claimed` when the ledger holds the tick, `claimed` when this call claimed it.
 */
export type TickDecision = { kind: 'busy' } | { kind: 'already-claimed'; run: RunRecord } | { kind: 'claimed'; run: RunRecord };

export interface RunFilter {
  subject?: string;
  kind?: RunKind;
  status?: RunStatus;
}

// ---------------------------------------------------------------------------------------------
// Outbox: accepted runtime sends, committed before the sender is told "accepted".

export type OutboxKind = 'message' | 'trigger' | 'raise';
/**
 * pending -> sending (claimDue) -> done | pending again (markFailed with retryAt) | failed | unknown.
 * A `sending` item whose claim's lease ran out becomes unknown (expireClaims), never pending again.
 */
export type OutboxStatus = 'pending' | 'sending' | 'done' | 'failed' | 'unknown';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'done', 'failed', 'unknown'];

/** Counts by status, every status present. */
export function outboxCountsFrom(rows: readonly { status: string; n: number | string }[]): Record<OutboxStatus, number> {
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((st) => [st, 0])) as Record<OutboxStatus, number>;
  for (const r of rows) if (r.status in counts) counts[r.status as OutboxStatus] = Number(r.n);
  return counts;
}

/**
 * Who takes due items, and for how long. `by` is the claimer's holder id (a `watch` replica's
 * lease id); the claim holds until `leaseMs` after the store's clock at the claim (PostgreSQL: the
 * database's now(), so replicas whose clocks disagree agree on when it ran out), and the claimer
 * renews it while its calls are in flight.
 */
export interface OutboxClaim {
  by: string;
  leaseMs: number;
}

export interface OutboxInput {
  kind: OutboxKind;
  /** The contract address (message.x, trigger.y, bulletin.z). */
  address: string;
  /** What to send (identities, data): the operation's input, never a wire request with headers. */
  payload: JsonObject;
  /** An idempotency key from the caller: enqueueing it again returns the existing item. */
  dedupeKey?: string;
  /** Earliest send time (ISO); default: now. */
  notBefore?: string;
}

export interface OutboxItem {
  id: number;
  kind: OutboxKind;
  address: string;
  payload: JsonObject;
  dedupeKey: string | null;
  status: OutboxStatus;
  attempts: number;
  enqueuedAt: string;
  /** When a pending item becomes due; null once it left `pending` for good. */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  result: JsonObject | null;
  /** The replica whose claim sent (or sends) it: set while `sending` and kept after; null while pending. */
  claimedBy: string | null;
  /** While `sending`: until when the claim holds unless renewed (after it, expireClaims makes it unknown); else null. */
  leaseUntil: string | null;
}

// ---------------------------------------------------------------------------------------------
// Audit history: every applied change and every runtime send.

export interface AuditInput {
  /** ISO instant; default: the store's clock. */
  at?: string;
  /** The command that did it: `apply`, `stop`, `import`, `state rm`, `send`, `raise`, `watch`, ... */
  command: string;
  /** The resource or contract it concerns; null for store-wide actions. */
  address: string | null;
  /** What happened: `create`, `replace`, `stop`, `forget`, `adopt`, `send`, `raise`, ... */
  action: string;
  outcome?: 'succeeded' | 'failed' | 'unknown' | 'not-created';
  /** Counts, ids, reasons; never identities unless the user asked (`--record-identities`). */
  detail?: JsonObject;
  /** Git commit SHA, author and dirty flag; null when the folder is not a git repo. */
  commit: string | null;
  author: string | null;
  dirty: boolean | null;
  journalId?: string | null;
}

export interface AuditEntry extends Omit<AuditInput, 'at' | 'detail' | 'journalId' | 'outcome'> {
  id: number;
  at: string;
  outcome: AuditInput['outcome'] | null;
  detail: JsonObject | null;
  journalId: string | null;
}

// ---------------------------------------------------------------------------------------------
// The interface.

export type AppliedWithoutSpec = Omit<AppliedResource, 'spec' | 'rendered'>;

export interface ResourceStore {
  get(address: string): Promise<AppliedResource | null>;
  /** Sorted by address. */
  list(): Promise<AppliedResource[]>;
  /**
   * Every row without its `spec` and `rendered` (the bulk of a row, and most of list()'s cost on a big state),
   * sorted by address; every other field as list() gives it, extra fields included. Enough for a
   * plan that never needs to show a spec (a no-change plan): see src/apply/planning.ts.
   */
  listWithoutSpecs(): Promise<AppliedWithoutSpec[]>;
  /**
   * The distinct start instants of the Campaigns that carry a CleverTap id (each one's scheduledFor,
   * else its appliedAt), in no order: all the refresh's list windows are made of
   * (src/apply/refresh.ts), asked without reading a row, so the list calls go out before the rows
   * are read and decoded.
   */
  campaignStarts(): Promise<string[]>;
  /**
   * The rows of these addresses as list() has them (those that exist), sorted by address: one query
   * however many, for a plan that shows a few hundred specs of 10,000 rows (Bulletins' occurrences).
   */
  listOf(addresses: readonly string[]): Promise<AppliedResource[]>;
  /** Insert or replace the row for r.address. The whole object round-trips (extra fields too). */
  put(r: AppliedResource): Promise<void>;
  /** True when a row was deleted. */
  delete(address: string): Promise<boolean>;
}

export interface JournalStore {
  /** Writes the row (status open) and returns it with its fresh marker id. */
  open(input: JournalOpenInput): Promise<JournalEntry>;
  get(id: string): Promise<JournalEntry | null>;
  /** Rows still open, oldest first: settle them before planning. */
  listOpen(): Promise<JournalEntry[]>;
  /** Newest first. */
  list(filter?: { address?: string; limit?: number }): Promise<JournalEntry[]>;
  /** See JournalSettlement. Throws StateError('conflict') when the row is not open. */
  settle(s: JournalSettlement): Promise<JournalEntry>;
}

export interface RunStore {
  claim(key: RunKey, detail?: JsonObject): Promise<ClaimResult>;
  /** Sets status (and detail when given). Throws StateError('not-found') for a run never claimed. */
  mark(key: RunKey, status: RunStatus, detail?: JsonObject): Promise<RunRecord>;
  get(key: RunKey): Promise<RunRecord | null>;
  /** Ordered by subject, then key. */
  list(filter?: RunFilter): Promise<RunRecord[]>;
  /**
   * Settles a run by hand (`state resolve ADDRESS#KEY --raised|--not-raised`): raised -> `done`
   * (created if it was never claimed); not-raised -> `failed`, so the next apply claims it again.
   * Returns null for not-raised on a run that does not exist (nothing to undo).
   */
  resolve(key: RunKey, outcome: 'raised' | 'not-raised', detail?: JsonObject): Promise<RunRecord | null>;
  /**
   * Records a run that ends without a call (a missed, skipped, refused or invalid tick) when the key
   * has no row yet. recorded: false -> a row existed (another pass decided this key); it is unchanged.
   */
  record(key: RunKey, status: Exclude<RunStatus, 'claimed'>, detail?: JsonObject): Promise<{ recorded: boolean; run: RunRecord }>;
  /**
   * Keeps a completed campaign's figures on its run (fetchedAt is the store's clock). A cache of
   * CleverTap's final answer, like the cursors a coordination write: the serial does not move.
   * Throws StateError('not-found') for a run that does not exist.
   */
  keepReport(key: RunKey, figures: { sent: number; clicked: number }): Promise<RunRecord>;
  /**
   * Inside a transaction, a pass deciding a schedule tick: takes the schedule's cursor as
   * CursorStore.take does (moving it to \`advanceTo\`), then reads the tick's ledger under that lock.
   * Null when another pass holds the cursor right now (it decides the tick). PostgreSQL sends the
   * take and the read as two statements in one message (one round trip, each statement with its own
   * snapshot, so the read sees what the previous holder committed before it let go of the row).
   */
  takeTick(address: string, key: RunKey, advanceTo: string): Promise<RunLedger | null>;
  /**
   * The common case of a tick's decision (one round trip on PostgreSQL): a tick already in the
   * ledger is answered from a plain read, nothing locked or written; otherwise, in one transaction,
   * the cursor taken (SKIP LOCKED), the tick read again under it, and the tick claimed when nothing
   * stands in the way, the cursor moving with the claim. Null when the caller must decide with takeTick:
   * the schedule has no cursor yet, or (overlap `check`) another of its ticks is still `claimed`,
   * whose liveness only the caller can judge; a null answer wrote nothing and moved nothing.
   */
  decideTick(tick: TickRequest): Promise<TickDecision | null>;
}

/**
 * One cursor per schedule address: the instant up to which its ticks have been considered. Set by
 * apply when a schedule is created or re-enabled, moved forward by each runner pass. A coordination
 * table like the outbox: writing it never bumps the serial (a runner pass with nothing due must not
 * make every saved plan stale).
 */
export interface CursorStore {
  get(address: string): Promise<string | null>;
  /**
   * Inside a transaction: takes the schedule's cursor row until the transaction ends, so two
   * passes (replicas) never decide one schedule at once. False when another pass holds it right
   * now (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED): that pass owns the schedule's due tick, this
   * one moves on without waiting. True when there is no row yet (the claim's unique key decides).
   * SQLite: always true (its write transactions already run one at a time). Never bumps the serial.
   * With `advanceTo`, a cursor taken also moves there as advance() moves it, in the same step (a
   * pass's claim: one round trip for both on PostgreSQL); a cursor held by another stays as it is.
   */
  take(address: string, opts?: { advanceTo?: string }): Promise<boolean>;
  /** Moves the cursor to `at`, or sets it when absent; never moves it back unless `reset` is set. */
  advance(address: string, at: string, opts?: { reset?: boolean }): Promise<string>;
  delete(address: string): Promise<boolean>;
}

export interface OutboxStore {
  /** Committed before it returns. With a known dedupeKey: the existing item, created false. */
  enqueue(item: OutboxInput): Promise<{ item: OutboxItem; created: boolean }>;
  get(id: number): Promise<OutboxItem | null>;
  /** Oldest first; e.g. `sending` items after a restart are ambiguous. */
  list(filter?: { status?: OutboxStatus; limit?: number }): Promise<OutboxItem[]>;
  /** How many items are in each status (every status present, 0 when none), without reading payloads. */
  counts(): Promise<Record<OutboxStatus, number>>;
  /**
   * Takes up to `limit` pending items with nextAttemptAt <= now (the caller's clock), earliest first
   * (then enqueue order), in one atomic step: each -> sending, attempts + 1, claimedBy = claim.by,
   * leaseUntil = the store's clock + claim.leaseMs. Returns them as claimed. Two claimers never get
   * one item (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so a claimer skips the rows another is
   * taking instead of waiting for it; SQLite: one writer at a time). Commit before calling out.
   */
  claimDue(now: string, limit: number, claim: OutboxClaim): Promise<OutboxItem[]>;
  /**
   * Extends to the store's clock + leaseMs the claims `by` holds on items still `sending` whose lease
   * has not run out; returns how many. A lease that ran out is never renewed: another replica may
   * already have acted on it, so expireClaims settles it as unknown.
   */
  renewClaims(by: string, leaseMs: number): Promise<number>;
  /**
   * `sending` items whose lease ran out (or that have none: claimed before leases existed) -> unknown,
   * with expiredClaimError as lastError; returns them. Never back to pending: the claimer may have
   * made the call before it stopped or stalled. Any replica may run it: a live claimer renews its
   * leases, so only a dead (or stalled past its lease) claimer's items are touched.
   */
  expireClaims(): Promise<OutboxItem[]>;
  /**
   * `sending` items claimed by `holderId` -> unknown at once, whatever their lease says, with
   * deadClaimerError as lastError; returns them. For a holder known to be dead (its daemon or leader
   * lease expired, or was taken over from a process that is gone): its claims will never be renewed
   * or settled, so nobody waits for their leases. Never back to pending, as expireClaims.
   */
  expireClaimsOf(holderId: string): Promise<OutboxItem[]>;
  // The transitions out of `sending` name the claimer: each writes only while the item is `sending`
  // under `by`'s claim. Else StateError('conflict') (the claim ran out and the item is unknown, or
  // another claimer holds it: this caller's outcome is not recorded, and nothing moved), or
  // StateError('not-found'). Thrown rather than returned as false: a caller that lost its claim must
  // not go on as if it had recorded the outcome (inside a group commit, only its own write fails).
  /** sending -> done; claimedBy is kept, the lease ends. */
  markDone(id: number, by: string, result?: JsonObject): Promise<OutboxItem>;
  /** sending -> pending at retryAt (the claim ends: claimedBy null), or -> failed when retryAt is null/absent. */
  markFailed(id: number, by: string, failure: { error: string; retryAt?: string | null }): Promise<OutboxItem>;
  /** sending -> unknown (ambiguous outcome: never resent automatically). */
  markUnknown(id: number, by: string, failure: { error: string }): Promise<OutboxItem>;
}

export interface AuditStore {
  append(entry: AuditInput): Promise<AuditEntry>;
  /** Newest first; limit default 100. */
  list(filter?: { address?: string; command?: string; limit?: number }): Promise<AuditEntry[]>;
}

export interface LockStore {
  acquire(req: LockRequest): Promise<LockResult>;
  /**
   * The holder says it is alive (PostgreSQL: the heartbeat moves to the database's now()). False
   * when `id` no longer holds the lock. SQLite keeps no heartbeat: it only answers whether `id` holds it.
   */
  heartbeat(id: string): Promise<boolean>;
  /** Releases the lock if `id` holds it; false otherwise (never releases someone else's lock). */
  release(id: string): Promise<boolean>;
  /** `force-unlock ID`: removes the lock only when `id` matches exactly; returns what was removed. */
  forceUnlock(id: string): Promise<LockHolder | null>;
  current(): Promise<LockHolder | null>;
}

// ---------------------------------------------------------------------------------------------
// Leases: a named row a long-running process holds while it lives (the daemon's lease on a state,
// later the replicas' leader lease). It expires unless renewed; taking it from a new holder bumps
// the epoch (a fencing token: work done under an older epoch is stale).

export interface LeaseHolder {
  /** The lease name, e.g. `daemon`. */
  name: string;
  /** Exact holder id (what takeOver and release need). */
  id: string;
  host: string;
  pid: number;
  /** e.g. `watch --auto-apply`. */
  command: string;
  /** When this holder took it. */
  since: string;
  /** Last acquire or renew. */
  heartbeat: string;
  /** heartbeat + ttl: after this, anyone may take it. */
  expiresAt: string;
  /** Grows by 1 each time a different holder takes the lease. */
  epoch: number;
}

export interface LeaseRequest {
  id: string;
  host: string;
  pid: number;
  command: string;
  ttlMs: number;
}

/**
 * `replaced`: present when this call ended another holder's term (acquire of a lease that expired
 * while someone else held it, or takeOver): the holder it replaced, who is gone or was cut off.
 * Absent for a free, released or renewed lease.
 */
export type LeaseResult = { ok: true; lease: LeaseHolder; replaced?: LeaseHolder } | { ok: false; holder: LeaseHolder };

/**
 * Times are the store's clock (SQLite: the process clock or the store's `now` option; PostgreSQL:
 * the database's now()). A coordination table: never bumps the serial.
 */
export interface LeaseStore {
  /** Takes `name` when free, expired or already held by req.id (then it is a renew); else says who holds it. */
  acquire(name: string, req: LeaseRequest): Promise<LeaseResult>;
  /** Extends the holder's lease; null when `id` no longer holds it (expired and taken, or released). */
  renew(name: string, id: string, ttlMs: number): Promise<LeaseHolder | null>;
  /**
   * Takes a lease that has not expired from a holder known to be dead (same host, pid gone), only
   * when `fromId` still holds it exactly; else the current holder (or null when free).
   */
  takeOver(name: string, fromId: string, req: LeaseRequest): Promise<LeaseResult | null>;
  /** True when `id` held it and it is now free. */
  release(name: string, id: string): Promise<boolean>;
  current(name: string): Promise<LeaseHolder | null>;
}

// ---------------------------------------------------------------------------------------------
// Refresh requests: a webhook or POST /v1/reconcile that reached a `watch` replica which does not
// lead is written here; the leader takes them on its next poll (or when woken) and reconciles.
// A coordination table: never bumps the serial; `state migrate` does not copy it (a request is
// only worth something to the replicas running now).

/** webhook: a push to the followed branch (git mode: fetch); api: POST /v1/reconcile (forced). */
export type RefreshReason = 'webhook' | 'api';
export const REFRESH_REASONS: readonly RefreshReason[] = ['webhook', 'api'];

export interface RefreshRequest {
  id: number;
  reason: RefreshReason;
  /** The replica (its holder id) that took the request in. */
  by: string;
  /** When it was written (the store's clock). */
  at: string;
}

export interface RefreshRequestStore {
  add(reason: RefreshReason, by: string): Promise<RefreshRequest>;
  /** Removes and returns every request, oldest first: two takers at once never get the same one. */
  take(): Promise<RefreshRequest[]>;
  /** How many wait to be taken. */
  count(): Promise<number>;
}

// ---------------------------------------------------------------------------------------------
// Hints: "something changed, look now" from other processes on the same state. Only a wake-up:
// a hint may be lost (a dropped connection) or arrive for nothing, so whoever listens polls anyway.
// PostgreSQL: LISTEN/NOTIFY on one dedicated connection (a refresh request added, an outbox item
// enqueued; sent in the writing transaction, so delivered on commit). SQLite: no hints.

export type HintKind = 'refresh' | 'outbox';

export interface HintListener {
  close(): Promise<void>;
}

export interface StateHints {
  /** True when this backend sends hints at all (SQLite: false). */
  readonly available: boolean;
  /**
   * Starts listening (reconnecting with backoff after a lost connection; onProblem says so).
   * SQLite: a listener that never calls onHint.
   */
  listen(onHint: (kind: HintKind) => void, onProblem?: (message: string) => void): HintListener;
}

/** What a transaction callback can use: every table but the lock, reads and writes. */
export interface StateTx {
  resources: ResourceStore;
  journal: JournalStore;
  runs: RunStore;
  outbox: OutboxStore;
  audit: AuditStore;
  cursors: CursorStore;
  /** The serial as committed before this transaction. */
  serial(): Promise<number>;
}

export interface StateStoreInfo {
  backend: 'sqlite' | 'postgres';
  /** Display-safe location (a file path; a URL without credentials). */
  location: string;
  schemaVersion: number;
}

export interface StateStore extends StateTx {
  readonly info: StateStoreInfo;
  lock: LockStore;
  leases: LeaseStore;
  requests: RefreshRequestStore;
  hints: StateHints;
  /** The whole state as rows, out and into an empty state (`state migrate`). */
  snapshot: SnapshotStore;
  serial(): Promise<number>;
  /**
   * Names the recorded state as committed: changes with every serial bump, and two stores (or two
   * copies of one file, written apart) never give the same revision for different content. For
   * caches of what was derived from state.
   */
  revision(): Promise<string>;
  /**
   * Runs fn in one write transaction: everything it writes commits together (one serial bump if
   * the recorded state changed) or, if fn throws, nothing does and the error is rethrown. Other
   * calls on this store wait until it ends; do state work only inside (never a network call: the
   * transaction holds the database's write lock). Nested transactions are refused (StateError).
   * Each tx method is atomic on its own too: one that throws leaves nothing behind even when fn
   * catches the error and goes on.
   */
  transaction<T>(fn: (tx: StateTx) => Promise<T>): Promise<T>;
  /** Idempotent. Any call after close throws StateError('closed'). */
  close(): Promise<void>;
}
