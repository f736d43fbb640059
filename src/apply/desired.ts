/**
 * Desired state: what each YAML resource should look like once applied, as the planner compares
 * it. The spec hash must change when what CleverTap would receive changes, and must NOT change by
 * itself from one day to the next. So the hash is taken over:
 *   - the spec as written (canonical: key order, formatting and comments never matter; relative
 *     dates such as `{ daysAgo: 30 }` stay relative, so a plan tomorrow sees no change), plus
 *   - `$inputs`, what the request sent for it reads from outside the file: the resolved value of
 *     every `vars.*` its templates (or a partial they include) use (all of `vars` when a template
 *     reads `vars` whole), the sha256 of every partial included, the sha256 of an email
 *     `body_file`, and the account time zone when the body depends on it (an ISO `when` becomes
 *     CleverTap's local `YYYYMMDD HH:MM`; `{daysAgo}` dates and the `date` helper read the zone).
 *     Changing `vars.appName` in campaignctl.yaml therefore changes exactly the resources that use
 *     it, and the plan's diff shows `$inputs.vars.appName`; correcting `accountTimezone` replaces
 *     the scheduled campaigns whose `when` CleverTap would now read differently.
 * Campaign bodies are rendered (with the clock) only for the changes that need them: estimates,
 * saved plans and apply. With a memo (the project index, ../project-index/), a resource whose file
 * content and inputs are those of an earlier run takes that run's hash and start, and builds its
 * canonical spec only when the planner shows it.
 */
import { createHash } from 'node:crypto';
import type { Project } from '../config/project.js';
import { readProjectFile } from '../config/project-file.js';
import { bodyFileOf } from '../config/rules/body-files.js';
import { createTemplateEngine, type TemplateEngine } from '../templates/engine.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import type { CampaignResource } from '../model/specs.js';
import { canonicalize, hashOfCanonical, type Canonical } from '../plan/canonical.js';
import type { StartsAt } from '../plan/instant.js';
import { desiredKey } from './desired-key.js';
import type { DesiredResource } from '../plan/types.js';
import { campaignStartsAt, renderCampaignBody, type CampaignCreateBody } from '../render/campaign.js';
import { bodyFilePath } from '../render/content.js';
import type { FileRead, RenderContext } from '../render/context.js';
import { campaignTitle } from './marker.js';
import { AddressIndex } from './address-index.js';

/** The key under which template inputs join the canonical spec. `$` never starts a schema field. */
export const INPUTS_KEY = '$inputs';

export interface TemplateInputs {
  vars?: Record<string, Canonical>;
  partials?: Record<string, string>;
  files?: Record<string, string>;
  accountTimezone?: string;
}

/** What desired state derives from a resource and keeps across runs. */
export interface Derived {
  specHash: string;
  startsAt?: StartsAt;
}

/** Derived values of earlier runs, by desiredKey; the project index keeps them (and drops them when an input moves). */
export interface DesiredMemo {
  get(key: string): Derived | undefined;
  set(key: string, value: Derived): void;
  /** Persists what was set, when the index is persisted; false when it could not be written (not an error). */
  save(): boolean;
  /**
   * The daemon's in-memory index also keeps the desired resources themselves, by resource (one
   * file content), for as long as nothing they derive from moved: a one-file edit then derives
   * only the changed file's resources. Absent: every resource is looked up by key (above).
   */
  kept?(resource: Resource): DesiredResource | undefined;
  keep?(resource: Resource, desired: DesiredResource): void;
  /**
   * The last desired state made with this memo and the resources it was made from, dropped with
   * the kept desired resources (whenever something they derive from moved): the next plan's
   * state is that one with the edited resources' entries replaced (see prepareDesired).
   */
  last?(): LastDesired | undefined;
  keepLast?(last: LastDesired): void;
}

export interface LastDesired {
  resources: readonly Resource[];
  state: DesiredState;
}

export type DesiredEntry = { desired: DesiredResource; resource: Resource };

export interface DesiredState {
  desired: DesiredResource[];
  /** The first definition of each address (./address-index.ts): read-only, shared with later plans. */
  byAddress: AddressIndex<DesiredEntry>;
  engine: TemplateEngine;
  /** Some resource's hash read a file besides the YAML (an email `body_file`). */
  readsFiles: boolean;
}

/** Past this many resources changed since the last state, it is made anew (the edit is not small). */
const MAX_PATCHED = 64;

export function prepareDesired(project: Project, opts: { engine?: TemplateEngine; memo?: DesiredMemo } = {}): DesiredState {
  const engine = opts.engine ?? createTemplateEngine({ partials: project.partials });
  const readFile = projectReader(project.root);
  const memo = opts.memo;
  const shaOf = fileShas(project.files);
  const resources = project.resources();
  let readsFiles = false;
  const inputContext: InputContext = { engine, partials: project.partials, vars: project.environment.vars, accountTimezone: project.environment.accountTimezone, readFile };
  // One function for every resource (a remembered one calls it only when its spec is shown).
  const canonicalOf = (resource: Resource): Canonical => {
    const spec = resource.spec as Record<string, unknown>;
    const inputs = templateInputs(resource, inputContext);
    return canonicalize(Object.keys(inputs).length > 0 ? { ...spec, [INPUTS_KEY]: inputs } : spec);
  };
  const derive = (resource: Resource): DesiredResource => {
    const kept = memo?.kept?.(resource);
    if (kept) return kept;
    const fileSha = shaOf(resource.source.file);
    // (A resource with a body_file is never remembered, so a hit needs no look at its spec.)
    const key = memo && fileSha ? desiredKey(fileSha, resource.source.documentIndex) : undefined;
    const known = key ? memo!.get(key) : undefined;
    let d: DesiredResource;
    if (known) {
      // Same content, same context: the hash and start of an earlier run; the canonical spec is
      // built only if the planner shows it (a change).
      d = new Remembered(resource, known, canonicalOf);
    } else {
      const canonicalSpec = canonicalOf(resource);
      d = { resource, specHash: hashOfCanonical(canonicalSpec), canonicalSpec };
      if (resource.kind === 'Campaign') {
        const start = campaignStartsAt(resource.spec as Record<string, unknown>, { accountTimezone: project.environment.accountTimezone });
        if (start) d.startsAt = start;
      }
      if (emailBodyFile(resource)) readsFiles = true;
      else if (key) memo!.set(key, d.startsAt ? { specHash: d.specHash, startsAt: d.startsAt } : { specHash: d.specHash });
    }
    // (A resource with a body_file reads a file each time, so it is never kept; nor remembered, so
    // a remembered one is kept without a look at its spec, which a plan whose hashes stand never reads.)
    if (known || !emailBodyFile(resource)) memo?.keep?.(resource, d);
    return d;
  };
  const state = patchedDesired(memo?.last?.(), resources, derive, engine) ?? freshDesired(resources, derive, engine);
  if (readsFiles) state.readsFiles = true;
  memo?.keepLast?.({ resources, state });
  return state;
}

function freshDesired(resources: readonly Resource[], derive: (r: Resource) => DesiredResource, engine: TemplateEngine): DesiredState {
  const desired: DesiredResource[] = [];
  const byAddress = new Map<string, DesiredEntry>();
  for (const resource of resources) {
    const d = derive(resource);
    desired.push(d);
    if (!byAddress.has(resource.address)) byAddress.set(resource.address, { desired: d, resource });
  }
  return { desired, byAddress: AddressIndex.of(byAddress), engine, readsFiles: false };
}

/**
 * The last state with the resources that are new objects since (an edited file's) derived again,
 * when they are few and each has the address its place had: the array is copied (cheap) and the
 * index by address shares the last one's (./address-index.ts). It equals what freshDesired gives:
 * a resource object that did not change keeps its desired resource (memo.kept would give that
 * very object), and a first definition stays the first. Undefined when it can not be used: no
 * last state, one that read a body file (those are derived every time), or more or other changes.
 */
function patchedDesired(last: LastDesired | undefined, resources: readonly Resource[], derive: (r: Resource) => DesiredResource, engine: TemplateEngine): DesiredState | undefined {
  if (!last || last.state.readsFiles || last.resources.length !== resources.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < resources.length; i++) {
    if (resources[i] === last.resources[i]) continue;
    if (changed.length === MAX_PATCHED || resources[i]!.address !== last.resources[i]!.address) return undefined;
    changed.push(i);
  }
  const desired = last.state.desired.slice();
  const entries = new Map<string, DesiredEntry>();
  for (const i of changed) {
    const resource = resources[i]!;
    desired[i] = derive(resource);
    // The entry is the first definition's: replaced only when that was the old resource here.
    if (last.state.byAddress.get(resource.address)?.resource === last.resources[i]) entries.set(resource.address, { desired: desired[i]!, resource });
  }
  const byAddress = entries.size === 0 ? last.state.byAddress : last.state.byAddress.with(entries);
  return byAddress && { desired, byAddress, engine, readsFiles: false };
}

/**
 * Each file's sha256 by path. A one-file edit's plan derives the resources of that file only
 * (the others are kept): the first few are found by a scan, and the Map of every path (a few ms
 * on 10,000 files) is built only when more are asked for (a cold run asks for all of them).
 */
function fileShas(files: Project['files']): (path: string) => string | undefined {
  const SCANS = 8;
  let scans = 0;
  let byPath: Map<string, string> | undefined;
  return (path) => {
    if (byPath === undefined && scans < SCANS) {
      scans++;
      return files.find((f) => f.path === path)?.sha256;
    }
    byPath ??= new Map(files.map((f) => [f.path, f.sha256]));
    return byPath.get(path);
  };
}

/**
 * A desired resource whose hash and start an earlier run derived: the canonical spec (pure work:
 * a remembered resource reads no file) is built on first read. A class, so 10,000 of them share
 * one accessor instead of each carrying its own.
 */
class Remembered implements DesiredResource {
  readonly resource: Resource;
  readonly specHash: string;
  readonly startsAt?: StartsAt;
  #canonical: Canonical | undefined;
  readonly #build: (resource: Resource) => Canonical;

  constructor(resource: Resource, known: Derived, build: (resource: Resource) => Canonical) {
    this.resource = resource;
    this.specHash = known.specHash;
    if (known.startsAt) this.startsAt = known.startsAt;
    this.#build = build;
  }

  get canonicalSpec(): Canonical {
    return (this.#canonical ??= this.#build(this.resource));
  }
}

interface InputContext {
  engine: TemplateEngine;
  partials: Record<string, string>;
  vars: Record<string, unknown>;
  accountTimezone: string;
  readFile: (projectPath: string) => FileRead;
}

/** A partial call, as the project index (../project-index/reads.ts) also finds them. */
export const PARTIAL_CALL = /\{\{~?#?>\s*([A-Za-z0-9_./-]+)/g;
/** A `date` helper call (a Liquid `date` filter matches too: one input too many only costs a re-plan). */
const DATE_HELPER = /\{\{[^}]*\bdate\b/;
/** An ISO instant with an offset: CleverTap is sent it as a local time of the account's zone. */
const ISO_WHEN = /^\d{4}-\d{2}-\d{2}T/;

/** What a resource's templates read from outside its own document (see the file comment). */
export function templateInputs(resource: Resource, ctx: InputContext): TemplateInputs {
  const varPaths = new Set<string>();
  const partials = new Map<string, string>();
  const files: Record<string, string> = {};
  let readsZone = isoWhen(resource);

  const scan = (text: string) => {
    if (!text.includes('{{')) return;
    if (DATE_HELPER.test(text)) readsZone = true;
    for (const v of safeVariables(ctx.engine, text)) {
      if (v.startsWith('vars.')) varPaths.add(v);
      // `{{#with vars}}`, `{{lookup vars ...}}`, `{{json vars}}`: every var may reach the body.
      else if (v === 'vars') for (const name of Object.keys(ctx.vars)) varPaths.add(`vars.${name}`);
    }
    // A partial call holds `>`; matchAll copies its pattern on every call (../project-index/reads.ts).
    if (!text.includes('>')) return;
    for (const m of text.matchAll(PARTIAL_CALL)) {
      const name = m[1]!;
      if (partials.has(name)) continue;
      const source = ctx.partials[name];
      partials.set(name, source === undefined ? 'missing' : sha256(source));
      if (source !== undefined) scan(source);
    }
  };
  // One walk finds the templates and any `{daysAgo}` date (a second walk for those cost as much).
  walkSpec(resource.spec, scan, () => (readsZone = true));

  const bodyFile = emailBodyFile(resource);
  if (bodyFile) {
    const file = bodyFilePath(resource.source.file, bodyFile);
    const read = file ? ctx.readFile(file) : undefined;
    files[file ?? bodyFile] = read?.ok ? sha256(read.text) : 'unreadable';
    if (read?.ok) scan(read.text);
  }

  const out: TemplateInputs = {};
  if (varPaths.size > 0) {
    out.vars = {};
    for (const p of [...varPaths].sort()) out.vars[p.slice('vars.'.length)] = canonicalize(lookup(ctx.vars, p.slice('vars.'.length)));
  }
  if (partials.size > 0) out.partials = Object.fromEntries([...partials].sort(([a], [b]) => (a < b ? -1 : 1)));
  if (Object.keys(files).length > 0) out.files = files;
  if (readsZone) out.accountTimezone = ctx.accountTimezone;
  return out;
}

/**
 * The spec's own fields that the account zone turns into wire values are an ISO `when` (this) and
 * `{daysAgo}` dates (found by walkSpec's onDaysAgo).
 */
function isoWhen(resource: Resource): boolean {
  const spec = resource.spec as Record<string, unknown>;
  return resource.kind === 'Campaign' && typeof spec.when === 'string' && ISO_WHEN.test(spec.when);
}

/** Every string inside `value`, in order, calling onDaysAgo for each object that holds a `daysAgo` key. */
function walkSpec(value: unknown, visit: (text: string) => void, onDaysAgo: () => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) walkSpec(v, visit, onDaysAgo);
  else if (value && typeof value === 'object') {
    // for-in, not Object.keys: no array made per object walked (specs are plain data, nothing inherited).
    for (const key in value) {
      if (key === 'daysAgo') onDaysAgo();
      walkSpec((value as Record<string, unknown>)[key], visit, onDaysAgo);
    }
  }
}

/**
 * The Create Campaign body of a campaign, named with its title only: apply replaces `name` with
 * the title plus the journal marker of the attempt (remoteCampaignName).
 */
export function renderCampaign(
  project: Project,
  resource: Resource,
  engine: TemplateEngine,
  now: Date,
): { body: CampaignCreateBody; diagnostics: Diagnostic[] } {
  const r = resource as unknown as CampaignResource;
  const result = renderCampaignBody(r, renderContext(project, engine, now), campaignTitle(resource));
  return { body: result.body, diagnostics: result.diagnostics };
}

export function renderContext(project: Project, engine: TemplateEngine, now: Date): RenderContext {
  return {
    engine,
    vars: project.environment.vars,
    now,
    accountTimezone: project.environment.accountTimezone,
    locate: (address, p) => project.locate(address, p),
    readFile: projectReader(project.root),
  };
}

function projectReader(root: string): (projectPath: string) => FileRead {
  return (projectPath) => readProjectFile(root, projectPath);
}

function emailBodyFile(resource: Resource): string | undefined {
  return bodyFileOf(resource)?.value;
}

function safeVariables(engine: TemplateEngine, text: string): string[] {
  try {
    return engine.variables(text);
  } catch {
    // A template that does not parse is reported by validation; it reads nothing we can name.
    return [];
  }
}

/** Every string inside `value` (a spec: plain data), in order: walkSpec without the dates. */
export function walkStrings(value: unknown, visit: (text: string) => void): void {
  walkSpec(value, visit, ignoreDaysAgo);
}

const ignoreDaysAgo = () => undefined;

function lookup(root: Record<string, unknown>, dotted: string): unknown {
  let cur: unknown = root;
  for (const part of dotted.split('.')) {
    if (!cur || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return null;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function sha256(text: string): string {
  return 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex');
}
