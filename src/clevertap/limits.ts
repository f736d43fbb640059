/**
 * Client-side limits that keep us under CleverTap's: a counting semaphore per API family
 * (concurrent requests, §9.1) and a sliding one-second window for creates (§2.1: "3 requests per
 * second"). A sliding window rather than a token bucket because a bucket lets a burst plus refill
 * put more than N starts inside one second.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class Semaphore {
  readonly capacity: number;
  #inUse = 0;
  #waiters: (() => void)[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`concurrency must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  get inUse(): number {
    return this.#inUse;
  }

  /** Resolves with a release function once a slot is free; release is safe to call twice. */
  async acquire(): Promise<() => void> {
    if (this.#inUse < this.capacity) {
      this.#inUse++;
    } else {
      // The releasing holder hands its slot straight to us, so #inUse never dips and rises again.
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#inUse--;
    };
  }
}

/**
 * The window is a little longer than a second: CleverTap counts arrivals, we count departures, and
 * network jitter can bring two of our starts 1000 ms apart closer together on its side.
 */
export const CREATE_WINDOW_MS = 1100;

export class SlidingWindowLimiter {
  readonly perSecond: number;
  #starts: number[] = [];
  readonly #now: () => number;

  constructor(perSecond: number, now: () => number = () => performance.now()) {
    if (!(perSecond > 0)) throw new RangeError(`createsPerSecond must be positive, got ${perSecond}`);
    this.perSecond = perSecond;
    this.#now = now;
  }

  /** Waits until starting one more request keeps at most `perSecond` starts in any window. */
  async take(): Promise<void> {
    if (this.perSecond === Infinity) return;
    for (;;) {
      const t = this.#now();
      while (this.#starts.length > 0 && this.#starts[0]! <= t - CREATE_WINDOW_MS) this.#starts.shift();
      if (this.#starts.length < this.perSecond) {
        this.#starts.push(t);
        return;
      }
      await sleep(Math.max(1, Math.ceil(this.#starts[0]! + CREATE_WINDOW_MS - t)));
    }
  }
}
