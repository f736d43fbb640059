/**
 * Saved plans (`plan --out FILE`, `apply FILE`): the finalized plan plus what it was computed
 * against (environment, state serial, config hash, git commit), and the rendered request bodies
 * the caller puts in `payloads` so apply sends exactly what was reviewed. Pure: text in, text out.
 *
 * No secrets: the planner never holds any, payloads are request bodies (never headers), and
 * serializePlanFile refuses a document with secret-looking keys, credentialed URLs or any of the
 * secret values it is given.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { KINDS } from '../model/resource.js';
import type { Plan, PlanAction } from './types.js';

export const PLAN_FILE_VERSION = '1';
const KIND_TAG = 'campaignctl-plan';

export interface PlanFile {
  format_version: typeof PLAN_FILE_VERSION;
  kind: typeof KIND_TAG;
  environment: string;
  serial: number;
  config_hash: string;
  commit: string | null;
  created_at: string;
  plan: Plan;
  /** Change address -> rendered request body(ies) for that change; filled by the caller. */
  payloads: Record<string, unknown>;
}

export interface PlanFileMeta {
  environment: string;
  serial: number;
  configHash: string;
  commit: string | null;
  /** ISO instant; the caller reads the clock, not this module. */
  createdAt: string;
}

export function createPlanFile(plan: Plan, meta: PlanFileMeta, payloads: Record<string, unknown> = {}): PlanFile {
  return {
    format_version: PLAN_FILE_VERSION,
    kind: KIND_TAG,
    environment: meta.environment,
    serial: meta.serial,
    config_hash: meta.configHash,
    commit: meta.commit,
    created_at: meta.createdAt,
    plan,
    payloads,
  };
}

const SECRET_KEY = /^(passcode|password|secret|authorization|headers|x-clevertap-passcode|api[-_]?token|access[-_]?token|bearer)$/i;
const CREDENTIALED_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@"]+:[^/\s@"]+@/i;

export function serializePlanFile(file: PlanFile, opts: { secrets?: readonly string[] } = {}): { text: string | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!file.plan.finalized) {
    diagnostics.push(diagnostic('planfile.not-finalized', {}));
  }
  const addresses = new Set(file.plan.changes.map((c) => c.address));
  for (const key of Object.keys(file.payloads)) {
    if (!addresses.has(key)) diagnostics.push(diagnostic('planfile.payload-orphan', { key }));
  }
  for (const found of findSecrets(file, opts.secrets ?? [])) diagnostics.push(secretDiagnostic(file, found));
  const text = JSON.stringify(file, null, 2) + '\n';
  return diagnostics.length > 0 ? { text: null, diagnostics } : { text, diagnostics };
}

type SecretFinding = { kind: 'key' | 'url' | 'value'; path: (string | number)[] };

/** Every secret-looking key, credentialed URL or secret value in the document, with where it is. */
function findSecrets(value: unknown, secrets: readonly string[], path: (string | number)[] = [], out: SecretFinding[] = []): SecretFinding[] {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    if (CREDENTIALED_URL.test(text)) out.push({ kind: 'url', path });
    else if (secrets.some((s) => s.length >= 4 && text.includes(s))) out.push({ kind: 'value', path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findSecrets(v, secrets, [...path, i], out));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      // A key is text too: a secret value used as a key would otherwise reach the file unseen.
      if (SECRET_KEY.test(k)) out.push({ kind: 'key', path: [...path, k] });
      else if (CREDENTIALED_URL.test(k) || secrets.some((s) => s.length >= 4 && k.includes(s))) out.push({ kind: 'value', path: [...path, k] });
      else findSecrets(v, secrets, [...path, k], out);
    }
  }
  return out;
}

/**
 * Names the resource (its address) and the field inside it, so the YAML can be fixed; never the
 * value. Paths under a change read as the change's own (`after.content.title`), payload paths as
 * the request body's (`content.body`).
 */
function secretDiagnostic(file: PlanFile, found: SecretFinding): Diagnostic {
  const [top, second, ...rest] = found.path;
  let address: string | undefined;
  let field: (string | number)[] = found.path;
  let part: 'payload' | 'change' | undefined;
  if (top === 'payloads' && typeof second === 'string') {
    address = second;
    field = rest;
    part = 'payload';
  } else if (top === 'plan' && second === 'changes' && typeof rest[0] === 'number') {
    address = file.plan.changes[rest[0]]?.address;
    field = rest.slice(1);
    part = 'change';
  }
  const d = diagnostic('planfile.secret', { kind: found.kind, field: fieldPath(field), address, part });
  if (address) d.address = address;
  const source = address ? file.plan.changes.find((c) => c.address === address)?.source : undefined;
  if (source) Object.assign(d, { file: source.file, line: source.line, column: source.column });
  return d;
}

/** `content.links[0].url`; keys that are not identifiers are quoted. */
function fieldPath(path: readonly (string | number)[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$-]*$/.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`))
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Reading a plan file back

const ACTIONS: readonly PlanAction[] = ['create', 'replace', 'stop', 'forget', 'update', 'delete', 'send'];

/** `target`: the environment (and --dir) the file is applied to, for the command that makes a new one. */
export function parsePlanFile(text: string, path?: string, target: CommandTarget = { env: undefined }): { planFile: PlanFile | null; diagnostics: Diagnostic[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { planFile: null, diagnostics: [diagnostic('planfile.invalid-json', { detail: (e as Error).message, target }, { file: path })] };
  }
  const problems: string[] = [];
  const v = new Check(problems);
  if (!v.object(raw, '')) return { planFile: null, diagnostics: [diagnostic('planfile.invalid', { notObject: true, target }, { file: path })] };
  const o = raw as Record<string, unknown>;
  if (o.kind !== KIND_TAG) {
    return { planFile: null, diagnostics: [diagnostic('planfile.invalid', { kind: o.kind, target }, { file: path })] };
  }
  if (o.format_version !== PLAN_FILE_VERSION) {
    return {
      planFile: null,
      diagnostics: [
        diagnostic('planfile.version', { found: o.format_version, supported: PLAN_FILE_VERSION, target }, { file: path }),
      ],
    };
  }
  v.string(o.environment, 'environment');
  v.integer(o.serial, 'serial');
  v.string(o.config_hash, 'config_hash');
  v.nullable(o.commit, 'commit', (x, p) => v.string(x, p));
  v.string(o.created_at, 'created_at');
  v.object(o.payloads, 'payloads');
  if (v.object(o.plan, 'plan')) checkPlan(o.plan as Record<string, unknown>, v);
  if (problems.length > 0) {
    return {
      planFile: null,
      diagnostics: problems.map((p) => diagnostic('planfile.invalid', { detail: p, target }, { file: path })),
    };
  }
  return { planFile: raw as PlanFile, diagnostics: [] };
}

function checkPlan(p: Record<string, unknown>, v: Check): void {
  v.string(p.now, 'plan.now');
  if (p.finalized !== true) v.fail('plan.finalized must be true (only finalized plans are saved)');
  for (const key of ['drift', 'warnings', 'notes', 'scheduled'] as const) v.array(p[key], `plan.${key}`);
  v.object(p.summary, 'plan.summary');
  v.integer(p.liveManagedCampaigns, 'plan.liveManagedCampaigns');
  if (!v.array(p.changes, 'plan.changes')) return;
  (p.changes as unknown[]).forEach((c, i) => {
    const at = `plan.changes[${i}]`;
    if (!v.object(c, at)) return;
    const ch = c as Record<string, unknown>;
    v.string(ch.address, `${at}.address`);
    v.oneOf(ch.action, ACTIONS, `${at}.action`);
    v.oneOf(ch.kind, KINDS, `${at}.kind`);
    v.string(ch.reason, `${at}.reason`);
    v.boolean(ch.irreversible, `${at}.irreversible`);
    v.nullable(ch.specHash, `${at}.specHash`, (x, q) => v.string(x, q));
    v.nullable(ch.remoteId, `${at}.remoteId`, (x, q) => v.integer(x, q));
    v.array(ch.diff, `${at}.diff`);
    v.nullable(ch.estimate, `${at}.estimate`, (x, q) => {
      if (!v.object(x, q)) return;
      const e = x as Record<string, unknown>;
      v.number(e.total, `${q}.total`);
      v.object(e.byPlatform, `${q}.byPlatform`);
    });
    v.nullable(ch.startsAt, `${at}.startsAt`, (x, q) => {
      if (!v.object(x, q)) return;
      const s = x as Record<string, unknown>;
      if (s.kind === 'now') return;
      if (s.kind !== 'at') v.fail(`${q}.kind must be "now" or "at"`);
      else v.string(s.instant, `${q}.instant`);
    });
    if (!('before' in ch) || !('after' in ch)) v.fail(`${at} must have before and after`);
  });
}

/** Collects readable problems (`plan.changes[2].action must be one of ...`). */
class Check {
  constructor(private readonly problems: string[]) {}
  fail(message: string): void {
    this.problems.push(message);
  }
  object(x: unknown, path: string): boolean {
    if (typeof x === 'object' && x !== null && !Array.isArray(x)) return true;
    if (path) this.fail(`${path} must be an object`);
    return false;
  }
  array(x: unknown, path: string): boolean {
    if (Array.isArray(x)) return true;
    this.fail(`${path} must be an array`);
    return false;
  }
  string(x: unknown, path: string): void {
    if (typeof x !== 'string' || x === '') this.fail(`${path} must be a non-empty string`);
  }
  number(x: unknown, path: string): void {
    if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(`${path} must be a number`);
  }
  integer(x: unknown, path: string): void {
    if (!Number.isInteger(x) || (x as number) < 0) this.fail(`${path} must be a non-negative integer`);
  }
  boolean(x: unknown, path: string): void {
    if (typeof x !== 'boolean') this.fail(`${path} must be true or false`);
  }
  oneOf(x: unknown, allowed: readonly string[], path: string): void {
    if (typeof x !== 'string' || !allowed.includes(x)) this.fail(`${path} must be one of ${allowed.join(', ')}`);
  }
  nullable(x: unknown, path: string, then: (x: unknown, path: string) => void): void {
    if (x === undefined) this.fail(`${path} is missing (use null for none)`);
    else if (x !== null) then(x, path);
  }
}

// ---------------------------------------------------------------------------------------------
// Staleness

export interface CurrentContext {
  environment: string;
  serial: number;
  configHash: string;
  commit: string | null;
}

export interface StaleReason {
  field: 'environment' | 'serial' | 'config_hash' | 'commit';
  planned: string | number | null;
  current: string | number | null;
  message: string;
}

/** What moved since the plan was saved; empty means the plan may be applied as is. */
export function checkStale(file: PlanFile, current: CurrentContext): StaleReason[] {
  const out: StaleReason[] = [];
  if (file.environment !== current.environment) {
    out.push({
      field: 'environment',
      planned: file.environment,
      current: current.environment,
      message: `the plan is for environment "${file.environment}", not "${current.environment}"`,
    });
  }
  if (file.serial !== current.serial) {
    out.push({
      field: 'serial',
      planned: file.serial,
      current: current.serial,
      message: `state changed since the plan was made (serial ${file.serial}, now ${current.serial}): something was applied in between`,
    });
  }
  if (file.config_hash !== current.configHash) {
    out.push({
      field: 'config_hash',
      planned: file.config_hash,
      current: current.configHash,
      message: 'the configuration (campaignctl.yaml or campaigns/) changed since the plan was made',
    });
  }
  if (file.commit !== current.commit) {
    const short = (c: string | null) => (c === null ? 'no commit' : c.slice(0, 12));
    out.push({
      field: 'commit',
      planned: file.commit,
      current: current.commit,
      message: `the git commit moved (${short(file.commit)}, now ${short(current.commit)})`,
    });
  }
  return out;
}
