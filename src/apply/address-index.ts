/**
 * Desired state's index by address for a plan after an edit: the previous plan's index with the
 * edited resources' entries put over it, without copying it. Building or copying a 10,000-entry
 * Map costs 3-5 ms; a one-file edit changes one or two entries. Read-only: the base is never
 * changed after it is made (each plan's index is its own; the earlier ones stay as they were).
 * Only entries of addresses the base has are put over it (the same addresses, in the same order):
 * an edit that adds, removes or renames an address builds a new index.
 */

/** Past this many entries over the base, a new Map is made (lookups check the overlay first). */
const MAX_OVER = 256;

export class AddressIndex<V> implements ReadonlyMap<string, V> {
  readonly #base: ReadonlyMap<string, V>;
  readonly #over: ReadonlyMap<string, V>;
  /** The addresses sorted (code units), made once per set of addresses: patched indexes share it. */
  readonly #sorted: { list?: readonly string[] };
  /** The base's entries at the places of sorted address lists (see along), shared by the indexes over one base. */
  readonly #along: WeakMap<readonly string[], readonly (V | undefined)[]>;

  private constructor(base: ReadonlyMap<string, V>, over: ReadonlyMap<string, V>, sorted: { list?: readonly string[] }, along = new WeakMap<readonly string[], readonly (V | undefined)[]>()) {
    this.#base = base;
    this.#over = over;
    this.#sorted = sorted;
    this.#along = along;
  }

  /** An index over this Map, which its caller no longer changes. */
  static of<V>(base: ReadonlyMap<string, V>): AddressIndex<V> {
    return new AddressIndex(base, new Map(), {});
  }

  /**
   * The entry of each of these addresses at its place (undefined where this index has none). The
   * list must be sorted by UTF-16 code units (the planner's union of addresses): the base's
   * entries along a frozen list are made once, then copied with the few entries over them put in
   * place, instead of 10,000 look-ups per plan.
   */
  along(addresses: readonly string[]): readonly (V | undefined)[] {
    let base = this.#along.get(addresses);
    if (base === undefined) {
      base = Object.freeze(addresses.map((a) => this.#base.get(a)));
      if (Object.isFrozen(addresses)) this.#along.set(addresses, base);
    }
    if (this.#over.size === 0) return base;
    const out = base.slice();
    for (const [k, v] of this.#over) {
      const i = placeIn(addresses, k);
      if (i < 0) return addresses.map((a) => this.get(a));
      out[i] = v;
    }
    return out;
  }

  /** This index with these entries (of addresses it has) in place; undefined when one is new to it. */
  with(entries: ReadonlyMap<string, V>): AddressIndex<V> | undefined {
    for (const k of entries.keys()) if (!this.#base.has(k)) return undefined;
    const over = new Map(this.#over);
    for (const [k, v] of entries) over.set(k, v);
    if (over.size <= MAX_OVER) return new AddressIndex(this.#base, over, this.#sorted, this.#along);
    return new AddressIndex(new Map([...this.#base.keys()].map((k) => [k, over.has(k) ? over.get(k)! : this.#base.get(k)!])), new Map(), this.#sorted);
  }

  /**
   * The addresses whose entries may differ between this index and `other`: those put over a base
   * the two share. Undefined when their bases differ (then any entry may).
   */
  differingFrom(other: AddressIndex<V>): ReadonlySet<string> | undefined {
    if (this.#base !== other.#base) return undefined;
    return new Set([...this.#over.keys(), ...other.#over.keys()]);
  }

  /** Every address, sorted by UTF-16 code units, frozen (the same array for every index of the same addresses). */
  sortedAddresses(): readonly string[] {
    return (this.#sorted.list ??= Object.freeze([...this.#base.keys()].sort()));
  }

  get size(): number {
    return this.#base.size;
  }

  get(key: string): V | undefined {
    const v = this.#over.get(key);
    return v !== undefined ? v : this.#base.get(key);
  }

  has(key: string): boolean {
    return this.#base.has(key);
  }

  keys(): MapIterator<string> {
    return this.#base.keys();
  }

  *values(): MapIterator<V> {
    for (const k of this.#base.keys()) yield this.get(k)!;
  }

  *entries(): MapIterator<[string, V]> {
    for (const k of this.#base.keys()) yield [k, this.get(k)!];
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** Binary search in a list sorted by UTF-16 code units (JavaScript's < on strings); -1 when absent. */
function placeIn(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = sorted[mid]!;
    if (x === key) return mid;
    if (x < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
