/**
 * loadProject: the thin I/O shell. Find the root, read campaignctl.yaml and every campaign file,
 * run the pure per-file checks, then the cross-resource rules, and hand back everything found.
 */
import path from 'node:path';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import { cacheKey } from './cache-key.js';
import type { CheckedConfig } from './config-file.js';
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
import { checkProjectFiles } from './project-files.js';
import type { LoadOptions, Project, Range } from './project.js';
import { readSource } from './read-source.js';
import { CONFIG_FILE, findProjectRoot } from './root.js';
import { Memo, memoContext, memoFile, memoKey } from './memo.js';
import { runRules } from './rules/index.js';
import type { RuleContext, RulesMemo } from './rules/index.js';
import { sha256, type StoredConfig } from './stored-check.js';
import { closest } from './suggest.js';

export async function loadProject(opts: LoadOptions = {}): Promise<Project> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const now = opts.now ?? new Date();
  const environ = opts.environ ?? process.env;
  const root = findProjectRoot({ dir: opts.dir, cwd });
  if (root === undefined) return notFound(opts, cwd, environ);

  // The cache is opt-in (the CLI turns it on): a library call never writes into the project.
  const cache = opts.cache && cacheEnabled(environ) ? LoadCache.open(root, cacheKey(packageSchemasDir())) : undefined;
  const diagnostics: Diagnostic[] = [];
  const found = await discover(root);
  // The campaign files first: on a cold run their checks start on the worker threads while this
  // thread checks campaignctl.yaml. (A rejection is a bug; it surfaces at the await below.)
  const checking = checkProjectFiles(root, found.files, { cache, threads: opts.threads });
  checking.catch(() => undefined);
  const checkedConfig = await checkConfig(root, cache, diagnostics);
  diagnostics.push(...checkedConfig.diagnostics);
  const { environmentName, environment } = pickEnvironment(checkedConfig.config, checkedConfig.positions, opts.env, { root, cwd, environ }, diagnostics);

  const resources: Resource[] = [];
  const files: Project['files'] = [];
  // Positions stay encoded until a diagnostic or `locate` needs a file's (./positions-codec.ts).
  const positions = new Map<string, PositionIndex | string>();
  const checked = await checking;
  for (const outcome of checked.outcomes) {
    if ('problem' in outcome) {
      diagnostics.push(outcome.problem);
      continue;
    }
    files.push({ path: outcome.file, sha256: outcome.sha256 });
    diagnostics.push(...outcome.check.diagnostics);
    resources.push(...outcome.check.resources);
    for (const [index, p] of outcome.check.positions) positions.set(documentKey(outcome.file, index), p);
  }
  if (cache) {
    cache.retain([CONFIG_FILE, ...found.files]);
    cache.save();
  }
  opts.onLoaded?.({ files: found.files.length, fromCache: checked.fromCache, read: checked.read, checked: checked.checked, workers: checked.workers, cache: cache ? (cache.discarded ?? 'used') : 'off' });
  const shaOf = new Map(files.map((f) => [f.path, f.sha256]));
  const parsedFromDisk = new Set<string>();
  const positionsOf = (file: string, index: number): PositionIndex | undefined => {
    const key = documentKey(file, index);
    const sha = shaOf.get(file);
    if (!positions.has(key) && sha !== undefined && !parsedFromDisk.has(file)) {
      // A file the quick lane read has no positions yet: parse it with yaml, once.
      parsedFromDisk.add(file);
      for (const [i, p] of positionsFromDisk(root, file, sha)) positions.set(documentKey(file, i), p);
    }
    const p = positions.get(key);
    if (typeof p !== 'string') return p;
    const decoded = decodePositions(p);
    positions.set(key, decoded);
    return decoded;
  };
  const partials: Record<string, string> = {};
  for (const [name, file] of found.partials) {
    const read = readSource(root, file);
    if ('problem' in read) diagnostics.push(read.problem);
    else partials[name] = read.text;
  }

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
  const memo = cache ? rulesMemo(root, environmentName, environment, partials, shaOf) : undefined;
  diagnostics.push(...runRules({ resources, environment, partials, locate, locateIn, now }, memo));
  memo?.save();

  return {
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

/** campaignctl.yaml checked, from the cache when its content is the one cached. */
async function checkConfig(root: string, cache: LoadCache | undefined, diagnostics: Diagnostic[]): Promise<CheckedConfig> {
  const read = readSource(root, CONFIG_FILE);
  if ('problem' in read && !read.missing) diagnostics.push(read.problem);
  const text = 'text' in read ? read.text : undefined;
  const hash = text === undefined ? undefined : sha256(text);
  const entry = cache?.get(CONFIG_FILE);
  let stored = entry && entry.sha256 === hash ? fromBlob<StoredConfig>(entry.blob) : undefined;
  if (!isStoredConfig(stored)) {
    // No campaignctl.yaml (or an unreadable one, reported above): an empty config, as checkConfigFile gives.
    if (!('text' in read) || hash === undefined) return { config: {}, valid: true, positions: new Map(), diagnostics: [] };
    const unit = await import('./file-unit.js');
    stored = unit.checkConfigText(read.text);
    cache?.set(CONFIG_FILE, { stamp: read.stamp, trusted: isTrustable(read.stamp, read.readAt), sha256: hash, blob: unit.toBlob(stored) });
  }
  return { config: stored.config, valid: stored.valid, positions: decodePositions(stored.positions), diagnostics: stored.diagnostics };
}

function isStoredConfig(v: unknown): v is StoredConfig {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return typeof c.config === 'object' && c.config !== null && typeof c.valid === 'boolean' && typeof c.positions === 'string' && Array.isArray(c.diagnostics);
}

/** The code the rules memo's findings come from (the loader's own folder is in the cache key). */
const RULES_CODE = ['config/rules', 'config/templates', 'time'];

/** The rules' findings of earlier runs (./memo.ts), per resource of a file content. */
function rulesMemo(
  root: string,
  envName: string,
  environment: ResolvedEnvironment,
  partials: Record<string, string>,
  shaOf: ReadonlyMap<string, string>,
): RulesMemo & { save(): void } {
  type Found = [Diagnostic[], number | null];
  const memo = Memo.open<Found>(memoFile(root, 'rules', envName), memoContext(environment, partials, RULES_CODE));
  const key = (r: Resource) => {
    const sha = shaOf.get(r.source.file);
    return sha === undefined ? undefined : memoKey(sha, r.source.documentIndex);
  };
  return {
    get(r) {
      const k = key(r);
      const found = k === undefined ? undefined : memo.get(k);
      return found && { diagnostics: found[0], until: found[1] };
    },
    set(r, found) {
      const k = key(r);
      if (k !== undefined) memo.set(k, [found.diagnostics, found.until]);
    },
    save: () => void memo.save(),
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
