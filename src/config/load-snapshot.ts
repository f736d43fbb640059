/**
 * The loader's side of the project snapshot (./project-snapshot.ts): taking a project from it when
 * it still stands, and writing it after a load that may be taken again.
 */
import type { Resource } from '../model/resource.js';
import { codeDigest } from './cache-key.js';
import { fromCheckBlob } from './check-blob.js';
import type { ResolveContext } from './environment.js';
import { LoadCache } from './load-cache.js';
import { locator } from './locator.js';
import { pickEnvironment } from './pick-environment.js';
import { projectFileDigest } from './project-file.js';
import type { LoadOptions, Project } from './project.js';
import { readSnapshot, snapshotContext, snapshotCurrent, snapshotFile, snapshotFileList, snapshotResources, writeSnapshot, type SnapshotInput } from './project-snapshot.js';
import type { Read } from './read-source.js';
import { RULES_CODE } from './rules/code.js';
import { isStoredCheck, sha256, type StoredCheck, type StoredConfig } from './stored-check.js';

export interface SnapshotLookup {
  root: string;
  key: string;
  requested: string | undefined;
  files: readonly string[];
  configRead: Read;
  partials: Record<string, string>;
  resolveCtx: ResolveContext;
  now: Date;
  whileChecking?: LoadOptions['whileChecking'];
}

/** The project from its snapshot (./project-snapshot.ts) when that still stands, else undefined. */
export async function fromSnapshot(q: SnapshotLookup): Promise<{ project: Project; resourceCount: number } | undefined> {
  const data = readSnapshot(snapshotFile(q.root, q.requested));
  if (!data) return undefined;
  const configSha = 'text' in q.configRead ? sha256(q.configRead.text) : null;
  const config = data.config;
  // No positions: they only place diagnostics of the choice, and those are in the snapshot already.
  const { environmentName, environment } = pickEnvironment(config.config, new Map(), q.requested, q.resolveCtx, []);
  const context = snapshotContext({ cacheKey: q.key, rulesCode: codeDigest(RULES_CODE), configSha, environment, partials: q.partials });
  if (context !== data.context) return undefined;
  // The environment is certain now (campaignctl.yaml and the variables are as when the snapshot
  // was made): what depends only on it starts before the files are checked, unless the snapshot
  // holds errors (nothing is opened for a project that can not be planned).
  if (q.whileChecking && !data.diagnostics.some((d) => d.severity === 'error')) await q.whileChecking({ root: q.root, environmentName, environment });
  if (!snapshotCurrent(data, q.root, q.files, q.now.getTime())) return undefined;

  // Specs and positions come from the load cache, opened only when one is asked for; the
  // resources themselves are built when first read (a plan the no-change record answers never does).
  const storedCheck = lazyStoredChecks(q.root, q.key);
  const specOf = (file: string, sha: string, documentIndex: number) => {
    const found = storedCheck(file, sha)?.resources.find((r) => r.source.documentIndex === documentIndex);
    if (!found) throw new Error(`the load cache no longer holds ${file} (changed by another run?): run the command again; if this repeats, delete .campaignctl/cache`);
    return found.spec as Record<string, unknown>;
  };
  const files = snapshotFileList(data);
  let resources: Resource[] | undefined;
  let located: ReturnType<typeof locator> | undefined;
  const resourcesOf = () => (resources ??= snapshotResources(data, specOf));
  const locatorOf = () => {
    if (!located) {
      const shaOf = new Map(files.map((f) => [f.path, f.sha256]));
      located = locator(q.root, resourcesOf(), files, (file) => storedCheck(file, shaOf.get(file) ?? ''));
    }
    return located;
  };
  const project: Project = {
    root: q.root,
    config: config.config,
    environmentName,
    environment,
    get resources() {
      return resourcesOf();
    },
    files,
    partials: q.partials,
    diagnostics: data.diagnostics,
    locate: (address, nodePath) => locatorOf().locate(address, nodePath),
  };
  return { project, resourceCount: data.resourceCount };
}

export function saveSnapshot(
  project: Project,
  s: { key: string; requested: string | undefined; configSha: string | null; cache: LoadCache; config: StoredConfig; validUntil: number | null; reads: string[] },
): void {
  const files: SnapshotInput['files'] = [];
  for (const f of project.files) {
    const entry = s.cache.get(f.path);
    // Only stamps that may stand for their content (./file-stamp.ts): else the next run loads again.
    if (!entry || !entry.trusted || entry.sha256 !== f.sha256) return;
    files.push({ path: f.path, sha256: f.sha256, stamp: entry.stamp });
  }
  const context = snapshotContext({ cacheKey: s.key, rulesCode: codeDigest(RULES_CODE), configSha: s.configSha, environment: project.environment, partials: project.partials });
  writeSnapshot(snapshotFile(project.root, s.requested), project.root, {
    context,
    validUntil: s.validUntil,
    files,
    reads: s.reads.map((file): [string, string] => [file, projectFileDigest(project.root, file)]),
    config: s.config,
    resources: project.resources,
    diagnostics: project.diagnostics,
  });
}

/** Each file's StoredCheck from the load cache, read on first use; undefined when it holds another content. */
function lazyStoredChecks(root: string, key: string): (file: string, sha256: string) => StoredCheck | undefined {
  let cache: LoadCache | undefined;
  const checks = new Map<string, StoredCheck | undefined>();
  return (file, sha) => {
    if (!checks.has(file)) {
      cache ??= LoadCache.open(root, key);
      const entry = cache.get(file);
      const check = entry && entry.sha256 === sha ? fromCheckBlob(entry.blob) : undefined;
      checks.set(file, isStoredCheck(check) ? check : undefined);
    }
    return checks.get(file);
  };
}

