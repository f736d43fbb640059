/**
 * CleverTap's limits as the emulator enforces them: requests in flight per API family (429 beyond
 * the limit; the peak is recorded so tests can prove a client never exceeded it), and an optional
 * per-second cap on creates. Both run on real time: they are about load, not the campaign clock.
 */

export class FamilyConcurrency {
  readonly limit: number;
  #inFlight = new Map<string, number>();
  #peak = new Map<string, number>();

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Counts a request in (also one that will be refused) and returns how many are now in flight. */
  enter(family: string): number {
    const n = (this.#inFlight.get(family) ?? 0) + 1;
    this.#inFlight.set(family, n);
    if (n > (this.#peak.get(family) ?? 0)) this.#peak.set(family, n);
    return n;
  }

  leave(family: string): void {
    this.#inFlight.set(family, Math.max(0, (this.#inFlight.get(family) ?? 0) - 1));
  }

  snapshot(): { limit: number; inFlight: Record<string, number>; peak: Record<string, number> } {
    return { limit: this.limit, inFlight: Object.fromEntries(this.#inFlight), peak: Object.fromEntries(this.#peak) };
  }

  resetPeaks(): void {
    this.#peak = new Map([...this.#inFlight].filter(([, n]) => n > 0));
  }
}

export class PerSecondCap {
  readonly perSecond: number;
  #starts: number[] = [];

  constructor(perSecond: number) {
    this.perSecond = perSecond;
  }

  /** True if one more request fits in the last 1000 ms (and counts it). */
  tryTake(now = performance.now()): boolean {
    while (this.#starts.length > 0 && this.#starts[0]! <= now - 1000) this.#starts.shift();
    if (this.#starts.length >= this.perSecond) return false;
    this.#starts.push(now);
    return true;
  }
}
