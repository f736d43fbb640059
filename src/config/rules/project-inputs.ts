/**
 * What the rules across resources (scope 'project' in ./index.ts: duplicate addresses, schedule
 * references) read of one resource, as one string. The project index keeps their findings across
 * an edit whose file gives the same strings in the same order and that no finding points into:
 * those rules would then find the same (the positions they report are in other files).
 * A new project rule that reads more of a resource must add it here.
 */
import type { Resource } from '../../model/resource.js';
import { isRecord } from '../../model/record.js';

export function projectRuleInputs(r: Resource): string {
  // duplicateAddress: the address (kind and name) and its order; scheduleReferences: the names
  // of Messages and ExternalTriggers, and the names a Schedule's message and trigger give.
  const spec = r.spec as Record<string, unknown>;
  const named = (field: string) => {
    const v = spec[field];
    return isRecord(v) ? JSON.stringify(v.name) : '';
  };
  return r.kind === 'Schedule' ? `${r.kind}\0${r.address}\0${r.name}\0${named('message')}\0${named('trigger')}` : `${r.kind}\0${r.address}\0${r.name}`;
}
