/**
 * When the cron runner must wake for a Bulletin occurrence: the earliest `at` of an applied
 * bulletin's occurrences still ahead of `now`. Pure (no state, no clock): the runner hands it the
 * applied specs and the account's zone, as run-due resolves them (plan/instant.ts), so the wake-up
 * and the pass agree on when an occurrence is due.
 *
 * Only future instants count. An occurrence already due (past, or `at: now`) is the pass's to
 * raise, or to hold through quiet hours until the safety pass after them; waking for it again
 * would only spin.
 */
import { resolveStart } from '../plan/instant.js';
import { bulletinOccurrences } from '../plan/spec-access.js';

/** The earliest occurrence instant strictly after `now` (ISO, UTC) among `bulletinSpecs`, or null. */
export function nextOccurrenceDue(bulletinSpecs: readonly unknown[], timeZone: string, now: Date): string | null {
  let best: number | null = null;
  for (const spec of bulletinSpecs) {
    for (const occ of bulletinOccurrences(spec)) {
      const start = resolveStart(occ.at, timeZone);
      if (!start || start.kind !== 'at') continue;
      const at = Date.parse(start.instant);
      if (at > now.getTime() && (best === null || at < best)) best = at;
    }
  }
  return best === null ? null : new Date(best).toISOString();
}
