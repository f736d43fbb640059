/**
 * loadProject: the thin I/O shell. Find the root, read campaignctl.yaml and every campaign file,
 * run the pure per-file checks, then the cross-resource rules, and hand back everything found.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import { checkFile } from './check-file.js';
import { checkConfigFile } from './config-file.js';
import type { ProjectConfig } from './config-types.js';
import { byCodePoint, discover } from './discover.js';
import { chooseEnvironment, resolveEnvironment } from './environment.js';
import type { ResolveContext, ResolvedEnvironment } from './environment.js';
import { MAX_FILE_BYTES } from './guards.js';
import { lookup, pointerOf } from './positions.js';
import type { PositionIndex } from './positions.js';
import type { LoadOptions, Project, Range } from './project.js';
import { CONFIG_FILE, findProjectRoot } from './root.js';
import { runRules } from './rules/index.js';
import type { RuleContext } from './rules/index.js';
import { loadSchemas } from './schemas.js';
import { closest } from './suggest.js';

/** Files read at once: enough to keep the disk busy, few enough to never run out of descriptors. */
const READ_CONCURRENCY = 32;

export async function loadProject(opts: LoadOptions = {}): Promise<Project> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const now = opts.now ?? new Date();
  const environ = opts.environ ?? process.env;
  const root = findProjectRoot({ dir: opts.dir, cwd });
  if (root === undefined) return notFound(opts, cwd, environ);

  const schemas = loadSchemas();
  const diagnostics: Diagnostic[] = [];
  const configText = await readConfig(root, diagnostics);
  const checkedConfig = checkConfigFile(configText, schemas);
  diagnostics.push(...checkedConfig.diagnostics);
  const { environmentName, environment } = pickEnvironment(checkedConfig.config, checkedConfig.positions, opts.env, { root, cwd, environ }, diagnostics);

  const found = await discover(root);
  const resources: Resource[] = [];
  const files: Project['files'] = [];
  const positions = new Map<string, PositionIndex>();
  const texts = await mapLimit(found.files, READ_CONCURRENCY, (file) => readSource(root, file));
  found.files.forEach((file, i) => {
    const read = texts[i];
    if ('problem' in read) {
      diagnostics.push(read.problem);
      return;
    }
    files.push({ path: file, sha256: createHash('sha256').update(read.text).digest('hex') });
    const checked = checkFile(file, read.text, schemas);
    diagnostics.push(...checked.diagnostics);
    resources.push(...checked.resources);
    for (const [index, p] of checked.positions) positions.set(documentKey(file, index), p);
  });
  const partials: Record<string, string> = {};
  for (const [name, file] of found.partials) {
    const read = await readSource(root, file);
    if ('problem' in read) diagnostics.push(read.problem);
    else partials[name] = read.text;
  }

  const byAddress = new Map<string, Resource>();
  for (const r of resources) if (!byAddress.has(r.address)) byAddress.set(r.address, r);
  const locateIn: RuleContext['locateIn'] = (r, nodePath, part = 'value') => {
    const index = positions.get(documentKey(r.source.file, r.source.documentIndex));
    const found = index && lookup(index, pointerOf(nodePath));
    if (!found) return undefined;
    const s = part === 'key' && found.exact && found.spans.key ? found.spans.key : found.spans.value;
    return { file: r.source.file, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } satisfies Range;
  };
  const locate: Project['locate'] = (address, nodePath) => {
    const r = byAddress.get(address);
    return r ? locateIn(r, nodePath) : undefined;
  };
  diagnostics.push(...runRules({ resources, environment, partials, locate, locateIn, now }));

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

async function readConfig(root: string, diagnostics: Diagnostic[]): Promise<string | undefined> {
  const read = await readSource(root, CONFIG_FILE);
  if ('text' in read) return read.text;
  if (read.missing) return undefined;
  diagnostics.push(read.problem);
  return undefined;
}

type Read = { text: string } | { problem: Diagnostic; missing: boolean };

/** Reads a project file, refusing (without reading) one over the size limit. */
async function readSource(root: string, file: string): Promise<Read> {
  const full = path.join(root, file);
  try {
    const handle = await open(full, 'r');
    try {
      const info = await handle.stat();
      if (info.size > MAX_FILE_BYTES) {
        return {
          problem: diagnostic('file.too-large', { size: info.size, limit: MAX_FILE_BYTES }, { file, line: 1, column: 1, endLine: 1, endColumn: 2 }),
          missing: false,
        };
      }
      return { text: await handle.readFile('utf8') };
    } finally {
      await handle.close();
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!e.code) throw err;
    return { problem: diagnostic('file.unreadable', { detail: `${e.code}: ${e.message}` }, { file }), missing: e.code === 'ENOENT' };
  }
}

function documentKey(file: string, index: number): string {
  return `${file}\u0000${index}`;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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
