/**
 * The exact request campaignctl would send for one resource: `when` and dates resolved against the
 * clock, Handlebars rendered and Liquid kept, content checks as warnings. No network and no state,
 * so it needs only the project and the clock of a context.
 * - Message, ExternalTrigger: the data given, else the examples of the contract's schema; the
 *   identities given, else a placeholder.
 * - Bulletin: an occurrence (the first unless named), its properties overridden by the data given.
 * - Campaign: the Create Campaign body, under a preview name; Schedule: a tick happening now.
 * renderSubject tells a caller that reads its input from elsewhere (files, flags) what the
 * resource expects before rendering.
 */
import { readProjectFile } from '../config/project-file.js';
import type { Project } from '../config/project.js';
import { closestName } from '../diagnostics/suggest.js';
import { createTemplateEngine } from '../templates/engine.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import type { AnyResource, TriggerTo } from '../model/specs.js';
import { toExternalTriggerTo, toIdentitySendTo } from '../runtime/recipients.js';
import { previewCampaignName, renderCampaignBody } from '../render/campaign.js';
import type { RenderContext, RenderResult } from '../render/context.js';
import { exampleData } from '../render/data.js';
import { renderMessageBody } from '../render/message.js';
import { renderRaiseBody } from '../render/bulletin.js';
import { renderScheduleSend } from '../render/schedule.js';
import { renderTriggerBody } from '../render/trigger.js';
import type { OperationContext } from './context.js';
import { messageRules, triggerRules, type Found, type RecipientRules } from './runtime-contract.js';
import { checkData, checkRecipients, type RecipientLists } from './runtime-input.js';

export interface RenderOptions {
  /** The resource, e.g. `campaign.winter-sale`, `message.order-shipped`, `bulletin.album-released`. */
  address: string;
  /** Message data / trigger payload; a Bulletin's properties over the occurrence's. */
  data?: Record<string, unknown>;
  /** Identities of a Message / ExternalTrigger (default: a placeholder). */
  to?: RecipientLists;
  /** The Bulletin occurrence (default: the first). */
  occurrence?: string;
}

export type RenderOperationResult =
  /** Nothing rendered: the resource, the project or the input refused it. */
  | { status: 'refused'; diagnostics: Diagnostic[] }
  /**
   * The body; errors in `rendered.diagnostics` mean it must not be sent. `dataFromExamples`: no
   * data was given, so the contract's examples were used (their problems say so).
   */
  | { status: 'rendered'; rendered: RenderResult<unknown>; dataFromExamples: boolean };

/** What a resource takes besides its YAML: data under a schema, and identities (Message, ExternalTrigger). */
export interface RenderSubject {
  resource: AnyResource;
  input?: { schema: unknown; recipients?: RecipientRules };
}

/** The resource at `address`, unless it or the project as a whole (campaignctl.yaml) has errors. */
export function renderSubject(project: Project, address: string): Found<RenderSubject> {
  // Problems of this resource, and of the project as a whole, block rendering; other files'
  // problems do not (validate reports them).
  const blocking = project.diagnostics.filter(
    (d) => d.severity === 'error' && (d.address === address || d.file === undefined || d.file === 'campaignctl.yaml'),
  );
  if (blocking.length) return { ok: false, diagnostics: blocking };
  const found = project.resources().find((r) => r.address === address);
  if (!found) {
    const known = project.resources().map((r) => r.address);
    return { ok: false, diagnostics: [diagnostic('render.unknown-address', { address, known, suggestion: closestName(address, known) })] };
  }
  const resource = found as unknown as AnyResource;
  switch (resource.kind) {
    case 'Message':
      return { ok: true, value: { resource, input: { schema: resource.spec.data, recipients: messageRules(resource) } } };
    case 'ExternalTrigger':
      return { ok: true, value: { resource, input: { schema: resource.spec.payload, recipients: triggerRules(resource) } } };
    case 'Bulletin':
      return { ok: true, value: { resource, input: { schema: resource.spec.properties } } };
    default:
      return { ok: true, value: { resource } };
  }
}

export async function render(ctx: Pick<OperationContext, 'project' | 'clock'>, options: RenderOptions): Promise<RenderOperationResult> {
  const project = ctx.project;
  const subject = renderSubject(project, options.address);
  if (!subject.ok) return { status: 'refused', diagnostics: subject.diagnostics };
  const dataProblems = checkData(options.data, 'data');
  if (dataProblems.length > 0) return { status: 'refused', diagnostics: dataProblems };
  const rc = renderContextOf(project, ctx.clock());
  const r = subject.value.resource;
  const rendered = (result: RenderResult<unknown>, dataFromExamples = false): RenderOperationResult => ({ status: 'rendered', rendered: result, dataFromExamples });
  switch (r.kind) {
    case 'Campaign':
      return rendered(renderCampaignBody(r, rc, previewCampaignName(r)));
    case 'Message': {
      const to = recipients(options.to, messageRules(r));
      if (!to.ok) return { status: 'refused', diagnostics: to.diagnostics };
      const data = options.data ?? exampleOf(r.spec.data);
      return rendered(renderMessageBody(r, rc, data, to.value ? toIdentitySendTo(to.value) : { Identity: ['<identity>'] }), options.data === undefined);
    }
    case 'ExternalTrigger': {
      const to = recipients(options.to, triggerRules(r));
      if (!to.ok) return { status: 'refused', diagnostics: to.diagnostics };
      const identity = r.spec.identity ?? 'identity';
      const placeholder: TriggerTo = { [identity]: [`<${identity}>`] };
      const data = options.data ?? exampleOf(r.spec.payload);
      return rendered(renderTriggerBody(r, data, to.value ? toExternalTriggerTo(to.value) : placeholder), options.data === undefined);
    }
    case 'Bulletin': {
      const occurrences = r.spec.occurrences ?? [];
      const chosen = options.occurrence === undefined ? occurrences[0] : occurrences.find((o) => o.key === options.occurrence);
      if (!chosen) {
        const keys = occurrences.map((o) => o.key);
        const detail =
          options.occurrence === undefined
            ? `${r.address} has no occurrences to render`
            : `${r.address} has no occurrence \`${options.occurrence}\`${keys.length ? ` (occurrences: ${keys.join(', ')})` : ''}`;
        return { status: 'refused', diagnostics: [diagnostic('render.bad-argument', { detail })] };
      }
      // The data overrides the occurrence's properties (the occurrence object itself is kept, so
      // its problems stay located in the YAML).
      const occurrence = options.data ? { ...chosen, properties: { ...chosen.properties, ...(options.data as Record<string, string>) } } : chosen;
      return rendered(renderRaiseBody(r, rc, occurrence));
    }
    case 'Schedule': {
      // A preview of a tick happening now, in the schedule's zone.
      const scheduled: RenderContext = { ...rc, schedule: { fireTime: rc.now, timezone: r.spec.timezone } };
      return rendered(renderScheduleSend(r, project.resources() as Resource<unknown>[], scheduled, previewCampaignName(r)));
    }
  }
}

function renderContextOf(project: Project, now: Date): RenderContext {
  const lines = new Map<string, readonly string[] | undefined>();
  return {
    engine: createTemplateEngine({ partials: project.partials }),
    vars: project.environment.vars,
    now,
    accountTimezone: project.environment.accountTimezone,
    locate: project.locate,
    // Exact columns inside block scalars: the source lines, read once per file.
    sourceLines: (file) => {
      if (!lines.has(file)) {
        const read = readProjectFile(project.root, file);
        lines.set(file, read.ok ? read.text.split('\n') : undefined);
      }
      return lines.get(file);
    },
    readFile: (rel) => readProjectFile(project.root, rel),
  };
}

function exampleOf(schema: unknown): unknown {
  return exampleData(schema as Parameters<typeof exampleData>[0]) ?? {};
}

type Checked = { ok: true; value: ReturnType<typeof checkRecipients>['recipients'] | undefined } | { ok: false; diagnostics: Diagnostic[] };

function recipients(to: RecipientLists | undefined, rules: RecipientRules): Checked {
  if (to === undefined) return { ok: true, value: undefined };
  const checked = checkRecipients(to, rules);
  return checked.diagnostics.length ? { ok: false, diagnostics: checked.diagnostics } : { ok: true, value: checked.recipients };
}
