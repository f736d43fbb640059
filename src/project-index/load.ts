/**
 * loadProject: find the root and hand the rest to the project index (../project-index/), which
 * reads campaignctl.yaml and every campaign file, runs the per-file checks and the rules, and, with
 * `cache` on, keeps what it found under .campaignctl/cache/ for the next run.
 */
import path from 'node:path';
import { diagnostic } from '../diagnostics/catalogue.js';
import { openIndex } from './open.js';
import { resolveEnvironment } from '../config/environment.js';
import type { LoadOptions, Project } from '../config/project.js';
import { findProjectRoot } from '../config/root.js';
import { now as clockNow } from '../time/clock.js';

export { sortDiagnostics } from './project-index.js';

export async function loadProject(opts: LoadOptions = {}): Promise<Project> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const now = opts.now ?? clockNow();
  const environ = opts.environ ?? process.env;
  const root = findProjectRoot({ dir: opts.dir, cwd });
  if (root === undefined) return notFound(opts, cwd, environ);
  return openIndex({ root, requested: opts.env, resolve: { root, cwd, environ }, threads: opts.threads }, opts, now);
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
