/**
 * `campaignctl drift [--detailed-exitcode]`: the drift operation (../operations/drift.ts) as text
 * or JSON. Read-only: never settles the journal, never takes the lock, never writes. Exit 0 none
 * (or drift without the flag), 2 drift with --detailed-exitcode, 1 error.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { openCommandContext } from './shared/command-context.js';
import { printDiagnostics } from './shared/project.js';
import { failWith } from './views/state-common.js';
import { driftJson, driftText } from './views/drift.js';
import { drift } from '../operations/drift.js';

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
  const opened = await openCommandContext(out, { headStart: 'drift' });
  if (!opened.ok) return failWith(out, opened.project.root, opened.diagnostics);
  const ctx = opened.ctx;
  try {
    const result = await drift(ctx);
    if (result.kind === 'refused') return failWith(out, ctx.project.root, result.diagnostics);
    if (out.opts.json) out.json(driftJson(result.drift, result.environment, result.sandbox));
    else {
      if (result.openRows.length > 0) printDiagnostics(out, ctx.project.root, result.openRows);
      out.print(driftText(result.drift, result.environment, result.sandbox, out.c));
    }
    return result.drift.length > 0 && flags.detailedExitcode ? 2 : 0;
  } finally {
    await ctx.close();
  }
}
