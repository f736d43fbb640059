/**
 * From a project's environment to what a command talks to: the CleverTap client (the embedded
 * emulator or a real account, through the same HTTP client either way) and the state store.
 *
 * - provider `sandbox`: the emulator starts in this process on an ephemeral loopback port, with its
 *   account in `.campaignctl/sandbox-<env>.json`, the dashboard-only objects from the environment's
 *   `sandbox` settings and the fixed public sandbox credentials. CLEVERTAP_API_URL is ignored.
 * - provider `clevertap`: account id and passcode from the variables the environment names
 *   (`credentials`); a missing one is a diagnostic naming the variable. The passcode is registered
 *   as a secret so it is masked anywhere it might slip into output. The host comes from the
 *   environment's apiUrl / region, which already carry CLEVERTAP_API_URL / CLEVERTAP_REGION
 *   (resolveEnvironment), so a saved plan's config hash sees the same values.
 * Problems are returned as diagnostics (exit 1), never thrown.
 */
import path from 'node:path';
import { createClient, type ClientHooks, type CleverTapClient } from '../clevertap/client.js';
import { resolveBaseUrl } from '../clevertap/endpoints.js';
import type { Project, ProjectHead } from '../config/project.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { SANDBOX_DEFAULT_ACCOUNT_ID, SANDBOX_DEFAULT_PASSCODE } from '../sandbox/defaults.js';
import type { SandboxHandle, SandboxOptions } from '../sandbox/server.js';
import { displayLocation, openStateStore } from '../state/open.js';
import type { StateStore } from '../state/store.js';
import { registerSecret } from '../diagnostics/redact.js';
import { watchAuth, type AuthWatch } from './auth-watch.js';
import { parseDuration } from '../time/duration.js';
import { now as clockNow } from '../time/clock.js';

export interface Connection {
  /** Watched (./auth-watch.ts): once CleverTap refuses the credentials, nothing more is sent. */
  client: CleverTapClient;
  /** The credentials refusal, if CleverTap answered one (./auth-watch.ts). */
  auth: AuthWatch;
  /** True for the embedded emulator: every output says so. */
  isSandbox: boolean;
  /** Where requests go, without credentials: `the embedded sandbox (127.0.0.1:40123)`, `https://api.clevertap.com`. */
  describe: string;
  /** The in-process emulator (sandbox provider only), for inspection in tests. */
  sandbox?: SandboxHandle;
  close(): Promise<void>;
}

export type ConnectResult = { ok: true; connection: Connection } | { ok: false; diagnostics: Diagnostic[] };

export interface ConnectOptions {
  hooks?: ClientHooks;
  /** Where the credential variables are read (default process.env); the region and URL overrides are already in project.environment. */
  environ?: Record<string, string | undefined>;
  /** Extra emulator settings (tests: faults, latency, clock). */
  sandbox?: Partial<SandboxOptions>;
}

/** Where the embedded emulator keeps its account for an environment. */
export function sandboxDataFile(project: Pick<Project, 'root' | 'environmentName'>): string {
  return path.join(project.root, '.campaignctl', `sandbox-${project.environmentName}.json`);
}

export async function connect(project: ProjectHead, opts: ConnectOptions = {}): Promise<ConnectResult> {
  const env = project.environment;
  const limits = { concurrency: env.limits.concurrency, createsPerSecond: env.limits.createsPerSecond, hooks: opts.hooks };
  if (env.provider === 'sandbox') {
    const settings = sandboxSettings(project);
    if ('diagnostic' in settings) return { ok: false, diagnostics: [settings.diagnostic] };
    let handle: SandboxHandle;
    try {
      // The emulator's code is loaded only for an environment that uses it.
      const { startSandbox } = await import('../sandbox/server.js');
      // The embedded emulator runs on the command's clock (CAMPAIGNCTL_NOW included).
      handle = await startSandbox({ clock: clockNow, ...settings.options, ...opts.sandbox });
    } catch (err) {
      if (err instanceof (await import('../sandbox/store.js')).SandboxDataFileError) return { ok: false, diagnostics: [problem('connect.sandbox-data', err.message, 'move the file away to start the sandbox account afresh')] };
      throw err;
    }
    const auth = watchAuth(createClient({ ...limits, baseUrl: handle.url, accountId: handle.accountId, passcode: SANDBOX_DEFAULT_PASSCODE }), project);
    const client = auth.client;
    const where = path.relative(project.root, sandboxDataFile(project)).split(path.sep).join('/');
    return {
      ok: true,
      connection: {
        client,
        auth,
        isSandbox: true,
        describe: `the embedded sandbox (CleverTap emulator on ${handle.url.replace(/^http:\/\//, '')}, data in ${where})`,
        sandbox: handle,
        async close() {
          client.close();
          await handle.close();
        },
      },
    };
  }

  const environ = opts.environ ?? process.env;
  const accountId = environ[env.credentials.accountIdEnv]?.trim();
  const passcode = environ[env.credentials.passcodeEnv]?.trim();
  const missing: Diagnostic[] = [];
  if (!accountId) missing.push(missingVariable(env.credentials.accountIdEnv, 'account id', project.environmentName));
  if (!passcode) missing.push(missingVariable(env.credentials.passcodeEnv, 'passcode', project.environmentName));
  if (missing.length > 0) return { ok: false, diagnostics: missing };
  registerSecret(passcode);
  let baseUrl: string;
  try {
    baseUrl = resolveBaseUrl({ apiUrl: env.apiUrl, region: env.region });
  } catch (err) {
    return { ok: false, diagnostics: [problem('connect.api-url', `CleverTap API location is not usable: ${(err as Error).message}`, 'set CLEVERTAP_API_URL / apiUrl to an http(s) URL without credentials, or region to a CleverTap region')] };
  }
  const auth = watchAuth(createClient({ ...limits, baseUrl, region: env.region, accountId: accountId!, passcode: passcode! }), project);
  const client = auth.client;
  return {
    ok: true,
    connection: {
      client,
      auth,
      isSandbox: false,
      describe: `CleverTap at ${new URL(baseUrl).host}`,
      async close() {
        client.close();
      },
    },
  };
}

function sandboxSettings(project: ProjectHead): { options: SandboxOptions } | { diagnostic: Diagnostic } {
  const s = project.environment.sandbox ?? {};
  const list = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map((x) => String(x)) : undefined);
  const options: SandboxOptions = {
    port: 0,
    accountId: SANDBOX_DEFAULT_ACCOUNT_ID,
    passcode: SANDBOX_DEFAULT_PASSCODE,
    dataFile: sandboxDataFile(project),
    accountTimezone: project.environment.accountTimezone,
  };
  const triggers = list(s.externalTriggers);
  if (triggers) options.externalTriggers = triggers;
  const events = list(s.businessEvents);
  if (events) options.businessEvents = events;
  const groups = list(s.customControlGroups);
  if (groups) options.controlGroups = groups;
  if (typeof s.everyoneAudience === 'number') options.everyoneAudience = s.everyoneAudience;
  if (typeof s.completeAfter === 'string') {
    const ms = parseDuration(s.completeAfter);
    if (ms === undefined) {
      return { diagnostic: problem('connect.sandbox-settings', `sandbox.completeAfter "${s.completeAfter}" is not a duration`, 'write it like 10m, 2h or PT30M') };
    }
    options.completeAfterMs = ms;
  }
  return { options };
}

/** warnings: what the store found while opening that does not stop it (a server clock a minute off). */
export type OpenStateResult = { ok: true; store: StateStore; location: string; warnings?: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** The environment's state (`state` setting, default `.campaignctl/<env>.db`; CAMPAIGNCTL_STATE overrides). */
export async function openState(project: Pick<Project, 'environment'>): Promise<OpenStateResult> {
  const opened = await openStateStore(project.environment.state);
  if (!opened.ok) return { ok: false, diagnostics: [opened.diagnostic] };
  const warnings = opened.warnings ?? [];
  return { ok: true, store: opened.store, location: displayLocation(project.environment.state), ...(warnings.length > 0 ? { warnings } : {}) };
}

export type OpenedBoth =
  | { ok: true; state: { store: StateStore; location: string }; connection: Connection; close(): Promise<void> }
  | { ok: false; diagnostics: Diagnostic[] };

/** State, then the connection; on a problem nothing stays open. close() closes both. */
export async function openStateAndConnection(project: ProjectHead): Promise<OpenedBoth> {
  const state = await openState(project);
  if (!state.ok) return state;
  const connected = await connect(project);
  if (!connected.ok) {
    await state.store.close();
    return connected;
  }
  const connection = connected.connection;
  return {
    ok: true,
    state,
    connection,
    async close() {
      await connection.close();
      await state.store.close();
    },
  };
}

/**
 * The read-back grace of a connection (see PlanningFacts.notCreatedGraceMs in ./plan-inputs.ts): 0
 * for the embedded emulator, a minute for anything else. CAMPAIGNCTL_READBACK_GRACE_SECONDS overrides it for an
 * endpoint known to commit before it answers, e.g. `campaignctl sandbox serve` in tests and demos.
 */
export function notCreatedGrace(connection: Pick<Connection, 'isSandbox'>, environ: Record<string, string | undefined> = process.env): number {
  const override = environ.CAMPAIGNCTL_READBACK_GRACE_SECONDS?.trim();
  if (override && /^\d+$/.test(override)) return Number(override) * 1000;
  return connection.isSandbox ? 0 : 60_000;
}

function missingVariable(name: string, what: string, environment: string): Diagnostic {
  return problem(
    'connect.missing-credential',
    `environment variable ${name} is not set: environment "${environment}" reads the CleverTap ${what} from it`,
    `export ${name}=... (CI: a secret), or pick another environment with --env`,
  );
}

function problem(code: string, message: string, hint: string): Diagnostic {
  return { severity: 'error', code, message, hint };
}
