/**
 * The CleverTap API emulator: a real HTTP server on loopback that speaks CleverTap's API
 * (api.ts), with its limits (limits.ts), reproducible faults and latency (faults.ts), a movable
 * clock, optional JSON-file persistence, and the `/__sandbox/` controls for tests (inspection.ts).
 * `campaignctl sandbox serve` and the embedded `sandbox` provider both start it through here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { API_ROUTES, failure, fromRefusal } from './api.js';
import type { ApiContext, Reply } from './api.js';
import { createControl } from './control.js';
import type { RequestLogEntry, SandboxControl } from './control.js';
import { SANDBOX_DEFAULT_ACCOUNT_ID, SANDBOX_DEFAULT_HOST, SANDBOX_DEFAULT_PASSCODE, SANDBOX_DEFAULTS } from './defaults.js';
import { FaultInjector, parseFaultSpec } from './faults.js';
import type { FaultName } from './faults.js';
import { handleInspection } from './inspection.js';
import { hang, header, loggableHeaders, parseJson, readBody, sameSecret, send } from './http-util.js';
import { FamilyConcurrency, PerSecondCap } from './limits.js';
import { CODE, MSG } from './messages.js';
import { seededRandom } from './random.js';
import { SandboxStore } from './store.js';
import { SandboxClock } from './time.js';
import { strictByDefault, unlistedIn, unlistedRefusal } from './unlisted-fields.js';
import { contentTypeRefusal } from '../clevertap/request-rules.js';
import { isRecord } from '../model/record.js';

export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback by default; the emulator is not meant to be reachable from elsewhere. */
  host?: string;
  accountId?: string;
  passcode?: string;
  /** e.g. `"429:0.2,500:0.05,drop-after-commit:0.05,timeout:0.01"`; see faults.ts. */
  faults?: string;
  /** Seeds faults and latency (default 1). */
  seed?: number;
  /** Added to every CleverTap request: fixed, or uniform in [min, max]. */
  latencyMs?: number | [number, number];
  /** Requests in flight per API family before 429 (default 3). */
  concurrency?: number;
  /** Optional cap on creates per second (429 beyond); off by default. */
  createsPerSecond?: number;
  /** Base clock (default: real time); the control endpoints move the sandbox clock relative to it. */
  clock?: () => Date;
  /** Persist the account to this JSON file (created if missing). */
  dataFile?: string;
  /** Dashboard-built External Trigger campaign ids the account knows. */
  externalTriggers?: (number | string)[];
  /** Dashboard-defined business events the account knows. */
  businessEvents?: string[];
  /** Custom control groups the account knows. */
  controlGroups?: string[];
  everyoneAudience?: number;
  completeAfterMs?: number;
  /** How long a `timeout` fault holds a request at most. */
  hangMs?: number;
  /** Zone of `when: "YYYYMMDD HH:MM"` and of list dates (default UTC). */
  accountTimezone?: string;
  /** Liquid in push title/body of created campaigns (CleverTap's private beta; default allowed). */
  liquidInCampaigns?: boolean;
  /**
   * HTTP status of validation failures (default 400). Unverified (§13.6): CleverTap's envelope
   * decides, so a client must also treat `200` + `status: "fail"` as a failure; tests set 200.
   */
  validationHttpStatus?: number;
  /**
   * Refuse request fields the contract does not list (unlisted-fields.ts). Off: they are accepted
   * and only marked in the request log. Default: on when CAMPAIGNCTL_SANDBOX_STRICT=1 (the test
   * suites set it, so no test passes on a field CleverTap might refuse).
   */
  strict?: boolean;
  /** Serve `/__sandbox/` over HTTP (the in-process `state` works regardless). */
  inspection?: boolean;
  /** Called once per CleverTap request when it is finished (for `sandbox serve --verbose`). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface SandboxHandle {
  /** Base URL to use as CLEVERTAP_API_URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  accountId: string;
  /** In-process inspection and control. */
  state: SandboxControl;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const accountId = opts.accountId ?? SANDBOX_DEFAULT_ACCOUNT_ID;
  const passcodeBytes = Buffer.from(opts.passcode ?? SANDBOX_DEFAULT_PASSCODE);
  const accountBytes = Buffer.from(accountId);
  const rates = parseFaultSpec(opts.faults);
  if (!rates.ok) throw new TypeError(`sandbox faults: ${rates.error}`);
  const seed = opts.seed ?? 1;
  const faults = new FaultInjector(rates.value, seed);
  const latencyRandom = seededRandom(seed ^ 0x5eed);
  const concurrency = new FamilyConcurrency(opts.concurrency ?? SANDBOX_DEFAULTS.concurrency);
  const createCap = opts.createsPerSecond ? new PerSecondCap(opts.createsPerSecond) : null;
  const hangMs = opts.hangMs ?? SANDBOX_DEFAULTS.hangMs;
  const timeZone = opts.accountTimezone ?? SANDBOX_DEFAULTS.accountTimezone;
  const completeAfterMs = opts.completeAfterMs ?? SANDBOX_DEFAULTS.completeAfterMs;
  const strict = opts.strict ?? strictByDefault();

  const store = new SandboxStore({
    dataFile: opts.dataFile,
    seed: { externalTriggers: opts.externalTriggers, businessEvents: opts.businessEvents, controlGroups: opts.controlGroups },
    sendLogLimit: SANDBOX_DEFAULTS.sendLogLimit,
  });
  const clock = new SandboxClock(opts.clock, store.clockOffsetMs);
  const log: RequestLogEntry[] = [];
  const control = createControl({ accountId, store, clock, concurrency, faults, log, strict, completeAfterMs, timeZone });
  const ctx: ApiContext = {
    store,
    now: () => clock.now(),
    settings: {
      timeZone,
      everyoneAudience: opts.everyoneAudience ?? SANDBOX_DEFAULTS.everyoneAudience,
      completeAfterMs,
      liquidInCampaigns: opts.liquidInCampaigns ?? true,
      maxIdentitiesPerSend: SANDBOX_DEFAULTS.maxIdentitiesPerSend,
      maxCampaignsPerMultiTrigger: SANDBOX_DEFAULTS.maxCampaignsPerMultiTrigger,
    },
  };
  const closing = new AbortController();
  let seq = 0;

  const latency = (): number => {
    const l = opts.latencyMs ?? 0;
    if (typeof l === 'number') return l;
    return Math.round(l[0] + latencyRandom() * (l[1] - l[0]));
  };

  const authorized = (req: http.IncomingMessage): boolean => {
    const account = header(req, 'x-clevertap-account-id');
    const passcode = header(req, 'x-clevertap-passcode');
    if (account === undefined || passcode === undefined) return false;
    return sameSecret(account, accountBytes) && sameSecret(passcode, passcodeBytes);
  };

  /** Validation failures are 400 unless the test asked for another status (§13.6). */
  const validationFailure = (reply: Reply): Reply =>
    reply.status === 400 && opts.validationHttpStatus ? { ...reply, status: opts.validationHttpStatus } : reply;

  async function serveApi(req: http.IncomingMessage, res: http.ServerResponse, path: string, text: string, started: number): Promise<void> {
    const parsed = parseJson(text);
    const entry: RequestLogEntry = {
      seq: ++seq,
      at: clock.now().toISOString(),
      method: req.method ?? 'GET',
      path,
      family: null,
      headers: loggableHeaders(req),
      body: parsed ?? text,
      fault: null,
      unlisted: [],
      rule: null,
      response: null,
      committed: false,
      durationMs: 0,
    };
    log.push(entry);
    if (log.length > SANDBOX_DEFAULTS.requestLogLimit) log.splice(0, log.length - SANDBOX_DEFAULTS.requestLogLimit);
    const finish = (reply: Reply | null) => {
      entry.response = reply && loggedReply(reply);
      if (reply?.rule) entry.rule = reply.rule;
      entry.durationMs = Math.round(performance.now() - started);
      if (reply) send(res, reply.status, reply.body);
      else req.socket.destroy();
      opts.onRequest?.(entry);
    };

    const route = API_ROUTES[path];
    if (!route) return finish(failure(MSG.notFound, CODE.notFound, 404));
    entry.family = route.family;
    if (req.method !== 'POST') return finish(failure(MSG.methodNotAllowed, CODE.methodNotAllowed, 405));
    if (!authorized(req)) return finish(failure(MSG.unauthorized, CODE.unauthorized, 401));
    if (route.needsToken && !header(req, 'x-clevertap-token')) return finish(failure(MSG.tokenMissing, CODE.unauthorized, 401));
    const contentType = contentTypeRefusal(header(req, 'content-type'));
    if (contentType) return finish(validationFailure(fromRefusal(contentType)));
    const isObject = isRecord(parsed);
    if (isObject) entry.unlisted = unlistedIn(path, parsed);

    // In flight from here until the answer is written or the client goes away.
    let counted = true;
    const leave = () => {
      if (counted) concurrency.leave(route.family);
      counted = false;
    };
    res.once('close', leave);
    const inFlight = concurrency.enter(route.family);
    if (req.socket.destroyed) {
      leave(); // the client left before we counted it: 'close' will not come again
      return finish(null);
    }
    if (inFlight > concurrency.limit) {
      leave();
      return finish(failure(MSG.tooManyConcurrent, CODE.tooMany, 429));
    }
    if (route.family === 'create' && createCap && !createCap.tryTake()) {
      leave();
      return finish(failure(MSG.tooManyPerSecond, CODE.tooMany, 429));
    }
    const fault: FaultName | null = faults.next(route.family);
    entry.fault = fault;
    // Latency counts from arrival, so reading the body is part of it rather than added to it.
    // Never answer early, and not much late either: one timer rounded up, then (a timer may fire
    // up to a millisecond before its time) the last fraction of a millisecond in event-loop turns.
    const target = started + latency();
    while (performance.now() < target && !closing.signal.aborted) {
      const remaining = target - performance.now();
      if (remaining >= 1) await sleep(Math.ceil(remaining), undefined, { signal: closing.signal }).catch(() => undefined);
      else await nextTurn();
    }
    if (closing.signal.aborted || res.destroyed) {
      leave();
      return finish(null);
    }
    if (fault === '429') {
      leave();
      return finish(failure(MSG.tooManyConcurrent, CODE.tooMany, 429));
    }
    if (fault === '500') {
      leave();
      return finish(failure(MSG.serverError, CODE.serverError, 500));
    }
    store.refresh();
    const refusedField = strict ? unlistedRefusal(path, entry.unlisted) : null;
    const reply = validationFailure(
      refusedField ? fromRefusal(refusedField) : isObject ? route.handle(ctx, parsed) : failure(MSG.malformed, CODE.badRequest),
    );
    entry.committed = route.writes && reply.status === 200;
    if (fault === 'drop-after-commit') {
      leave();
      return finish(null);
    }
    if (fault === 'timeout') {
      await hang(res, hangMs, closing.signal);
      leave();
      return finish(null);
    }
    leave();
    finish(reply);
  }

  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      const text = await readBody(req);
      if (text === null) return send(res, 413, { status: 'fail', error: 'Request body too large', code: 413 });
      if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
        if (!opts.inspection) return send(res, 404, { status: 'fail', error: MSG.notFound, code: CODE.notFound });
        store.refresh();
        const reply = handleInspection(control, req.method ?? 'GET', url, parseJson(text));
        return send(res, reply.status, reply.body);
      }
      await serveApi(req, res, url.pathname, text, arrived);
    })().catch((err: unknown) => {
      // A bug in the emulator: answer 500 rather than take the whole server down.
      if (!res.headersSent) send(res, 500, { status: 'fail', error: `sandbox internal error: ${(err as Error).message}`, code: 500 });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? SANDBOX_DEFAULT_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closed: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    accountId,
    state: control,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** A reply as the request log keeps it: each list in its body cut to SANDBOX_DEFAULTS.loggedListItems items. */
function loggedReply(reply: Reply): NonNullable<RequestLogEntry['response']> {
  const keep = SANDBOX_DEFAULTS.loggedListItems;
  let body = reply.body;
  let omitted: Record<string, number> | undefined;
  for (const [field, value] of Object.entries(reply.body)) {
    if (!Array.isArray(value) || value.length <= keep) continue;
    if (body === reply.body) body = { ...reply.body };
    body[field] = value.slice(0, keep);
    (omitted ??= {})[field] = value.length - keep;
  }
  return omitted ? { status: reply.status, body, omitted } : { status: reply.status, body };
}
