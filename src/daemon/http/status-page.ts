/**
 * GET /: the status page, server-rendered HTML that works without JavaScript and refreshes itself.
 * A minimal honest rendering of DaemonStatus; the full page replaces this body, keeping the
 * signature.
 */
import type { DaemonStatus } from '../services.js';

export function renderStatusPage(status: DaemonStatus): string {
  const last = status.lastReconcile;
  const rows = (status.pending as { address?: string; action?: string }[]).map((c) => `<li>${esc(c.action ?? '')} ${esc(c.address ?? '')}</li>`).join('');
  const errors = status.errors.map((e) => `<li>${esc(e.at)} ${esc(e.where)}: ${esc(e.message)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
<title>campaignctl watch: ${esc(status.environment)}</title></head>
<body>
<h1>campaignctl watch: ${esc(status.environment)}</h1>
<p>${status.ready ? 'Ready' : `Not ready: ${esc(status.readiness.join('; '))}`}</p>
<p>Last reconcile: ${last ? `${esc(last.at)} (${esc(last.reason)}) ${esc(last.result)}${last.error ? `: ${esc(last.error)}` : ''}` : 'none yet'}</p>
<h2>Pending changes (${status.pending.length})</h2><ul>${rows}</ul>
<h2>Outbox</h2><p>${Object.entries(status.outbox).map(([k, n]) => `${esc(k)} ${n}`).join(', ')}</p>
<h2>Recent errors</h2><ul>${errors}</ul>
</body></html>
`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
