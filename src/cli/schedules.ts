/**
 * `campaignctl schedules [--json]`: every applied Schedule with cron, zone, enabled, its next 3
 * fires (UTC and local), its last run and its counts per status, from state. Only parses flags,
 * calls src/operations/schedules.ts and renders; the sent/clicked of the campaigns it created come
 * from CleverTap only for those not yet final.
 */
import type { Command } from 'commander';
import { clockNote, now as clockNow } from '../time/clock.js';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { schedules } from '../operations/schedules.js';
import { loadProjectFor } from './shared/project.js';
import { withContext } from './shared/command-context.js';
import { environmentErrors, failWith } from './views/state-common.js';
import { schedulesJson, schedulesText } from './views/schedules.js';

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
      if (out.opts.json) out.json(schedulesJson(listing, clockNote()));
      else out.info(schedulesText(listing));
      return 0;
    },
    { clock: () => now },
  );
}
