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
import { withState } from './shared/with-state.js';
import { takeLock } from '../operations/lock.js';
import { operatorProvenance } from '../operations/operator.js';
import { commandTarget } from './shared/project.js';
import { failWith, refuseLocked } from './views/state-common.js';
import { stateListJson, stateListText, stateRmText, stateShowJson, stateShowText } from './views/state.js';
import { audit } from '../state/record.js';
import { closest } from '../diagnostics/suggest.js';
import type { Project } from '../config/project.js';
import { commandLine, type CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StateStore } from '../state/store.js';

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
    .action(action(async (address: string, _flags: unknown, cmd: Command) => withState(cmd, (o, p, s) => show(o, p, s, address))));
  state
    .command('rm')
    .description('forget one resource without touching CleverTap (takes the lock)')
    .argument('<address>', 'resource address, e.g. campaign.winter-sale-push')
    .action(action(async (address: string, _flags: unknown, cmd: Command) => withState(cmd, (o, p, s) => rm(o, p, s, address))));
}

async function list(out: Output, project: Project, store: StateStore): Promise<number> {
  const view = {
    environment: project.environmentName,
    location: store.info.location,
    serial: await store.serial(),
    resources: await store.resources.list(),
    lock: await store.lock.current(),
    openJournal: (await store.journal.listOpen()).length,
  };
  if (out.opts.json) out.json(stateListJson(view));
  else out.print(stateListText(view, out.c));
  return 0;
}

function notInState(address: string, known: string[], target: CommandTarget): Diagnostic {
  const suggestion = closest(address, known);
  return {
    severity: 'error',
    code: 'state.not-found',
    address,
    message: `${address} is not in state`,
    hint: suggestion ? `did you mean \`${suggestion}\`?` : `\`${commandLine(target, ['state', 'list'])}\` shows every recorded resource`,
  };
}

async function show(out: Output, project: Project, store: StateStore, address: string): Promise<number> {
  const resource = await store.resources.get(address);
  if (!resource) {
    const known = (await store.resources.list()).map((r) => r.address);
    return failWith(out, project.root, [notInState(address, known, commandTarget(out, project))]);
  }
  const view = {
    environment: project.environmentName,
    resource,
    journal: await store.journal.list({ address, limit: 20 }),
    history: await store.audit.list({ address, limit: 20 }),
  };
  if (out.opts.json) out.json(stateShowJson(view));
  else out.print(stateShowText(view, out.c));
  return 0;
}

async function rm(out: Output, project: Project, store: StateStore, address: string): Promise<number> {
  const taken = await takeLock(store, `state rm ${address}`);
  if (!taken.ok) return refuseLocked(out, taken.refusal, 'state rm', commandTarget(out, project));
  try {
    const resource = await store.resources.get(address);
    if (!resource) {
      const known = (await store.resources.list()).map((r) => r.address);
      return failWith(out, project.root, [notInState(address, known, commandTarget(out, project))]);
    }
    const open = (await store.journal.listOpen()).filter((j) => j.address === address);
    if (open.length > 0) {
      return failWith(out, project.root, [
        {
          severity: 'error',
          code: 'state.journal-open',
          address,
          message: `${address} has ${open.length} remote write${open.length === 1 ? '' : 's'} of an interrupted run still open (marker ${open.map((j) => j.id).join(', ')}); removing it now could lose a campaign that was created`,
          hint: `run \`${commandLine(commandTarget(out, project), ['plan'])}\` (or apply) first: it settles open writes by reading them back from CleverTap`,
        },
      ]);
    }
    const { by, provenance } = await operatorProvenance(project.root, 'state rm');
    await store.transaction(async (tx) => {
      await tx.resources.delete(address);
      await tx.audit.append(
        audit(provenance, address, 'forget', { remoteId: resource.remoteId, remoteName: resource.remoteName, status: resource.status, by }),
      );
    });
    const stillInYaml = project.resources.some((r) => r.address === address);
    if (out.opts.json) out.json({ ok: true, removed: resource, stillInYaml, by });
    else out.print(stateRmText(resource, stillInYaml, commandTarget(out, project)));
    return 0;
  } finally {
    await taken.release();
  }
}
