/** The status page's tables: the pending plan, the schedules, the outbox and the recent errors. */
import type { OutboxStatus } from '../../../state/store.js';
import type { DaemonError } from '../../services.js';
import { html, type Markup } from './html.js';
import { message, time } from './format.js';
import { pendingRows, scheduleRows } from './read.js';

/**
 * A table shows at most this many rows: the page reloads every few seconds, and a plan of
 * thousands of changes (a first apply of a big project) would make every reload megabytes. The
 * counts always cover everything; /v1/status has every row.
 */
export const MAX_TABLE_ROWS = 200;

function more(id: string, shown: number, total: number, what: string): Markup {
  if (total <= shown) return html``;
  return html`<p class="note" id="${id}">Showing the first ${shown} of ${total} ${what}; all of them are in <a href="/v1/status">/v1/status</a>.</p>`;
}

export function pendingSection(pending: readonly unknown[], autoApply: boolean, now?: Date): Markup {
  const rows = pendingRows(pending);
  const head = html`<section aria-labelledby="h-plan"><h2 id="h-plan">Pending plan</h2>`;
  if (rows.length === 0) return html`${head}<p id="plan-in-step">In step: the last plan found no changes.</p></section>`;
  const irreversible = rows.filter((r) => r.irreversible).length;
  return html`${head}
<p class="note">${autoApply ? 'Auto-apply is on: these were found and not applied (see the last reconcile for why).' : html`The daemon plans only (started without <code>--auto-apply</code>): apply these with <code>campaignctl apply</code>.`}
${irreversible ? html` <span class="badge bad">${irreversible} irreversible</span> (makes CleverTap send).` : ''}</p>
<table id="pending-changes"><caption>${rows.length} pending ${rows.length === 1 ? 'change' : 'changes'}</caption>
<thead><tr><th scope="col">Resource</th><th scope="col">Action</th><th scope="col">Why</th><th scope="col">Audience estimate</th><th scope="col">Starts / next fires</th></tr></thead>
<tbody>${rows.slice(0, MAX_TABLE_ROWS).map(
    (r) => html`<tr><th scope="row"><code>${r.address}</code></th>
<td>${r.action}${r.irreversible ? html` <span class="badge bad">irreversible</span>` : ''}</td>
<td>${r.reason}${r.changedFields.length ? html`: ${changed(r.changedFields)}` : ''}</td>
<td class="num">${r.estimate !== null ? r.estimate.toLocaleString('en') : html`<span class="muted">${r.estimateStatus ?? '-'}</span>`}</td>
<td>${r.startsAt ? (r.startsAt === 'now' ? 'now' : time(r.startsAt, now)) : ''}${r.nextFireTimes.map((t, i) => html`${i || r.startsAt ? html`<br>` : ''}${time(t, now)}`)}${!r.startsAt && r.nextFireTimes.length === 0 ? html`<span class="muted">-</span>` : ''}</td></tr>`,
  )}</tbody></table>${more('pending-more', MAX_TABLE_ROWS, rows.length, 'changes')}</section>`;
}

const SHOWN_FIELDS = 3;

function changed(paths: string[]): Markup {
  const shown = paths.slice(0, SHOWN_FIELDS).map((p, i) => html`${i ? ', ' : ''}<code>${p}</code>`);
  return html`${shown}${paths.length > SHOWN_FIELDS ? ` and ${paths.length - SHOWN_FIELDS} more` : ''}`;
}

export function schedulesSection(schedules: unknown, now?: Date): Markup {
  const rows = scheduleRows(schedules);
  const head = html`<section aria-labelledby="h-schedules"><h2 id="h-schedules">Schedules</h2>`;
  if (rows.length === 0) return html`${head}<p class="muted" id="no-schedules">No Schedule is applied.</p></section>`;
  return html`${head}
<table id="schedules"><caption>${rows.length} applied ${rows.length === 1 ? 'Schedule' : 'Schedules'}; times in UTC</caption>
<thead><tr><th scope="col">Schedule</th><th scope="col">Cron (zone)</th><th scope="col">Next fires</th><th scope="col">Last run</th><th scope="col">Runs</th></tr></thead>
<tbody>${rows.slice(0, MAX_TABLE_ROWS).map(
    (s) => html`<tr><th scope="row"><code>${s.address}</code>${s.enabled ? '' : html` <span class="badge warn">disabled</span>`}</th>
<td><code>${s.cron}</code> (${s.timezone})</td>
<td>${s.nextFireTimes.length ? s.nextFireTimes.map((t, i) => html`${i ? html`<br>` : ''}${time(t, now)}`) : html`<span class="muted">none</span>`}</td>
<td>${s.lastRun ? html`${time(s.lastRun.fireTime, now)} <span class="badge ${s.lastRun.status === 'done' ? 'ok' : s.lastRun.status === 'skipped' || s.lastRun.status === 'missed' ? 'warn' : 'bad'}">${s.lastRun.status}</span>${s.lastRun.campaignId !== null ? html`<br>campaign <code>${s.lastRun.campaignId}</code>` : ''}${s.lastRun.sent !== null ? html`, sent ${s.lastRun.sent}, clicked ${s.lastRun.clicked ?? '-'}` : ''}` : html`<span class="muted">never ran</span>`}</td>
<td>${s.counts.filter(([, n]) => n > 0).map(([k, n], i) => html`${i ? ', ' : ''}${k} ${n}`)}${s.counts.every(([, n]) => n === 0) ? html`<span class="muted">none</span>` : ''}${s.unknownFireTimes.length ? html`<br><span class="bad">unknown: ${s.unknownFireTimes.join(', ')}: may have been sent, never resent; settle with <code>campaignctl state resolve</code></span>` : ''}</td></tr>`,
  )}</tbody></table>${more('schedules-more', MAX_TABLE_ROWS, rows.length, 'Schedules')}</section>`;
}

/**
 * In the order an item moves through them, named as GET /v1/sends/{id} names them (the outbox's
 * own words, which /metrics uses as its `status` label, beside them).
 */
const OUTBOX: [OutboxStatus, string, string][] = [
  ['pending', 'queued', 'accepted and committed, waiting to be sent (or retried)'],
  ['sending', 'sending', 'claimed: its CleverTap call is in flight'],
  ['done', 'sent', 'CleverTap accepted it'],
  ['failed', 'failed', 'CleverTap refused it, or retries ran out'],
  ['unknown', 'unknown', 'in flight at a crash or its answer was lost: may have been sent, never resent'],
];

export function outboxSection(outbox: Record<OutboxStatus, number>): Markup {
  return html`<section aria-labelledby="h-outbox"><h2 id="h-outbox">Outbox</h2>
<table id="outbox"><caption>Runtime sends accepted over the HTTP API, by status</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Items</th><th scope="col">Meaning</th></tr></thead>
<tbody>${OUTBOX.map(
    ([status, shown, meaning]) => html`<tr data-status="${status}"><th scope="row">${shown}${shown === status ? '' : html` <span class="muted">(${status})</span>`}</th><td class="num${(status === 'failed' || status === 'unknown') && (outbox[status] ?? 0) > 0 ? ' bad' : ''}">${outbox[status] ?? 0}</td><td>${meaning}</td></tr>`,
  )}</tbody></table></section>`;
}

export function errorsSection(errors: readonly DaemonError[], now?: Date): Markup {
  const head = html`<section aria-labelledby="h-errors"><h2 id="h-errors">Recent errors</h2>`;
  if (errors.length === 0) return html`${head}<p class="muted" id="no-errors">None since the daemon started.</p></section>`;
  return html`${head}
<table id="errors"><caption>Newest first; the log has every one</caption>
<thead><tr><th scope="col">At</th><th scope="col">Where</th><th scope="col">Error</th></tr></thead>
<tbody>${errors.map((e) => html`<tr><td>${time(e.at, now)}</td><td>${e.where}</td><td>${message(e.message)}</td></tr>`)}</tbody></table></section>`;
}
