/**
 * Who a runtime send goes to, in one neutral form for every caller (CLI flags, CSV files, the
 * daemon's JSON API, schedules), and its translation into each endpoint's own `to` keys:
 * `send/{channel}.json` takes `Identity`, `Email`, `FBID`, `GPID`, `objectId` (clevertap-api.md §3);
 * `send/externaltrigger.json` takes lower-case `identity`, `email` and `objectId` (§7), and no
 * FBID/GPID.
 */
import type { ExternalTriggerTo, IdentityKey, IdentityTo } from '../clevertap/wire.js';

export type { IdentityKey };

/** The keys as the identity-send endpoints spell them; also the canonical spelling here. */
export const IDENTITY_KEYS: readonly IdentityKey[] = ['Identity', 'Email', 'FBID', 'GPID', 'objectId'];

/** Ids per key, in the order given; every id a non-empty string. */
export type Recipients = Partial<Record<IdentityKey, string[]>>;

/** External Trigger's own spelling of the keys it accepts. */
const TRIGGER_KEY: Partial<Record<IdentityKey, keyof ExternalTriggerTo>> = {
  Identity: 'identity',
  Email: 'email',
  objectId: 'objectId',
};

/** The keys External Trigger takes, from the same table its `to` is translated with. */
export const TRIGGER_IDENTITY_KEYS: readonly IdentityKey[] = IDENTITY_KEYS.filter((k) => TRIGGER_KEY[k] !== undefined);

/** `identity`, `EMAIL`, `ObjectID` ... -> the canonical key; undefined for anything else. */
export function normalizeIdentityKey(text: string): IdentityKey | undefined {
  const lower = text.trim().toLowerCase();
  return IDENTITY_KEYS.find((k) => k.toLowerCase() === lower);
}

/** Keys that External Trigger does not accept, among those present. */
export function keysUnsupportedByTrigger(r: Recipients): IdentityKey[] {
  return IDENTITY_KEYS.filter((k) => (r[k]?.length ?? 0) > 0 && TRIGGER_KEY[k] === undefined);
}

/** The `to` of `send/{channel}.json`: keys as they are, empty keys left out, canonical order. */
export function toIdentitySendTo(r: Recipients): IdentityTo {
  const to: IdentityTo = {};
  for (const k of IDENTITY_KEYS) if (r[k]?.length) to[k] = [...r[k]!];
  return to;
}

/** The `to` of `send/externaltrigger.json`. Throws RangeError on FBID/GPID (check first). */
export function toExternalTriggerTo(r: Recipients): ExternalTriggerTo {
  const to: ExternalTriggerTo = {};
  for (const k of IDENTITY_KEYS) {
    if (!r[k]?.length) continue;
    const key = TRIGGER_KEY[k];
    if (!key) throw new RangeError(`External Trigger has no ${k} recipients`);
    to[key] = [...r[k]!];
  }
  return to;
}

/** Back from an endpoint's `to` (either spelling) to Recipients, e.g. for a failed batch's file. */
export function recipientsFromTo(to: Record<string, readonly string[] | undefined>): Recipients {
  const r: Recipients = {};
  for (const [key, ids] of Object.entries(to)) {
    const k = normalizeIdentityKey(key);
    if (k && ids?.length) (r[k] ??= []).push(...ids);
  }
  return r;
}

/** Adds one id; duplicates of the same key are dropped (returns false), so nobody is messaged twice. */
export class RecipientsBuilder {
  readonly #ids = new Map<IdentityKey, Set<string>>();
  duplicates = 0;

  add(key: IdentityKey, id: string): boolean {
    let set = this.#ids.get(key);
    if (!set) this.#ids.set(key, (set = new Set()));
    if (set.has(id)) {
      this.duplicates++;
      return false;
    }
    set.add(id);
    return true;
  }

  get size(): number {
    let n = 0;
    for (const s of this.#ids.values()) n += s.size;
    return n;
  }

  build(): Recipients {
    const r: Recipients = {};
    for (const k of IDENTITY_KEYS) {
      const set = this.#ids.get(k);
      if (set?.size) r[k] = [...set];
    }
    return r;
  }
}
