/**
 * GET /: the status page, server-rendered from the same DaemonStatus as GET /v1/status. No build
 * step and no JavaScript: one HTML document with its stylesheet inline that reloads itself with a
 * meta refresh, so it works in any browser, behind any proxy, and with scripts turned off. A pure
 * function of its arguments: the HTTP layer reads the status and the clock, this only draws.
 *
 * The Content-Security-Policy in the document forbids scripts, frames and every external load:
 * even if some value escaped the escaping (./page/html.ts), it could not run.
 */
import type { DaemonStatus } from '../services.js';
import { healthSection, readinessBadge, reconcileSection } from './page/health.js';
import { html, raw } from './page/html.js';
import { STYLESHEET } from './page/style.js';
import { errorsSection, outboxSection, pendingSection, schedulesSection } from './page/tables.js';
import { time } from './page/format.js';

export const DEFAULT_REFRESH_SECONDS = 10;

export interface StatusPageOptions {
  /** The instant the page is drawn (the daemon's clock): adds "3 min ago" beside each time. */
  now?: Date;
  /** How often the browser reloads the page. */
  refreshSeconds?: number;
}

export function renderStatusPage(status: DaemonStatus, options: StatusPageOptions = {}): string {
  const { now } = options;
  const refresh = Math.max(1, Math.round(options.refreshSeconds ?? DEFAULT_REFRESH_SECONDS));
  const title = `campaignctl watch: ${status.environment} (${status.ready ? 'ready' : 'not ready'})`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta http-equiv="refresh" content="${refresh}">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${raw(STYLESHEET)}</style>
</head>
<body>
<header><h1>campaignctl watch: <span>${status.environment}</span></h1>${readinessBadge(status)}${status.autoApply ? html`<span class="badge warn">auto-apply</span>` : html`<span class="badge ok">plan only</span>`}</header>
<main>
${healthSection(status, now)}
${reconcileSection(status.lastReconcile, now)}
${pendingSection(status.pending, status.autoApply, now)}
${schedulesSection(status.schedules, now)}
${outboxSection(status.outbox)}
${errorsSection(status.errors, now)}
</main>
<footer><p>${now ? html`Drawn ${time(now.toISOString())}; r` : 'R'}eloads every ${refresh} s. The same data as JSON: <a href="/v1/status">/v1/status</a>. Also <a href="/metrics">/metrics</a>, <a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a>.</p></footer>
</body>
</html>
`;
  return page.text;
}
