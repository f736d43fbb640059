/**
 * Per-resource failure backoff for --auto-apply: a resource whose change failed waits 1 s, then
 * 2 s, 4 s ... up to 15 min (each with up to 20% jitter, so many failing resources do not retry in
 * step) before it is sent again. A success forgets it.
 */
const FIRST_MS = 1_000;
const MAX_MS = 15 * 60_000;

interface Entry {
  failures: number;
  until: number;
}

export class Backoff {
  #entries = new Map<string, Entry>();
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  failed(address: string, now: number): number {
    const failures = (this.#entries.get(address)?.failures ?? 0) + 1;
    const base = Math.min(MAX_MS, FIRST_MS * 2 ** (failures - 1));
    const until = now + Math.min(MAX_MS, base * (1 + 0.2 * this.#random()));
    this.#entries.set(address, { failures, until });
    return until;
  }

  succeeded(address: string): void {
    this.#entries.delete(address);
  }

  /** Until when `address` waits (ms since the epoch), or null when it may be sent now. */
  waiting(address: string, now: number): number | null {
    const e = this.#entries.get(address);
    return e && e.until > now ? e.until : null;
  }

  /** The earliest moment a waiting resource may be sent again, or null when none waits. */
  nextExpiry(now: number): number | null {
    let next: number | null = null;
    for (const e of this.#entries.values()) if (e.until > now && (next === null || e.until < next)) next = e.until;
    return next;
  }
}
