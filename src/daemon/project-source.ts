/**
 * The project as the daemon holds it: one in-memory project index (../project-index/), brought
 * up to the folder once at start and then only by the paths that events marked dirty. In git mode
 * the folder is the work folder a commit was checked out into, and a new commit reloads it whole.
 */
import type { DesiredMemo } from '../apply/desired.js';
import type { Project } from '../config/project.js';
import { ProjectIndex } from '../project-index/project-index.js';

export interface ProjectSourceOptions {
  root: string;
  /** --env; undefined: campaignctl.yaml's choice. */
  env?: string;
  cwd: string;
  environ: Record<string, string | undefined>;
}

export class ProjectSource {
  #index: ProjectIndex;
  #dirty = new Set<string>();
  #loaded = false;
  readonly options: ProjectSourceOptions;

  constructor(options: ProjectSourceOptions) {
    this.options = options;
    this.#index = newIndex(options, options.root);
  }

  get root(): string {
    return this.#index.head.root;
  }

  /** Whether a file event at this path (relative, forward slashes) may change the project (ProjectIndex.concerns). */
  concerns(relativePath: string): boolean {
    return this.#index.concerns(relativePath);
  }

  /** File events: paths relative to the root, forward slashes. Read at the next load(). */
  markDirty(paths: Iterable<string>): void {
    for (const p of paths) this.#dirty.add(p);
  }

  hasDirty(): boolean {
    return this.#dirty.size > 0;
  }

  /** Reads the whole folder again at the next load (a folder went away). */
  markAllDirty(): void {
    this.#loaded = false;
  }

  /** Points the index at another folder (git mode: a new commit's checkout); read whole at the next load(). */
  moveTo(root: string): void {
    this.#index = newIndex(this.options, root);
    this.#loaded = false;
    this.#dirty.clear();
  }

  /** The project as of now: read whole the first time, then only the dirty paths. */
  async load(now: Date): Promise<Project> {
    if (!this.#loaded) {
      this.#dirty.clear();
      // refresh() takes unchanged files on their stat stamps: reading the folder again is cheap.
      await this.#index.refresh(now);
      this.#loaded = true;
    } else if (this.#dirty.size > 0) {
      const paths = [...this.#dirty];
      this.#dirty.clear();
      await this.#index.update(paths, now);
    }
    return this.#index.project();
  }

  /** The spec hashes and desired resources the index keeps, for planning (kept in memory; nothing is written). */
  memo(): DesiredMemo {
    const index = this.#index;
    return { get: (k) => index.get(k), set: (k, v) => index.set(k, v), save: () => true, kept: (r) => index.keptDesired(r), keep: (r, d) => index.keepDesired(r, d), last: () => index.lastDesired(), keepLast: (l) => index.keepLastDesired(l) };
  }
}

function newIndex(o: ProjectSourceOptions, root: string): ProjectIndex {
  return new ProjectIndex({ root, requested: o.env, resolve: { root, cwd: o.cwd, environ: o.environ } });
}
