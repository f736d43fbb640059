/**
 * loadProject: the thin I/O shell. Find the root, read campaignctl.yaml and every campaign file,
 * run the pure per-file checks, then the cross-resource rules, and hand back everything found.
 */
import path from 'node:path';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import { cacheKey, codeDigest } from './cache-key.js';
import { fromCheckBlob } from './check-blob.js';
import type { ProjectConfig } from './config-types.js';
import { byCodePoint, discover } from './discover.js';
import { chooseEnvironment, resolveEnvironment } from './environment.js';
import type { ResolveContext, ResolvedEnvironment } from './environment.js';
import { isTrustable } from './file-stamp.js';
import { fromBlob } from './cache-blob.js';
import { cacheEnabled, LoadCache } from './load-cache.js';
import { packageSchemasDir } from './package-dir.js';
import { parseFile } from './parse.js';
import { decodePositions } from './positions-codec.js';
import { lookup, pointerOf } from './positions.js';
import type { PositionIndex } from './positions.js';
import { readSnapshot, snapshotContext, snapshotCurrent, snapshotFile, snapshotFileList, snapshotResources, writeSnapshot, type SnapshotInput } from './project-snapshot.js';
import type { LoadOptions, Project, Range } from './project.js';
import { readSource, type Read } from './read-source.js';
import { CONFIG_FILE, findProjectRoot } from './root.js';
import { Memo, memoContext, memoFile, memoKey } from './memo.js';
import type { RuleContext, RulesMemo } from './rules/index.js';
import { isStoredCheck, sha256, type StoredCheck, type StoredConfig } from './stored-check.js';
import { closest } from './suggest.js';

export async function loadProject(opts: LoadOptions = {}): Promise<Project> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const now = opts.now ?? new Date();
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
    const snapshot = fromSnapshot({ root, key, requested: opts.env, files: found.files, configRead, partials, resolveCtx, now });
    if (snapshot) {
      opts.onLoaded?.({ files: found.files.length, resources: snapshot.resourceCount, fromCache: found.files.length, read: 0, checked: 0, workers: 0, cache: 'used', snapshot: true });
      return snapshot.project;
    }
  }

  // The checking and rules code is loaded only now: a run the snapshot answers never needs it.
  const [{ checkProjectFiles }, { runRules }] = await Promise.all([import('./project-files.js'), import('./rules/index.js')]);
  const cache = key ? LoadCache.open(root, key) : undefined;
  // The campaign files first: on a cold run their checks start on the worker threads while this
  // thread checks campaignctl.yaml. (A rejection is a bug; it surfaces at the await below.)
  const checking = checkProjectFiles(root, found.files, { cache, threads: opts.threads });
  checking.catch(() => undefined);
  const checkedConfig = await checkConfig(configRead, cache, diagnostics);
  diagnostics.push(...checkedConfig.diagnostics);
  const { environmentName, environment } = pickEnvironment(checkedConfig.config, decodePositions(checkedConfig.positions), opts.env, resolveCtx, diagnostics);

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
  if (cache) {
    cache.retain([CONFIG_FILE, ...found.files]);
    cache.save();
  }
  opts.onLoaded?.({ files: found.files.length, resources: resources.length, fromCache: checked.fromCache, read: checked.read, checked: checked.checked, workers: checked.workers, cache: cache ? (cache.discarded ?? 'used') : 'off', snapshot: false });

  const { locate, locateIn } = locator(root, resources, files, (file) => stored.get(file));
  const shaOf = new Map(files.map((f) => [f.path, f.sha256]));
  const memo = cache ? rulesMemo(root, environmentName, environment, partials, shaOf) : undefined;
  diagnostics.push(...runRules({ resources, environment, partials, locate, locateIn, now }, memo));
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
  if (cache && memo && key) {
    const configSha = 'text' in configRead ? sha256(configRead.text) : null;
    const problems = checked.outcomes.some((o) => 'problem' in o) || ('problem' in configRead && !configRead.missing);
    if (!problems) saveSnapshot(project, { key, requested: opts.env, configSha, cache, config: checkedConfig, validUntil: memo.validUntil() });
  }
  return project;
}

interface SnapshotLookup {
  root: string;
  key: string;
  requested: string | undefined;
  files: readonly string[];
  configRead: Read;
  partials: Record<string, string>;
  resolveCtx: ResolveContext;
  now: Date;
}

/** The project from its snapshot (./project-snapshot.ts) when that still stands, else undefined. */
function fromSnapshot(q: SnapshotLookup): { project: Project; resourceCount: number } | undefined {
  const data = readSnapshot(snapshotFile(q.root, q.requested));
  if (!data) return undefined;
  const configSha = 'text' in q.configRead ? sha256(q.configRead.text) : null;
  const config = data.config;
  const { environmentName, environment } = pickEnvironment(config.config, decodePositions(config.positions), q.requested, q.resolveCtx, []);
  const context = snapshotContext({ cacheKey: q.key, rulesCode: codeDigest(RULES_CODE), configSha, environment, partials: q.partials });
  if (context !== data.context || !snapshotCurrent(data, q.root, q.files, q.now.getTime())) return undefined;

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

function saveSnapshot(
  project: Project,
  s: { key: string; requested: string | undefined; configSha: string | null; cache: LoadCache; config: StoredConfig; validUntil: number | null },
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

/**
 * Where a node of a resource's document is: from the positions its file's check kept (decoded on
 * first use, ./positions-codec.ts), or, for a file the quick lane read (no positions kept), parsed
 * with yaml once when first asked.
 */
function locator(
  root: string,
  resources: readonly Resource[],
  files: Project['files'],
  storedCheck: (file: string) => StoredCheck | undefined,
): { locate: Project['locate']; locateIn: RuleContext['locateIn'] } {
  const shaOf = new Map(files.map((f) => [f.path, f.sha256]));
  const positions = new Map<string, PositionIndex | undefined>();
  const fromDisk = new Set<string>();
  const positionsOf = (file: string, index: number): PositionIndex | undefined => {
    const key = documentKey(file, index);
    if (positions.has(key)) return positions.get(key);
    const encoded = storedCheck(file)?.positions.find(([i]) => i === index)?.[1];
    if (encoded !== undefined) {
      positions.set(key, decodePositions(encoded));
    } else {
      const sha = shaOf.get(file);
      if (sha !== undefined && !fromDisk.has(file)) {
        fromDisk.add(file);
        for (const [i, p] of positionsFromDisk(root, file, sha)) if (!positions.has(documentKey(file, i))) positions.set(documentKey(file, i), p);
      }
      if (!positions.has(key)) positions.set(key, undefined);
    }
    return positions.get(key);
  };
  const byAddress = new Map<string, Resource>();
  for (const r of resources) if (!byAddress.has(r.address)) byAddress.set(r.address, r);
  const locateIn: RuleContext['locateIn'] = (r, nodePath, part = 'value') => {
    const index = positionsOf(r.source.file, r.source.documentIndex);
    const found = index && lookup(index, pointerOf(nodePath));
    if (!found) return undefined;
    const s = part === 'key' && found.exact && found.spans.key ? found.spans.key : found.spans.value;
    return { file: r.source.file, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } satisfies Range;
  };
  const locate: Project['locate'] = (address, nodePath) => {
    const r = byAddress.get(address);
    return r ? locateIn(r, nodePath) : undefined;
  };
  return { locate, locateIn };
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

function pickEnvironment(
  config: ProjectConfig,
  positions: PositionIndex,
  requested: string | undefined,
  ctx: ResolveContext,
  diagnostics: Diagnostic[],
): { environmentName: string; environment: ResolvedEnvironment } {
  const choice = chooseEnvironment(config, requested);
  if (choice.ok) return { environmentName: choice.name, environment: resolveEnvironment(choice.name, choice.config, ctx) };
  if (choice.problem === 'unknown') {
    // Named by --env: no place in a file. Named by defaultEnvironment: point at it.
    const s = requested === undefined ? lookup(positions, '/defaultEnvironment')?.spans.value : undefined;
    const where = s ? { file: CONFIG_FILE, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } : {};
    diagnostics.push(
      diagnostic('config.unknown-environment', { name: choice.name, known: choice.known, suggestion: closest(choice.name, choice.known) }, where),
    );
    return { environmentName: choice.name, environment: resolveEnvironment(choice.name, {}, ctx) };
  }
  const s = lookup(positions, '/environments')?.spans.key;
  const where = s ? { file: CONFIG_FILE, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } : { file: CONFIG_FILE };
  diagnostics.push(diagnostic('config.no-default-environment', { known: choice.known }, where));
  return { environmentName: 'sandbox', environment: resolveEnvironment('sandbox', {}, ctx) };
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

/** The code the rules memo's findings come from (the loader's own folder is in the cache key). */
const RULES_CODE = ['config/rules', 'config/templates', 'time'];

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

/** Node positions per document of a file, when its content is still the one that was loaded. */
function positionsFromDisk(root: string, file: string, expectedSha: string): Map<number, PositionIndex> {
  const read = readSource(root, file);
  if (!('text' in read) || sha256(read.text) !== expectedSha) return new Map();
  return new Map(parseFile(file, read.text).documents.map((d) => [d.index, d.positions]));
}

function documentKey(file: string, index: number): string {
  return `${file}\u0000${index}`;
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
