/**
 * The one reconcile worker: every trigger (file events, polls, webhooks, POST /v1/reconcile, the
 * resync) asks here, and asks made while a reconcile runs coalesce into one more. Never two at once.
 */
import type { ReconcileReason } from './services.js';

export interface ReconcileRequest {
  /** The first reason asked since the last run started (what the status and log name). */
  reason: ReconcileReason;
  /** Some ask was forced (POST /v1/reconcile): retry a commit whose apply failed. */
  force: boolean;
  /** Every ask coalesced into this run was a file event (CleverTap's statuses may then be reused). */
  filesOnly: boolean;
}

export class ReconcileQueue {
  #pending: ReconcileRequest | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  readonly #run: (req: ReconcileRequest) => Promise<void>;

  constructor(run: (req: ReconcileRequest) => Promise<void>) {
    this.#run = run;
  }

  request(reason: ReconcileReason, force = false): void {
    if (this.#stopped) return;
    const p = this.#pending;
    this.#pending = p ? { reason: p.reason, force: p.force || force, filesOnly: p.filesOnly && reason === 'file' } : { reason, force, filesOnly: reason === 'file' };
    this.#running ??= this.#loop();
  }

  busy(): boolean {
    return this.#running !== null;
  }

  /** No new reconcile starts; resolves when the one running (if any) finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#pending = null;
    await this.#running;
  }

  /** Resolves when nothing runs or waits (tests and the bench). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #loop(): Promise<void> {
    try {
      while (this.#pending && !this.#stopped) {
        const req = this.#pending;
        this.#pending = null;
        await this.#run(req);
      }
    } finally {
      this.#running = null;
    }
  }
}
