/**
 * `campaignctl import ADDRESS REMOTE_ID [--from YYYYMMDD --to YYYYMMDD]`: adopt an existing
 * CleverTap campaign for a Campaign resource of the YAML, after finding the id with
 * `targets/list.json` (over the given dates, else the `when` date, then the last 90 days and the
 * next 365). Takes the lock; nothing is sent to CleverTap. Exit 0 adopted, 1 refused.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { withContext } from './shared/command-context.js';
import { loadProjectFor, printDiagnostics } from './shared/project.js';
import { environmentErrors, failWith, refuse } from './views/state-common.js';
import { importMessages, parseYmd } from '../apply/import.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { importCampaign } from '../operations/import.js';
import { isRefusal } from '../operations/under-lock.js';
import type { JournalWindow } from '../state/store.js';

interface ImportFlags {
  from?: string;
  to?: string;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('adopt an existing CleverTap campaign into state for a Campaign resource of the YAML (takes the lock)')
    .argument('<address>', 'the Campaign resource, e.g. campaign.winter-sale-push')
    .argument('<remote-id>', 'the CleverTap campaign id')
    .option('--from <YYYYMMDD>', 'search campaigns starting from this date (with --to)')
    .option('--to <YYYYMMDD>', 'search campaigns starting up to this date, inclusive (with --from)')
    .action(
      action(async (address: string, remoteId: string, flags: ImportFlags, cmd: Command) =>
        runImport(createOutput(globalOptions(cmd)), address, remoteId, flags),
      ),
    );
}

function parseArgs(remoteId: string, flags: ImportFlags): { id: number; window?: JournalWindow; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const id = /^\d+$/.test(remoteId) && Number.isSafeInteger(Number(remoteId)) && Number(remoteId) > 0 ? Number(remoteId) : 0;
  if (id === 0) diagnostics.push(importMessages.badId(remoteId));
  if (flags.from === undefined && flags.to === undefined) return { id, diagnostics };
  const from = flags.from === undefined ? null : parseYmd(flags.from);
  const to = flags.to === undefined ? null : parseYmd(flags.to);
  if (from === null) diagnostics.push(importMessages.badDate('--from', flags.from ?? '(missing: give --from and --to together)'));
  if (to === null) diagnostics.push(importMessages.badDate('--to', flags.to ?? '(missing: give --from and --to together)'));
  if (from !== null && to !== null && from > to) diagnostics.push(importMessages.badRange(from, to));
  return from !== null && to !== null ? { id, window: { from, to }, diagnostics } : { id, diagnostics };
}

async function runImport(out: Output, address: string, remoteId: string, flags: ImportFlags): Promise<number> {
  const project = await loadProjectFor(out);
  const args = parseArgs(remoteId, flags);
  const usage = [...environmentErrors(project), ...args.diagnostics];
  if (usage.length > 0) return failWith(out, project.root, usage);

  return withContext(out, project, async (ctx) => {
    const result = await importCampaign(ctx, { address, remoteId: args.id, ...(args.window ? { window: args.window } : {}) });
    if (isRefusal(result)) return refuse(out, project.root, result, ctx.target);
    if (out.opts.json) {
      out.json({ ok: true, sandbox: result.sandbox, imported: result.record, remote: result.remote, searched: result.searched, diagnostics: result.warnings });
      return 0;
    }
    printDiagnostics(out, project.root, result.warnings);
    const r = result.record;
    out.print(
      [
        `Imported CleverTap campaign ${r.remoteId} (${JSON.stringify(result.remote.name)}, ${result.remote.status}) as ${r.address}${result.sandbox ? ` (against ${result.against})` : ''}.`,
        `Recorded with the spec hash of the YAML as it is now: the next plan shows no change for it unless the YAML differs from what you meant to import.`,
      ].join('\n'),
    );
    return 0;
  });
}
