/**
 * startDaemon: the composition root of `campaignctl watch`. It opens, in order, what the daemon
 * keeps for its life: the project (an in-memory project index; in git mode the mirror's checkout),
 * the state store and the daemon lease on it, CleverTap (opened on first need, then kept), the
 * HTTP server; then starts the sources, the reconcile worker, the cron runner and the outbox
 * drain. Anything refused at start (a held lease, an open address without a token, a project that
 * can not be found) is a DaemonStartError with nothing left open.
 *
 * Shutdown (SIGTERM/SIGINT or stop()): readiness goes 503 and intake stops at once; the reconcile,
 * run-due pass and outbox drain in flight get up to --shutdown-timeout to finish their CleverTap
 * calls (no new change or send starts); then the lock (if a cut-short apply left it) and the lease
 * are released and the process exits 0 (1 when the timeout cut work short). A second signal
 * exits at once.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Project } from '../config/project.js';
import { findProjectRoot } from '../config/root.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import { registerSecret, redactSecrets } from '../diagnostics/redact.js';
import { HeadCommitReader } from '../git/head-commit.js';
import { gitInfo, type GitInfo } from '../git/repo.js';
import { connect as openConnection, openState, type ConnectOptions, type Connection } from '../operations/connect.js';
import { keptOpenContext, type KeptOpen, type OperationContext, type Opened } from '../operations/context.js';
import type { StateStore } from '../state/store.js';
import { now as processNow } from '../time/clock.js';
import { startCronRunner, type CronRunner } from './cron-runner.js';
import { startServer } from './http/server.js';
import { describeHolder, Leadership } from './leadership.js';
import { logEvents } from './operation-log.js';
import { createLogger } from './logger.js';
import { createMetrics, type DaemonMetrics } from './metrics.js';
import { DEFAULT_GIT_INTERVAL_MS, RESYNC_INTERVAL_MS, watchTiming, type WatchOptions } from './options.js';
import { startOutboxDrain, type OutboxDrain } from './outbox-drain.js';
import { settleClaimsOfReplaced } from './outbox-takeover.js';
import { ProjectSource } from './project-source.js';
import { ReconcileQueue } from './queue.js';
import { readinessOf } from './readiness.js';
import { Reconciler } from './reconciler.js';
import type { DaemonError, DaemonSecrets, DaemonServices, ReconcileReason } from './services.js';
import { openMirror, type GitMirror } from './sources/git.js';
import { watchFolder, type LocalSource } from './sources/local.js';
import { listenProblems } from './start-checks.js';
import { DaemonStartError } from './start-error.js';
import { buildStatus } from './status.js';

export { DaemonStartError } from './start-error.js';

export interface RunningDaemon {
  /** The bound address, `127.0.0.1:41234`. */
  address: string;
  services: DaemonServices;
  /** Starts the shutdown (as SIGTERM does); resolves with the exit code once it is done. */
  stop(): Promise<number>;
  /** Resolves with the exit code once a shutdown finished. */
  exited: Promise<number>;
  /** Resolves when no reconcile runs or waits (tests and the bench). */
  idle(): Promise<void>;
}

/** How often the store is asked whether it answers (readiness) and the outbox gauge is refreshed. */
const STORE_PROBE_MS = 5_000;
const MAX_ERRORS = 20;

export interface StartOptions extends WatchOptions {
  /** Client hooks are the daemon's own; the rest (emulator settings in tests) is passed on. */
  connect?: Omit<ConnectOptions, 'hooks' | 'environ'>;
}

export async function startDaemon(options: StartOptions): Promise<RunningDaemon> {
  const environ = options.environ ?? process.env;
  const cwd = process.cwd();
  const clock = processNow;
  const secrets: DaemonSecrets = { apiToken: nonEmpty(environ.CAMPAIGNCTL_API_TOKEN), webhookSecret: nonEmpty(environ.CAMPAIGNCTL_WEBHOOK_SECRET) };
  registerSecret(secrets.apiToken ?? undefined);
  registerSecret(secrets.webhookSecret ?? undefined);
  const refused = listenProblems(options.listen.host, secrets.apiToken);
  if (refused.length > 0) throw new DaemonStartError(refused);
  const log = await createLogger(options.logFormat, options.logDestination, options.logLevel);
  const shutdown = new AbortController();
  const metrics = createMetrics();
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    closers.length = 0;
  };

  try {
    // --- the project: the folder, or in git mode the remote's commit checked out
    let mirror: GitMirror | null = null;
    let root: string;
    if (options.git) {
      const workDir = path.resolve(cwd, options.git.workDir ?? path.join(options.dir ?? '.', '.campaignctl', 'watch'));
      try {
        mirror = await openMirror({ remote: options.git.remote, branch: options.git.branch, workDir, signal: shutdown.signal });
        await mirror.poll();
        metrics.gitFetchTotal.inc({ result: 'changed' });
      } catch (err) {
        throw new DaemonStartError([diagnostic('watch.git-source', { detail: redactSecrets((err as Error).message) })]);
      }
      root = mirror.checkout;
    } else {
      const found = findProjectRoot({ dir: options.dir, cwd });
      if (!found) throw new DaemonStartError([diagnostic('project.not-found', { dir: path.resolve(cwd, options.dir ?? '.'), explicit: options.dir !== undefined })]);
      root = found;
    }
    const source = new ProjectSource({ root, env: options.env, cwd, environ });
    const first = await source.load(clock());
    const configErrors = first.diagnostics.filter((d) => d.severity === 'error' && (d.code.startsWith('project.') || d.code.startsWith('config.') || d.file === 'campaignctl.yaml'));
    if (configErrors.length > 0) throw new DaemonStartError(configErrors, root);

    // --- state, kept open, and the lease on it
    const state = await openState(first);
    if (!state.ok) throw new DaemonStartError(state.diagnostics, root);
    const store = state.store;
    closers.push(() => store.close());
    const replicaCommand = `watch${options.autoApply ? ' --auto-apply' : ''}${options.git ? ` --git-remote ${redactSecrets(options.git.remote)}` : ''}`;
    const errors: DaemonError[] = [];
    const recordError = (where: string, message: string) => {
      const clean = redactSecrets(message);
      errors.unshift({ at: clock().toISOString(), where, message: clean });
      errors.length = Math.min(errors.length, MAX_ERRORS);
      log.warn({ where }, clean);
    };
    let storeError: string | null = null;
    // A database many processes reach (PostgreSQL) takes replicas: one leads, the others follow.
    // A file (SQLite) takes one daemon, and a second is refused.
    const timing = watchTiming(options.timing, environ);
    const mode = store.info.backend === 'postgres' ? 'replicas' : 'single';
    const roles = { onChange: (_leads: boolean) => {} };
    const started = await Leadership.start(store, mode, replicaCommand, { ttlMs: timing.leaseTtlMs, renewMs: timing.leaseRenewMs }, {
      onProblem: (m) => recordError('lease', m),
      onChange: (leads) => roles.onChange(leads),
      onReplaced: (previous) => settleClaimsOfReplaced(store, log, metrics, previous),
    });
    if (!started.ok) {
      const h = started.holder;
      throw new DaemonStartError([diagnostic('watch.lease-held', { holder: `${describeHolder(h)}, since ${h.since}`, id: h.id, expiresAt: h.expiresAt, stateLocation: state.location })], root);
    }
    const leadership = started.leadership;
    closers.push(() => leadership.release());
    metrics.leader.set(leadership.leads() ? 1 : 0);

    // --- CleverTap, opened on first need and kept
    const inFlight = { count: 0 };
    let connecting: Promise<Opened<Connection>> | undefined;
    const connect = () =>
      (connecting ??= openConnection(first, { ...options.connect, environ, hooks: clientMetrics(metrics, inFlight) }).then((r): Opened<Connection> => {
        if (!r.ok) {
          connecting = undefined; // credentials set later (a Secret mounted late) are tried again
          return r;
        }
        log.info(`CleverTap: ${r.connection.describe}`);
        return { ok: true, value: r.connection };
      }));
    closers.push(async () => {
      const opened = connecting && (await connecting);
      if (opened?.ok) await opened.value.close();
    });
    const gits = new WeakMap<Project, Promise<GitInfo>>();
    const events = logEvents(log);
    // The git facts of a project as loaded, asked once per load (three git processes).
    const gitOf = (project: Project) => {
      let found = gits.get(project);
      if (!found) gits.set(project, (found = gitInfo(project.root)));
      return found;
    };
    // Local mode: HEAD's commit, asked of git only when HEAD or its ref moved (a file event does not move it).
    const heads = new Map<string, HeadCommitReader>();
    const headOf = (project: Project) => {
      let reader = heads.get(project.root);
      if (!reader) heads.set(project.root, (reader = new HeadCommitReader(project.root)));
      return reader.read();
    };
    // One context per project as loaded: it keeps the operator's provenance it asked git for, so
    // a send through the outbox or a fire does not start git processes each time.
    const contexts = new WeakMap<Project, OperationContext>();
    const contextFor = (project: Project): OperationContext => {
      let ctx = contexts.get(project);
      if (!ctx) {
        const kept: KeptOpen = {
          store,
          location: state.location,
          connect,
          git: () => gitOf(project),
          desiredMemo: source.memo(),
        };
        contexts.set(project, (ctx = keptOpenContext(project, kept, { clock, events, target: { env: project.environmentName } })));
      }
      return ctx;
    };

    // The reconciler's plans: a plan records nothing (only its meta shows HEAD's commit), so it
    // does not ask git for the dirty flag and author (`git status` over every file, on every file
    // event). Unless it settles open journal rows: that records, with the full git facts. An apply
    // plans again on contextFor's full facts.
    const planContextFor = (project: Project): OperationContext => ({
      ...contextFor(project),
      git: async () => {
        if ((await store.journal.listOpen()).length > 0) return gitOf(project);
        const head = await headOf(project);
        return { ...head, author: null, dirty: false };
      },
    });

    // --- the reconcile worker and its triggers
    let draining = false;
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    };
    // The cron runner starts after the server; the reconciler reaches it through this.
    const runner: { cron?: CronRunner } = {};
    const reconciler = new Reconciler({
      source,
      mirror,
      autoApply: options.autoApply,
      log,
      metrics,
      clock,
      contextFor,
      planContextFor,
      headOf: async (project) => (await headOf(project)).commit,
      signal: shutdown.signal,
      term: () => leadership.term(),
      confirm: (epoch) => leadership.confirm(epoch),
      recordError,
      onApplied: () => runner.cron?.rearm(),
      reconcileAt: (at) => later(Math.max(0, at - Date.now()), () => queue.request('resync')),
    });
    reconciler.facts.project = first;
    if (mirror) reconciler.facts.lastFetchAt = Date.now();
    const gitInterval = options.git?.intervalMs ?? DEFAULT_GIT_INTERVAL_MS;
    let pollTimer: NodeJS.Timeout | undefined;
    const queue = new ReconcileQueue(async (req) => {
      if (!leadership.leads()) {
        // A follower keeps its project current for intake (contracts) without planning: its own
        // folder on file events. In git mode it stays on the commit it fetched at start (only the
        // leader fetches).
        try {
          if (req.reason === 'file') reconciler.facts.project = await source.load(clock());
        } catch (err) {
          recordError('watch', `the project could not be loaded: ${(err as Error).message}`);
        }
        return;
      }
      await reconciler.run(req);
      // Git mode: the next poll counts from the end of this reconcile, plus up to 5% jitter.
      if (mirror && !draining) {
        clearTimeout(pollTimer);
        pollTimer = setTimeout(() => queue.request('poll'), gitInterval * (1 + 0.05 * Math.random()));
      }
    });
    // The leader reconciles; a follower leaves webhooks and POST /v1/reconcile to it as refresh
    // requests in state, reloads its own project on file events (contracts for intake), and drops
    // the rest (polls and resyncs are the leader's).
    const requestReconcile = (reason: ReconcileReason, opts: { force?: boolean } = {}) => {
      if (draining) return;
      if (leadership.leads()) return queue.request(reason, opts.force === true);
      if (reason === 'webhook' || reason === 'api') {
        store.requests.add(reason, leadership.id).then(
          () => log.info({ reason }, `refresh request (${reason}) left for the leader`),
          (err: Error) => recordError('state', `the ${reason} refresh request could not be recorded: ${err.message}`),
        );
      } else if (reason === 'file') {
        queue.request('file');
      }
    };
    const resync = setInterval(() => requestReconcile('resync'), RESYNC_INTERVAL_MS);
    const startedAt = clock().toISOString();
    const environment = first.environmentName;

    // Readiness needs the store answering: asked every few seconds, with the outbox gauge.
    const probe = setInterval(() => {
      store.outbox.counts().then(
        (counts) => {
          storeError = null;
          for (const [status, n] of Object.entries(counts)) metrics.outboxItems.set({ status }, n);
        },
        (err: Error) => {
          if (storeError === null) recordError('state', `the state store does not answer: ${err.message}`);
          storeError = err.message;
        },
      );
    }, STORE_PROBE_MS);
    probe.unref();

    let drain: OutboxDrain | null = null;
    const readiness = () =>
      readinessOf({
        now: Date.now(),
        draining,
        storeError,
        role: leadership.leads() ? 'leader' : mode === 'single' ? 'lost' : 'follower',
        intervalMs: mirror ? gitInterval : RESYNC_INTERVAL_MS,
        lastRefreshAt: reconciler.facts.lastRefreshAt,
        lastFetchAt: reconciler.facts.lastFetchAt,
        gitMode: mirror !== null,
      });
    const services: DaemonServices = {
      log,
      metrics,
      store,
      secrets,
      branch: options.git?.branch ?? null,
      clock,
      context: () => contextFor(reconciler.facts.project ?? first),
      status: async () =>
        buildStatus({
          environment,
          replica: leadership.id,
          leader: await leadership.leader(),
          startedAt,
          autoApply: options.autoApply,
          source: {
            mode: mirror ? 'git' : 'local',
            remote: mirror?.remoteShown ?? null,
            branch: options.git?.branch ?? null,
            lastFetchAt: iso(reconciler.facts.lastFetchAt),
            lastFetchError: reconciler.facts.lastFetchError,
          },
          facts: reconciler.facts,
          readiness: readiness(),
          errors: [...errors],
          store,
          now: clock(),
        }),
      readiness,
      requestReconcile,
      requestFetch: () => requestReconcile('webhook'),
      wakeOutbox: () => drain?.wake(),
      draining: () => draining,
      recordError,
    };

    // --- HTTP, the drain, the cron runner, the sources
    const server = await startServer(services, options.listen);
    closers.push(() => server.app.close());
    log.info({ address: server.address, environment, mode: mirror ? 'git' : 'local', autoApply: options.autoApply }, `listening on http://${server.address}`);
    if (!secrets.apiToken) log.warn('CAMPAIGNCTL_API_TOKEN is not set: the write endpoints (sends, POST /v1/reconcile) answer 403');
    drain = startOutboxDrain(services, { claimer: leadership.id, leaseMs: options.outboxLeaseMs });
    const cron = (runner.cron = startCronRunner({ store, context: () => services.context(), clock, log, metrics, signal: shutdown.signal, recordError }));
    let local: LocalSource | null = null;
    if (!mirror) {
      local = watchFolder(root, {
        onChange: (p) => {
          // A file no load reads (README.md, docs/, an editor's swap file) asks for no reconcile.
          if (!source.concerns(p)) return void log.debug({ file: p }, 'file event ignored: not part of the project');
          log.debug({ file: p }, 'file event');
          source.markDirty([p]);
          requestReconcile('file');
        },
        onFolderGone: () => {
          source.markAllDirty();
          requestReconcile('file');
        },
        onError: (err) => recordError('watch', err.message),
      });
      const watcher = local;
      closers.push(() => watcher.close());
      await local.ready;
    }
    // --- coordination: every poll (and when hinted) a follower tries to lead and the leader takes
    // the refresh requests followers left.
    let coordinating: Promise<void> | null = null;
    let coordinateAgain = false;
    const coordinateOnce = async () => {
      const leads = await leadership.poll();
      if (leads) {
        for (const r of await store.requests.take()) {
          log.info({ reason: r.reason, by: r.by, at: r.at }, `refresh request (${r.reason}) from replica ${r.by}`);
          queue.request(r.reason, r.reason === 'api');
        }
      }
    };
    const coordinate = () => {
      if (draining) return;
      if (coordinating) return void (coordinateAgain = true);
      coordinating = (async () => {
        do {
          coordinateAgain = false;
          await coordinateOnce().catch((err: Error) => recordError('lease', `coordination with the other replicas failed: ${err.message}`));
        } while (coordinateAgain && !draining);
      })().finally(() => (coordinating = null));
    };
    const coordination = setInterval(coordinate, timing.pollMs);
    coordination.unref();
    const hints = store.hints.listen(
      (kind) => (kind === 'outbox' ? drain?.wake() : coordinate()),
      (m) => recordError('hints', m),
    );
    closers.push(() => hints.close());
    roles.onChange = (leads) => {
      metrics.leader.set(leads ? 1 : 0);
      if (leads) {
        log.info({ replica: leadership.id, epoch: leadership.term()?.epoch }, 'this replica leads: it reconciles and applies');
        requestReconcile('leader');
        coordinate();
      } else {
        log.warn({ replica: leadership.id }, 'this replica follows: another one reconciles and applies');
      }
    };
    if (leadership.leads()) {
      log.info({ replica: leadership.id, epoch: leadership.term()?.epoch }, 'this replica leads: it reconciles and applies');
      requestReconcile('start');
    } else {
      const holder = await leadership.leader().catch(() => null);
      log.info({ replica: leadership.id, leader: holder?.id ?? null }, `this replica follows${holder ? `: ${describeHolder(holder)} leads` : ''}`);
    }

    // --- shutdown
    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((resolve) => (resolveExit = resolve));
    let stopping: Promise<number> | null = null;
    const stop = () =>
      (stopping ??= (async () => {
        draining = true;
        log.info({ timeoutMs: options.shutdownTimeoutMs }, 'shutting down: intake stopped, waiting for the work in flight');
        shutdown.abort();
        clearInterval(resync);
        clearInterval(probe);
        clearInterval(coordination);
        clearTimeout(pollTimer);
        for (const t of timers) clearTimeout(t);
        await local?.close();
        const work = Promise.all([queue.stop(), cron.stop(), drain?.stop()]).then(() => 'done' as const);
        let timeout: NodeJS.Timeout | undefined;
        const cut = new Promise<'timeout'>((resolve) => (timeout = setTimeout(() => resolve('timeout'), options.shutdownTimeoutMs)));
        const how = await Promise.race([work, cut]);
        clearTimeout(timeout);
        if (how === 'timeout') {
          log.warn({ inFlight: inFlight.count }, `shutdown timeout: ${inFlight.count} CleverTap calls still in flight were cut short; the next start settles them`);
          await releaseOurLock(store, log);
        }
        await closeAll();
        log.info('stopped');
        const code = how === 'done' ? 0 : 1;
        resolveExit(code);
        return code;
      })());
    if (options.handleSignals) onSignals(stop, log);
    return { address: server.address, services, stop, exited, idle: () => queue.idle() };
  } catch (err) {
    shutdown.abort();
    await closeAll();
    throw err;
  }
}

/** The first signal shuts down; a second one exits at once. */
function onSignals(stop: () => Promise<number>, log: Logger): void {
  let seen = false;
  const handler = (signal: NodeJS.Signals) => {
    if (seen) {
      log.warn(`${signal} again: exiting at once`);
      process.exit(1);
    }
    seen = true;
    log.info(`${signal}: shutting down`);
    void stop();
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/** After a cut-short apply: the apply lock it held is this process's, and no run of it goes on. */
async function releaseOurLock(store: StateStore, log: Logger): Promise<void> {
  try {
    const holder = await store.lock.current();
    if (holder && holder.pid === process.pid && holder.host === hostname()) {
      await store.lock.release(holder.id);
      log.warn(`released the apply lock ${holder.id} the cut-short apply held`);
    }
  } catch (err) {
    log.error(`could not release the apply lock: ${(err as Error).message}`);
  }
}

function clientMetrics(metrics: DaemonMetrics, inFlight: { count: number }): NonNullable<ConnectOptions['hooks']> {
  return {
    onRequest: () => void inFlight.count++,
    onResponse: (e) => {
      inFlight.count--;
      metrics.clevertapRequestsTotal.inc({ endpoint: e.endpoint, status: e.httpStatus === null ? 'error' : String(e.httpStatus) });
    },
  };
}

function nonEmpty(v: string | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

