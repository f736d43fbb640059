/**
 * A tick's ledger as both backends read it under the cursor's lock (RunStore.takeTick): one query
 * returns the tick's own row, if any, and the schedule's other ticks still `claimed`; this splits them.
 */
import type { RunKey, RunLedger, RunRecord } from './store.js';

export function splitLedger(rows: readonly RunRecord[], key: RunKey): RunLedger {
  let run: RunRecord | null = null;
  const claimed: RunRecord[] = [];
  for (const r of rows) {
    if (r.key === key.key) run = r;
    else claimed.push(r);
  }
  return { run, claimed };
}
