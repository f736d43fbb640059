/**
 * What `campaignctl watch` is started with: src/cli/watch.ts parses the flags into these, the
 * daemon reads nothing from the command line itself. Durations are milliseconds.
 */
export interface WatchOptions {
  /** The project folder (local mode) or where the mirror and work folder live by default (git mode). */
  dir?: string;
  /** --env; undefined: campaignctl.yaml's choice. */
  env?: string;
  /** HOST:PORT to listen on (port 0: any free port; the bound address is logged). */
  listen: { host: string; port: number };
  autoApply: boolean;
  logFormat: 'json' | 'pretty';
  /** pino level (default info); debug adds a line per file event and per HTTP request. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** How long in-flight CleverTap calls get after SIGTERM before the daemon exits anyway. */
  shutdownTimeoutMs: number;
  /** Git mode; absent: local mode on the project folder. */
  git?: GitSourceOptions;
  /** Where the environment variables (tokens, credentials, CAMPAIGNCTL_NOW) come from (default process.env). */
  environ?: Record<string, string | undefined>;
  /** Handle SIGTERM/SIGINT (the CLI: yes; a test in-process: no). */
  handleSignals?: boolean;
  /** Where log lines go (default stdout). */
  logDestination?: NodeJS.WritableStream;
  /**
   * The lease and the replicas' poll (defaults LEASE_TTL_MS, LEASE_RENEW_MS, POLL_MS). Tests
   * shorten them; so do CAMPAIGNCTL_WATCH_LEASE_MS, CAMPAIGNCTL_WATCH_RENEW_MS and
   * CAMPAIGNCTL_WATCH_POLL_MS in the environment (spawned tests), these options first.
   */
  timing?: Partial<WatchTiming>;
}

export interface WatchTiming {
  leaseTtlMs: number;
  leaseRenewMs: number;
  /** How often a replica looks at the state for its coordination: a follower tries to lead, the leader takes refresh requests. */
  pollMs: number;
}

export interface GitSourceOptions {
  remote: string;
  branch: string;
  /** From the end of the last reconcile to the next fetch, plus up to 5% jitter. */
  intervalMs: number;
  /** Mirror and work folder; default `<dir>/.campaignctl/watch`. */
  workDir?: string;
}

export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 8080 };
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;
export const DEFAULT_GIT_INTERVAL_MS = 60_000;
/** The full resync: a reconcile at least this often, whatever the sources say. */
export const RESYNC_INTERVAL_MS = 10 * 60_000;
/** The lease on the state: held this long past each renewal, renewed this often. */
export const LEASE_TTL_MS = 35_000;
export const LEASE_RENEW_MS = 10_000;
/** Replicas: a follower tries to take the leader lease, the leader takes refresh requests, this often (and when hinted). */
export const POLL_MS = 5_000;

/** The timing in effect: the options, else the environment's CAMPAIGNCTL_WATCH_*_MS, else the defaults. */
export function watchTiming(given: Partial<WatchTiming> | undefined, environ: Record<string, string | undefined>): WatchTiming {
  const fromEnv = (name: string): number | undefined => {
    const n = Number(environ[name]);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const leaseTtlMs = given?.leaseTtlMs ?? fromEnv('CAMPAIGNCTL_WATCH_LEASE_MS') ?? LEASE_TTL_MS;
  const leaseRenewMs = given?.leaseRenewMs ?? fromEnv('CAMPAIGNCTL_WATCH_RENEW_MS') ?? Math.min(LEASE_RENEW_MS, Math.floor(leaseTtlMs / 3));
  const pollMs = given?.pollMs ?? fromEnv('CAMPAIGNCTL_WATCH_POLL_MS') ?? POLL_MS;
  return { leaseTtlMs, leaseRenewMs, pollMs };
}
/** The run-due safety pass, besides the timer at each schedule's next fire. */
export const RUN_DUE_SAFETY_MS = 30_000;
