/**
 * The template rule: every template-bearing string of every resource is checked without data
 * (Handlebars syntax, unknown variables/helpers/partials, Liquid balance), each problem located
 * inside the YAML string. Which strings are templates, and with which variables:
 *   - Campaign `spec.content.**`: vars
 *   - Message `spec.content.**`: vars, data (from `spec.data`)
 *   - Schedule `spec.campaign.content.**`: vars, schedule
 *   - Schedule `spec.message.data.**` / `spec.trigger.data.**`: vars, schedule
 *   - Bulletin `spec.occurrences[i].name`: vars, properties (that occurrence's)
 * `wire` is never templated: it goes to CleverTap as written.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import type { Rule, RuleContext } from './index.js';
import { propertiesPaths, schedulePaths, schemaPaths, varsPaths } from '../../templates/available.js';
import { createTemplateEngine, type TemplateEngine } from '../../templates/engine.js';
import { templateDiagnostic } from '../../templates/place.js';
import { isRecord } from '../../model/record.js';

export interface TemplateSite {
  resource: Resource;
  path: (string | number)[];
  text: string;
  available: string[];
}

/** Every string inside `value`, with its path. */
export function stringsIn(value: unknown, path: (string | number)[], out: { path: (string | number)[]; text: string }[] = []): { path: (string | number)[]; text: string }[] {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringsIn(v, [...path, i], out));
  else if (isRecord(value)) for (const k of Object.keys(value)) stringsIn(value[k], [...path, k], out);
  return out;
}

export function templateSites(resources: readonly Resource[], vars: Record<string, unknown>): TemplateSite[] {
  const v = varsPaths(vars);
  const sites: TemplateSite[] = [];
  const add = (resource: Resource, value: unknown, path: (string | number)[], available: string[]) => {
    for (const s of stringsIn(value, path)) sites.push({ resource, path: s.path, text: s.text, available });
  };
  for (const r of resources) {
    const spec = r.spec as Record<string, unknown>;
    switch (r.kind) {
      case 'Campaign':
        add(r, spec.content, ['spec', 'content'], v);
        break;
      case 'Message':
        add(r, spec.content, ['spec', 'content'], [...v, ...schemaPaths('data', isRecord(spec.data) ? spec.data : undefined)]);
        break;
      case 'Schedule': {
        const withSchedule = [...v, ...schedulePaths()];
        if (isRecord(spec.campaign)) add(r, spec.campaign.content, ['spec', 'campaign', 'content'], withSchedule);
        for (const send of ['message', 'trigger'] as const) {
          const s = spec[send];
          if (isRecord(s)) add(r, s.data, ['spec', send, 'data'], withSchedule);
        }
        break;
      }
      case 'Bulletin': {
        const occurrences = Array.isArray(spec.occurrences) ? spec.occurrences : [];
        occurrences.forEach((o, i) => {
          if (isRecord(o) && typeof o.name === 'string') {
            const props = isRecord(o.properties) ? o.properties : undefined;
            sites.push({ resource: r, path: ['spec', 'occurrences', i, 'name'], text: o.name, available: [...v, ...propertiesPaths(props)] });
          }
        });
        break;
      }
      default:
        break; // ExternalTrigger: nothing campaignctl renders
    }
  }
  return sites;
}

/**
 * One engine per partials object: the project index runs this rule once per resource with the same
 * partials, and an engine made per resource would prepare every shared template string (and each
 * partial) again instead of finding it in the engine's cache. The check is data-free, so sharing
 * it changes no result.
 */
const engines = new WeakMap<Record<string, string>, TemplateEngine>();
function engineFor(partials: Record<string, string>): TemplateEngine {
  let engine = engines.get(partials);
  if (!engine) engines.set(partials, (engine = createTemplateEngine({ partials })));
  return engine;
}

export const templateRule: Rule = function templates(ctx: RuleContext): Diagnostic[] {
  const engine = engineFor(ctx.partials);
  const out: Diagnostic[] = [];
  for (const site of templateSites(ctx.resources, ctx.environment.vars)) {
    if (!site.text.includes('{{') && !site.text.includes('{%')) continue;
    const problems = engine.check(site.text, site.available);
    if (problems.length === 0) continue;
    const node = { value: ctx.locateIn(site.resource, site.path), key: ctx.locateIn(site.resource, site.path, 'key') };
    for (const p of problems) out.push(templateDiagnostic(p, node, site.text, site.resource.address));
  }
  return out;
};
