/**
 * What every command that reads the project shares: loading it with the global options, and
 * printing its diagnostics (text on stderr with source lines; nothing here for --json, where the
 * diagnostics belong in the command's own document).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { redactSecrets } from '../../diagnostics/redact.js';
import type { Output } from '../context.js';
import { formatDiagnostics } from '../views/diagnostics.js';
import { loadProject } from '../../project-index/load.js';
import type { LoadOptions, Project, ProjectHead } from '../../config/project.js';
import type { CommandTarget } from '../../diagnostics/command-line.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { MAX_FILE_BYTES } from '../../config/guards.js';

export async function loadProjectFor(out: Output, extra: Pick<LoadOptions, 'now' | 'whileChecking' | 'deferIndexSave' | 'deferResults'> = {}): Promise<Project> {
  const started = performance.now();
  let how = '';
  let resources = 0;
  let files = 0;
  const project = await loadProject({
    dir: out.opts.dir,
    env: out.opts.env,
    now: extra.now,
    whileChecking: extra.whileChecking,
    deferIndexSave: extra.deferIndexSave,
    deferResults: extra.deferResults,
    // The project index persisted in .campaignctl/cache/; CAMPAIGNCTL_CACHE=off turns it off.
    cache: true,
    onLoaded: (r) => {
      resources = r.resources;
      files = r.files;
      how = ` (${r.fromCache} from the cache [${r.cache}], ${r.checked} checked${r.workers ? ` on ${r.workers} threads` : ''}${r.snapshot ? '; the project snapshot' : ''}${r.scannedAhead ? '; files scanned as the process started' : ''})`;
    },
  });
  const ms = Math.round(performance.now() - started);
  out.debug(`project ${project.root}, environment ${project.environmentName}: ${files} files, ${resources} resources in ${ms} ms${how}`);
  return project;
}

/** Reads project files for the source lines of diagnostics, once each; never a file over the size limit. */
export function sourceReader(root: string): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      let text: string | undefined;
      try {
        const buffer = readFileSync(path.join(root, file));
        text = buffer.length > MAX_FILE_BYTES ? undefined : buffer.toString('utf8');
      } catch {
        text = undefined;
      }
      cache.set(file, text);
    }
    return cache.get(file);
  };
}

/** Diagnostics as text on stderr (warnings too; --quiet keeps only errors). */
export function printDiagnostics(out: Output, root: string, diagnostics: readonly Diagnostic[]): void {
  const shown = out.opts.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  if (shown.length === 0) return;
  // An excerpt quotes the file as written: a password in a URL there (refused by config.state-password) is masked.
  out.error(redactSecrets(formatDiagnostics(shown, { c: out.c, source: sourceReader(root) })) + '\n');
}

/** What a command printed by this run must keep pointing at: its environment, and --dir when it was given. */
export function commandTarget(out: Output, project: Pick<ProjectHead, 'environmentName'>): CommandTarget {
  return { env: project.environmentName, dir: out.opts.dir };
}
