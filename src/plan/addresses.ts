/**
 * Addresses the planner derives from resource addresses. Resource names are `[a-z0-9-]`, so `#`
 * and `@` can never clash with a real name.
 * - `bulletin.NAME#KEY`: one occurrence of a bulletin (also what `state resolve` takes).
 * - `campaign.NAME@ID`: the old CleverTap campaign of a replace whose stop failed. Apply records it
 *   in state under this address; since no YAML resource has it, the next plan stops it (reason
 *   `superseded`) and then forgets it.
 */
export function occurrenceAddress(bulletin: string, key: string): string {
  return `${bulletin}#${key}`;
}

export function supersededAddress(address: string, remoteId: number): string {
  return `${address}@${remoteId}`;
}

export function isSuperseded(address: string): boolean {
  return /@\d+$/.test(address);
}

/** The resource an address belongs to: `bulletin.x#k` -> `bulletin.x`, `campaign.y@12` -> `campaign.y`. */
export function baseAddress(address: string): string {
  const cut = address.search(/[#@]/);
  return cut < 0 ? address : address.slice(0, cut);
}
