/**
 * The environment a command runs against: campaignctl.yaml's entry for it with every default
 * filled in, then the CLEVERTAP_REGION / CLEVERTAP_API_URL / CAMPAIGNCTL_STATE overrides. They are
 * applied here and nowhere else, so everything that reads the environment (the connection, a saved
 * plan's config hash) sees the same values. A project without
 * campaignctl.yaml (or without environments) gets an implicit `sandbox` environment.
 */
import { inspect } from 'node:util';
import path from 'node:path';
import { CONNECTION_ENV } from '../clevertap/connection.js';
import { DEFAULT_REGION } from '../clevertap/endpoints.js';
import { isKnownZone } from './calendar.js';
import type { EnvironmentConfig, ProjectConfig, Provider, QuietHoursConfig, Region, SandboxSettings } from './config-types.js';
import { isRecord } from '../model/record.js';

export interface ResolvedEnvironment {
  name: string;
  provider: Provider;
  /** CLEVERTAP_REGION, else campaignctl.yaml's region, else eu1. */
  region: Region;
  /** Base URL override (CLEVERTAP_API_URL, else campaignctl.yaml's apiUrl). */
  apiUrl?: string;
  accountTimezone: string;
  /** Names of the environment variables holding the secrets, never the secrets. */
  credentials: { accountIdEnv: string; passcodeEnv: string };
  /** An absolute SQLite path, or a postgres:// URL (may carry credentials: never print it raw). */
  state: string;
  limits: { concurrency: number; createsPerSecond: number };
  vars: Record<string, unknown>;
  quietHours?: QuietHoursConfig;
  /** Settings for the in-process CleverTap emulator (provider `sandbox`), as written. */
  sandbox?: SandboxSettings;
}

export const DEFAULT_ENVIRONMENT = 'sandbox';

/** The regions campaignctl.yaml's schema allows (a test holds the two lists together). */
export const KNOWN_REGIONS: readonly Region[] = ['eu1', 'in1', 'sg1', 'us1', 'aps3', 'mec1'];

export const ENVIRONMENT_DEFAULTS = {
  region: DEFAULT_REGION as Region,
  accountTimezone: 'UTC',
  accountIdEnv: CONNECTION_ENV.accountId,
  passcodeEnv: CONNECTION_ENV.passcode,
  concurrency: 3,
  createsPerSecond: 3,
};

export type EnvironmentChoice =
  | { ok: true; name: string; config: Partial<EnvironmentConfig> }
  | { ok: false; problem: 'unknown'; name: string; known: string[] }
  | { ok: false; problem: 'no-default'; known: string[] };

/**
 * Which environment to use: --env, else defaultEnvironment, else the only one, else `sandbox`
 * when defined; with no environments at all, an implicit sandbox.
 */
export function chooseEnvironment(config: ProjectConfig, requested: string | undefined): EnvironmentChoice {
  const envs = (isRecord(config.environments) ? config.environments : {}) as Record<string, EnvironmentConfig>;
  const known = Object.keys(envs);
  const defaultName = typeof config.defaultEnvironment === 'string' ? config.defaultEnvironment : undefined;
  if (known.length === 0) {
    const name = requested ?? defaultName ?? DEFAULT_ENVIRONMENT;
    if (name === DEFAULT_ENVIRONMENT) return { ok: true, name, config: { provider: 'sandbox' } };
    return { ok: false, problem: 'unknown', name, known };
  }
  let name = requested ?? defaultName;
  if (name === undefined) {
    if (known.length === 1) name = known[0];
    else if (known.includes(DEFAULT_ENVIRONMENT)) name = DEFAULT_ENVIRONMENT;
    else return { ok: false, problem: 'no-default', known };
  }
  if (!Object.hasOwn(envs, name)) return { ok: false, problem: 'unknown', name, known };
  return { ok: true, name, config: isRecord(envs[name]) ? envs[name] : {} };
}

export interface ResolveContext {
  root: string;
  cwd: string;
  environ: Record<string, string | undefined>;
}

/**
 * Defaults filled in, overrides applied. Values of the wrong type (a campaignctl.yaml with schema
 * errors, already reported) fall back to the defaults, so later steps never see them; an unknown
 * zone falls back to UTC for the same reason.
 */
export function resolveEnvironment(name: string, env: Partial<EnvironmentConfig>, ctx: ResolveContext): ResolvedEnvironment {
  const e = env as Record<string, unknown>;
  const credentials = record(e.credentials);
  const limits = record(e.limits);
  const apiUrl = nonEmpty(ctx.environ[CONNECTION_ENV.apiUrl]) ?? str(e.apiUrl);
  // Checked against KNOWN_REGIONS when the environment is picked (./pick-environment.ts), as the
  // schema checks campaignctl.yaml's.
  // Read as the check reads it (case aside): `IN1` is in1, never a host named IN1.
  const regionOverride = nonEmpty(ctx.environ[CONNECTION_ENV.region])?.trim().toLowerCase() as Region | undefined;
  const stateOverride = nonEmpty(ctx.environ.CAMPAIGNCTL_STATE);
  // A path from campaignctl.yaml is relative to the project root; one from the environment
  // variable is relative to where the command runs, as a shell user expects.
  const state = stateOverride
    ? absoluteState(stateOverride, ctx.cwd)
    : absoluteState(str(e.state) ?? `.campaignctl/${name}.db`, ctx.root);
  const zone = str(e.accountTimezone);
  const resolved: ResolvedEnvironment = {
    name,
    provider: e.provider === 'clevertap' || e.provider === 'sandbox' ? e.provider : 'sandbox',
    region: regionOverride ?? (str(e.region) as Region | undefined) ?? ENVIRONMENT_DEFAULTS.region,
    accountTimezone: zone !== undefined && isKnownZone(zone) ? zone : ENVIRONMENT_DEFAULTS.accountTimezone,
    credentials: {
      accountIdEnv: str(credentials.accountIdEnv) ?? ENVIRONMENT_DEFAULTS.accountIdEnv,
      passcodeEnv: str(credentials.passcodeEnv) ?? ENVIRONMENT_DEFAULTS.passcodeEnv,
    },
    state,
    limits: {
      concurrency: num(limits.concurrency) ?? ENVIRONMENT_DEFAULTS.concurrency,
      createsPerSecond: num(limits.createsPerSecond) ?? ENVIRONMENT_DEFAULTS.createsPerSecond,
    },
    vars: record(e.vars),
  };
  if (apiUrl !== undefined) resolved.apiUrl = apiUrl;
  if (isRecord(e.quietHours)) resolved.quietHours = e.quietHours as unknown as QuietHoursConfig;
  if (isRecord(e.sandbox)) resolved.sandbox = e.sandbox as SandboxSettings;
  hideCredentialsFromInspect(resolved);
  return resolved;
}

function record(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function absoluteState(location: string, base: string): string {
  if (/^postgres(ql)?:\/\//i.test(location)) return location;
  return path.resolve(base, location);
}

/** `postgres://user:secret@host/db` -> `postgres://user:***@host/db`. */
export function maskUrlCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s@]*)@/i, '$1$2:***@');
}

/** util.inspect (console.log, error dumps) shows the URLs with their passwords masked. */
function hideCredentialsFromInspect(env: ResolvedEnvironment): void {
  Object.defineProperty(env, inspect.custom, {
    enumerable: false,
    value(depth: number, options: object) {
      const shown: Record<string, unknown> = { ...env, state: maskUrlCredentials(env.state) };
      if (env.apiUrl !== undefined) shown.apiUrl = maskUrlCredentials(env.apiUrl);
      return inspect(shown, { ...options, depth });
    },
  });
}
