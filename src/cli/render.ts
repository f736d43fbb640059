/**
 * `campaignctl render ADDRESS`: the exact request campaignctl would send for one resource
 * (src/operations/render.ts). Reads the data (--data, --set, typed by the resource's schema) and
 * the identities (--to, the keys its endpoint takes) the resource expects, then prints the
 * endpoint and the body. No network, no state. Exit 0 when the body could be sent, 1 on any error.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { loadProjectFor, printDiagnostics } from './shared/project.js';
import { readDataInput } from './shared/data-input.js';
import { readRecipients } from './shared/identities.js';
import { collect } from './shared/option-values.js';
import type { Project } from '../config/project.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { render, renderSubject, type RenderOptions } from '../operations/render.js';
import type { RenderResult } from '../render/context.js';
import { now as clockNow } from '../time/clock.js';

interface RenderFlags {
  data?: string;
  set?: string[];
  to?: string[];
  occurrence?: string;
}

export function register(program: Command): void {
  program
    .command('render')
    .argument('<address>', 'the resource, e.g. campaign.winter-sale, message.order-shipped, bulletin.album-released')
    .description('print the endpoint and the exact JSON body campaignctl would send for a resource (templates rendered, Liquid kept, dates resolved; no network)')
    .option('--data <file>', 'data for a Message / ExternalTrigger (or properties for a Bulletin), JSON or YAML; - for stdin')
    .option('--set <key=value>', 'one data value, dotted keys for nesting (repeatable; applied after --data)', collect, [])
    .option('--to <key:ids>', 'recipients for a Message / ExternalTrigger, e.g. Identity:user-1,user-2 (repeatable; default: a placeholder)', collect, [])
    .option('--occurrence <key>', 'the Bulletin occurrence to render (default: the first)')
    .addHelpText('after', '\nExit codes: 0 the body is ready to send (warnings allowed), 1 on any error.')
    .action(action(async (address: string, flags: RenderFlags, cmd: Command) => run(address, flags, createOutput(globalOptions(cmd)))));
}

async function run(address: string, flags: RenderFlags, out: Output): Promise<number> {
  const project = await loadProjectFor(out, { now: clockNow() });
  const subject = renderSubject(project, address);
  if (!subject.ok) return finish(out, project, undefined, subject.diagnostics);
  const options: RenderOptions = { address, occurrence: flags.occurrence };
  const input = subject.value.input;
  if (input) {
    // --data / --set, typed by the resource's schema; without them the operation uses the examples.
    const data = await readDataInput({ dataFile: flags.data, sets: flags.set, schema: input.schema });
    if (data.diagnostics.length) return finish(out, project, undefined, data.diagnostics);
    options.data = data.value;
    if (input.recipients && flags.to?.length) {
      const got = await readRecipients({ to: flags.to, ...input.recipients });
      if (got.diagnostics.length) return finish(out, project, undefined, got.diagnostics);
      options.to = got.recipients;
    }
  }
  const result = await render({ project, clock: clockNow }, options);
  if (result.status === 'refused') return finish(out, project, undefined, result.diagnostics);
  const rendered = result.dataFromExamples ? explainExamples(result.rendered) : result.rendered;
  return finish(out, project, rendered, rendered.diagnostics);
}

/** When example data did not satisfy the contract, say where it came from. */
function explainExamples(result: RenderResult<unknown>): RenderResult<unknown> {
  const hint = 'no --data or --set was given, so the examples of the schema were used; pass the values with --set key=value or --data FILE';
  return { ...result, diagnostics: result.diagnostics.map((d) => (d.code === 'render.data-invalid' ? { ...d, hint } : d)) };
}

function finish(out: Output, project: Project, result: RenderResult<unknown> | undefined, diagnostics: Diagnostic[]): number {
  const failedRender = hasErrors(diagnostics) || !result;
  if (out.opts.json) {
    out.json({
      endpoint: result?.endpoint || null,
      body: result?.body ?? null,
      warnings: diagnostics.filter((d) => d.severity === 'warning'),
      errors: diagnostics.filter((d) => d.severity === 'error'),
      ...(result?.sms ? { sms: result.sms } : {}),
    });
    return failedRender ? 1 : 0;
  }
  printDiagnostics(out, project.root, diagnostics);
  if (failedRender || !result) return 1;
  out.print(`POST ${result.endpoint}`);
  out.print(JSON.stringify(result.body, null, 2));
  if (result.sms) {
    const s = result.sms;
    out.info(
      `SMS: ${s.characters} ${s.encoding} characters, ${s.segments} segment${s.segments === 1 ? '' : 's'}` +
        `${s.approximate ? ' (before Liquid is filled in)' : ''}`,
    );
  }
  return 0;
}
