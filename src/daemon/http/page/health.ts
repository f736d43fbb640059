/** The top of the status page: readiness and why not, the process, the source and the commits, the last reconcile. */
import type { DaemonStatus, ReconcileSummary } from '../../services.js';
import { html, type Markup } from './html.js';
import { commit, message, remote, time } from './format.js';

export function readinessBadge(status: DaemonStatus): Markup {
  return status.ready ? html`<span class="badge ok" id="readiness">Ready</span>` : html`<span class="badge bad" id="readiness">Not ready</span>`;
}

export function healthSection(status: DaemonStatus, now?: Date): Markup {
  const reasons = status.readiness.length ? status.readiness : ['no reason was given'];
  const l = status.leader;
  // Who holds the lease, as the row says; "none" between a lost leader and the next one.
  const leader =
    l === null
      ? html`<span class="muted">none holds the lease: a replica takes it within one lease and one poll</span>`
      : html`<span id="leader">${l.id === status.replica ? 'this replica' : html`<code>${l.id}</code>`}</span> <span class="muted">(${l.command}, pid ${String(l.pid)} on ${l.host}, epoch ${String(l.epoch)}, since ${time(l.since, now)})</span>`;
  return html`<section aria-labelledby="h-health"><h2 id="h-health">Health</h2>
<div class="grid"><dl>
<dt>Readiness</dt><dd>${status.ready ? html`ready: <code>GET /readyz</code> answers 200` : html`<strong>not ready</strong> (<code>GET /readyz</code> answers 503):<ul class="plain" id="not-ready-reasons">${reasons.map((r) => html`<li>${message(r)}</li>`)}</ul>`}</dd>
<dt>Environment</dt><dd id="environment"><strong>${status.environment}</strong></dd>
<dt>Auto-apply</dt><dd>${status.autoApply ? 'on: changes the plan finds are applied, with the guards of apply' : 'off: the daemon plans only'}</dd>
<dt>Replica</dt><dd><code>${status.replica}</code></dd>
<dt>Leader</dt><dd>${leader}</dd>
<dt>Started</dt><dd>${time(status.startedAt, now)}</dd>
</dl>${sourceList(status, now)}</div></section>`;
}

function sourceList(status: DaemonStatus, now?: Date): Markup {
  const s = status.source;
  const differs = status.lastAttemptedCommit !== null && status.lastAttemptedCommit !== status.appliedCommit;
  return html`<dl aria-label="Source">
<dt>Source</dt><dd>${s.mode === 'git' ? 'git: a mirror of the remote, fetched' : 'local: the project folder, watched'}</dd>
${s.mode === 'git' ? html`<dt>Remote</dt><dd><code>${s.remote ? remote(s.remote) : '(none)'}</code></dd><dt>Branch</dt><dd><code>${s.branch ?? '(none)'}</code></dd>
<dt>Last fetch</dt><dd>${time(s.lastFetchAt, now)}${s.lastFetchError ? html`<br><span class="bad">failed: ${message(s.lastFetchError)}</span>` : ''}</dd>` : ''}
<dt>Applied commit</dt><dd>${commit(status.appliedCommit)}</dd>
<dt>Last attempted</dt><dd>${commit(status.lastAttemptedCommit)}${differs ? html` <span class="badge warn">not applied</span>` : ''}</dd>
</dl>`;
}

const RESULT_CLASS: Record<ReconcileSummary['result'], string> = { 'no-change': 'ok', applied: 'ok', planned: 'warn', refused: 'warn', failed: 'bad' };
const RESULT_TEXT: Record<ReconcileSummary['result'], string> = {
  'no-change': 'no change: the account is in step',
  planned: 'planned: changes are pending',
  applied: 'applied',
  refused: 'refused by a guard: nothing applied',
  failed: 'failed',
};

export function reconcileSection(last: ReconcileSummary | null, now?: Date): Markup {
  if (!last) return html`<section aria-labelledby="h-reconcile"><h2 id="h-reconcile">Last reconcile</h2><p class="muted" id="last-reconcile">None yet: the first runs at start.</p></section>`;
  return html`<section aria-labelledby="h-reconcile"><h2 id="h-reconcile">Last reconcile</h2>
<dl id="last-reconcile">
<dt>Result</dt><dd><span class="badge ${RESULT_CLASS[last.result] ?? 'warn'}">${last.result}</span> ${RESULT_TEXT[last.result] ?? ''}</dd>
<dt>At</dt><dd>${time(last.at, now)}, took ${Math.round(last.durationMs)} ms</dd>
<dt>Why it ran</dt><dd>${last.reason}</dd>
<dt>Commit</dt><dd>${commit(last.commit)}</dd>
${last.error ? html`<dt>Error</dt><dd class="bad" id="reconcile-error">${message(last.error)}</dd>` : ''}
</dl></section>`;
}
