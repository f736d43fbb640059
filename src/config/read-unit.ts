/**
 * The first step of a campaign file through the per-file pipeline (./file-unit.ts): read it and
 * hash it. When the content is the one the project index holds, that is all (the cached check
 * stands, under the stamp read now); only otherwise is it parsed and checked, with the code that
 * pulls in yaml and ajv. Kept apart from that code so that a run which only re-reads files (an
 * untrusted stamp after an apply, say) never loads it.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isTrustable, type FileStamp } from './file-stamp.js';
import { readSource } from './read-source.js';
import { sha256 } from './stored-check.js';

export type ReadUnit =
  | { kind: 'problem'; problem: Diagnostic }
  /** The content hashes to `expectedSha`: the cached result stands (under a new stamp). */
  | { kind: 'same'; sha256: string; stamp: FileStamp; trusted: boolean }
  /** New content, to be checked. */
  | { kind: 'read'; text: string; sha256: string; stamp: FileStamp; trusted: boolean };

export function readUnit(root: string, file: string, expectedSha: string | null): ReadUnit {
  const read = readSource(root, file);
  if ('problem' in read) return { kind: 'problem', problem: read.problem };
  const hash = sha256(read.text);
  const trusted = isTrustable(read.stamp, read.readAt);
  if (hash === expectedSha) return { kind: 'same', sha256: hash, stamp: read.stamp, trusted };
  return { kind: 'read', text: read.text, sha256: hash, stamp: read.stamp, trusted };
}
