/**
 * `campaignctl raise BULLETIN --name TEXT [--set k=v]... | --occurrence KEY`: raises the Bulletin's
 * business event now (src/operations/raise.ts). Ad hoc: the name and the properties come from the
 * flags, the properties read as the Bulletin's `properties` schema types them. `--occurrence KEY`
 * raises one occurrence of the YAML by hand, claimed in state so it is never raised twice. The
 * state and CleverTap are opened only once the input passed its checks and it is not a dry run.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { readDataInput } from './shared/data-input.js';
import { collect } from './shared/option-values.js';
import { commandTarget, loadProjectFor, printDiagnostics } from './shared/project.js';
import { openRuntimeCommand } from './shared/command-context.js';
import { failWith } from './views/state-common.js';
import { raiseDryRunText, raiseJson, raiseText } from './views/runtime-send.js';
import type { Project } from '../config/project.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { BulletinResource } from '../model/specs.js';
import { checkRaise, raise, type RaiseOperationResult, type RaiseOptions } from '../operations/raise.js';
import { findContract } from '../operations/runtime-contract.js';
import { now as clockNow } from '../time/clock.js';

interface RaiseFlags {
  name?: string;
  set: string[];
  data?: string;
  occurrence?: string;
  dryRun?: boolean;
}

export function register(program: Command): void {
  program
    .command('raise')
    .argument('<bulletin>', 'the Bulletin, e.g. album-released (or bulletin.album-released)')
    .description('raise a business event now (CleverTap Bulletins): ad hoc with --name/--set, or one YAML occurrence with --occurrence')
    .option('--name <text>', 'the name of this raise; may use {{properties.x}} and {{vars.x}}')
    .option('--set <key=value>', 'one property (repeatable; string values)', collect, [])
    .option('--data <file>', 'the properties as JSON or YAML; - for stdin')
    .option('--occurrence <key>', "raise this occurrence of the YAML now (its name and properties; recorded so it is never raised again)")
    .option('--dry-run', 'print the request body; send nothing')
    .addHelpText('after', '\nExit codes: 0 raised; 1 on a problem before sending (nothing sent), when CleverTap refused it, when its outcome is unknown, or when the occurrence was already claimed.')
    .action(action(async (name: string, flags: RaiseFlags, c: Command) => run(name, flags, createOutput(globalOptions(c)))));
}

async function run(name: string, flags: RaiseFlags, out: Output): Promise<number> {
  const project = await loadProjectFor(out, { now: clockNow() });
  const found = findContract<BulletinResource['spec']>(project, 'Bulletin', name);
  if (!found.ok) return failWith(out, project.root, found.diagnostics);
  const bulletin = found.value as BulletinResource;

  let options: RaiseOptions;
  if (flags.occurrence !== undefined) {
    if (flags.name !== undefined || flags.set.length > 0 || flags.data !== undefined) {
      const detail = 'an occurrence is raised exactly as the YAML has it; --name, --set and --data can not change it';
      return failWith(out, project.root, [diagnostic('input.invalid', { option: '--occurrence', detail, hint: 'edit the occurrence in the YAML, or raise ad hoc without --occurrence' })]);
    }
    options = { bulletin: name, occurrence: flags.occurrence };
  } else {
    if (flags.name === undefined) {
      return failWith(out, project.root, [diagnostic('input.invalid', { option: '--name', detail: 'is required', hint: 'name this raise (e.g. --name "Show X episode 12"), or raise a YAML occurrence with --occurrence KEY' })]);
    }
    const properties = await readDataInput({ dataFile: flags.data, sets: flags.set, schema: bulletin.spec.properties });
    if (properties.diagnostics.length > 0) return failWith(out, project.root, properties.diagnostics);
    options = { bulletin: name, name: flags.name, properties: properties.value ?? {} };
  }

  const checked = checkRaise({ project, clock: clockNow }, options);
  if (checked.status === 'refused') return failWith(out, project.root, checked.diagnostics);
  if (flags.dryRun) {
    if (out.opts.json) out.json(raiseJson(checked.prepared, null));
    else {
      printDiagnostics(out, project.root, checked.prepared.diagnostics);
      out.print(raiseDryRunText(checked.prepared, out.c));
    }
    return 0;
  }

  const opened = await openRuntimeCommand(out, project);
  if (!opened.ok) return failWith(out, project.root, opened.diagnostics);
  const ctx = opened.value;
  try {
    return report(out, project, await raise(ctx, options));
  } finally {
    await ctx.close();
  }
}

function report(out: Output, project: Project, result: RaiseOperationResult): number {
  if (result.status === 'refused' || result.status === 'already-claimed') return failWith(out, project.root, result.diagnostics);
  if (result.status === 'dry-run') throw new Error('raise: a dry run reached the raising path');
  const { prepared, report: r, sandbox, occurrence } = result;
  if (out.opts.json) out.json(raiseJson(prepared, r, { sandbox, warnings: r.diagnostics }));
  else {
    printDiagnostics(out, project.root, r.diagnostics);
    const text = raiseText(prepared, r, { c: out.c, target: commandTarget(out, project), sandbox, occurrence });
    if (r.outcome === 'succeeded') out.info(text);
    else out.error(text);
  }
  return r.outcome === 'succeeded' ? 0 : 1;
}
