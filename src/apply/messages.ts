/**
 * Wording of what refresh, settlement, planning I/O and apply say (codes `apply.*`), in one place.
 */
import { lockWords } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LockHolder } from '../state/store.js';
import type { UnsettledRow } from './settle.js';

/** The apply lock as a plan that could not take it tells it (cli/shared/lock.ts's lockRefusalJson). */
export interface HeldLock {
  holder: LockHolder;
  probablyStale: boolean;
  /** The exact force-unlock command to print. */
  forceUnlock: string;
}

export const applyMessages = {
  refreshFailed: (detail: string): Diagnostic => ({
    severity: 'error',
    code: 'apply.refresh-failed',
    message: `could not read campaign statuses from CleverTap (targets/list.json): ${detail}`,
    hint: 'check the connection and credentials, then plan again; nothing was changed',
  }),
  unsettled: (rows: readonly UnsettledRow[]): Diagnostic => ({
    severity: 'error',
    code: 'apply.journal-unsettled',
    message:
      `${rows.length} remote write${rows.length === 1 ? '' : 's'} of an earlier run could not be settled: ` +
      rows
        .slice(0, 5)
        .map((r) => `${r.entry.operation} ${r.entry.address} (marker ${r.entry.id}): ${r.reason}`)
        .join('; ') +
      (rows.length > 5 ? `; and ${rows.length - 5} more` : ''),
    hint: 'campaignctl will not create anything that may already exist; run plan or apply again once CleverTap answers',
  }),
  /** `lock`: who holds the apply lock, judged live or probably stale as a refused apply judges it. */
  openRows: (count: number, lock: HeldLock | null): Diagnostic => ({
    severity: 'warning',
    code: 'apply.journal-open',
    message:
      `${count} remote write${count === 1 ? ' is' : 's are'} still open in the journal` +
      (lock
        ? ` (the apply lock is held by ${lockWords.holder(lock.holder)}, lock id ${lock.holder.id}; ${lock.probablyStale ? lockWords.probablyStale(lock.holder.pid) : lockWords.mayBeRunning})`
        : '') +
      (lock?.probablyStale ? '; this plan may propose again what that run left unfinished' : '; this plan may propose again what is being applied'),
    hint: lock?.probablyStale
      ? `the holder is gone, remove the lock with: ${lock.forceUnlock}; the next apply settles the open writes before doing anything`
      : 'plan again when the apply has finished; apply settles open writes before doing anything',
  }),
  renderFailed: (address: string): Diagnostic => ({
    severity: 'error',
    code: 'apply.render-failed',
    address,
    message: `the request body of ${address} could not be rendered; see the errors above`,
  }),
  estimateFailed: (address: string, detail: string): Diagnostic => ({
    severity: 'warning',
    code: 'apply.estimate-failed',
    address,
    message: `the audience estimate of ${address} failed: ${detail}`,
  }),
};
