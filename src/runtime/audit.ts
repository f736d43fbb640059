/**
 * The audit record of a runtime send: command, contract address, channel,
 * identity count, calls, outcome, commit, time. The identities themselves only when the caller
 * asked (`--record-identities`). A record that can not be written does not undo a send that
 * happened: the failure comes back as a warning next to the send's report.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { audit, type Provenance } from '../state/record.js';
import type { AuditEntry, JsonObject, StateStore } from '../state/store.js';

export type RuntimeOutcome = 'succeeded' | 'failed' | 'unknown';

export async function recordRuntime(
  store: StateStore,
  p: Provenance,
  entry: { address: string; action: string; outcome: RuntimeOutcome; detail: JsonObject },
): Promise<{ audit: AuditEntry | null; diagnostics: Diagnostic[] }> {
  try {
    return { audit: await store.audit.append(audit(p, entry.address, entry.action, entry.detail, entry.outcome)), diagnostics: [] };
  } catch (err) {
    const d = diagnostic('runtime.not-recorded', { what: `the ${entry.action} of ${entry.address}`, detail: (err as Error).message });
    return { audit: null, diagnostics: [{ ...d, address: entry.address }] };
  }
}
