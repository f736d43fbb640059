/**
 * How the page spells instants, commits and remotes. Instants are shown in UTC (the daemon's
 * logs and /v1/status are in UTC too, so a reader can match them), with the age when the page
 * knows the time it was drawn.
 */
import { redactSecrets } from '../../../diagnostics/redact.js';
import { html, type Markup } from './html.js';

export function utc(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/** "4 s ago", "in 3 min": rough on purpose, the exact instant is beside it. */
export function relative(iso: string, now: Date | undefined): string {
  const t = new Date(iso).getTime();
  if (!now || Number.isNaN(t)) return '';
  const s = Math.round((t - now.getTime()) / 1000);
  const a = Math.abs(s);
  const amount = a < 90 ? `${a} s` : a < 90 * 60 ? `${Math.round(a / 60)} min` : a < 48 * 3600 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} d`;
  return s <= 0 ? `${amount} ago` : `in ${amount}`;
}

export function time(iso: string | null | undefined, now?: Date): Markup {
  if (!iso) return html`<span class="muted">never</span>`;
  const rel = relative(iso, now);
  return html`<time datetime="${iso}">${utc(iso)}</time>${rel ? html` <span class="muted">(${rel})</span>` : ''}`;
}

export function commit(sha: string | null | undefined): Markup {
  if (!sha) return html`<span class="muted">none</span>`;
  return html`<code title="${sha}">${sha.length > 12 ? sha.slice(0, 12) : sha}</code>`;
}

/**
 * The remote as the status gives it should already be redacted; the page strips any user-info
 * again, user name included (a token is often put there), as the last line of defence.
 */
export function remote(url: string): string {
  return redactSecrets(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@'));
}

/** Free text from errors: registered secrets and URL passwords masked. */
export function message(text: string): string {
  return redactSecrets(text);
}
