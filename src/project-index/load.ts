/**
 * loadProject: find the root, then open the project index (./project-index.ts) for it: read from
 * its file when persistence is on and the build has an id (./persist.ts), brought up to the
 * project on disk, written back when it moved. A run without persistence builds the same index in
 * memory, from nothing.
 */
import path from 'node:path';
import type { DesiredMemo } from '../apply/desired.js';
import { buildId } from '../config/build-id.js';
import { resolveEnvironment } from '../config/environment.js';
import type { LoadOptions, Project } from '../config/project.js';
import { poolSize } from '../config/check-pool.js';
import { findProjectRoot } from '../config/root.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import { now as clockNow } from '../time/clock.js';
import { cacheEnabled, indexFile, readIndex, writeIndex } from './persist.js';
import { ProjectIndex } from './project-index.js';
import { filesDigest } from './files-summary.js';

export { sortDiagnostics } from './project-index.js';

/** The persisted indexes behind loaded projects: what a plan's desired state remembers its hashes in. */
const persisted = new WeakMap<Project, DesiredMemo>();

export async function loadProject(opts: LoadOptions = {}): Promise<Project> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const now = opts.now ?? clockNow();
  const environ = opts.environ ?? process.env;
  const root = findProjectRoot({ dir: opts.dir, cwd });
  if (root === undefined) return notFound(opts, cwd, environ);

  const wanted = opts.cache === true && cacheEnabled(environ);
  const key = wanted ? buildId() : null;
  const file = indexFile(root, opts.env);
  const deferred = opts.deferResults === true;
  const stored = key ? readIndex(file, key, { deferBlobs: deferred }) : wanted ? 'no build id' : 'off';
  const index = new ProjectIndex({ root, requested: opts.env, resolve: { root, cwd, environ }, threads: opts.threads ?? poolSize(environ) }, typeof stored === 'string' ? undefined : stored);
  // Work that needs only the environment starts before the files are looked at, when the index
  // was made on this very configuration and knows no error (nothing is opened for a project that
  // can not be planned).
  const whileChecking = opts.whileChecking;
  const report = await index.refresh(now, whileChecking && (async (env, clean) => void (clean && (await whileChecking(env)))));
  const project = index.project();
  const save = () => {
    if (!key || !index.dirty) return true;
    const ok = writeIndex(file, key, index.state);
    if (ok) index.dirty = false;
    return ok;
  };
  if (!opts.deferIndexSave) save();
  if (key) persisted.set(project, { get: (k) => index.get(k), set: (k, v) => index.set(k, v), save });
  if (deferred) deferredIndexes.set(project, index);
  opts.onLoaded?.({
    files: index.fileCount(),
    resources: index.resourceCount(),
    fromCache: report.fromCache,
    read: report.read,
    checked: report.checked,
    workers: report.workers,
    cache: typeof stored === 'string' ? stored : 'used',
    snapshot: report.unchanged && typeof stored !== 'string',
    scannedAhead: report.scannedAhead === true,
  });
  return project;
}

/** The indexes of projects loaded with deferResults. */
const deferredIndexes = new WeakMap<Project, ProjectIndex>();

/**
 * Reads what a load with `deferResults` left unread (the files' checked results in the persisted
 * index); nothing for any other project. Call it before asking the project for its resources,
 * files or positions. Throws when they fail their checksum: the index is damaged (delete it).
 */
export function completeProject(project: Project): void {
  deferredIndexes.get(project)?.readDeferred();
}

/** The derived-hash memo of a project loaded with persistence on (saved by the caller when done); else undefined. */
export function openDesiredMemo(project: Project): DesiredMemo | undefined {
  return persisted.get(project);
}

function notFound(opts: LoadOptions, cwd: string, environ: Record<string, string | undefined>): Project {
  const root = path.resolve(cwd, opts.dir ?? '.');
  const name = opts.env ?? 'sandbox';
  return {
    root,
    config: {},
    environmentName: name,
    environment: resolveEnvironment(name, {}, { root, cwd, environ }),
    resources: () => [],
    files: [],
    filesDigest: () => filesDigest([]),
    partials: {},
    diagnostics: [diagnostic('project.not-found', { dir: root, explicit: opts.dir !== undefined })],
    locate: () => undefined,
  };
}
