/**
 * `campaignctl raise BULLETIN --name TEXT [--set k=v]... | --occurrence KEY`: raises the Bulletin's
 * business event now with one call to `/1/targets/trigger.json`. Ad hoc: the name (a template over
 * `properties.*` and `vars.*`) and the properties (checked against the Bulletin's `properties`
 * schema and CleverTap's limits) come from the flags. `--occurrence KEY` raises one occurrence of
 * the YAML by hand, claimed in state like apply does, so it is never raised twice. `c-by` always
 * comes from the YAML. An ambiguous outcome is reported as unknown and not retried.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { readDataInput } from './shared/data-input.js';
import { collect } from './shared/option-values.js';
import { commandTarget, loadProjectFor, printDiagnostics } from './shared/project.js';
import { findContract, openRuntime } from './shared/runtime-session.js';
import { failWith } from './views/state-common.js';
import { raiseDryRunText, raiseJson, raiseText } from './views/runtime-send.js';
import { renderContext } from '../apply/desired.js';
import type { Project } from '../config/project.js';
import { createTemplateEngine } from '../templates/engine.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { BulletinResource } from '../model/specs.js';
import { executeRaise, prepareOccurrence, prepareRaise, raiseOccurrence, type PreparedRaise } from '../runtime/index.js';
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
  const now = clockNow();
  const project = await loadProjectFor(out, { now });
  const found = findContract<BulletinResource['spec']>(project, 'Bulletin', name);
  if (!found.ok) return failWith(out, project.root, found.diagnostics);
  const bulletin = found.value as BulletinResource;
  const render = renderContext(project, createTemplateEngine({ partials: project.partials }), now);

  let prepared: PreparedRaise;
  if (flags.occurrence !== undefined) {
    if (flags.name !== undefined || flags.set.length > 0 || flags.data !== undefined) {
      const detail = 'an occurrence is raised exactly as the YAML has it; --name, --set and --data can not change it';
      return failWith(out, project.root, [diagnostic('input.invalid', { option: '--occurrence', detail, hint: 'edit the occurrence in the YAML, or raise ad hoc without --occurrence' })]);
    }
    prepared = prepareOccurrence(render, bulletin, flags.occurrence);
  } else {
    if (flags.name === undefined) {
      return failWith(out, project.root, [diagnostic('input.invalid', { option: '--name', detail: 'is required', hint: 'name this raise (e.g. --name "Show X episode 12"), or raise a YAML occurrence with --occurrence KEY' })]);
    }
    const properties = await readDataInput({ dataFile: flags.data, sets: flags.set, schema: bulletin.spec.properties });
    if (properties.diagnostics.length > 0) return failWith(out, project.root, properties.diagnostics);
    prepared = prepareRaise(render, bulletin, { name: flags.name, properties: properties.value ?? {} });
  }
  if (hasErrors(prepared.diagnostics)) return failWith(out, project.root, prepared.diagnostics);

  if (flags.dryRun) {
    if (out.opts.json) out.json(raiseJson(prepared, null));
    else {
      printDiagnostics(out, project.root, prepared.diagnostics);
      out.print(raiseDryRunText(prepared, out.c));
    }
    return 0;
  }

  const opened = await openRuntime(project, 'raise', { now, commandTarget: commandTarget(out, project) });
  if (!opened.ok) return failWith(out, project.root, opened.diagnostics);
  const session = opened.value;
  try {
    const sandbox = session.connection.isSandbox;
    if (flags.occurrence !== undefined) {
      const result = await raiseOccurrence(session.ctx, { bulletin, key: flags.occurrence });
      if (result.status === 'invalid') return failWith(out, project.root, result.diagnostics);
      if (result.status === 'already-claimed') {
        const d: Diagnostic = {
          ...diagnostic('runtime.occurrence-claimed', { address: prepared.address, status: result.run.status, target: commandTarget(out, project) }),
          address: prepared.address,
        };
        return failWith(out, project.root, [d]);
      }
      return report(out, project, result.prepared, result.report, { sandbox, occurrence: true });
    }
    const called = await executeRaise(session.ctx, prepared);
    return report(out, project, prepared, called, { sandbox, occurrence: false });
  } finally {
    await session.close();
  }
}

function report(
  out: Output,
  project: Project,
  prepared: PreparedRaise,
  r: Parameters<typeof raiseText>[1],
  opts: { sandbox: boolean; occurrence: boolean },
): number {
  if (out.opts.json) out.json(raiseJson(prepared, r, { sandbox: opts.sandbox, warnings: r.diagnostics }));
  else {
    printDiagnostics(out, project.root, r.diagnostics);
    const text = raiseText(prepared, r, { c: out.c, target: commandTarget(out, project), ...opts });
    if (r.outcome === 'succeeded') out.info(text);
    else out.error(text);
  }
  return r.outcome === 'succeeded' ? 0 : 1;
}
