/**
 * "Did you mean ...?": the closest candidate by edit distance, if it is close enough to be a
 * plausible typo (case differences count as nothing).
 */
import { distance } from 'fastest-levenshtein';

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length * 0.4));
  return best !== undefined && bestDistance <= allowed && bestDistance < word.length ? best : undefined;
}

/**
 * closest() for a name or an address: one that begins exactly one candidate (typed short, as
 * `campaign.new-season` for `campaign.new-season-night-shift`) suggests that one, however far it
 * is in edits.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const all = [...candidates];
  const near = nearNames(word, all);
  return near.length === 1 ? near[0] : closest(word, all);
}

/** The names that begin with `word` (sorted), else the closest() one, else none. */
export function nearNames(word: string, candidates: Iterable<string>): string[] {
  const all = [...candidates];
  const starting = word === '' ? [] : all.filter((c) => c !== word && c.startsWith(word));
  if (starting.length > 0) return starting.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const near = closest(word, all);
  return near === undefined ? [] : [near];
}
