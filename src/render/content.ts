/**
 * `content` of any channel: every string rendered (Handlebars; Liquid kept), an email body HTML-
 * escaped, `body_file` read relative to the YAML file into `body`, then the content checks.
 */
import path from 'node:path';
import type { TemplateScope } from '../templates/engine.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Collector } from './collect.js';
import { checkContent } from './content-checks.js';
import type { RenderResult } from './context.js';
import { isRecord } from '../model/record.js';

function renderStrings(col: Collector, value: unknown, at: (string | number)[], scope: TemplateScope, html: (p: (string | number)[]) => boolean): unknown {
  if (typeof value === 'string') return col.text(at, value, scope, { html: html(at), timeZone: col.ctx.accountTimezone });
  if (Array.isArray(value)) return value.map((v, i) => renderStrings(col, v, [...at, i], scope, html));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderStrings(col, v, [...at, k], scope, html);
    return out;
  }
  return value; // numbers, booleans, null: never compiled
}

/** `body_file` relative to the YAML file, as a project path; undefined when it leaves the project. */
export function bodyFilePath(yamlFile: string, bodyFile: string): string | undefined {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(yamlFile.replace(/\\/g, '/')), bodyFile.replace(/\\/g, '/')));
  if (path.posix.isAbsolute(bodyFile) || joined === '..' || joined.startsWith('../')) return undefined;
  return joined;
}

export function renderContent(
  col: Collector,
  targetMode: string,
  content: unknown,
  base: (string | number)[],
  scope: TemplateScope,
  yamlFile: string,
): { content: Record<string, unknown>; sms?: RenderResult<unknown>['sms'] } {
  const source = isRecord(content) ? content : {};
  const isEmail = targetMode === 'email';
  const htmlAt = (p: (string | number)[]) => isEmail && p.length === base.length + 1 && p[base.length] === 'body';
  const rendered = renderStrings(col, source, base, scope, htmlAt) as Record<string, unknown>;

  if (isEmail && typeof source.body_file === 'string') {
    const fileAt = [...base, 'body_file'];
    const file = bodyFilePath(yamlFile, source.body_file);
    delete rendered.body_file;
    if (!file) {
      col.at(fileAt, diagnostic('file.unreadable', { detail: `body_file ${source.body_file} points outside the project` }));
    } else if (!col.ctx.readFile) {
      col.at(fileAt, diagnostic('file.unreadable', { detail: `body_file ${file} can not be read in this context` }));
    } else {
      const read = col.ctx.readFile(file);
      if (read.ok) rendered.body = col.fileText(file, read.text, scope, { html: true, timeZone: col.ctx.accountTimezone });
      else col.at(fileAt, diagnostic('file.unreadable', { detail: `${file}: ${read.detail}` }));
    }
  }

  const report = checkContent(targetMode, rendered);
  col.all(base, report.warnings);
  return { content: reorderEmail(rendered), sms: report.sms };
}

/** Email fields in CleverTap's order (subject, body, sender_name, ...), whatever the YAML order. */
function reorderEmail(content: Record<string, unknown>): Record<string, unknown> {
  if (!('subject' in content)) return content;
  const out: Record<string, unknown> = {};
  for (const k of ['subject', 'body', 'sender_name']) if (k in content) out[k] = content[k];
  for (const [k, v] of Object.entries(content)) if (!(k in out)) out[k] = v;
  return out;
}
