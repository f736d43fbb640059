/**
 * CleverTap takes at most 1,000 identities per send call, all identity types counted together
 * (clevertap-api.md §3). batchIdentities splits a `to` object into as few calls as that allows,
 * keeping each key's order, so batch N always holds the same ids for the same input.
 */
import { MAX_IDENTITIES_PER_SEND } from './unverified.js';

export type IdentityLists = Record<string, readonly string[] | undefined>;

export function countIdentities(to: IdentityLists): number {
  let n = 0;
  for (const ids of Object.values(to)) n += ids?.length ?? 0;
  return n;
}

export function batchIdentities<T extends IdentityLists>(to: T, max: number = MAX_IDENTITIES_PER_SEND): T[] {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`batch size must be a positive integer, got ${max}`);
  const batches: Record<string, string[]>[] = [];
  let current: Record<string, string[]> = {};
  let room = max;
  for (const [key, ids] of Object.entries(to)) {
    if (!ids) continue;
    let i = 0;
    while (i < ids.length) {
      const take = Math.min(room, ids.length - i);
      (current[key] ??= []).push(...ids.slice(i, i + take));
      i += take;
      room -= take;
      if (room === 0) {
        batches.push(current);
        current = {};
        room = max;
      }
    }
  }
  if (room < max) batches.push(current);
  return batches as unknown as T[];
}
