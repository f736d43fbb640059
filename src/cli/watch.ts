/**
 * `campaignctl watch`: the long-running daemon (src/daemon/). This file only parses the flags into
 * WatchOptions, starts the daemon and waits for it to stop; problems at start are printed as
 * diagnostics (exit 1).
 */
import type { Command } from 'commander';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DaemonStartError, startDaemon } from '../daemon/daemon.js';
import { DEFAULT_GIT_INTERVAL_MS, DEFAULT_LISTEN, DEFAULT_SHUTDOWN_TIMEOUT_MS, type WatchOptions } from '../daemon/options.js';
import { parseDuration } from '../time/duration.js';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { printDiagnostics } from './shared/project.js';

interface WatchFlags {
  listen: string;
  autoApply?: boolean;
  logFormat: string;
  logLevel: string;
  shutdownTimeout: string;
  gitRemote?: string;
  branch?: string;
  interval?: string;
  workDir?: string;
}

const HELP = `
Sources of change:
  local mode (default)   the project folder is watched (chokidar); an edit is re-planned at once
  git mode               --git-remote URL --branch B: ls-remote, then fetch when the branch moved,
                         every --interval (counted from the end of the last reconcile, +5% jitter);
                         the commit is checked out as it is into --work-dir; POST /hooks/github
                         (push to B) fetches at once

HTTP (--listen, default ${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}; port 0 picks a free port, logged as "listening"):
  GET  /             status page (HTML, refreshes itself)
  GET  /healthz      liveness
  GET  /readyz       503 while the state store does not answer, the last CleverTap refresh or git
                     fetch is older than 3 intervals, or the daemon shuts down
  GET  /metrics      Prometheus metrics
  GET  /v1/status    status JSON: last reconcile, pending changes, schedules, outbox, errors
  POST /v1/reconcile reconcile now (bearer token); also retries a commit whose apply failed

Environment:
  CAMPAIGNCTL_API_TOKEN       bearer token of the write endpoints; unset: they answer 403, and only
                              a loopback --listen is allowed
  CAMPAIGNCTL_WEBHOOK_SECRET  the GitHub webhook secret (X-Hub-Signature-256)

With --auto-apply each reconcile applies what \`apply --yes\` would, under the same guards
(maxAudience, mass-stop, the lock); a commit whose apply failed waits for a new commit or
POST /v1/reconcile, and a failing resource backs off from 1 s to 15 min. Without it, the daemon
only plans and shows the pending changes. Schedules fire at their time (run-due inside).

SQLite state: one daemon per state; a second \`watch\` on it is refused and told who holds it.
PostgreSQL state: any number of replicas; one leads (reconciles, applies, fetches), the others
serve the API and intake, drain the outbox, run schedules and take over within a lease (35 s).
SIGTERM/SIGINT: readiness 503, intake stops, work in flight gets --shutdown-timeout, exit 0;
a second signal exits at once. Logs are JSON lines on stdout (never tokens or send data).

Exit codes: 0 stopped cleanly; 1 refused at start, or the shutdown timeout cut work short.`;

export function register(program: Command): void {
  program
    .command('watch')
    .description('run as a daemon: keep CleverTap in step with the project, fire schedules, serve status and metrics over HTTP')
    .option('--listen <host:port>', 'address to serve HTTP on', `${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}`)
    .option('--auto-apply', 'apply each plan as `apply --yes` would (default: plan only)')
    .option('--log-format <format>', 'json (JSON lines) or pretty', 'json')
    .option('--log-level <level>', 'debug, info, warn or error (debug: a line per file event and request)', 'info')
    .option('--shutdown-timeout <duration>', 'how long work in flight gets after SIGTERM', `${DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000}s`)
    .option('--git-remote <url>', 'git mode: follow this remote instead of the local folder')
    .option('--branch <name>', 'git mode: the branch to follow (required with --git-remote)')
    .option('--interval <duration>', 'git mode: time between polls', `${DEFAULT_GIT_INTERVAL_MS / 1000}s`)
    .option('--work-dir <path>', 'git mode: where the mirror and the checkout live (default .campaignctl/watch)')
    .addHelpText('after', HELP)
    .action(action(async (flags: WatchFlags, c: Command) => run(flags, createOutput(globalOptions(c)))));
}

async function run(flags: WatchFlags, out: Output): Promise<number> {
  const parsed = parseFlags(flags, out);
  if ('problems' in parsed) return fail(out, undefined, parsed.problems);
  try {
    const daemon = await startDaemon({ ...parsed.options, handleSignals: true });
    const code = await daemon.exited;
    // Work the shutdown timeout cut short may still hold the event loop: the exit does not wait for it.
    setTimeout(() => process.exit(code), 1_000).unref();
    return code;
  } catch (err) {
    if (err instanceof DaemonStartError) return fail(out, err.root, err.diagnostics);
    throw err;
  }
}

function parseFlags(flags: WatchFlags, out: Output): { options: WatchOptions } | { problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const bad = (message: string) => problems.push(diagnostic('cli.invalid-flag', { message, command: 'watch' }));
  const listen = parseListen(flags.listen);
  if (!listen) bad(`--listen "${flags.listen}" is not HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080, 0.0.0.0:0)`);
  if (flags.logFormat !== 'json' && flags.logFormat !== 'pretty') bad(`--log-format "${flags.logFormat}" is not json or pretty`);
  if (!['debug', 'info', 'warn', 'error'].includes(flags.logLevel)) bad(`--log-level "${flags.logLevel}" is not debug, info, warn or error`);
  const shutdownTimeoutMs = parseDuration(flags.shutdownTimeout);
  if (shutdownTimeoutMs === undefined) bad(`--shutdown-timeout "${flags.shutdownTimeout}" is not a duration such as 25s`);
  const intervalMs = parseDuration(flags.interval ?? '60s');
  if (intervalMs === undefined || intervalMs < 1000) bad(`--interval "${flags.interval}" is not a duration of at least 1s`);
  if (flags.gitRemote && !flags.branch) bad('--git-remote needs --branch (the branch to follow)');
  if (!flags.gitRemote && (flags.branch || flags.workDir)) bad('--branch and --work-dir go with --git-remote');
  if (problems.length > 0) return { problems };
  return {
    options: {
      dir: out.opts.dir,
      env: out.opts.env,
      listen: listen!,
      autoApply: flags.autoApply === true,
      logFormat: flags.logFormat as 'json' | 'pretty',
      logLevel: flags.logLevel as NonNullable<WatchOptions['logLevel']>,
      shutdownTimeoutMs: shutdownTimeoutMs!,
      ...(flags.gitRemote ? { git: { remote: flags.gitRemote, branch: flags.branch!, intervalMs: intervalMs!, workDir: flags.workDir } } : {}),
    },
  };
}

/** `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:0`. */
export function parseListen(text: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const port = Number(m[3]);
  return port <= 65535 ? { host: (m[1] ?? m[2])!, port } : null;
}

function fail(out: Output, root: string | undefined, diagnostics: readonly Diagnostic[]): number {
  printDiagnostics(out, root ?? process.cwd(), diagnostics);
  return 1;
}
