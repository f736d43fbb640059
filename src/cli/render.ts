/**
 * `campaignctl render ADDRESS`: the exact request campaignctl would send for one resource, with
 * `when` and dates resolved against the clock, Handlebars rendered and Liquid kept, plus content
 * checks as warnings. No network. Exit 0 when the body could be sent, 1 on any error.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { loadProjectFor, printDiagnostics, sourceReader } from './shared/project.js';
import { readDataInput } from './shared/data-input.js';
import { readRecipients } from './shared/identities.js';
import { collect } from './shared/option-values.js';
import { readProjectFile } from '../config/project-file.js';
import type { Project } from '../config/project.js';
import { closest } from '../diagnostics/suggest.js';
import { createTemplateEngine } from '../templates/engine.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import type { AnyResource, TriggerTo } from '../model/specs.js';
import { toExternalTriggerTo, toIdentitySendTo, type IdentityKey, type Recipients } from '../runtime/recipients.js';
import { previewCampaignName, renderCampaignBody } from '../render/campaign.js';
import type { RenderContext, RenderResult } from '../render/context.js';
import { exampleData } from '../render/data.js';
import { renderMessageBody } from '../render/message.js';
import { renderRaiseBody } from '../render/bulletin.js';
import { renderScheduleSend } from '../render/schedule.js';
import { EXTERNAL_TRIGGER_ENDPOINT, renderTriggerBody } from '../render/trigger.js';
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
  const now = clockNow();
  const project = await loadProjectFor(out, { now });
  const resource = project.resources.find((r) => r.address === address);
  // Problems of this resource, and of the project as a whole (campaignctl.yaml), block rendering;
  // other files' problems do not (validate reports them).
  const blocking = project.diagnostics.filter(
    (d) => d.severity === 'error' && (d.address === address || d.file === undefined || d.file === 'campaignctl.yaml'),
  );
  if (blocking.length) return finish(out, project, undefined, blocking);
  if (!resource) {
    const known = project.resources.map((r) => r.address);
    return finish(out, project, undefined, [diagnostic('render.unknown-address', { address, known, suggestion: closest(address, known) })]);
  }
  const ctx = renderContext(project, now);
  const result = await renderResource(resource, project, ctx, flags);
  return finish(out, project, result, result.diagnostics);
}

function renderContext(project: Project, now: Date): RenderContext {
  const source = sourceReader(project.root);
  return {
    engine: createTemplateEngine({ partials: project.partials }),
    vars: project.environment.vars,
    now,
    accountTimezone: project.environment.accountTimezone,
    locate: project.locate,
    sourceLines: (file) => source(file)?.split('\n'),
    readFile: (rel) => readProjectFile(project.root, rel),
  };
}

type Rendered = RenderResult<unknown>;

async function renderResource(resource: Resource, project: Project, ctx: RenderContext, flags: RenderFlags): Promise<Rendered> {
  const r = resource as unknown as AnyResource;
  switch (r.kind) {
    case 'Campaign':
      return renderCampaignBody(r, ctx, previewCampaignName(r));
    case 'Message': {
      const m = r;
      const data = await dataFor(flags, m.spec.data);
      if (!data.ok) return failed(data.diagnostics);
      const to = await recipientsFor(flags, 'Identity', ['Identity', 'Email', 'FBID', 'GPID', 'objectId'], `/1/send/${m.spec.target_mode}.json`);
      if (!to.ok) return failed(to.diagnostics);
      const body = renderMessageBody(m, ctx, data.value, to.value ? toIdentitySendTo(to.value) : { Identity: ['<identity>'] });
      return explainExamples(body, data.fromExamples);
    }
    case 'ExternalTrigger': {
      const t = r;
      const data = await dataFor(flags, t.spec.payload);
      if (!data.ok) return failed(data.diagnostics);
      const key = t.spec.identity === 'email' ? 'Email' : t.spec.identity === 'objectId' ? 'objectId' : 'Identity';
      const to = await recipientsFor(flags, key, ['Identity', 'Email', 'objectId'], EXTERNAL_TRIGGER_ENDPOINT);
      if (!to.ok) return failed(to.diagnostics);
      const placeholder: TriggerTo = { [t.spec.identity ?? 'identity']: [`<${t.spec.identity ?? 'identity'}>`] };
      return explainExamples(renderTriggerBody(t, data.value, to.value ? toExternalTriggerTo(to.value) : placeholder), data.fromExamples);
    }
    case 'Bulletin': {
      const b = r;
      const occurrences = b.spec.occurrences ?? [];
      const chosen = flags.occurrence === undefined ? occurrences[0] : occurrences.find((o) => o.key === flags.occurrence);
      if (!chosen) {
        const keys = occurrences.map((o) => o.key);
        const detail = flags.occurrence === undefined
          ? `${r.address} has no occurrences to render`
          : `${r.address} has no occurrence \`${flags.occurrence}\`${keys.length ? ` (occurrences: ${keys.join(', ')})` : ''}`;
        return failed([diagnostic('render.bad-argument', { detail })]);
      }
      const input = await readDataInput({ dataFile: flags.data, sets: flags.set, schema: b.spec.properties, labels: { data: '--data' } });
      if (input.diagnostics.length) return failed(input.diagnostics);
      // --data / --set override the occurrence's properties (the occurrence object itself is kept,
      // so its problems stay located in the YAML).
      const occurrence = input.value ? { ...chosen, properties: { ...chosen.properties, ...(input.value as Record<string, string>) } } : chosen;
      return renderRaiseBody(b, ctx, occurrence);
    }
    case 'Schedule': {
      const s = r;
      // A preview of a tick happening now, in the schedule's zone.
      const scheduled: RenderContext = { ...ctx, schedule: { fireTime: ctx.now, timezone: s.spec.timezone } };
      return renderScheduleSend(s, project.resources as Resource<unknown>[], scheduled, previewCampaignName(r));
    }
  }
}

function failed(diagnostics: Diagnostic[]): Rendered {
  return { endpoint: '', body: null, diagnostics };
}

type Got<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/** --data / --set, or the contract's examples when neither is given. */
async function dataFor(flags: RenderFlags, schema: object | undefined): Promise<Got<unknown> & { fromExamples?: boolean }> {
  const input = await readDataInput({ dataFile: flags.data, sets: flags.set, schema });
  if (input.diagnostics.length) return { ok: false, diagnostics: input.diagnostics };
  if (input.value !== undefined) return { ok: true, value: input.value };
  return { ok: true, value: exampleData(schema as Parameters<typeof exampleData>[0]) ?? {}, fromExamples: true };
}

/** When example data did not satisfy the contract, say where it came from. */
function explainExamples(result: Rendered, fromExamples: boolean | undefined): Rendered {
  if (!fromExamples) return result;
  const hint = 'no --data or --set was given, so the examples of the schema were used; pass the values with --set key=value or --data FILE';
  return { ...result, diagnostics: result.diagnostics.map((d) => (d.code === 'render.data-invalid' ? { ...d, hint } : d)) };
}

async function recipientsFor(
  flags: RenderFlags,
  defaultKey: IdentityKey,
  allowedKeys: IdentityKey[],
  endpoint: string,
): Promise<Got<Recipients | undefined>> {
  if (!flags.to?.length) return { ok: true, value: undefined };
  const got = await readRecipients({ to: flags.to, defaultKey, allowedKeys, endpoint });
  return got.diagnostics.length ? { ok: false, diagnostics: got.diagnostics } : { ok: true, value: got.recipients };
}

function finish(out: Output, project: Project, result: Rendered | undefined, diagnostics: Diagnostic[]): number {
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
