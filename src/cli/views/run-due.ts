/** How `run-due` reads: one line per tick fired or passed over, then the totals; and its --json document. */
import type { RunDueResult } from '../../schedule/run-due.js';
import type { Colors } from '../context.js';

export function runDueJson(r: RunDueResult, clockNote: string | null): Record<string, unknown> {
  return {
    formatVersion: '1',
    now: r.now,
    ...(clockNote ? { clock: clockNote } : {}),
    fired: r.fired,
    skipped: r.skipped,
  };
}

export function runDueText(r: RunDueResult, c: Colors, dryRun: boolean): string {
  const lines: string[] = [];
  for (const f of r.fired) {
    const mark = f.status === 'done' || f.status === 'dry-run' ? c.green(f.status) : c.red(f.status);
    lines.push(`${dryRun ? 'would fire' : 'fired'}  ${f.address} @ ${f.fireTime}: ${mark}${f.campaignId ? ` (campaign ${f.campaignId})` : ''}${f.detail ? ` - ${f.detail}` : ''}`);
  }
  for (const s of r.skipped) lines.push(`skipped ${s.address} @ ${s.fireTime}: ${s.reason}${s.detail ? ` - ${s.detail}` : ''}`);
  if (lines.length === 0) lines.push(`Nothing due at ${r.now}.`);
  else lines.push(`${r.fired.length} fired, ${r.skipped.length} skipped${dryRun ? ' (dry run: nothing claimed, recorded or sent)' : ''}.`);
  return lines.join('\n');
}
