/**
 * `campaignctl state resolve bulletin.NAME#KEY --raised|--not-raised`: settles a bulletin
 * occurrence by hand, usually one whose raise ended `unknown` (or whose run died after the claim),
 * after checking CleverTap. `--raised` records it done (never raised again); `--not-raised` makes it
 * due again, so the next apply raises it once. `state resolve schedule.NAME#FIRE_TIME` settles a
 * schedule tick the same way. Takes the apply lock and records who did it.
 *
 * It joins the `state` command group: whichever register runs first creates the group.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { withContext } from './shared/command-context.js';
import { loadProjectFor } from './shared/project.js';
import { environmentErrors, failWith, refuse } from './views/state-common.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolveOutcome } from '../runtime/index.js';
import { parseOccurrence, stateResolve, type Resolved } from '../operations/state.js';
import { isRefusal } from '../operations/under-lock.js';

interface ResolveFlags {
  raised?: boolean;
  notRaised?: boolean;
}

function stateGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'state') ??
    program.command('state').description('inspect and repair campaignctl state (what it applied)')
  );
}

export function register(program: Command): void {
  stateGroup(program)
    .command('resolve')
    .description('settle a bulletin occurrence whose raise is unknown: --raised (never raise it) or --not-raised (the next apply raises it)')
    .argument('<occurrence>', 'the occurrence, bulletin.NAME#KEY (as plan and apply print it)')
    .option('--raised', 'it was raised: record it done')
    .option('--not-raised', 'it was not raised: the next apply raises it once')
    .action(action(async (address: string, flags: ResolveFlags, c: Command) => run(address, flags, createOutput(globalOptions(c)))));
}

async function run(text: string, flags: ResolveFlags, out: Output): Promise<number> {
  const project = await loadProjectFor(out);
  const blocking = environmentErrors(project);
  if (blocking.length > 0) return failWith(out, project.root, blocking);

  const parsed = parseOccurrence(text);
  const outcome: ResolveOutcome | undefined = flags.raised && !flags.notRaised ? 'raised' : flags.notRaised && !flags.raised ? 'not-raised' : undefined;
  const problems: Diagnostic[] = [];
  if (!parsed.ok) problems.push(parsed.diagnostic);
  if (!outcome) problems.push(diagnostic('input.invalid', { option: '--raised / --not-raised', detail: 'give exactly one of them' }));
  if (!parsed.ok || !outcome) return failWith(out, project.root, problems);

  return withContext(out, project, async (ctx) => {
    const result = await stateResolve(ctx, { occurrence: text, outcome });
    if (isRefusal(result)) return refuse(out, project.root, result, ctx.target);
    const { address, resolved, status, before, run } = result;
    if (out.opts.json) out.json({ ok: true, address, resolved, status, before, run });
    else out.info(resolvedText(result));
    return 0;
  });
}

function resolvedText(r: Resolved): string {
  if (r.kind === 'schedule') return `${r.address}: ${r.before.status} -> ${r.run.status} (resolved ${r.resolved}); the runner never fires this tick again.`;
  if (r.status === 'nothing-to-undo') return `${r.address} was never claimed: nothing to undo (apply raises it when it is due).`;
  const from = r.before?.status ?? 'never claimed';
  const next = r.run.status === 'done' ? 'it is never raised again' : 'the next apply raises it once (when it is due)';
  return `${r.address}: ${from} -> ${r.run.status} (resolved ${r.resolved}); ${next}.`;
}
