/**
 * `campaignctl drift`: what changed on CleverTap outside campaignctl, as text or JSON.
 */
import type { DriftEntry } from '../../plan/types.js';
import type { Colors } from '../context.js';

export function driftText(drift: readonly DriftEntry[], environment: string, sandbox: boolean, c: Colors): string {
  const where = `environment ${environment}${sandbox ? ' (the sandbox)' : ''}`;
  if (drift.length === 0) return c.green(`No drift: every managed campaign in ${where} is as campaignctl left it.`);
  const lines = [c.yellow(`Drift in ${where}: ${drift.length} managed campaign${drift.length === 1 ? '' : 's'} changed outside campaignctl.`)];
  for (const d of drift) lines.push(`  ${c.yellow('?')} ${d.address}${d.remoteId !== null ? ` (CleverTap ${d.remoteId})` : ''}  ${d.message}`);
  lines.push(c.dim('Nothing is changed for drift unless you plan/apply with --heal.'));
  return lines.join('\n');
}

export function driftJson(drift: readonly DriftEntry[], environment: string, sandbox: boolean): Record<string, unknown> {
  return {
    ok: true,
    environment,
    sandbox,
    drift: drift.map((d) => ({ address: d.address, remote_id: d.remoteId, expected: d.expected, actual: d.actual, message: d.message })),
  };
}
