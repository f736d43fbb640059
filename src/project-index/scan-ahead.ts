/**
 * A project scan (../config/scan.ts) taken before it is needed, by whoever loads that project
 * first. The CLI takes one first thing (src/cli/scan-ahead.ts), before commander and the command's
 * modules are loaded: listing 10,000 directory entries and stat'ing 10,000 files then run before
 * anything else is there to wait for them, and the state and CleverTap requests a no-change plan
 * makes go out as soon as the modules are loaded. A worker thread taking the scan beside the
 * module loading was slower: its isolate is ready to work only ~70-100 ms after it is started, the
 * main thread then sat idle for the scan, and the process spent ~0.1 s more CPU (a repeated
 * no-change plan on mixed, 11 alternated runs: 0.29 against 0.34 s; a cold plan the same).
 *
 * Only ever a head start: the project index compares the scan's stamps with the ones it recorded
 * exactly as it would compare stamps it took itself, and an edit made after the scan shows up as a
 * stamp too recent to trust or as a file read again. A scan taken for another root is never used;
 * one that fails is dropped, and the loader scans on its own and meets the error where it reports it.
 */
import { existsSync } from 'node:fs';
import { POOL_THRESHOLD, poolSize, warmPool } from '../config/check-pool.js';
import { scanProject, type Scan } from '../config/scan.js';

let pending: Scan | undefined;

/**
 * Scans `root` (an absolute project root) now. `indexFile`: the index the load will read, if any;
 * the files are stat'ed only when it is there (with nothing to compare them with, every file is
 * read and stamped as new).
 */
export function scanNow(root: string, indexFile?: string): void {
  const indexed = indexFile !== undefined && existsSync(indexFile);
  try {
    pending = scanProject(root, { stat: indexed });
  } catch {
    pending = undefined;
    return;
  }
  // A first run with enough files for the checking pool: its workers start now, while this thread
  // loads the command's modules, instead of once the loader has looked at the scan. Unref'd until
  // the loader takes them, so a command that never checks does not wait on them.
  if (!indexed && pending.files.length > POOL_THRESHOLD) warmPool(root, poolSize(), { unref: true });
}

/** The scan taken for `root`, once (a second load scans afresh); undefined when none was, or it failed. */
export function takeScan(root: string): Scan | undefined {
  const scan = pending;
  if (scan?.root !== root) return undefined;
  pending = undefined;
  return scan;
}
