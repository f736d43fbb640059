/**
 * The configuration a plan was computed from, as one hash: the resolved environment (provider,
 * region, API URL, zone, credential variable NAMES, limits, vars, quiet hours, sandbox settings;
 * never secrets, and not the state location, which differs between machines) plus every campaign
 * file and partial by content. A saved plan is refused when this moves.
 */
import { createHash } from 'node:crypto';
import type { Project } from '../config/project.js';
import { hashCanonical } from '../plan/canonical.js';

/**
 * hashCanonical({ environment, files, partials }), with the files as their one digest
 * (Project.filesDigest: each file's path and content hash, in order), which the project index
 * keeps with its table: a plan that finds every file as indexed hashes no file list.
 */
export function configHash(project: Project): string {
  let hash = hashes.get(project);
  if (hash === undefined) hashes.set(project, (hash = hashCanonical({ environment: environmentPart(project), files: project.filesDigest(), partials: partialsPart(project) })));
  return hash;
}

/** Per loaded project (a Project is not changed once loaded): a plan asks for it more than once. */
const hashes = new WeakMap<Project, string>();

/** What the hash takes of the environment: never secrets, and not the state location (it differs between machines). */
export function environmentPart(project: Project) {
  const e = project.environment;
  return {
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
  };
}

/** Each partial by name and content hash. */
export function partialsPart(project: Project): [string, string][] {
  return Object.keys(project.partials)
    .sort()
    .map((name) => [name, createHash('sha256').update(project.partials[name]!, 'utf8').digest('hex')]);
}
