/**
 * `campaignctl drift [--detailed-exitcode]`: read-only. Refreshes CleverTap's statuses of the
 * managed campaigns and reports those stopped, completed or missing in a way state does not
 * explain. Never settles the journal, never takes the lock, never writes. Exit 0 none (or drift
 * without the flag), 2 drift with --detailed-exitcode, 1 error.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { openPlanSession } from './shared/plan-session.js';
import { printDiagnostics } from './shared/project.js';
import { failWith } from './views/state-common.js';
import { failOnAuth } from './shared/auth-watch.js';
import { driftJson, driftText } from './views/drift.js';
import { computePlan } from '../apply/planning.js';
import { now as clockNow } from '../time/clock.js';

interface DriftFlags {
  detailedExitcode?: boolean;
}

export function register(program: Command): void {
  program
    .command('drift')
    .description('read-only: managed campaigns stopped, completed or missing on CleverTap outside campaignctl')
    .option('--detailed-exitcode', 'exit 2 when there is drift (0 none, 1 error)')
    .action(action(async (flags: DriftFlags, c: Command) => runDrift(flags, createOutput(globalOptions(c)))));
}

async function runDrift(flags: DriftFlags, out: Output): Promise<number> {
  const opened = await openPlanSession(out, 'drift');
  if (!opened.ok) return failWith(out, opened.project?.root, opened.diagnostics);
  const session = opened.session;
  try {
    const outcome = await computePlan({
      project: session.project,
      store: session.store,
      client: session.connection.client,
      now: clockNow(),
      options: { noEstimate: true },
      provenance: session.provenance,
      sandbox: session.connection.isSandbox,
      memo: session.memo,
      early: session.early,
      settle: false,
    });
    const authFailed = failOnAuth(out, session.project.root, session.connection.auth);
    if (authFailed !== null) return authFailed;
    const refreshFailed = outcome.diagnostics.filter((d) => d.code === 'apply.refresh-failed');
    if (refreshFailed.length > 0) return failWith(out, session.project.root, refreshFailed);
    const { drift } = outcome.plan;
    const env = session.project.environmentName;
    if (out.opts.json) out.json(driftJson(drift, env, session.connection.isSandbox));
    else {
      const open = outcome.plan.warnings.filter((w) => w.code === 'apply.journal-open');
      if (open.length > 0) printDiagnostics(out, session.project.root, open);
      out.print(driftText(drift, env, session.connection.isSandbox, out.c));
    }
    return drift.length > 0 && flags.detailedExitcode ? 2 : 0;
  } finally {
    await session.close();
  }
}
