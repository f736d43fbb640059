/**
 * What a project index's files table gives the project as a whole: how many files and resources,
 * the diagnostics of the files and of their findings, whether any of them is an error, and when the
 * first finding must be worked out again; and one digest of the files (path and content hash).
 *
 * The persisted index stores both beside its files table (./persist.ts), so a run that finds every
 * file as indexed (the repeated no-change plan) answers them without decoding 10,000 entries. The
 * stored ones come from these very functions over the table as written, and are used only while
 * that table is not decoded: by construction they are what the decoded table would give.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FileState } from './project-index.js';

export interface FilesSummary {
  /** Files in the table, problems included. */
  files: number;
  /** Resources (documents that passed their schema) across the files. */
  resources: number;
  /** Each file's own diagnostics (parse, schema), file by file, and a file's problem where it could not be read. */
  fileDiagnostics: Diagnostic[];
  /** The diagnostics of the per-resource rule findings, file by file, resource by resource. */
  findingDiagnostics: Diagnostic[];
  /** A problem, or an error among those diagnostics. */
  errors: boolean;
  /**
   * ms since the epoch from which some resource's findings must be worked out again: 0 when one
   * has none yet, the earliest `until` otherwise; null when every finding stands while its inputs do.
   */
  rulesDue: number | null;
}

export function summarize(files: Iterable<FileState>): FilesSummary {
  const fileDiagnostics: Diagnostic[] = [];
  const findingDiagnostics: Diagnostic[] = [];
  let count = 0;
  let readable = 0;
  let resources = 0;
  let rulesDue: number | null = null;
  for (const e of files) {
    count++;
    if ('problem' in e) {
      fileDiagnostics.push(e.problem);
      continue;
    }
    readable++;
    resources += e.docs.length;
    fileDiagnostics.push(...e.diagnostics);
    for (const f of e.findings) {
      if (f === undefined) rulesDue = 0;
      else {
        findingDiagnostics.push(...f.diagnostics);
        if (f.until !== null && (rulesDue === null || f.until < rulesDue)) rulesDue = f.until;
      }
    }
  }
  const errors = readable < count || fileDiagnostics.some(isError) || findingDiagnostics.some(isError);
  return { files: count, resources, fileDiagnostics, findingDiagnostics, errors, rulesDue };
}

const isError = (d: Diagnostic) => d.severity === 'error';

/**
 * One digest of the files' paths and content hashes, in order: what the configuration hash takes
 * of the campaign files (../apply/config-hash.ts). Each file is `path NUL sha256 LF`: a path never
 * holds a NUL, so no two lists write the same text. The text goes to the hash in pieces of a few
 * hundred files: 10,000 small update() calls cost more than the hashing, and one string of 10,000
 * appends costs more again to flatten and encode.
 */
export function filesDigest(files: Iterable<{ path: string; sha256: string }>): string {
  const hash = createHash('sha256');
  let text = '';
  let pending = 0;
  for (const f of files) {
    text += `${f.path}\0${f.sha256}\n`;
    if (++pending === 256) {
      hash.update(text, 'utf8');
      text = '';
      pending = 0;
    }
  }
  return hash.update(text, 'utf8').digest('hex');
}

/**
 * One digest of the files' paths, in order, each ending in NUL (a path never holds one): what a
 * scan is compared with before the stamps, without the index's files table (./persist.ts).
 */
export function pathsDigest(paths: readonly string[]): string {
  const hash = createHash('sha256');
  for (let from = 0; from < paths.length; from += 1024) hash.update(paths.slice(from, from + 1024).join('\0') + '\0', 'utf8');
  return hash.digest('hex');
}
