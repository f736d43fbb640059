/**
 * The project as the rest of campaignctl sees it: campaignctl.yaml with the chosen environment
 * resolved, every resource that passed its schema, and every problem found on the way (all files,
 * one pass). Loading is a thin I/O shell (discover, read) around pure steps (parse, schema, rules).
 */
import type { Diagnostic, Range } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import type { ProjectConfig } from './config-types.js';
import type { ResolvedEnvironment } from './environment.js';

export type { ProjectConfig } from './config-types.js';
export type { ResolvedEnvironment } from './environment.js';

export interface Project {
  /** Absolute project root. */
  root: string;
  /** campaignctl.yaml as parsed (`{}` when the project has none). */
  config: ProjectConfig;
  environmentName: string;
  environment: ResolvedEnvironment;
  /**
   * Every document that passed its schema, in file order then document order. A method, not a
   * field: the project index decodes the resources (specs included) only when first asked, so
   * work that needs none (a no-change plan, validate's summary) never pays for them.
   */
  resources(): Resource[];
  /** Every campaign file read (relative paths, forward slashes), sorted. */
  readonly files: { path: string; sha256: string }[];
  /**
   * One digest of `files` (../project-index/files-summary.ts filesDigest): what the configuration
   * hash takes of them. A method: the project index answers it from its stored table without
   * listing 10,000 files.
   */
  filesDigest(): string;
  /** campaigns/_partials/<name>.hbs -> source. */
  partials: Record<string, string>;
  /** Everything found, all files, one pass; sorted by file, line, column. */
  diagnostics: Diagnostic[];
  /** The source range of a node inside a resource's document (nearest existing ancestor). */
  locate(address: string, path: (string | number)[]): Range | undefined;
}

/** What is known of a project before its files are: where it is and its environment. */
export type ProjectHead = Pick<Project, 'root' | 'environmentName' | 'environment'>;

export interface LoadOptions {
  /** Project root given with --dir (absolute, or relative to cwd). */
  dir?: string;
  /** Environment name given with --env. */
  env?: string;
  /** Where to start looking for the project root; default process.cwd(). */
  cwd?: string;
  /** The clock for rules such as "`when` in the past"; default new Date(). */
  now?: Date;
  /** Environment variables (CLEVERTAP_API_URL, CLEVERTAP_REGION, CAMPAIGNCTL_STATE, CAMPAIGNCTL_CACHE, CAMPAIGNCTL_THREADS); default process.env. */
  environ?: Record<string, string | undefined>;
  /**
   * Keep the project index in `.campaignctl/cache/` and reuse it (../project-index/persist.ts);
   * default false, so a library call never writes into the project. CAMPAIGNCTL_CACHE=off overrides it.
   */
  cache?: boolean;
  /** Threads for parsing and schema checks; 1 never starts workers. Default: CAMPAIGNCTL_THREADS in `environ`, else one per core (one alone on fewer than 3: defaultThreads). */
  threads?: number;
  /** Told how loading went (for --verbose). */
  onLoaded?: (report: LoadReport) => void;
  /**
   * Called, and awaited, once the environment is certain but before the project's files are
   * looked at: work that needs only the environment (opening state, asking CleverTap) can start
   * and overlap the check. Called at most once, and only when the persisted index was made on this
   * very configuration and knows no error; the project returned afterwards may still differ (a
   * file changed).
   */
  whileChecking?: (head: ProjectHead) => Promise<void>;
  /**
   * The persisted index is written when the caller saves it (openDesiredMemo(project).save(), as
   * planning does once it has derived the spec hashes) instead of as soon as the project is
   * loaded: a plan then writes its 12 MB once, not twice. The caller must save on every path.
   */
  deferIndexSave?: boolean;
  /**
   * Leave the files' checked results in the persisted index unread until completeProject()
   * (../project-index/load.ts): a plan whose no-change record answers never needs them. Until then
   * the project's resources, files and positions may not be asked for (that throws: a bug).
   */
  deferResults?: boolean;
}

export interface LoadReport {
  files: number;
  /** Resources loaded (every document that passed its schema). */
  resources: number;
  /** Files whose checked result came from the cache. */
  fromCache: number;
  /** Files read in this run (the others were taken unread on their unchanged stat stamp). */
  read: number;
  /** Files parsed and schema-checked in this run. */
  checked: number;
  /** Worker threads started (0: all on the main thread). */
  workers: number;
  /** `used`, `off`, or why the persisted index was not used (`absent`, `truncated`, ...). */
  cache: string;
  /** Taken whole from the persisted index: nothing it was made from changed since the last run. */
  snapshot: boolean;
  /** The files were scanned as the process began, before its modules loaded (../project-index/scan-ahead.ts). */
  scannedAhead: boolean;
}

