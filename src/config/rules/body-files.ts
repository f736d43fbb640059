/**
 * An email's `body_file`, checked here as plan and render read it, so validate refuses what they
 * would: a path inside the project (symbolic links included), a file that can be read, and a
 * template whose variables and partials exist where it is used (problems placed in the file
 * itself). It reads files besides the YAML: the project index records which, and runs it again
 * for a resource when its file changes.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import { bodyFilePath } from '../../render/content.js';
import { readProjectFile } from '../project-file.js';
import { schedulePaths, schemaPaths, varsPaths } from '../../templates/available.js';
import { createTemplateEngine } from '../../templates/engine.js';
import { fileTemplateDiagnostic } from '../../templates/place.js';
import { isRecord, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

/** The `body_file` of a Campaign, a Message or a Schedule's campaign, with the path of its node. */
export function bodyFileOf(resource: Resource): { value: string; path: string[] } | undefined {
  const spec = resource.spec as Record<string, unknown>;
  const base = resource.kind === 'Schedule' ? ['spec', 'campaign'] : ['spec'];
  const owner = resource.kind === 'Schedule' ? spec.campaign : resource.kind === 'Campaign' || resource.kind === 'Message' ? spec : undefined;
  const content = isRecord(owner) ? owner.content : undefined;
  return isRecord(content) && typeof content.body_file === 'string' ? { value: content.body_file, path: [...base, 'content', 'body_file'] } : undefined;
}

export function bodyFiles(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  let engine: ReturnType<typeof createTemplateEngine> | undefined;
  for (const r of ctx.resources) {
    const bodyFile = bodyFileOf(r);
    if (!bodyFile) continue;
    // Placing a finding may read the file again for positions: only when there is one.
    const at = () => placeOf(ctx, r, bodyFile.path);
    const file = bodyFilePath(r.source.file, bodyFile.value);
    if (!file) {
      out.push(diagnostic('file.unreadable', { detail: `body_file ${bodyFile.value} points outside the project` }, at()));
      continue;
    }
    const read = readProjectFile(ctx.root, file);
    if (!read.ok) {
      out.push(diagnostic('file.unreadable', { detail: `${file}: ${read.detail}` }, at()));
      continue;
    }
    if (!read.text.includes('{{') && !read.text.includes('{%')) continue;
    engine ??= createTemplateEngine({ partials: ctx.partials });
    for (const p of engine.check(read.text, availableIn(r, ctx))) out.push(fileTemplateDiagnostic(p, file, r.address));
  }
  return out;
}

/** The variables a body can read where it is used, as the template rule gives them (./templates.ts). */
function availableIn(r: Resource, ctx: RuleContext): string[] {
  const vars = varsPaths(ctx.environment.vars);
  const spec = r.spec as Record<string, unknown>;
  if (r.kind === 'Schedule') return [...vars, ...schedulePaths()];
  if (r.kind === 'Message') return [...vars, ...schemaPaths('data', isRecord(spec.data) ? spec.data : undefined)];
  return vars;
}

