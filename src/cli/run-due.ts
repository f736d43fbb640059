/**
 * `campaignctl run-due [--dry-run] [--json]`: one runner pass (src/schedule/run-due.ts) at the
 * clock's now. Safe from system cron, a CI schedule or a Kubernetes CronJob, and two passes may run
 * at once: each tick still fires once. This file only parses flags, calls the pass and renders.
 */
import type { Command } from 'commander';
import { runDue } from '../operations/run-due.js';
import { isRefusal } from '../operations/under-lock.js';
import { clockNote, now as clockNow } from '../time/clock.js';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { loadProjectFor, printDiagnostics } from './shared/project.js';
import { interruptOnSignal } from './shared/interrupt.js';
import { withContext } from './shared/command-context.js';
import { environmentErrors, failWith, refuse } from './views/state-common.js';
import { runDueJson, runDueText } from './views/run-due.js';

export function register(program: Command): void {
  program
    .command('run-due')
    .description('fire the Schedule ticks and raise the bulletin occurrences that are due now (one pass; run it every minute)')
    .option('--dry-run', 'say what would fire; claim, record and send nothing')
    .addHelpText('after', '\nExit codes: 0 every fire went well (or nothing was due); 1 when a fire failed or its outcome is unknown, or on a problem before the pass.')
    .action(action(async (flags: { dryRun?: boolean }, c: Command) => run(flags, createOutput(globalOptions(c)))));
}

async function run(flags: { dryRun?: boolean }, out: Output): Promise<number> {
  // One moment for the whole pass: the project's rules and the pass see the same now.
  const now = clockNow();
  const project = await loadProjectFor(out, { now });
  const blocking = environmentErrors(project);
  if (blocking.length > 0) return failWith(out, project.root, blocking);
  const interrupt = interruptOnSignal(out, 'sends');
  try {
    return await withContext(
      out,
      project,
      async (ctx) => {
        const result = await runDue(ctx, { dryRun: flags.dryRun === true, signal: interrupt.signal });
        if (isRefusal(result)) return refuse(out, project.root, result, ctx.target);
        if (out.opts.json) out.json(runDueJson(result, clockNote()));
        else {
          printDiagnostics(out, project.root, result.diagnostics);
          const text = runDueText(result, out.c, flags.dryRun === true);
          if (result.ok) out.info(text);
          else out.error(text);
        }
        return result.ok ? 0 : 1;
      },
      { clock: () => now },
    );
  } finally {
    interrupt.dispose();
  }
}
