/**
 * Who reconciles and applies: the holder of a lease row in the state (DESIGN.md section 3, issue 13
 * section 3). Timed by the store's clock (PostgreSQL: the database's now()), so replicas whose
 * clocks disagree still agree on who holds it.
 *
 * - `single` (SQLite state): one daemon per state. The `daemon` lease is taken at start, and a
 *   second `watch` is refused and told who holds it (startLeadership answers the holder).
 * - `replicas` (PostgreSQL state): any number of `watch` processes share the database. The
 *   `leader` lease goes to one of them; the others follow (serve the API, take intake, drain the
 *   outbox, run run-due) and try to take it on every poll and when woken.
 *
 * Either way the lease is renewed every renewMs for ttlMs. A holder on this host whose pid is gone
 * (kill -9) is taken over at once rather than after its lease expires; a holder elsewhere can not
 * be checked and must expire. Either way the holder replaced is gone, and onReplaced hears of it
 * (the daemon settles the outbox items it was sending as unknown rather than wait for their leases).
 *
 * Fencing: leads() is true only while the last successful renewal (measured on this process's
 * monotonic clock from when it was SENT) is younger than the lease, so a process that stalls or is
 * cut off from the database stops counting itself leader before anyone else can take the lease.
 * Each term (a new holder of the row) has its epoch; a term ends with onChange(false) and its
 * AbortSignal fires, so a reconcile of that term stops planning and applies no further change.
 * confirm(epoch) asks the database right before an apply that the term is still the current one.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isProbablyStale } from '../state/stale.js';
import type { LeaseHolder, LeaseRequest, LeaseResult, StateStore } from '../state/store.js';

export type LeadershipMode = 'single' | 'replicas';
export const LEASE_NAMES: Record<LeadershipMode, string> = { single: 'daemon', replicas: 'leader' };

export interface LeaseTimes {
  /** How long the lease holds past each renewal. */
  ttlMs: number;
  /** How often the holder renews it. */
  renewMs: number;
}

export interface LeadershipEvents {
  /** A renewal failed (store unreachable) or the lease was lost; the daemon reports and goes on. */
  onProblem(message: string): void;
  /** This replica started (true) or stopped (false) leading. */
  onChange(leads: boolean): void;
  /**
   * This replica took the lease from a holder that is gone (its lease expired, or it ran on this
   * host and its pid no longer exists): whatever that holder had in flight will never be settled
   * by it. Awaited before start() answers, so the daemon settles it before it drains anything.
   */
  onReplaced?(previous: LeaseHolder): Promise<void>;
}

export interface Term {
  epoch: number;
  /** Aborted when the term ends (the lease lost, expired or released). */
  signal: AbortSignal;
}

export type LeadershipStart = { ok: true; leadership: Leadership } | { ok: false; holder: LeaseHolder };

export class Leadership {
  /** This replica's id: the lease holder id whenever it leads. */
  readonly id: string;
  readonly mode: LeadershipMode;
  readonly #store: StateStore;
  readonly #req: LeaseRequest;
  readonly #times: LeaseTimes;
  readonly #events: LeadershipEvents;
  #term: { epoch: number; controller: AbortController } | null = null;
  /** performance.now() after which this replica no longer counts itself leader. */
  #deadline = 0;
  #renewTimer: NodeJS.Timeout | undefined;
  #closed = false;
  /** One attempt at a time (a poll and a hint may arrive together). */
  #attempt: Promise<boolean> | null = null;

  private constructor(store: StateStore, mode: LeadershipMode, command: string, times: LeaseTimes, events: LeadershipEvents) {
    this.id = randomUUID();
    this.mode = mode;
    this.#store = store;
    this.#times = times;
    this.#events = events;
    this.#req = { id: this.id, host: hostname(), pid: process.pid, command, ttlMs: times.ttlMs };
  }

  /**
   * Takes the lease when it can. `single`: a lease held by someone else refuses the start
   * ({ ok: false, holder }). `replicas`: this replica starts as a follower instead.
   */
  static async start(store: StateStore, mode: LeadershipMode, command: string, times: LeaseTimes, events: LeadershipEvents): Promise<LeadershipStart> {
    const l = new Leadership(store, mode, command, times, events);
    const first = await l.#take();
    if (!first.ok && mode === 'single') return first;
    if (first.ok) {
      l.#begin(first.lease, first.sentAt);
      await l.#replaced(first.replaced);
    }
    return { ok: true, leadership: l };
  }

  get leaseName(): string {
    return LEASE_NAMES[this.mode];
  }

  /** True while this replica holds the lease and its last renewal is younger than the lease. */
  leads(): boolean {
    return this.#term !== null && !this.#closed && performance.now() < this.#deadline;
  }

  /** The current term while this replica leads, else null. */
  term(): Term | null {
    if (!this.leads()) return null;
    return { epoch: this.#term!.epoch, signal: this.#term!.controller.signal };
  }

  /**
   * Right before a remote write: renews the lease and checks, against the store, that `epoch` is
   * still the term. False (and the term ended) when it is not, or the store does not answer.
   */
  async confirm(epoch: number): Promise<boolean> {
    if (!this.leads() || this.#term?.epoch !== epoch) return false;
    return (await this.#renew()) && this.#term?.epoch === epoch;
  }

  /** Who holds the lease now, from the row (null when nobody does). */
  leader(): Promise<LeaseHolder | null> {
    return this.#store.leases.current(this.leaseName);
  }

  /**
   * The follower's poll (and a hint's wake-up): tries to take the lease when it does not hold it.
   * A leader whose deadline passed without a renewal ends its term here. True when it leads after.
   */
  async poll(): Promise<boolean> {
    if (this.#closed) return false;
    if (this.#term && !this.leads()) this.#end('its renewal is overdue');
    if (this.leads()) return true;
    return (this.#attempt ??= this.#takeAndBegin().finally(() => (this.#attempt = null)));
  }

  /** Gives the lease back (shutdown); the next replica takes it on its next poll or hint. */
  async release(): Promise<void> {
    if (this.#closed) return;
    const held = this.#term !== null;
    this.#closed = true;
    clearInterval(this.#renewTimer);
    if (this.#term) {
      this.#term.controller.abort();
      this.#term = null;
    }
    if (held) await this.#store.leases.release(this.leaseName, this.id);
  }

  async #takeAndBegin(): Promise<boolean> {
    try {
      const r = await this.#take();
      // Taken while shutting down: given back at once rather than left to expire.
      if (r.ok && this.#closed) await this.#store.leases.release(this.leaseName, this.id);
      else if (r.ok) {
        this.#begin(r.lease, r.sentAt);
        await this.#replaced(r.replaced);
      }
    } catch (err) {
      this.#events.onProblem(`the ${this.leaseName} lease could not be asked for: ${(err as Error).message}`);
    }
    return this.leads();
  }

  /** Acquire; a holder on this host whose process is gone is taken over at once. */
  async #take(): Promise<(LeaseResult & { ok: false }) | { ok: true; lease: LeaseHolder; replaced?: LeaseHolder; sentAt: number }> {
    const name = this.leaseName;
    const sentAt = performance.now();
    let result = await this.#store.leases.acquire(name, this.#req);
    if (!result.ok && isProbablyStale(result.holder, this.#req.host)) {
      const taken = await this.#store.leases.takeOver(name, result.holder.id, this.#req);
      // null: freed or expired in between; a plain acquire takes it.
      result = taken ?? (await this.#store.leases.acquire(name, this.#req));
    }
    return result.ok ? { ok: true, lease: result.lease, replaced: result.replaced, sentAt } : result;
  }

  async #replaced(previous: LeaseHolder | undefined): Promise<void> {
    if (!previous || !this.#events.onReplaced) return;
    try {
      await this.#events.onReplaced(previous);
    } catch (err) {
      // What it left in flight still becomes unknown once its claims' leases run out.
      this.#events.onProblem(`what ${describeHolder(previous)} left in flight could not be settled at once: ${(err as Error).message}`);
    }
  }

  #begin(lease: LeaseHolder, sentAt: number): void {
    if (this.#term && this.#term.epoch !== lease.epoch) this.#end('the lease was taken again under a new epoch');
    this.#deadline = sentAt + this.#times.ttlMs;
    if (this.#term) return;
    this.#term = { epoch: lease.epoch, controller: new AbortController() };
    clearInterval(this.#renewTimer);
    this.#renewTimer = setInterval(() => void this.#renew(), this.#times.renewMs);
    this.#renewTimer.unref();
    this.#events.onChange(true);
  }

  #end(why: string): void {
    if (!this.#term) return;
    const epoch = this.#term.epoch;
    this.#term.controller.abort();
    this.#term = null;
    clearInterval(this.#renewTimer);
    this.#events.onProblem(`this replica no longer leads (epoch ${epoch}): ${why}`);
    this.#events.onChange(false);
  }

  /** True when the lease is still this term's after the renewal. */
  async #renew(): Promise<boolean> {
    if (!this.#term || this.#closed) return false;
    const sentAt = performance.now();
    try {
      const held = await this.#store.leases.renew(this.leaseName, this.id, this.#times.ttlMs);
      if (this.#closed || !this.#term) return false;
      if (held && held.epoch === this.#term.epoch) {
        this.#deadline = sentAt + this.#times.ttlMs;
        return true;
      }
      const now = await this.leader().catch(() => null);
      this.#end(now ? `the lease is held by ${describeHolder(now)}` : 'the lease expired before it was renewed');
      return false;
    } catch (err) {
      this.#events.onProblem(`the ${this.leaseName} lease could not be renewed: ${(err as Error).message}`);
      // Still leader until the deadline passes: the next renewal may get through in time.
      if (!this.leads()) this.#end('the store did not answer before the lease ran out');
      return false;
    }
  }
}

export function describeHolder(h: Pick<LeaseHolder, 'command' | 'pid' | 'host'>): string {
  return `${h.command} (pid ${h.pid} on ${h.host})`;
}
