/** How `schedules` reads: each Schedule's fires, last run, counts and its campaigns' figures; and its --json document. */
import type { CampaignResult, ScheduleListing } from '../../schedule/listing.js';
import { localFireText } from '../../time/local-time.js';

export function schedulesJson(listing: ScheduleListing[], clockNote: string | null): Record<string, unknown> {
  return { formatVersion: '1', ...(clockNote ? { clock: clockNote } : {}), schedules: listing };
}

export function schedulesText(listing: ScheduleListing[]): string {
  return listing.length === 0 ? 'No Schedule is applied.' : listing.map(scheduleText).join('\n\n');
}

function scheduleText(s: ScheduleListing): string {
  const lines = [`${s.address}  ${s.cron} (${s.timezone})${s.enabled ? '' : '  disabled'}`];
  if (s.nextFireTimes.length) lines.push(...s.nextFireTimes.map((t) => `  next  ${t}  ${localFireText(new Date(t), s.timezone)}`));
  lines.push(s.lastRun ? `  last  ${s.lastRun.fireTime}  ${s.lastRun.status}${s.lastRun.campaignId !== null ? ` (campaign ${s.lastRun.campaignId})` : ''}` : '  last  never ran');
  lines.push(`  runs  ${Object.entries(s.counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  lines.push(...s.campaignResults.map(campaignText));
  lines.push(...s.unknownFireTimes.map((t) => `  unknown  ${t}: may have been sent, never resent; check CleverTap, then settle it with state resolve ${s.address}#${t} --raised or --not-raised`));
  return lines.join('\n');
}

function campaignText(c: CampaignResult): string {
  const figures = c.result === 'final' ? `sent ${c.sent}, clicked ${c.clicked}` : `sent/clicked not available yet: ${c.detail}`;
  return `  campaign ${c.campaignId} (${c.fireTime})  ${figures}`;
}
