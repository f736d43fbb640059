/**
 * The no-change record: proof, kept in `.campaignctl/cache/no-change-<env>.json`, that a plan found
 * nothing to do, and on exactly which inputs. The planner is a pure function of desired state,
 * recorded state, CleverTap's statuses, the options and the clock; when none of them moved, its
 * answer is the same "No changes", and the next `plan` gives it without reading state's rows,
 * hashing the project's resources or running the planner. CleverTap is still asked every time:
 * drift is never taken from a record.
 *
 * A record stands only for:
 *   - the same configuration (configHash: environment, every campaign file and partial by
 *     content), the same recorded state (its revision, which changes with every write and differs
 *     between copies written apart) and the same build of campaignctl (../config/build-id.ts:
 *     all of its code, schemas and libraries; without a build id nothing is recorded);
 *   - the same options, but for how estimates are asked (--no-estimate, the estimate limit): only
 *     changes are estimated, and a recorded plan has none (a scoped plan is never recorded);
 *   - the same answer from CleverTap for every managed campaign (each row it returned, whole);
 *   - a clock inside its window: from when it was made until the first instant the planner would
 *     judge differently (a campaign's recorded start, a bulletin occurrence falling due), and at
 *     most MAX_AGE_MS.
 * Only a plan without changes and without errors is recorded, computed without settling the
 * journal, with CleverTap read, and with no resource whose hash reads a file outside the project's
 * YAML (an email `body_file`): such a file is not part of configHash.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeAtomically } from '../config/atomic-write.js';
import { buildId } from '../config/build-id.js';
import { CACHE_DIR } from '../config/cache-dir.js';
import type { Project } from '../config/project.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ListAnswer } from '../clevertap/client.js';
import type { RemoteCampaign } from '../model/applied.js';
import type { Plan, PlanMeta, PlanOptions } from '../plan/types.js';
import type { AppliedWithoutSpec, JournalWindow } from '../state/store.js';
import { configHash } from './config-hash.js';
import type { PlanOutcome, PlanRequest } from './planning.js';
import { managedCampaigns, pagesOf, refreshOfAnswers, remoteById, type RefreshResult } from './refresh.js';

/** Bump when what a record holds, or what it is keyed by, changes. */
const FORMAT = 5;

/** A record stands at most this long, whatever else holds. */
export const MAX_AGE_MS = 60 * 60 * 1000;

export interface NoChangeRecord {
  format: number;
  /** configHash, state revision, code: see keyOf. */
  key: string;
  options: string;
  /** The state revision and account zone the windows were computed for (also part of `key`). */
  revision: string;
  accountTimezone: string;
  validFrom: number;
  validUntil: number;
  windows: JournalWindow[];
  /**
   * [address, CleverTap id] of every managed campaign, as refresh reads them: JSON text within the
   * record, parsed only when asked for (managedOf). A run CleverTap answers byte for byte as
   * before needs none of them, and 10,000 pairs parsed cost ~12 ms and their collection.
   */
  managed: string;
  /** Digest of what CleverTap returned for them. */
  remote: string;
  /**
   * The digests of CleverTap's answers over `windows` that `remote` was made from (ListAnswer):
   * answers with the same digests are the same rows, so they give `remote` without being decoded.
   */
  answers?: string[];
  configHash: string;
  plan: Omit<Plan, 'now'>;
  diagnostics: Diagnostic[];
}

/** What a plan that may be recorded was computed from. */
export interface Recordable {
  plan: Plan;
  diagnostics: Diagnostic[];
  options: PlanOptions;
  /** The plan's hints name commands with it (--env, --dir): another target plans again. */
  commandTarget?: CommandTarget;
  now: Date;
  rows: readonly AppliedWithoutSpec[];
  refresh: RefreshResult | null;
  /** Settling ran, journal rows were open, or a resource's hash read a file outside the YAML. */
  excluded: boolean;
}

export class NoChangeMemo {
  readonly #file: string;
  /** The record on disk, not yet checked against this run's inputs. */
  readonly #stored: NoChangeRecord | undefined;
  /** This run's inputs, once check() keyed them (no key without a build id). */
  #run: Pick<NoChangeRecord, 'key' | 'configHash' | 'revision' | 'accountTimezone'> | undefined;
  /** The record, once check() found it made on this configuration, state and code. */
  candidate: NoChangeRecord | undefined;
  /** Whether record() wrote a record in this run. */
  recorded = false;
  /** CleverTap's answer, digested for the stored record as soon as it came (see digestWhenAnswered). */
  #answered: { answers: readonly ListAnswer[]; digest: string } | undefined;

  private constructor(file: string, stored: NoChangeRecord | undefined) {
    this.#file = file;
    this.#stored = stored;
  }

  /** Reads the record of a project's environment; check() says whether it stands for this run. */
  static read(project: Pick<Project, 'root' | 'environmentName'>): NoChangeMemo {
    const file = path.join(project.root, CACHE_DIR, `no-change-${project.environmentName.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
    let stored: NoChangeRecord | undefined;
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as NoChangeRecord;
      if (data.format === FORMAT && typeof data.managed === 'string' && Array.isArray(data.windows)) stored = data;
    } catch {
      // absent or damaged: no record
    }
    return new NoChangeMemo(file, stored);
  }

  /**
   * The record's list windows when it was made on this state and zone, so they are exactly the ones
   * state's rows would give: CleverTap can be asked over them without reading the rows, while
   * check() hashes the configuration.
   */
  windowsFor(revision: string, accountTimezone: string): JournalWindow[] | undefined {
    const r = this.#stored;
    return r && r.revision === revision && r.accountTimezone === accountTimezone ? r.windows : undefined;
  }

  /** The digests of the answers the record was made from, one per window of windowsFor (the list calls' `known`). */
  answersFor(revision: string, accountTimezone: string): string[] | undefined {
    return this.windowsFor(revision, accountTimezone) && this.#stored?.answers;
  }

  /**
   * Digests CleverTap's answer for the stored record's campaigns as soon as it arrives: a run that
   * asked ahead is then still waiting for its files, and reuse() finds the digest made.
   */
  digestWhenAnswered(answers: Promise<ListAnswer[]>): void {
    const r = this.#stored;
    if (!r) return;
    answers.then(
      (a) => void (this.#answered = { answers: a, digest: digestOf(r, a) }),
      () => undefined, // the plan meets the failure where it awaits the answer
    );
  }

  /**
   * Keys this run (configuration, the state revision read before any state row, code); the record
   * becomes the candidate when it was made under the same key.
   */
  check(project: Project, revision: string): void {
    const hash = configHash(project);
    const key = keyOf(hash, revision);
    this.#run = key === undefined ? undefined : { key, configHash: hash, revision, accountTimezone: project.environment.accountTimezone };
    this.candidate = key !== undefined && this.#stored?.key === key ? this.#stored : undefined;
  }

  /**
   * The candidate's plan again, when the options and clock are within it and CleverTap answered
   * the same for every managed campaign; else undefined (plan the long way).
   */
  reuse(q: { options: PlanOptions; commandTarget?: CommandTarget; now: Date; answers: readonly ListAnswer[] }): { plan: Plan; diagnostics: Diagnostic[]; configHash: string; refresh: () => RefreshResult } | undefined {
    const r = this.candidate;
    const t = q.now.getTime();
    if (!r || r.options !== optionsOf(q.options, q.commandTarget) || t < r.validFrom || t >= r.validUntil) return undefined;
    const answered = this.#answered;
    // (The candidate is the stored record: the one digestWhenAnswered digested for.)
    const digest = answered?.answers === q.answers ? answered.digest : digestOf(r, q.answers);
    if (digest !== r.remote) return undefined;
    return {
      plan: { ...r.plan, now: q.now.toISOString() },
      diagnostics: r.diagnostics,
      configHash: r.configHash,
      refresh: () => {
        const managed = managedOf(r);
        // Written by JSON.stringify, it parses; should it still not (a hand edit), nothing of it is guessed at.
        if (!managed) throw new Error(`the no-change record ${this.#file} holds no list of managed campaigns: delete it and run again`);
        return refreshOfAnswers(managed.map(([address, remoteId]) => ({ address, remoteId })), r.windows, q.answers);
      },
    };
  }

  /** Records a plan that found nothing to do (see the file comment for which); false when not recorded. */
  record(p: Recordable): boolean {
    const options = optionsOf(p.options, p.commandTarget);
    if (!this.#run || p.excluded || options === undefined || !p.refresh || p.plan.partial || p.plan.changes.length > 0 || p.diagnostics.some((d) => d.severity === 'error')) return false;
    const managed = managedCampaigns(p.rows).map((a): [string, number] => [a.address, a.remoteId]);
    const byId = new Map(p.refresh.remote.map((r) => [r.id, r]));
    const { now: _now, ...plan } = p.plan;
    const record: NoChangeRecord = {
      format: FORMAT,
      ...this.#run,
      options,
      validFrom: p.now.getTime(),
      validUntil: until(p.now.getTime(), p.rows, p.plan),
      windows: p.refresh.windows,
      managed: JSON.stringify(managed),
      remote: remoteDigest(managed, byId),
      // Only answers to these very windows, asked whole, say which bytes gave these rows.
      ...(p.refresh.answers?.length === p.refresh.windows.length ? { answers: p.refresh.answers } : {}),
      plan,
      diagnostics: p.diagnostics,
    };
    this.recorded = writeAtomically(this.#file, JSON.stringify(record));
    return this.recorded;
  }
}

/**
 * The digest of CleverTap's answers for the record's campaigns. Answers byte for byte those the
 * record was made from give its own digest: nothing is decoded (10,000 rows decoded and digested
 * cost ~35 ms in a process that just started, their bytes' digests ~3 ms).
 */
function digestOf(r: NoChangeRecord, answers: readonly ListAnswer[]): string {
  const known = r.answers;
  if (known && known.length === answers.length && answers.every((a, i) => a.digest === known[i])) return r.remote;
  const managed = managedOf(r);
  // A damaged list can not be compared: the plan is worked out the long way.
  return managed ? remoteDigest(managed, remoteById(pagesOf(answers))) : '';
}

const parsedManaged = new WeakMap<NoChangeRecord, [string, number][] | null>();
/** The record's managed campaigns, parsed once; null when its text is not such a list. */
function managedOf(r: NoChangeRecord): [string, number][] | null {
  let managed = parsedManaged.get(r);
  if (managed === undefined) {
    try {
      const data = JSON.parse(r.managed) as unknown;
      managed = Array.isArray(data) && data.every((m) => Array.isArray(m) && typeof m[0] === 'string' && typeof m[1] === 'number') ? (data as [string, number][]) : null;
    } catch {
      managed = null;
    }
    parsedManaged.set(r, managed);
  }
  return managed;
}

function keyOf(hash: string, revision: string): string | undefined {
  const build = buildId();
  return build === null ? undefined : createHash('sha256').update(`${FORMAT}\0${hash}\0${revision}\0${build}`).digest('hex');
}

/**
 * The options (and the printed commands' target) as part of the key; undefined for a scoped plan,
 * which is never recorded. How estimates are asked is left out: only changes are estimated, and a
 * recorded plan has none, so `plan --no-estimate` and `plan` find the same nothing to do (and the
 * plan an apply records for the next one, ../operations/apply.ts, asks no estimate).
 */
function optionsOf(o: PlanOptions, target: CommandTarget | undefined): string | undefined {
  if (o.scope) return undefined;
  return JSON.stringify([o.heal === true, o.allowLargeAudience === true, o.allowMassStop === true, target?.env ?? null, target?.dir ?? null]);
}

/**
 * Each managed campaign's row as CleverTap returned it (or its absence), in one digest. Every field
 * of RemoteCampaign is in it (the type check below fails when one is added and not digested).
 */
export function remoteDigest(managed: readonly [string, number][], byId: ReadonlyMap<number, RemoteCampaign>): string {
  // Hashed in pieces of a few hundred rows: 10,000 small update() calls cost more than the
  // hashing, and one string of 10,000 appends costs more again to flatten and encode.
  const hash = createHash('sha256');
  let text = '';
  let pending = 0;
  for (const [address, id] of managed) {
    const r = byId.get(id);
    text += r ? `${address}\0${r.id}\0${r.status}\0${JSON.stringify(r.name)}\0${JSON.stringify(r.scheduledOn) ?? ''}\n` : `${address}\0${id}\0-\n`;
    if (++pending === 256) {
      hash.update(text, 'utf8');
      text = '';
      pending = 0;
    }
  }
  return hash.update(text, 'utf8').digest('hex');
}
type Digested = 'id' | 'status' | 'name' | 'scheduledOn';
const everyRemoteFieldDigested: Exclude<keyof RemoteCampaign, Digested> extends never ? true : never = true;
void everyRemoteFieldDigested;

/**
 * The first instant after `now` at which the planner could judge these inputs differently: a
 * recorded campaign start (scheduled becomes running), a bulletin occurrence falling due; capped
 * at MAX_AGE_MS.
 */
function until(now: number, rows: readonly AppliedWithoutSpec[], plan: Plan): number {
  let earliest = now + MAX_AGE_MS;
  const consider = (iso: string | null | undefined) => {
    if (!iso) return;
    const t = Date.parse(iso);
    if (t > now && t < earliest) earliest = t;
  };
  for (const a of rows) consider(a.scheduledFor);
  for (const s of plan.scheduled) consider(s.at);
  return earliest;
}

/** A plan given again by the record: what a plan outcome shows, without desired state (never built). */
export type ReusedPlan = Pick<PlanOutcome, 'plan' | 'diagnostics' | 'payloads' | 'settlement' | 'refresh'> & { meta: PlanMeta & { serial: number; configHash: string } };

/**
 * The plan of the no-change record, when it stands for this run (see the file comment); undefined
 * otherwise, and computePlan (./planning.ts) works it out. Never while settling: settling writes.
 * Kept apart from computePlan so that a run the record answers loads none of the planning code.
 */
export async function reusePlan(req: Pick<PlanRequest, 'project' | 'store' | 'now' | 'options' | 'commandTarget' | 'provenance' | 'sandbox' | 'settle' | 'early' | 'noChange' | 'onStep'>): Promise<ReusedPlan | undefined> {
  const { early, noChange } = req;
  if (req.settle || !early || !noChange?.candidate) return undefined;
  req.onStep?.('state');
  const serial = await req.store.serial();
  if (early.serial !== serial) return undefined;
  req.onStep?.('refresh');
  let answers: ListAnswer[];
  try {
    answers = await early.answers;
  } catch {
    return undefined; // computePlan reports the failure
  }
  const reused = noChange.reuse({ options: req.options ?? {}, commandTarget: req.commandTarget, now: req.now, answers });
  if (!reused) return undefined;
  let refresh: RefreshResult | undefined;
  return {
    plan: reused.plan,
    diagnostics: [...reused.diagnostics],
    meta: { environment: req.project.environmentName, serial, configHash: reused.configHash, commit: req.provenance.git.commit, sandbox: req.sandbox === true },
    payloads: {},
    settlement: null,
    get refresh() {
      return (refresh ??= reused.refresh());
    },
  };
}
