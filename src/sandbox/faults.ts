/**
 * Fault injection, reproducible with a seed: `--faults "429:0.2,500:0.05,drop-after-commit:0.05,timeout:0.01"`.
 * One draw per CleverTap request (in arrival order) picks at most one fault. Tests can also script
 * exact faults for the next matching requests, which always win over the random draw.
 *
 * What each fault does (documented in docs/sandbox.md):
 * - `429`: answered "Too many concurrent requests" at once; nothing happens.
 * - `500`: answered 500; nothing happens (the client cannot know that, so writes are ambiguous).
 * - `drop-after-commit`: the request takes effect, then the connection is destroyed unanswered.
 * - `timeout`: the request takes effect, then no answer until the client gives up (it closes the
 *   connection) or `hangMs` passes, when the connection is destroyed. Taking effect is the harder
 *   case for a client, so the emulator always commits.
 */
import { seededRandom } from './random.js';

export const FAULT_NAMES = ['429', '500', 'drop-after-commit', 'timeout'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export interface FaultRate {
  fault: FaultName;
  probability: number;
}

export interface ScriptedFault {
  fault: FaultName;
  /** Only requests of this API family take it (default: any). */
  family?: string;
  /** How many requests take it (default 1). */
  count?: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseFaultSpec(spec: string | undefined): Parsed<FaultRate[]> {
  const text = (spec ?? '').trim();
  if (text === '' || text === 'none') return { ok: true, value: [] };
  const rates: FaultRate[] = [];
  for (const item of text.split(',')) {
    const at = item.lastIndexOf(':');
    const name = item.slice(0, at).trim();
    const p = Number(item.slice(at + 1));
    if (at < 0 || !isFaultName(name)) {
      return { ok: false, error: `unknown fault "${item.trim()}"; use NAME:PROBABILITY with NAME one of ${FAULT_NAMES.join(', ')}` };
    }
    if (!Number.isFinite(p) || p < 0 || p > 1) return { ok: false, error: `fault ${name}: probability must be between 0 and 1` };
    rates.push({ fault: name, probability: p });
  }
  const total = rates.reduce((s, r) => s + r.probability, 0);
  if (total > 1 + 1e-9) return { ok: false, error: `fault probabilities add up to ${total}, more than 1` };
  return { ok: true, value: rates };
}

/** `--latency 50` (fixed) or `--latency 20..80` (uniform, seeded). */
export function parseLatency(spec: string | undefined): Parsed<number | [number, number]> {
  const text = (spec ?? '').trim();
  if (text === '') return { ok: true, value: 0 };
  if (/^\d+$/.test(text)) return { ok: true, value: Number(text) };
  const m = /^(\d+)\.\.(\d+)$/.exec(text);
  if (m && Number(m[1]) <= Number(m[2])) return { ok: true, value: [Number(m[1]), Number(m[2])] };
  return { ok: false, error: `latency must be MS or MIN..MAX in milliseconds, got "${text}"` };
}

export function isFaultName(name: string): name is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(name);
}

export class FaultInjector {
  readonly rates: readonly FaultRate[];
  readonly #random: () => number;
  #script: Required<ScriptedFault>[] = [];

  constructor(rates: readonly FaultRate[], seed: number) {
    this.rates = rates;
    this.#random = seededRandom(seed);
  }

  /** Queue exact faults for the next matching requests. */
  script(faults: readonly ScriptedFault[]): void {
    for (const f of faults) this.#script.push({ fault: f.fault, family: f.family ?? '*', count: f.count ?? 1 });
  }

  clearScript(): void {
    this.#script = [];
  }

  get scripted(): readonly Required<ScriptedFault>[] {
    return this.#script;
  }

  /** The fault for the next request of this family, or null. */
  next(family: string): FaultName | null {
    const i = this.#script.findIndex((f) => f.family === '*' || f.family === family);
    if (i >= 0) {
      const f = this.#script[i]!;
      if (--f.count <= 0) this.#script.splice(i, 1);
      return f.fault;
    }
    if (this.rates.length === 0) return null;
    let r = this.#random();
    for (const { fault, probability } of this.rates) {
      if (r < probability) return fault;
      r -= probability;
    }
    return null;
  }
}
