/**
 * `campaignctl schedules [--json]`: every applied Schedule with cron, zone, enabled, its next 3
 * fires (UTC and local), its last run and its counts per status, from state, and the figures of the
 * campaigns it created (CleverTap is asked only for those not yet final). Only parses flags, calls
 * src/schedule/listing.ts and renders.
 */
import type { Command } from 'commander';
import { listSchedules } from '../schedule/listing.js';
import { connectedReader } from '../schedule/results.js';
import { clockNote, now as clockNow } from '../time/clock.js';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { openState } from '../operations/connect.js';
import { loadProjectFor } from './shared/project.js';
import { environmentErrors, failWith } from './views/state-common.js';
import { schedulesJson, schedulesText } from './views/schedules.js';

export function register(program: Command): void {
  program
    .command('schedules')
    .description('list the applied Schedules: next fires, last run, counts per status (from state), and sent/clicked of the campaigns they created')
    .action(action(async (_flags: unknown, c: Command) => run(createOutput(globalOptions(c)))));
}

async function run(out: Output): Promise<number> {
  const now = clockNow();
  const project = await loadProjectFor(out, { now });
  const blocking = environmentErrors(project);
  if (blocking.length > 0) return failWith(out, project.root, blocking);
  const opened = await openState(project);
  if (!opened.ok) return failWith(out, project.root, opened.diagnostics);
  try {
    const listing = await listSchedules(opened.store, now, { reports: connectedReader(project) });
    if (out.opts.json) out.json(schedulesJson(listing, clockNote()));
    else out.info(schedulesText(listing));
    return 0;
  } finally {
    await opened.store.close();
  }
}
