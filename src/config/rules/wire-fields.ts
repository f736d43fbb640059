/**
 * `wire` fields the CleverTap contract does not list for the endpoint they go to (the list is
 * src/clevertap/unverified.ts LISTED_FIELDS, the one the emulator flags, and in strict mode
 * refuses, by): a warning, since CleverTap may refuse them and nothing has shown it will not.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { unlistedFields } from '../../clevertap/request-rules.js';
import { LISTED_FIELDS } from '../../clevertap/unverified.js';
import type { Resource } from '../../model/resource.js';
import { campaignSpecs, isRecord, placeOf } from './helpers.js';
import type { RuleContext } from './index.js';

export function wireFields(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (r: Resource, path: (string | number)[], wire: unknown, endpoint: string) => {
    const listed = LISTED_FIELDS[endpoint];
    if (!isRecord(wire) || !listed) return;
    for (const field of unlistedFields(wire, listed.fields)) {
      out.push(diagnostic('rule.wire-unlisted-field', { field, endpoint, section: listed.section }, placeOf(ctx, r, [...path, 'wire', field], 'key')));
    }
  };
  for (const { resource, path, spec } of campaignSpecs(ctx)) check(resource, path, spec.wire, '/1/targets/create.json');
  for (const r of ctx.resources) {
    const spec = r.spec as Record<string, unknown>;
    if (r.kind === 'Message') check(r, ['spec'], spec.wire, `/1/send/${String(spec.target_mode)}.json`);
    if (r.kind === 'ExternalTrigger') check(r, ['spec'], spec.wire, '/1/send/externaltrigger.json');
  }
  return out;
}
