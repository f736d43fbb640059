/**
 * loadProject: the thin I/O shell. Find the root, read campaignctl.yaml and every campaign file,
 * run the pure per-file checks, then the cross-resource rules, and hand back everything found.
 */
import path from 'node:path';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import { fromBlob } from './cache-blob.js';
import { cacheKey } from './cache-key.js';
import { byCodePoint, discover } from './discover.js';
import { resolveEnvironment, type ResolvedEnvironment } from './environment.js';
import { isTrustable } from './file-stamp.js';
import { cacheEnabled, LoadCache } from './load-cache.js';
import { fromSnapshot, saveSnapshot } from './load-snapshot.js';
import { locator } from './locator.js';
import { Memo, memoContext, memoFile, memoKey } from './memo.js';
import { packageSchemasDir } from './package-dir.js';
import { pickEnvironment } from './pick-environment.js';
import { decodePositions } from './positions-codec.js';
import type { LoadOptions, Project } from './project.js';
import { readSource, type Read } from './read-source.js';
import { CONFIG_FILE, findProjectRoot } from './root.js';
import { RULES_CODE } from './rules/code.js';
import type { RulesMemo } from './rules/index.js';
import { sha256, type StoredCheck, type StoredConfig } from './stored-check.js';
import { now as clockNow } from '../time/clock.js';

export async function loadProject(opts: LoadOptions = {}): Promise<Project> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const now = opts.now ?? clockNow();
  const environ = opts.environ ?? process.env;
  const root = findProjectRoot({ dir: opts.dir, cwd });
  if (root === undefined) return notFound(opts, cwd, environ);

  // The caches are opt-in (the CLI turns them on): a library call never writes into the project.
  const key = opts.cache && cacheEnabled(environ) ? cacheKey(packageSchemasDir()) : undefined;
  const diagnostics: Diagnostic[] = [];
  const found = await discover(root);
  const configRead = readSource(root, CONFIG_FILE);
  const partials = readPartials(root, found.partials, diagnostics);
  const resolveCtx = { root, cwd, environ };

  if (key) {
    const snapshot = await fromSnapshot({ root, key, requested: opts.env, files: found.files, configRead, partials, resolveCtx, now, whileChecking: opts.whileChecking });
    if (snapshot) {
      opts.onLoaded?.({ files: found.files.length, resources: snapshot.resourceCount, fromCache: found.files.length, read: 0, checked: 0, workers: 0, cache: 'used', snapshot: true });
      return snapshot.project;
    }
  }

  // The checking and rules code is loaded only now: a run the snapshot answers never needs it.
  const [{ checkProjectFiles }, { runRules }, { bodyFilesRead }] = await Promise.all([import('./project-files.js'), import('./rules/index.js'), import('./rules/body-files.js')]);
  const cache = key ? LoadCache.open(root, key) : undefined;
  // The campaign files first: on a cold run their checks start on the worker threads while this
  // thread checks campaignctl.yaml. (A rejection is a bug; it surfaces at the await below.)
  const checking = checkProjectFiles(root, found.files, { cache, threads: opts.threads });
  checking.catch(() => undefined);
  const checkedConfig = await checkConfig(configRead, cache, diagnostics);
  diagnostics.push(...checkedConfig.diagnostics);
  const { environmentName, environment, chosen } = pickEnvironment(checkedConfig.config, decodePositions(checkedConfig.positions), opts.env, resolveCtx, diagnostics);
  if (!chosen) {
    // No environment to check the files against: its error is the one to read, not one
    // `template.unknown-variable` per `vars.*` the real environment would have answered.
    await checking;
    return { root, config: checkedConfig.config, environmentName, environment, resources: [], files: [], partials, diagnostics: sortDiagnostics(diagnostics), locate: () => undefined };
  }

  const resources: Resource[] = [];
  const files: Project['files'] = [];
  const stored = new Map<string, StoredCheck>();
  const checked = await checking;
  for (const outcome of checked.outcomes) {
    if ('problem' in outcome) {
      diagnostics.push(outcome.problem);
      continue;
    }
    files.push({ path: outcome.file, sha256: outcome.sha256 });
    diagnostics.push(...outcome.check.diagnostics);
    resources.push(...outcome.check.resources);
    stored.set(outcome.file, outcome.check);
  }
  let cacheSaved = false;
  if (cache) {
    cache.retain([CONFIG_FILE, ...found.files]);
    cacheSaved = cache.save();
  }
  opts.onLoaded?.({ files: found.files.length, resources: resources.length, fromCache: checked.fromCache, read: checked.read, checked: checked.checked, workers: checked.workers, cache: cache ? (cache.discarded ?? 'used') : 'off', snapshot: false });

  const { locate, locateIn } = locator(root, resources, files, (file) => stored.get(file));
  const shaOf = new Map(files.map((f) => [f.path, f.sha256]));
  const memo = cache ? rulesMemo(root, environmentName, environment, partials, shaOf) : undefined;
  diagnostics.push(...runRules({ root, resources, environment, partials, locate, locateIn, now }, memo));
  memo?.save();

  const project: Project = {
    root,
    config: checkedConfig.config,
    environmentName,
    environment,
    resources,
    files,
    partials,
    diagnostics: sortDiagnostics(diagnostics),
    locate,
  };
  // The snapshot reads specs from load.bin as it is now: none when load.bin could not be written.
  if (cache && cacheSaved && memo && key) {
    const configSha = 'text' in configRead ? sha256(configRead.text) : null;
    const problems = checked.outcomes.some((o) => 'problem' in o) || ('problem' in configRead && !configRead.missing);
    if (!problems) saveSnapshot(project, { key, requested: opts.env, configSha, cache, config: checkedConfig, validUntil: memo.validUntil(), reads: bodyFilesRead(resources) });
  }
  return project;
}

/** campaigns/_partials/*.hbs, read in full each run (they are few and small). */
function readPartials(root: string, found: ReadonlyMap<string, string>, diagnostics: Diagnostic[]): Record<string, string> {
  const partials: Record<string, string> = {};
  for (const [name, file] of found) {
    const read = readSource(root, file);
    if ('problem' in read) diagnostics.push(read.problem);
    else partials[name] = read.text;
  }
  return partials;
}

function notFound(opts: LoadOptions, cwd: string, environ: Record<string, string | undefined>): Project {
  const root = path.resolve(cwd, opts.dir ?? '.');
  const name = opts.env ?? 'sandbox';
  return {
    root,
    config: {},
    environmentName: name,
    environment: resolveEnvironment(name, {}, { root, cwd, environ }),
    resources: [],
    files: [],
    partials: {},
    diagnostics: [diagnostic('project.not-found', { dir: root, explicit: opts.dir !== undefined })],
    locate: () => undefined,
  };
}

/** campaignctl.yaml checked, from the cache when its content is the one cached; positions still encoded. */
async function checkConfig(read: Read, cache: LoadCache | undefined, diagnostics: Diagnostic[]): Promise<StoredConfig> {
  if ('problem' in read && !read.missing) diagnostics.push(read.problem);
  const text = 'text' in read ? read.text : undefined;
  const hash = text === undefined ? undefined : sha256(text);
  const entry = cache?.get(CONFIG_FILE);
  let stored = entry && entry.sha256 === hash ? fromBlob<StoredConfig>(entry.blob) : undefined;
  if (!isStoredConfig(stored)) {
    // No campaignctl.yaml (or an unreadable one, reported above): an empty config, as checkConfigFile gives.
    if (!('text' in read) || hash === undefined) return { config: {}, valid: true, positions: EMPTY_POSITIONS, diagnostics: [] };
    const unit = await import('./file-unit.js');
    stored = unit.checkConfigText(read.text);
    cache?.set(CONFIG_FILE, { stamp: read.stamp, trusted: isTrustable(read.stamp, read.readAt), sha256: hash, blob: unit.toBlob(stored) });
  }
  return stored;
}

function isStoredConfig(v: unknown): v is StoredConfig {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.config === 'object' && c.config !== null && typeof c.valid === 'boolean' && typeof c.positions === 'string' && Array.isArray(c.diagnostics);
}

/** A config without positions, encoded (./positions-codec.ts). */
const EMPTY_POSITIONS = '';


/**
 * The rules' findings of earlier runs (./memo.ts), per resource of a file content; it also tells
 * until when all the findings it gave out stand (for the project snapshot).
 */
function rulesMemo(
  root: string,
  envName: string,
  environment: ResolvedEnvironment,
  partials: Record<string, string>,
  shaOf: ReadonlyMap<string, string>,
): RulesMemo & { save(): void; validUntil(): number | null } {
  type Found = [Diagnostic[], number | null];
  const memo = Memo.open<Found>(memoFile(root, 'rules', envName), memoContext(environment, partials, RULES_CODE));
  let earliest: number | null = null;
  const seen = (until: number | null) => {
    if (until !== null && (earliest === null || until < earliest)) earliest = until;
  };
  const key = (r: Resource) => {
    const sha = shaOf.get(r.source.file);
    return sha === undefined ? undefined : memoKey(sha, r.source.documentIndex);
  };
  return {
    get(r) {
      const k = key(r);
      const found = k === undefined ? undefined : memo.get(k);
      if (found) seen(found[1]);
      return found && { diagnostics: found[0], until: found[1] };
    },
    set(r, found) {
      seen(found.until);
      const k = key(r);
      if (k !== undefined) memo.set(k, [found.diagnostics, found.until]);
    },
    save: () => void memo.save(),
    validUntil: () => earliest,
  };
}

/** By file (project-level problems first), then position, then code: stable output. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        byCodePoint(a.d.file ?? '', b.d.file ?? '') ||
        (a.d.line ?? 0) - (b.d.line ?? 0) ||
        (a.d.column ?? 0) - (b.d.column ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.d);
}
