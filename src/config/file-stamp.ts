/**
 * What the file system says about a file, for the project index's stat fast path: a file whose stamp
 * is unchanged since its content was hashed is taken to have that content without reading it.
 *
 * That is only safe when a later write is sure to change the stamp. Every write moves ctime (which
 * no tool can set back) and usually mtime, and an editor's atomic save changes the inode; the one
 * gap is a write in the same timestamp tick as the read that was hashed (git's "racy clean"
 * problem). So a stamp is trusted only when the file's last change was at least RACY_MS before
 * the read; a file read sooner after its last change is read and hashed again next time.
 * The clock the file system stamps with is assumed to be this machine's (a local disk); set
 * CAMPAIGNCTL_CACHE=off where that does not hold (e.g. a network file system with a skewed clock).
 */
import { statSync, type Stats } from 'node:fs';

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export const RACY_MS = 2_000;

export function stampOf(stats: Stats): FileStamp {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino };
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** May this stamp stand for the content read at `readAt` (ms since epoch) on a later run? */
export function isTrustable(stamp: FileStamp, readAt: number): boolean {
  return Math.max(stamp.mtimeMs, stamp.ctimeMs) < readAt - RACY_MS;
}

/** The stamp of a file on disk now; undefined when it is missing or can not be stat'ed. */
export function statStamp(file: string): FileStamp | undefined {
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    return stats ? stampOf(stats) : undefined;
  } catch {
    return undefined;
  }
}
