/**
 * The configuration a plan was computed from, as one hash: the resolved environment (provider,
 * region, API URL, zone, credential variable NAMES, limits, vars, quiet hours, sandbox settings;
 * never secrets, and not the state location, which differs between machines) plus every campaign
 * file and partial by content. A saved plan is refused when this moves.
 */
import { createHash } from 'node:crypto';
import type { Project } from '../config/project.js';
import { canonicalJson } from '../plan/canonical.js';

/**
 * hashCanonical({ environment, files: [[path, sha256], ...], partials }), with the files (10,000 in
 * a big project) written straight into the JSON text: the same bytes, without the canonical copy.
 */
export function configHash(project: Project): string {
  let hash = hashes.get(project);
  if (hash === undefined) hashes.set(project, (hash = hashOf(project)));
  return hash;
}

/** Per loaded project (a Project is not changed once loaded): a plan asks for it more than once. */
const hashes = new WeakMap<Project, string>();

function hashOf(project: Project): string {
  // The text goes to the hash in pieces of a few hundred files: 10,000 small update() calls cost
  // more than the hashing, and one string of 10,000 appends costs more again to flatten and encode.
  const hash = createHash('sha256');
  let text = `{"environment":${canonicalJson(environmentPart(project))},"files":[`;
  let first = true;
  let pending = 0;
  for (const f of project.files) {
    text += `${first ? '' : ','}[${JSON.stringify(f.path)},${JSON.stringify(f.sha256)}]`;
    first = false;
    if (++pending === HASH_PIECE_FILES) {
      hash.update(text, 'utf8');
      text = '';
      pending = 0;
    }
  }
  text += `],"partials":${canonicalJson(partialsPart(project))}}`;
  return 'sha256:' + hash.update(text, 'utf8').digest('hex');
}

const HASH_PIECE_FILES = 256;

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
