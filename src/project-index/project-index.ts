/**
 * The project index: one environment's loaded project, kept up to date file by file. It holds
 * every campaign file's checked result (resources with address, position and spec; parse and
 * schema diagnostics; node positions), every rule finding with how long it stands, and each
 * resource's spec hash and start time once the planner's desired state derived them. The CLI
 * persists it (./persist.ts, opened by ./load.ts); the daemon keeps it in memory and feeds it file events.
 *
 * update(changedPaths) re-reads only those paths and re-runs only the rules whose inputs changed:
 *   - a campaign file: re-checked (or dropped when gone, added when new); its resources' findings
 *     and hashes go with its old content;
 *   - campaignctl.yaml: re-checked and the environment resolved again; when the resolved
 *     environment (whole) moved, every finding and hash goes (every rule and hash may read it);
 *   - a partial (campaigns/_partials/*.hbs) or any other file, such as a `_` data file read as an
 *     email body: the findings and hashes of the resources that read it go (./reads.ts);
 *   - the rules across resources (duplicate addresses, schedule references) run again whenever a
 *     file came or went, or an edit changed what they read of its resources
 *     (../config/rules/project-inputs.ts) or a file their findings point into; a finding that
 *     depends on the clock runs again once its time has come;
 *   - a file only edited (none came or went) patches the last listing of files and resources.
 * Rebuilt from scratch, an index gives the same resources and diagnostics: the tests hold the two
 * together. A persisted file's resources stay serialized (in memory, checked when read) until
 * something asks for them with the project's explicit `resources()`: a run whose findings all stand
 * and that plans nothing (the no-change plan) decodes no spec. When every file reads at the stamp
 * recorded (or the few that do not still hold the content indexed: see #rereadWhole), the
 * persisted files table is not even made into entries: its stored summary
 * (./files-summary.ts) gives the project's diagnostics, counts and files digest, and the files and
 * resources are listed only when asked for. Nothing here reads a file after the update.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Resource } from '../model/resource.js';
import type { Derived, LastDesired } from '../apply/desired.js';
import type { DesiredResource } from '../plan/types.js';
import { desiredKey } from '../apply/desired-key.js';
import { byCodePoint, discover, partialFile, PARTIALS_DIR, type Discovered } from '../config/discover.js';
import type { ResolveContext, ResolvedEnvironment } from '../config/environment.js';
import type { FileStamp } from '../config/file-stamp.js';
import { configPositions, locator } from '../config/locator.js';
import { pickEnvironment } from '../config/pick-environment.js';
import { takeScan } from './scan-ahead.js';
import { scannedStamp, scanProject, type Scan } from '../config/scan.js';
import { filesDigest, summarize, type FilesSummary } from './files-summary.js';
import { checkProjectFiles, type CheckFilesReport, type FileOutcome } from '../config/project-files.js';
import { projectFileDigest } from '../config/project-file.js';
import type { Project } from '../config/project.js';
import { readSource, type Read as SourceRead } from '../config/read-source.js';
import { readUnit } from '../config/read-unit.js';
import { CAMPAIGNS_DIR, CONFIG_FILE } from '../config/root.js';
import type { RuleContext } from '../config/rules/index.js';
import { fromBlobDeferringSpecs } from '../config/cache-blob.js';
import { coolPool, offerRules, POOL_THRESHOLD, poolSize, rulesFound, warmPool, type FileFindings } from '../config/check-pool.js';
import { projectRuleInputs } from '../config/rules/project-inputs.js';
import { isStoredCheck, sha256, type StoredCheck, type StoredConfig } from '../config/stored-check.js';

/** At most this many files whose stamps moved are read again, each run, to take a table whole (see #rereadWhole); more decode it. */
const FEW_REREAD = 64;

export interface Finding {
  diagnostics: Diagnostic[];
  /** ms since the epoch from which the finding may no longer stand; null: while its inputs do. */
  until: number | null;
}

/**
 * One campaign file as indexed; docs, findings and reads are per resource, in the order of
 * check.resources. At least one of check and blob is there: a file read from the persisted index
 * has only its blob until checkOf() decodes it.
 */
export interface IndexedFile {
  sha256: string;
  stamp: FileStamp;
  trusted: boolean;
  check?: StoredCheck;
  /** `check` serialized (../config/cache-blob.ts), when it came that way: written as is. */
  blob?: Uint8Array;
  /** check.diagnostics, kept beside the blob: the project's diagnostics need no decoding. */
  diagnostics: Diagnostic[];
  /** Each resource's document index (what its derived hash is keyed by, with the file's content). */
  docs: number[];
  findings: (Finding | undefined)[];
  reads: (string[] | undefined)[];
}

export type FileState = IndexedFile | { problem: Diagnostic };

/** What an index is for: a project root, the environment asked for, and what resolves it. */
export interface IndexHead {
  root: string;
  /** --env; undefined: campaignctl.yaml's choice. */
  requested?: string;
  resolve: ResolveContext;
  threads?: number;
}

/** The state an index is made of (what ./persist.ts writes and reads back). */
export interface IndexState {
  /** The resolved environment and campaignctl.yaml, as one digest: findings and hashes hold for one. */
  context: string;
  configSha: string | null;
  config: StoredConfig;
  partials: Record<string, string>;
  files: Map<string, FileState>;
  /** The data files resources read (body files), by digest of what reading them gives. */
  data: Map<string, string>;
  /** Findings of the rules across resources; undefined: to run. */
  projectFindings: Diagnostic[] | undefined;
  /** Spec hash and start per resource, by desiredKey (file content and document). */
  derived: Map<string, Derived>;
  /**
   * A state read from disk whose files table is not decoded yet (./persist.ts): what the table
   * gives (./files-summary.ts), its files' digest, where a scan finds the table's files not at the
   * trusted stamps recorded (undefined: it finds other files) and the content hash of a file of
   * the table (prepare(): parse the table now, not at the first movedIn). Undefined once `files`
   * is read, and for a state made in memory.
   */
  readonly undecoded?: { summary: FilesSummary; digest: string; prepare(): void; movedIn(scan: Scan): number[] | undefined; sha256At(position: number): string | undefined };
  /**
   * A state read from disk with its files' checked results (the blobs, ~70% of the file) left
   * unread (./persist.ts readIndex, deferBlobs): `files` reads them when first decoded; readBlobs()
   * reads them now. Either throws when they fail their checksum (a damaged index).
   */
  readonly unreadBlobs?: boolean;
  readBlobs?(): void;
}

export interface UpdateReport extends Omit<CheckFilesReport, 'outcomes' | 'stamps' | 'blobs'> {
  /** Resources whose per-resource rules ran. */
  ruled: number;
  /** Nothing changed: the index is as it was. */
  unchanged: boolean;
  /** refresh() took the files from a scan started ahead (./scan-ahead.ts). */
  scannedAhead?: boolean;
}

/** The files of one generation of the index; their resources and locator are made when first asked. */
interface Listing {
  files: Project['files'];
  resources(): Resource[];
  located(): ReturnType<typeof locator>;
  /** What the next generation is patched from (see patchedListing). */
  entries: readonly [string, IndexedFile][];
  /** The resources, if resources() made them already. */
  made(): Resource[] | undefined;
}

const EMPTY_CONFIG: StoredConfig = { config: {}, valid: true, positions: '', diagnostics: [] };

export class ProjectIndex {
  readonly head: IndexHead;
  #s: IndexState;
  #env!: { environmentName: string; environment: ResolvedEnvironment; chosen: boolean; diagnostics: Diagnostic[] };
  #configProblem: Diagnostic | undefined;
  #partialProblems: Diagnostic[] = [];
  /** Folders under campaigns/ the last listing could not read (../config/discover.ts): errors, so nothing in them is planned as removed. */
  #unlisted: Diagnostic[] = [];
  /** The project of this generation, and what lists its files before the index changes (see #view). */
  #project: { view: Project; bind(): void } | undefined;
  /** The resources and files as indexed, and where their nodes are: rebuilt when a file moves. */
  #listing: Listing | undefined;
  /** Something changed since the state was last persisted. */
  dirty = false;
  /**
   * Desired resources built by earlier plans, by resource object (so by one content of one file:
   * an edited file's resources are new objects), kept in memory only. A file that changes or goes
   * takes its resources' with it; all go whenever derived values are dropped for a reason outside
   * the files (the environment, a partial, a data file). A Map, not a WeakMap: looked up 10,000
   * times per plan, it is twice as fast, and what it holds is dropped as said.
   */
  #desired = new Map<Resource, DesiredResource>();
  /** The last desired state built from those, with its resources: dropped with them (see ../apply/desired.ts). */
  #lastDesired: LastDesired | undefined;

  constructor(head: IndexHead, state?: IndexState) {
    this.head = head;
    this.#s = state ?? { context: '', configSha: null, config: EMPTY_CONFIG, partials: {}, files: new Map(), data: new Map(), projectFindings: undefined, derived: new Map() };
    if (!state) this.dirty = true;
  }

  get state(): IndexState {
    return this.#s;
  }

  /**
   * Brings the index up to the project on disk at `now`, for a run without file events (the CLI):
   * campaignctl.yaml, the partials and the data files read are read again; campaign files are
   * taken unread on a trusted stat stamp (../config/file-stamp.ts), else read and hashed.
   * `whileChecking` runs once the environment is known (before the files are looked at).
   */
  async refresh(now: Date, whileChecking?: (env: Pick<Project, 'root' | 'environmentName' | 'environment'>, clean: boolean) => Promise<void>): Promise<UpdateReport> {
    const root = this.head.root;
    this.#project?.bind();
    // The scan the CLI took as the process began (./scan-ahead.ts), if any.
    const ahead = takeScan(root);
    let changed = await this.#readConfig();
    // What needs only the environment (state, CleverTap's refresh: ../operations/context.ts) starts
    // before the files are compared when nothing known stands in its way: the configuration, and
    // the partials last read, read as before. Those requests travel while the files are compared.
    // A partial the scan found new costs no more than that head start (read-only requests).
    const partialReads = new Map<string, SourceRead>();
    const early = whileChecking && !changed && !this.#errorsKnown() && this.#partialsReadAsBefore(partialReads) ? whileChecking({ root, ...this.#env }, true) : undefined;
    early?.catch(() => undefined); // awaited below; this only keeps a throw before then from going unhandled
    // The files table parsed once the early requests are out, while they travel.
    const prepare = () => this.#s.undecoded?.prepare();
    if (early) early.then(prepare, () => undefined);
    else prepare();
    // A table read from disk may be taken whole: its files are scanned here when not ahead, so that
    // every run can tell. Any other run only lists the files (each known one is stat'ed as checked).
    const scan = ahead ?? (this.#s.undecoded ? scanProject(root) : undefined);
    const found = scan ?? discover(root);
    this.#takeUnlisted(found);
    // Every file found as the index recorded it, or read again as it holds (a repeated plan, the
    // plan after an apply): the table is not even decoded.
    const reread = scan && this.#rereadWhole(root, scan);
    const asIndexed = reread !== undefined;
    let checked: CheckFilesReport;
    try {
      // Files new to the index are read and checked: when there are enough for the worker threads,
      // those start now, while the partials are read.
      const threads = this.head.threads ?? poolSize();
      if (!asIndexed && threads > 1 && found.files.length > POOL_THRESHOLD && countNew(found.files, this.#s.files) > POOL_THRESHOLD) warmPool(root, threads);
      changed = this.#readPartials(found.partials, partialReads) || changed;
      if (early) await early;
      else if (whileChecking) await whileChecking({ root, ...this.#env }, !changed && !this.#errorsKnown());
      if (asIndexed) {
        checked = { outcomes: [], stamps: [], blobs: [], fromCache: found.files.length, read: reread, checked: 0, workers: 0 };
      } else {
        const files = this.#s.files;
        const scanned = scan && ((i: number) => scannedStamp(scan, i));
        // Files checked on worker threads get their per-resource rules run as they come back (see #runRules).
        offerRules(root, this.#env.chosen ? { context: this.#s.context, environment: this.#env.environment, partials: this.#s.partials, now: now.getTime(), findings: fileFindingsCode } : undefined);
        checked = await checkProjectFiles(root, found.files, { threads: this.head.threads, known: (f) => known(files.get(f)), scanned });
      }
    } finally {
      offerRules(root, undefined);
      await coolPool(root);
    }
    // Taken as indexed, no file changed (those read again hold what is indexed) and none came or
    // went. (A partial that moved since may have decoded the table to drop what read it: its files
    // are still the ones scanned.)
    const read = asIndexed ? [] : found.files;
    const present = new Set(read);
    const removed = asIndexed ? [] : [...this.#s.files.keys()].filter((f) => !present.has(f));
    const dataChanged = [...this.#s.data].filter(([file, digest]) => projectFileDigest(this.head.root, file) !== digest).map(([file]) => file);
    return { ...(await this.#settle(now, read, checked, removed, dataChanged, changed)), scannedAhead: ahead !== undefined };
  }

  /**
   * Whether the table read from disk may be taken whole for this scan: how many files were read
   * again for it, or undefined when it may not (the table is then decoded and the files checked
   * as usual). It may when every file is at the trusted stamp recorded, and also when a few are
   * not (the file an apply edited a moment ago, its stamp too recent to trust then) but each still
   * holds the content indexed. Their new stamps are not recorded: that would decode 10,000 entries
   * and write the 12 MB index again (~200 ms of a plan after an apply) for what costs a read of
   * each of a few files per run. They are recorded by the first run that decodes the table
   * anyway (any new content, or more than FEW_REREAD of them).
   */
  #rereadWhole(root: string, scan: Scan): number | undefined {
    const table = this.#s.undecoded;
    const moved = table?.movedIn(scan);
    if (moved === undefined || moved.length > FEW_REREAD) return undefined;
    for (const i of moved) {
      const read = readUnit(root, scan.files[i]!, table!.sha256At(i) ?? null);
      if (read.kind !== 'same') return undefined;
    }
    return moved.length;
  }

  /**
   * Takes file events: `changedPaths` (relative to the root, forward slashes) were written,
   * created or deleted. Only they are read again; see the file comment for what each marks.
   */
  async update(changedPaths: readonly string[], now: Date): Promise<UpdateReport> {
    this.#project?.bind();
    let changed = false;
    const campaignFiles: string[] = [];
    const removed: string[] = [];
    const others: string[] = [];
    let partialsMoved = false;
    for (const p of new Set(changedPaths)) {
      if (p === CONFIG_FILE) changed = (await this.#readConfig()) || changed;
      else if (isCampaignFile(p) && !existsSync(path.join(this.head.root, p))) removed.push(p);
      else if (isPartial(p)) partialsMoved = true;
      else if (isCampaignFile(p)) campaignFiles.push(p);
      else others.push(p);
    }
    if (partialsMoved) {
      const found = discover(this.head.root);
      this.#takeUnlisted(found);
      changed = this.#readPartials(found.partials) || changed;
    }
    const files = this.#s.files;
    campaignFiles.sort(byCodePoint);
    const checked = await checkProjectFiles(this.head.root, campaignFiles, { threads: this.head.threads, known: (f) => trustless(known(files.get(f))) });
    return this.#settle(now, campaignFiles, checked, removed, others, changed);
  }

  /**
   * Whether a change at `relativePath` (forward slashes) may change the project: campaignctl.yaml,
   * a campaign file, a partial, a file some resource reads (an email's body_file) or any file in a
   * `_` folder under campaigns/ (data a resource may come to read). Anything else (README.md,
   * docs/, an editor's swap or backup file) is never read by a load, so the daemon drops its events.
   */
  concerns(relativePath: string): boolean {
    const p = relativePath;
    if (p === CONFIG_FILE || isCampaignFile(p) || isPartial(p) || this.#s.data.has(p)) return true;
    const parts = p.split('/');
    return parts[0] === CAMPAIGNS_DIR && parts.every((x) => !x.startsWith('.')) && parts.slice(1, -1).some((x) => x.startsWith('_'));
  }

  /** Reads what the state read from disk left unread (IndexHead.deferred); throws when that fails its checksum. */
  readDeferred(): void {
    this.#s.readBlobs?.();
  }

  /** The project as indexed now (the same object until the next change). */
  project(): Project {
    return (this.#project ??= this.#view()).view;
  }

  /** How many resources the project has (counted without decoding any). */
  resourceCount(): number {
    return this.#env.chosen ? this.#summary().resources : 0;
  }

  /** How many campaign files the index holds. */
  fileCount(): number {
    return this.#s.undecoded?.summary.files ?? this.#s.files.size;
  }

  /** What the files give the project as a whole: as stored while the table is not decoded, else worked out. */
  #summary(): FilesSummary {
    return this.#s.undecoded?.summary ?? summarize(this.#s.files.values());
  }

  /** The spec hash and start the planner derived for a resource of this content (see ../apply/desired.ts). */
  get(key: string): Derived | undefined {
    return this.#s.derived.get(key);
  }

  set(key: string, value: Derived): void {
    this.#s.derived.set(key, value);
    this.dirty = true;
  }

  /** The desired resource an earlier plan built for this very resource, while nothing it derives from moved. */
  keptDesired(resource: Resource): DesiredResource | undefined {
    return this.#desired.get(resource);
  }

  keepDesired(resource: Resource, desired: DesiredResource): void {
    this.#desired.set(resource, desired);
  }

  /** The last desired state a plan built on the kept desired resources, while they stand. */
  lastDesired(): LastDesired | undefined {
    return this.#lastDesired;
  }

  keepLastDesired(last: LastDesired): void {
    this.#lastDesired = last;
  }

  /** A file's content leaves the index: so do the desired resources kept for it (decoded ones only were ever kept). */
  #dropKept(entry: FileState | undefined): void {
    if (entry && !('problem' in entry) && entry.check && this.#desired.size > 0) for (const r of entry.check.resources) this.#desired.delete(r);
  }

  /** Campaign files, config, environment and partials: what the findings' context digest covers besides the files. */
  async #readConfig(): Promise<boolean> {
    const read = readSource(this.head.root, CONFIG_FILE);
    this.#configProblem = 'problem' in read && !read.missing ? read.problem : undefined;
    const sha = 'text' in read ? sha256(read.text) : null;
    if (sha !== this.#s.configSha || this.#env === undefined) {
      if (sha !== this.#s.configSha) {
        // The checking code (yaml, ajv) is loaded only when campaignctl.yaml is new to the index.
        this.#s.config = 'text' in read ? (await import('../config/file-unit.js')).checkConfigText(read.text) : EMPTY_CONFIG;
        this.#s.configSha = sha;
      }
      const diagnostics: Diagnostic[] = [];
      const positions = configPositions(this.#s.config.positions, 'text' in read ? read.text : '');
      const picked = pickEnvironment(this.#s.config.config, positions, this.head.requested, this.head.resolve, diagnostics);
      this.#env = { ...picked, diagnostics };
    }
    const context = createHash('sha256').update(`${sha}\0${JSON.stringify(this.#env.environment)}`).digest('hex');
    if (context === this.#s.context) return false;
    this.#s.context = context;
    this.#forgetDerivations(() => true);
    this.#s.projectFindings = undefined;
    return true;
  }

  /**
   * Each partial last read reads the same now (one found since is for #readPartials to see). What
   * was read is kept in `reads`, by file, for #readPartials to take instead of reading it again.
   */
  #partialsReadAsBefore(reads: Map<string, SourceRead>): boolean {
    for (const [name, text] of Object.entries(this.#s.partials)) {
      const file = partialFile(name);
      const read = readSource(this.head.root, file);
      reads.set(file, read);
      if (!('text' in read) || read.text !== text) return false;
    }
    return true;
  }

  /** The partials as on disk (`reads`: some read moments ago); marks the dependents of those that changed, came or went. */
  #readPartials(found: ReadonlyMap<string, string>, reads?: ReadonlyMap<string, SourceRead>): boolean {
    const partials: Record<string, string> = {};
    this.#partialProblems = [];
    for (const [name, file] of found) {
      const read = reads?.get(file) ?? readSource(this.head.root, file);
      if ('problem' in read) this.#partialProblems.push(read.problem);
      else partials[name] = read.text;
    }
    const old = this.#s.partials;
    const moved = new Set([...Object.keys(old), ...Object.keys(partials)].filter((n) => old[n] !== partials[n]).map((n) => `p:${n}`));
    this.#s.partials = partials;
    if (moved.size === 0) return false;
    moved.add('p:*');
    this.#forgetDerivations((reads) => reads.some((t) => moved.has(t)));
    return true;
  }

  /** Drops the findings and hashes of resources whose reads match (all, for a new context). */
  #forgetDerivations(matches: (reads: string[]) => boolean): void {
    // Every kept desired resource is built again once (through the hashes still standing).
    this.#desired.clear();
    this.#lastDesired = undefined;
    for (const entry of this.#s.files.values()) {
      if ('problem' in entry) continue;
      entry.docs.forEach((doc, i) => {
        if (!matches(entry.reads[i] ?? [])) return;
        entry.findings[i] = undefined;
        entry.reads[i] = undefined;
        this.#s.derived.delete(desiredKey(entry.sha256, doc));
      });
    }
    this.#project = undefined;
    this.dirty = true;
  }

  async #settle(now: Date, read: readonly string[], checked: CheckFilesReport, removed: readonly string[], dataChanged: readonly string[], changed: boolean): Promise<UpdateReport> {
    // The table is touched only for files read or removed: taken whole, it stays undecoded.
    let filesMoved = removed.length > 0;
    // The findings of the rules across resources go when a file came or went or changed what those rules read.
    let projectMoved = filesMoved;
    let added = false;
    for (const f of removed) {
      this.#dropKept(this.#s.files.get(f));
      this.#s.files.delete(f);
    }
    const contentMoved: string[] = [];
    read.forEach((file, i) => {
      added ||= !this.#s.files.has(file);
      const took = this.#take(file, checked.outcomes[i], checked.stamps[i], checked.blobs[i]);
      if (took !== 'same') contentMoved.push(file);
      filesMoved ||= took !== 'same';
      projectMoved ||= took === 'moved';
    });
    // Kept in path order, as discover() gives them: a rebuilt index lists them the same.
    if (added) this.#s.files = new Map([...this.#s.files].sort(([a], [b]) => byCodePoint(a, b)));
    if (filesMoved) {
      // Files only edited (none came or went): the last listing with their places replaced.
      const last = this.#listing;
      this.#listing = last && !added && removed.length === 0 ? patchedListing(this.head.root, last, this.#s.files, contentMoved) : undefined;
    }
    if (projectMoved || added) this.#s.projectFindings = undefined;
    if (dataChanged.length > 0) {
      const tokens = new Set(dataChanged.map((f) => `f:${f}`));
      this.#forgetDerivations((reads) => reads.some((t) => tokens.has(t)));
    }
    const ruled = await this.#runRules(now);
    const unchanged = !changed && !filesMoved && dataChanged.length === 0 && ruled === 0;
    if (!unchanged) {
      this.#project = undefined;
      this.dirty = true;
    }
    const { outcomes: _outcomes, stamps: _stamps, blobs: _blobs, ...counts } = checked;
    return { ...counts, ruled, unchanged };
  }

  /**
   * One file's outcome into the index: 'same' when the project did not change with it, 'resources'
   * when it did but not what the rules across resources read (see sameForProjectRules), else 'moved'.
   */
  #take(file: string, o: FileOutcome | undefined, read: CheckFilesReport['stamps'][number], blob: Uint8Array | undefined): 'same' | 'resources' | 'moved' {
    const files = this.#s.files;
    const entry = files.get(file);
    if (o === undefined) {
      // The content is the one indexed: only its stamp may have moved.
      if (entry && !('problem' in entry) && read && (entry.stamp !== read.stamp || entry.trusted !== read.trusted)) {
        files.set(file, { ...entry, stamp: read.stamp, trusted: read.trusted });
        // The table is decoded anyway: a stamp that may now stand for the content is written with
        // it, so later runs take that file unread (until then each reads it again, see
        // #rereadWhole, and more than a few such files decode the table). An untrusted one would
        // be read again next run anyway.
        if (read.trusted) this.dirty = true;
      }
      return 'same';
    }
    this.#dropKept(entry);
    if ('problem' in o) {
      const same = entry !== undefined && 'problem' in entry && entry.problem.message === o.problem.message;
      files.set(o.file, o);
      return same ? 'same' : 'moved';
    }
    const kept = entry !== undefined && !('problem' in entry) && this.#sameForProjectRules(file, checkOf(entry).resources, o.check.resources);
    if (entry && !('problem' in entry)) for (const doc of entry.docs) this.#s.derived.delete(desiredKey(entry.sha256, doc));
    const n = o.check.resources.length;
    const docs = o.check.resources.map((r) => r.source.documentIndex);
    files.set(o.file, { sha256: o.sha256, stamp: read!.stamp, trusted: read!.trusted, check: o.check, blob, diagnostics: o.check.diagnostics, docs, findings: new Array(n).fill(undefined), reads: new Array(n).fill(undefined) });
    return kept ? 'resources' : 'moved';
  }

  /**
   * Whether the rules across resources would find the same with this file's resources `after`
   * instead of `before`: they read the same of each (../config/rules/project-inputs.ts), in the
   * same order, and no standing finding of theirs points into the file (whose positions may have
   * moved). An edit of one campaign's title then runs no rule over the other 9,999 resources.
   */
  #sameForProjectRules(file: string, before: readonly Resource[], after: readonly Resource[]): boolean {
    const findings = this.#s.projectFindings;
    if (findings === undefined || before.length !== after.length) return false;
    if (findings.some((d) => d.file === file || d.related?.some((x) => x.file === file))) return false;
    return before.every((r, i) => projectRuleInputs(r) === projectRuleInputs(after[i]!));
  }

  /** Runs the rules whose findings are missing or expired; returns how many resources it ran them on. */
  async #runRules(now: Date): Promise<number> {
    if (!this.#env.chosen) return 0;
    const t = now.getTime();
    // Every finding standing at `t`, told by the stored summary: the table is not decoded for it.
    const due = this.#s.undecoded?.summary.rulesDue;
    if (due !== undefined && (due === null || t < due) && this.#s.projectFindings !== undefined) return 0;
    const stale: [IndexedFile, number][] = [];
    for (const entry of this.#s.files.values()) {
      if ('problem' in entry) continue;
      entry.findings.forEach((f, i) => {
        if (f === undefined || (f.until !== null && t >= f.until)) stale.push([entry, i]);
      });
    }
    if (stale.length === 0 && this.#s.projectFindings !== undefined) return 0;
    // The rules (and the template engine and libraries they use) are loaded only now: a run where
    // every finding stands never needs them.
    const [{ projectRules, resourceRules }, { readsOf }] = await Promise.all([import('../config/rules/index.js'), import('./reads.js')]);
    const listing = this.#listed();
    const root = this.head.root;
    const partials = this.#s.partials;
    const ctx: RuleContext = { root, resources: listing.resources(), environment: this.#env.environment, partials, ...listing.located(), now };
    this.#s.projectFindings ??= projectRules(ctx);
    for (const [entry, i] of stale) {
      const pre = this.#foundInWorker(entry, t);
      if (pre) {
        const [diagnostics, until, reads] = pre[i]!;
        entry.findings[i] = { diagnostics, until };
        entry.reads[i] = reads;
      } else {
        const r = checkOf(entry).resources[i]!;
        entry.findings[i] = resourceRules(r, ctx);
        entry.reads[i] = readsOf(root, r, partials);
      }
      for (const token of entry.reads[i]!) if (token.startsWith('f:')) this.#s.data.set(token.slice(2), projectFileDigest(root, token.slice(2)));
    }
    // Data files no resource reads any more are not watched.
    const read = new Set<string>();
    for (const e of this.#s.files.values()) if (!('problem' in e)) for (const rs of e.reads) for (const tk of rs ?? []) if (tk.startsWith('f:')) read.add(tk.slice(2));
    for (const f of [...this.#s.data.keys()]) if (!read.has(f)) this.#s.data.delete(f);
    this.#project = undefined;
    return stale.length;
  }

  /**
   * What a worker thread found running the per-resource rules on this entry's content when it
   * checked it (../config/check-pool.ts), if that was in the context the rules would run in now:
   * the same environment and campaignctl.yaml, the very same partials, the same "now".
   */
  #foundInWorker(entry: IndexedFile, t: number): FileFindings | undefined {
    const pre = rulesFound(entry.blob);
    if (!pre || pre.rules.context !== this.#s.context || pre.rules.partials !== this.#s.partials || pre.rules.now !== t) return undefined;
    return pre.found.length === entry.docs.length ? pre.found : undefined;
  }

  #listed(): Listing {
    return (this.#listing ??= listing(this.head.root, this.#s.files));
  }

  /**
   * The Project of the index as it is. With no environment chosen, no files: its error is the one
   * to read. Its resources are decoded when resources() (or locate) is first called, from this
   * generation of the index whatever happens to the index after.
   */
  #view(): { view: Project; bind(): void } {
    const s = this.#s;
    const diagnostics: Diagnostic[] = [...this.#partialProblems, ...this.#unlisted];
    if (this.#configProblem) diagnostics.push(this.#configProblem);
    diagnostics.push(...s.config.diagnostics, ...this.#env.diagnostics);
    const { environmentName, environment, chosen } = this.#env;
    const base = { root: this.head.root, config: s.config.config, environmentName, environment, partials: s.partials };
    if (!chosen) return { view: { ...base, resources: () => [], files: [], filesDigest: () => filesDigest([]), diagnostics: sortDiagnostics(diagnostics), locate: () => undefined }, bind: () => undefined };
    const summary = this.#summary();
    diagnostics.push(...summary.fileDiagnostics, ...(s.projectFindings ?? []), ...summary.findingDiagnostics);
    // The files and resources are listed when first asked for: a run that only needs the project's
    // diagnostics and digest (the no-change plan) never decodes the table. Listed from this
    // generation of the index whatever happens to it after (refresh and update bind it first).
    const stored = s.undecoded?.digest;
    let listed: Listing | undefined;
    const list = () => (listed ??= this.#listed());
    // What the project shows never reads a file: results a load deferred are read by readDeferred() only.
    const shown = () => {
      if (listed === undefined && s.unreadBlobs) throw new Error('the project was loaded with its checked results deferred and read before completeProject()');
      return list();
    };
    let digest: string | undefined;
    const view: Project = {
      ...base,
      resources: () => shown().resources(),
      get files() {
        return shown().files;
      },
      filesDigest: () => (digest ??= listed === undefined && stored !== undefined ? stored : filesDigest(shown().files)),
      diagnostics: sortDiagnostics(diagnostics),
      locate: (a, p) => shown().located().locate(a, p),
    };
    if (s.undecoded === undefined) list();
    return { view, bind: () => void list() };
  }

  #takeUnlisted(found: Pick<Discovered, 'unlisted'>): void {
    this.#unlisted = found.unlisted.map((u) => diagnostic('file.unlistable-folder', { detail: u.detail }, { file: u.folder }));
  }

  /** Some error is known from the last run (nothing is opened early for a project that can not be planned). */
  #errorsKnown(): boolean {
    const s = this.#s;
    const error = (ds: readonly Diagnostic[] | undefined) => ds?.some((d) => d.severity === 'error') === true;
    return this.#configProblem !== undefined || this.#partialProblems.length > 0 || this.#unlisted.length > 0 || error(s.config.diagnostics) || error(this.#env.diagnostics) || error(s.projectFindings) || this.#summary().errors;
  }
}

/**
 * A file's checked result, decoded from its blob on first need (the blob was checked when read: see
 * ./persist.ts). Its resources' specs are decoded when one is first read: a plan whose hashes all
 * stand reads the addresses, kinds and sources of 10,000 resources and few of their specs.
 */
export function checkOf(e: IndexedFile): StoredCheck {
  if (e.check) return e.check;
  const check = fromBlobDeferringSpecs<StoredCheck>(e.blob!);
  if (!isStoredCheck(check)) throw new Error('a checked entry of the project index does not decode though its checksum matched');
  return (e.check = check);
}

/** The listing of these files (taken as they are now: a later change of the index makes a new one). */
function listing(root: string, current: ReadonlyMap<string, FileState>): Listing {
  const entries = [...current].filter((x): x is [string, IndexedFile] => !('problem' in x[1]));
  return listingOf(root, entries, entries.map(([path, e]) => ({ path, sha256: e.sha256 })));
}

/**
 * The listing after `changed` files (listed before and after, none added or removed) took new
 * content: the last one's arrays copied with those files' places replaced, instead of listing
 * 10,000 files and their resources again. Its resources are patched in place when the last
 * listing made them and each changed file has as many as before (else made when asked).
 * Undefined when a changed file is not in the last listing at its place in path order.
 */
function patchedListing(root: string, last: Listing, current: ReadonlyMap<string, FileState>, changed: readonly string[]): Listing | undefined {
  const entries = last.entries.slice();
  const files = last.files.slice();
  const places: number[] = [];
  for (const path of changed) {
    const e = current.get(path);
    const i = placeOf(entries, path);
    if (e === undefined || 'problem' in e || i < 0 || entries[i]![1].docs.length !== e.docs.length) return undefined;
    entries[i] = [path, e];
    files[i] = { path, sha256: e.sha256 };
    places.push(i);
  }
  const before = last.made();
  let resources: Resource[] | undefined;
  if (before) {
    resources = before.slice();
    // Where each file's resources start: every file keeps its count, so the offsets are the last ones.
    let offset = 0;
    let next = 0;
    const sorted = [...places].sort((a, b) => a - b);
    for (let i = 0; i < entries.length && next < sorted.length; i++) {
      if (i === sorted[next]) {
        const rs = checkOf(entries[i]![1]).resources;
        for (let k = 0; k < rs.length; k++) resources[offset + k] = rs[k]!;
        next++;
      }
      offset += entries[i]![1].docs.length;
    }
  }
  return listingOf(root, entries, files, resources);
}

/** Binary search of a path in entries kept in path order; -1 when it is not at its place. */
function placeOf(entries: readonly [string, IndexedFile][], path: string): number {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = byCodePoint(entries[mid]![0], path);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function listingOf(root: string, entries: readonly [string, IndexedFile][], files: Project['files'], made?: Resource[]): Listing {
  let resources = made;
  let located: ReturnType<typeof locator> | undefined;
  const list = () => (resources ??= entries.flatMap(([, e]) => checkOf(e).resources));
  return {
    files,
    entries,
    made: () => resources,
    resources: list,
    // The files by path only when a node is first located (a change shown, a rule's finding): a
    // 10,000-entry Map costs a few ms, and most edits' plans locate nothing.
    located: () => {
      let byFile: Map<string, IndexedFile> | undefined;
      return (located ??= locator(root, list(), files, (file) => {
        const e = (byFile ??= new Map(entries)).get(file);
        return e && checkOf(e);
      }));
    },
  };
}

/** How many of `found` the index does not hold. */
function countNew(found: readonly string[], files: ReadonlyMap<string, FileState>): number {
  let n = 0;
  for (const f of found) if (!files.has(f)) n++;
  return n;
}

/** The entry itself (it has the fields a KnownFile has): no copy per file on a 10,000-file refresh. */
function known(e: FileState | undefined): IndexedFile | undefined {
  return e && !('problem' in e) ? e : undefined;
}

/** A file named by an event is read whatever its stamp says. */
function trustless<T extends { trusted: boolean }>(k: T | undefined): T | undefined {
  return k && { ...k, trusted: false };
}

function isPartial(p: string): boolean {
  return p.startsWith(`${PARTIALS_DIR}/`) && p.endsWith('.hbs') && !p.slice(PARTIALS_DIR.length + 1).includes('/');
}

/** As discover() finds them: campaigns/**\/*.yaml|yml, no `_` or `.` name on the way. */
function isCampaignFile(p: string): boolean {
  const parts = p.split('/');
  return parts[0] === 'campaigns' && parts.length > 1 && parts.slice(1).every((x) => !x.startsWith('_') && !x.startsWith('.')) && /\.ya?ml$/.test(p);
}

/** By file (project-level problems first), then position, then the order found: stable output. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => byCodePoint(a.d.file ?? '', b.d.file ?? '') || (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.column ?? 0) - (b.d.column ?? 0) || a.i - b.i)
    .map((x) => x.d);
}

/** The per-resource rules over one file, for the checking pool: loaded only when a pool checks files. */
async function fileFindingsCode() {
  return (await import('./file-findings.js')).fileFindings;
}
