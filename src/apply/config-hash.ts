/**
 * The configuration a plan was computed from, as one hash: the resolved environment (provider,
 * region, API URL, zone, credential variable NAMES, limits, vars, quiet hours, sandbox settings;
 * never secrets, and not the state location, which differs between machines) plus every campaign
 * file and partial by content. A saved plan is refused when this moves.
 */
import { createHash } from 'node:crypto';
import type { Project } from '../config/project.js';
import { hashCanonical } from '../plan/canonical.js';

export function configHash(project: Project): string {
  const e = project.environment;
  return hashCanonical({
    environment: {
      name: e.name,
      provider: e.provider,
      region: e.region,
      apiUrl: e.apiUrl ?? null,
      accountTimezone: e.accountTimezone,
      credentials: e.credentials,
      limits: e.limits,
      vars: e.vars,
      quietHours: e.quietHours ?? null,
      sandbox: e.sandbox ?? null,
    },
    files: project.files.map((f) => [f.path, f.sha256]),
    partials: Object.keys(project.partials)
      .sort()
      .map((name) => [name, createHash('sha256').update(project.partials[name]!, 'utf8').digest('hex')]),
  });
}
