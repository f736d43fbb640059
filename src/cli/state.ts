/**
 * `campaignctl state list | show ADDRESS | rm ADDRESS`: inspect and repair campaignctl's record of
 * what it applied. `list` and `show` only read (no lock); `rm` forgets one resource without
 * touching CleverTap, under the apply lock, and records who did it in the audit history.
 *
 * The `state` group may be shared with other commands (e.g. `state resolve`): whichever register
 * runs first creates it, the others add their subcommands to it.
 */
import type { Command } from 'commander';
import { action, type Output } from './context.js';
import { withState } from './shared/command-context.js';
import { refuse } from './views/state-common.js';
import { stateListJson, stateListText, stateRmText, stateShowJson, stateShowText } from './views/state.js';
import type { OperationContext } from '../operations/context.js';
import { stateList, stateRm, stateShow } from '../operations/state.js';
import { isRefusal } from '../operations/under-lock.js';

/** The `state` command group, created once whoever registers first. */
export function stateGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'state') ??
    program.command('state').description('inspect and repair campaignctl state (what it applied)')
  );
}

export function register(program: Command): void {
  const state = stateGroup(program);
  state
    .command('list')
    .description('every resource recorded in state, with its status and CleverTap id')
    .action(action(async (_flags: unknown, cmd: Command) => withState(cmd, list)));
  state
    .command('show')
    .description('one resource as recorded: applied spec, CleverTap id and name, history')
    .argument('<address>', 'resource address, e.g. campaign.winter-sale-push')
    .action(action(async (address: string, _flags: unknown, cmd: Command) => withState(cmd, (o, ctx) => show(o, ctx, address))));
  state
    .command('rm')
    .description('forget one resource without touching CleverTap (takes the lock)')
    .argument('<address>', 'resource address, e.g. campaign.winter-sale-push')
    .action(action(async (address: string, _flags: unknown, cmd: Command) => withState(cmd, (o, ctx) => rm(o, ctx, address))));
}

async function list(out: Output, ctx: OperationContext): Promise<number> {
  const view = await stateList(ctx);
  if (out.opts.json) out.json(stateListJson(view));
  else out.print(stateListText(view, out.c));
  return 0;
}

async function show(out: Output, ctx: OperationContext, address: string): Promise<number> {
  const result = await stateShow(ctx, { address });
  if (isRefusal(result)) return refuse(out, ctx.project.root, result, ctx.target);
  if (out.opts.json) out.json(stateShowJson(result));
  else out.print(stateShowText(result, out.c));
  return 0;
}

async function rm(out: Output, ctx: OperationContext, address: string): Promise<number> {
  const result = await stateRm(ctx, { address });
  if (isRefusal(result)) return refuse(out, ctx.project.root, result, ctx.target);
  const { removed, stillInYaml, by } = result;
  if (out.opts.json) out.json({ ok: true, removed, stillInYaml, by });
  else out.print(stateRmText(removed, stillInYaml, ctx.target));
  return 0;
}
