/**
 * V8's compiled code for the CommonJS modules the CLI loads, kept between runs in the user's
 * cache folder, so a command does not parse and compile the same ~2 MB of JavaScript (its bundle,
 * the generated schema validators, js-yaml, Handlebars...) again on every start: a cold `plan` of
 * 10,000 files spent ~50 ms in compiling modules before it ran them, and more compiling their
 * functions on first call (a cold plan on mixed: 2.06 -> 1.88 s, 12 alternated runs).
 *
 * Node 22 has this built in (`module.enableCompileCache`), used when present. On Node 20 each
 * CommonJS module is compiled through `vm.Script` with the cached data of the same source, and
 * modules compiled without it have theirs written when the process exits. A module whose source
 * holds `import(` is left to Node: on Node 20, V8 drops a script's dynamic-import callback when it
 * is compiled from cached data (the CLI imports simple-git and pino-pretty so).
 *
 * Safe by construction: an entry is named by the digest of the file's path and source, and V8
 * refuses data from another V8 version or other flags (the module is then compiled as usual). The
 * folder is the user's own (XDG_CACHE_HOME or ~/.cache), one per build id (../config/build-id.ts),
 * marked as used by every run; a new build removes all but the KEPT_BUILDS used last (two
 * installs run in turn, a global one and a project's, keep theirs). CAMPAIGNCTL_CACHE=off turns
 * it off like every other cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { writeAtomically } from '../config/atomic-write.js';
import { buildId } from '../config/build-id.js';
import { cacheEnabled } from '../project-index/index-file.js';

type CompileFn = (this: Module, content: string, filename: string, format?: string) => unknown;
type ModuleInternals = typeof Module & {
  prototype: Module & { _compile: CompileFn };
  wrap(script: string): string;
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: unknown): string;
  _cache: Record<string, Module>;
  _extensions: Record<string, unknown>;
  enableCompileCache?: (dir: string) => unknown;
};

/** Installs the cache for this process (the CLI calls it first); does nothing when it can not be kept. */
export function useCompileCache(environ: Record<string, string | undefined> = process.env): void {
  if (!cacheEnabled(environ)) return;
  const dir = cacheFolder(environ);
  if (!dir) return;
  const M = Module as ModuleInternals;
  if (typeof M.enableCompileCache === 'function') {
    M.enableCompileCache(dir);
    return;
  }
  const original = M.prototype._compile;
  const made: { file: string; script: vm.Script }[] = [];
  M.prototype._compile = function (this: Module, content: string, filename: string, format?: string) {
    if ((format !== undefined && format !== 'commonjs') || /\bimport\s*\(/.test(content)) return original.call(this, content, filename, format);
    const file = path.join(dir, entryName(filename, content));
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    // A #! line is no JavaScript inside the module wrapper: kept as a comment, so lines stay put.
    const source = M.wrap(content.startsWith('#!') ? `//${content}` : content);
    const script = new vm.Script(source, { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) made.push({ file, script });
    const compiled = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return compiled.call(this.exports, this.exports, requireFor(this, M), this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    // Written whole or not at all: another process may read it meanwhile.
    for (const { file, script } of made) writeAtomically(file, script.createCachedData());
  });
}

/**
 * An entry's name: the digest of the module's path and source. The path too: code compiled from
 * cached data names the file it was first compiled from in its stack traces, and `bindings`
 * (better-sqlite3) finds its native module from its caller's path in a stack trace, so a copy of
 * the same code elsewhere (another checkout) looked for it in the first one's folder.
 */
export function entryName(filename: string, content: string): string {
  return createHash('sha256').update(filename).update('\0').update(content).digest('hex');
}

/** `require` as Node gives a module (resolved from it, recorded as its child). */
function requireFor(mod: Module, M: ModuleInternals): NodeJS.Require {
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  require.resolve = Object.assign((request: string, options?: { paths?: string[] }) => M._resolveFilename(request, mod, false, options), {
    paths: (request: string) => Module.createRequire(mod.filename).resolve.paths(request),
  });
  require.main = (process as { mainModule?: Module }).mainModule;
  require.cache = M._cache;
  require.extensions = M._extensions as NodeJS.RequireExtensions;
  return require;
}

/**
 * Builds whose folders are kept, this one included: the ones used last (by their folder's time,
 * which each run sets). More than one, so that two installs run in turn do not remove each
 * other's folder at every start; few, so that rebuilding campaignctl many times a day leaves a few
 * megabytes behind, not one folder per build.
 */
export const KEPT_BUILDS = 3;

/**
 * This build's folder for this Node.js (the build id the project index is keyed by, which has
 * Node's version in it), marked as used now; made if new, the least recently used others removed
 * then. Undefined without a build id or a folder that can be made.
 */
function cacheFolder(environ: Record<string, string | undefined>): string | undefined {
  const build = buildId();
  if (build === null) return undefined;
  const base = path.join(environ.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'campaignctl', 'compile-cache');
  const name = `${build.slice(0, 16)}-${process.arch}`;
  const dir = path.join(base, name);
  try {
    if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) pruneBuilds(base, name);
    else markUsed(dir);
    return dir;
  } catch {
    return undefined;
  }
}

/** Sets the folder's time to now: the build's last use. Best effort (a folder that can not be marked is still read). */
function markUsed(dir: string): void {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // kept or removed by its age alone
  }
}

/** Removes the folders of `base` but `kept` and the KEPT_BUILDS - 1 others used last. */
function pruneBuilds(base: string, kept: string): void {
  const others = readdirSync(base)
    .filter((other) => other !== kept)
    .map((other) => ({ other, used: usedAt(path.join(base, other)) }))
    .sort((a, b) => b.used - a.used);
  for (const { other } of others.slice(KEPT_BUILDS - 1)) rmSync(path.join(base, other), { recursive: true, force: true });
}

/** When the folder was last used (its modification time); 0 when it can not be told: removed first. */
function usedAt(folder: string): number {
  try {
    return statSync(folder).mtimeMs;
  } catch {
    return 0;
  }
}
