/**
 * Local mode: chokidar on the project folder. Events are hints: they only mark paths dirty and
 * ask for a reconcile; the project index re-reads those paths when the reconcile runs. awaitWriteFinish
 * holds an event until the file stopped growing for 200 ms (checked every 50 ms), so a reconcile
 * never reads a half-written file; that delay comes before the event, not in the reconcile.
 */
import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';

export interface LocalSource {
  /** Resolves once the initial scan is done: events after it are changes. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const IGNORED_DIRS = new Set(['.git', 'node_modules', '.campaignctl']);

export interface FolderEvents {
  /** A file was added, changed or removed (path relative to the root, forward slashes). */
  onChange(relativePath: string): void;
  /** A folder went away: the files below it are read again all at once. */
  onFolderGone(): void;
  onError(err: Error): void;
}

export function watchFolder(root: string, events: FolderEvents): LocalSource {
  const watcher: FSWatcher = watch(root, {
    ignoreInitial: true,
    atomic: true,
    awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 },
    ignored: (p: string) => {
      const rel = path.relative(root, p);
      if (rel === '' || rel.startsWith('..')) return false;
      return rel.split(path.sep).some((part) => IGNORED_DIRS.has(part));
    },
  });
  const relative = (p: string) => path.relative(root, p).split(path.sep).join('/');
  for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, (p: string) => events.onChange(relative(p)));
  watcher.on('unlinkDir', () => events.onFolderGone());
  watcher.on('error', (err) => events.onError(err as Error));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { ready, close: () => watcher.close() };
}
