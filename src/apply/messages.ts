/**
 * What refresh, settlement, planning I/O and apply report (codes `apply.*`); their wording is in
 * the diagnostics catalogue.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
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
  refreshFailed: (detail: string): Diagnostic => diagnostic('apply.refresh-failed', { detail }),
  unsettled: (rows: readonly UnsettledRow[]): Diagnostic =>
    diagnostic('apply.journal-unsettled', { rows: rows.map((r) => ({ operation: r.entry.operation, address: r.entry.address, marker: r.entry.id, reason: r.reason })) }),
  /** `lock`: who holds the apply lock, judged live or probably stale as a refused apply judges it. */
  openRows: (count: number, lock: HeldLock | null): Diagnostic => diagnostic('apply.journal-open', { count, lock }),
  renderFailed: (address: string): Diagnostic => diagnostic('apply.render-failed', { address }, { address }),
  estimateFailed: (address: string, detail: string): Diagnostic => diagnostic('apply.estimate-failed', { address, detail }, { address }),
};
