/**
 * `campaignctl schedules [--json]`: every applied Schedule with cron, zone, enabled, its next 3
 * fires (UTC and local), its last run and its counts per status, from state. Only parses flags,
 * calls src/operations/schedules.ts and renders.
 */
import type { Command } from 'commander';
import type { ScheduleListing } from '../schedule/listing.js';
import { localFireText } from '../time/local-time.js';
import { clockNote, now as clockNow } from '../time/clock.js';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { schedules } from '../operations/schedules.js';
import { loadProjectFor } from './shared/project.js';
import { withContext } from './shared/with-state.js';
import { environmentErrors, failWith } from './views/state-common.js';

export function register(program: Command): void {
  program
    .command('schedules')
    .description('list the applied Schedules: next fires, last run, counts per status (from state)')
    .action(action(async (_flags: unknown, c: Command) => run(createOutput(globalOptions(c)))));
}

async function run(out: Output): Promise<number> {
  const now = clockNow();
  const project = await loadProjectFor(out, { now });
  const blocking = environmentErrors(project);
  if (blocking.length > 0) return failWith(out, project.root, blocking);
  return withContext(
    out,
    project,
    async (ctx) => {
      const listing = (await schedules(ctx)).schedules;
      const note = clockNote();
      if (out.opts.json) out.json({ formatVersion: '1', ...(note ? { clock: note } : {}), schedules: listing });
      else out.info(listing.length === 0 ? 'No Schedule is applied.' : listing.map(text).join('\n\n'));
      return 0;
    },
    { clock: () => now },
  );
}

function text(s: ScheduleListing): string {
  const lines = [`${s.address}  ${s.cron} (${s.timezone})${s.enabled ? '' : '  disabled'}`];
  if (s.nextFireTimes.length) lines.push(...s.nextFireTimes.map((t) => `  next  ${t}  ${localFireText(new Date(t), s.timezone)}`));
  lines.push(s.lastRun ? `  last  ${s.lastRun.fireTime}  ${s.lastRun.status}${s.lastRun.campaignId !== null ? ` (campaign ${s.lastRun.campaignId})` : ''}` : '  last  never ran');
  lines.push(`  runs  ${Object.entries(s.counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return lines.join('\n');
}
