/**
 * Writing a cache file so that a reader never sees half of it: to a temporary file next to it, then
 * renamed over it. A folder that can not be written is not an error for a cache (the next run is
 * simply cold again): false then, and nothing left behind.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeAtomically(file: string, data: string | Uint8Array): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the folder itself is unusable: nothing was left behind
    }
    return false;
  }
}
