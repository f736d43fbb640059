/**
 * The project index as a CLI run uses it: read from its file when persistence is on and the build
 * has an id (./persist.ts), brought up to the project on disk, written back when it moved. A run
 * without persistence builds the same index in memory, from nothing.
 */
import type { DesiredMemo } from '../apply/desired.js';
import type { LoadOptions, Project } from '../config/project.js';
import { buildId } from '../config/build-id.js';
import { cacheEnabled, indexFile, readIndex, writeIndex } from './persist.js';
import { ProjectIndex, type IndexHead } from './project-index.js';

/** The persisted indexes behind loaded projects: what a plan's desired state remembers its hashes in. */
const persisted = new WeakMap<Project, DesiredMemo>();

export async function openIndex(head: IndexHead, opts: LoadOptions, now: Date): Promise<Project> {
  const wanted = opts.cache === true && cacheEnabled(head.resolve.environ);
  const key = wanted ? buildId() : null;
  const file = indexFile(head.root, head.requested);
  const stored = key ? readIndex(file, key) : wanted ? 'no build id' : 'off';
  const index = new ProjectIndex(head, typeof stored === 'string' ? undefined : stored);
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
  save();
  if (key) persisted.set(project, { get: (k) => index.get(k), set: (k, v) => index.set(k, v), save });
  opts.onLoaded?.({
    files: index.state.files.size,
    resources: project.resources.length,
    fromCache: report.fromCache,
    read: report.read,
    checked: report.checked,
    workers: report.workers,
    cache: typeof stored === 'string' ? stored : 'used',
    snapshot: report.unchanged && typeof stored !== 'string',
  });
  return project;
}

/** The derived-hash memo of a project loaded with persistence on (saved by the caller when done); else undefined. */
export function openDesiredMemo(project: Project): DesiredMemo | undefined {
  return persisted.get(project);
}
