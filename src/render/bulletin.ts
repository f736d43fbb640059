/**
 * Raise Business Event (`POST /1/targets/trigger.json`) bodies for a Bulletin occurrence: the
 * dashboard business event, the instance `name` (a template over `properties.*` and `vars.*`),
 * the string properties, `c-by`, and `when` (`now`, or the occurrence's instant as UNIX seconds).
 */
import type { BulletinOccurrence, BulletinResource } from '../model/specs.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import { Collector } from './collect.js';
import type { RenderContext, RenderResult } from './context.js';
import { validateData } from './data.js';
import { resolveInstantOrNow, unixSeconds } from '../time/when.js';

export const RAISE_ENDPOINT = '/1/targets/trigger.json';
export const PROPERTY_KEY_LIMIT = 120;
export const PROPERTY_VALUE_BYTES = 512;

export interface RaiseBody {
  business_event: string;
  name: string;
  properties: Record<string, string>;
  'c-by': string;
  when: 'now' | number;
}

/** An occurrence from the YAML, or an ad hoc raise (`at` defaults to now). */
export type RaiseInput = BulletinOccurrence | { name: string; properties?: Record<string, string>; at?: string };

export function renderRaiseBody(r: BulletinResource, ctx: RenderContext, occurrence: RaiseInput): RenderResult<RaiseBody> {
  const col = new Collector(r.address, ctx);
  const index = (r.spec.occurrences ?? []).indexOf(occurrence as BulletinOccurrence);
  const base = index >= 0 ? ['spec', 'occurrences', index] : undefined;

  const checked = validateData(r.spec.properties, occurrence.properties ?? {});
  for (const d of checked.diagnostics) {
    if (base) col.at([...base, 'properties'], d);
    else col.plain(d);
  }
  const properties = (checked.data ?? {}) as Record<string, string>;
  for (const [key, value] of Object.entries(properties)) {
    const problems: string[] = [];
    if (key.length > PROPERTY_KEY_LIMIT) problems.push(`has a name of ${key.length} characters, over ${PROPERTY_KEY_LIMIT}`);
    if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > PROPERTY_VALUE_BYTES) {
      problems.push(`is ${Buffer.byteLength(value, 'utf8')} bytes, over ${PROPERTY_VALUE_BYTES}`);
    }
    for (const detail of problems) {
      const d = diagnostic('render.data-invalid', { path: key, detail });
      if (base) col.at([...base, 'properties', key], d);
      else col.plain(d);
    }
  }

  const scope = { vars: ctx.vars, properties };
  const name = col.text(base && [...base, 'name'], occurrence.name, scope, { timeZone: ctx.accountTimezone });

  let when: 'now' | number = 'now';
  if (occurrence.at !== undefined) {
    const at = resolveInstantOrNow(occurrence.at);
    if (at.ok) when = at.value.kind === 'now' ? 'now' : unixSeconds(at.value.instant);
    else if (base) col.at([...base, 'at'], at.diagnostic);
    else col.plain(at.diagnostic);
  }
  const body: RaiseBody = { business_event: r.spec.business_event, name, properties, 'c-by': r.spec['c-by'], when };
  return { endpoint: RAISE_ENDPOINT, body, diagnostics: col.diagnostics };
}
