/**
 * The CleverTap client: the only code that knows CleverTap's HTTP API. Typed operations over one
 * keep-alive connection pool, with CleverTap's limits applied on our side (a semaphore per API
 * family, a per-second window for creates), bounded retries where a retry is safe, and an error
 * that says whether a failed write may nevertheless have landed.
 *
 * The passcode lives in a private field only; it never reaches an error, a hook or util.inspect.
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_FAMILIES, ENDPOINTS, IDENTITY_CHANNELS, resolveBaseUrl, sendEndpoint } from './endpoints.js';
import type { ApiFamily, Endpoint, IdentityChannel } from './endpoints.js';
import type { ClientHooks, ClientOptions, RetryOptions } from './options.js';
import { CleverTapError } from './errors.js';
import { Semaphore, SlidingWindowLimiter } from './limits.js';
import { createAgent, postJson, TransportFailure } from './transport.js';
import type { Agent, HttpAnswer } from './transport.js';
import { classifyAnswer, classifyTransportFailure, failureFlags } from './classify.js';
import type { AttemptOutcome } from './classify.js';
import { countIdentities } from './batch.js';
import {
  LIST_START_TIME_FIELD,
  MAX_IDENTITIES_PER_EXTERNAL_TRIGGER,
  MAX_IDENTITIES_PER_SEND,
  isReportNotCompleted,
  optionalMessage,
} from './unverified.js';
import type { RemoteCampaign } from '../model/applied.js';
import type {
  CampaignCreateBody,
  CampaignReport,
  CreateResult,
  EstimateResult,
  Estimates,
  ExternalTriggerBody,
  IdentitySendBody,
  RaiseBusinessEventBody,
  SendResult,
} from './wire.js';

export interface CleverTapClient {
  readonly baseUrl: string;
  readonly accountId: string;
  createCampaign(body: CampaignCreateBody): Promise<CreateResult>;
  /** The create endpoint with `estimate_only: true`: returns estimates, creates nothing. */
  estimateCampaign(body: CampaignCreateBody): Promise<EstimateResult>;
  /** Campaigns whose scheduled start date is in [from, to], both YYYYMMDD integers. */
  listCampaigns(from: number, to: number): Promise<RemoteCampaign[]>;
  /**
   * The same list as one answer: its rows and the digest of CleverTap's answer as it came (its
   * status and bytes). An answer whose digest is `known` (one the caller decoded before, the very
   * same text) is decoded only when its rows are asked for.
   */
  listAnswer(from: number, to: number, known?: string): Promise<ListAnswer>;
  /** Idempotent: stopping a stopped campaign succeeds. */
  stopCampaign(id: number): Promise<void>;
  campaignReport(id: number): Promise<CampaignReport>;
  /** At most 1,000 identities (batchIdentities); more is a caller bug and throws RangeError. */
  sendToIdentities(channel: IdentityChannel, body: IdentitySendBody): Promise<SendResult>;
  externalTrigger(body: ExternalTriggerBody): Promise<SendResult>;
  raiseBusinessEvent(body: RaiseBusinessEventBody): Promise<SendResult>;
  /** Closes the connection pool; the client must not be used afterwards. */
  close(): void;
}

export type { ClientHooks, ClientOptions, RequestEvent, ResponseEvent, RetryEvent, RetryOptions } from './options.js';

/** One list call's answer (CleverTapClient.listAnswer). */
export interface ListAnswer {
  /** The digest of the answer's HTTP status and bytes: the same digest, the same rows. */
  readonly digest: string;
  /** The rows, decoded once; throws as listCampaigns would for an answer it can not read. */
  rows(): RemoteCampaign[];
}

/** One attempt: its outcome, or (an answer whose digest is the one asked for) the answer undecoded. */
type Attempted = { outcome: AttemptOutcome; digest?: string; known?: undefined } | { known: HttpAnswer; digest: string };

/**
 * An answer's digest: its HTTP status and its bytes, chunk by chunk as they came. Hashing ~600 KB
 * costs ~2 ms, where decoding it (JSON, then 5,000 rows) and digesting what it says costs ~20 ms
 * in a process that just started.
 */
function answerDigest(answer: HttpAnswer): string {
  const hash = createHash('sha256').update(`${answer.status}\0`);
  for (const chunk of answer.body) hash.update(chunk);
  return hash.digest('hex');
}

/** What #call gives: the body decoded, or (an answer digested as `known`) the answer undecoded. */
type Called = { attempts: number; digest?: string } & ({ body: Record<string, unknown> } | { body?: undefined; answer: HttpAnswer });

export function createClient(opts: ClientOptions): CleverTapClient {
  return new HttpCleverTapClient(opts);
}

const DEFAULTS = { concurrency: 3, createsPerSecond: 3, timeoutMs: 30_000, maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

class HttpCleverTapClient implements CleverTapClient {
  readonly baseUrl: string;
  readonly accountId: string;
  readonly #passcode: string;
  readonly #timeoutMs: number;
  readonly #hooks: ClientHooks;
  readonly #retry: Required<RetryOptions>;
  readonly #semaphores: Record<ApiFamily, Semaphore>;
  readonly #createWindow: SlidingWindowLimiter;
  readonly #agent: Agent;
  #nextRequestId = 1;

  constructor(opts: ClientOptions) {
    if (!opts.accountId) throw new TypeError('CleverTap account id is empty');
    if (!opts.passcode) throw new TypeError('CleverTap passcode is empty');
    this.baseUrl = resolveBaseUrl({ apiUrl: opts.baseUrl, region: opts.region });
    this.accountId = opts.accountId;
    this.#passcode = opts.passcode;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
    this.#hooks = opts.hooks ?? {};
    this.#retry = {
      maxAttempts: opts.retry?.maxAttempts ?? DEFAULTS.maxAttempts,
      baseDelayMs: opts.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: opts.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs,
      random: opts.retry?.random ?? Math.random,
    };
    const concurrency = opts.concurrency ?? DEFAULTS.concurrency;
    this.#semaphores = Object.fromEntries(API_FAMILIES.map((f) => [f, new Semaphore(concurrency)])) as Record<ApiFamily, Semaphore>;
    this.#createWindow = new SlidingWindowLimiter(opts.createsPerSecond ?? DEFAULTS.createsPerSecond);
    this.#agent = createAgent(this.baseUrl);
  }

  async createCampaign(body: CampaignCreateBody): Promise<CreateResult> {
    const ep = ENDPOINTS.create;
    const { body: answer, attempts } = await this.#call(ep, { ...body, estimate_only: undefined });
    const id = answer.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
      // Success without an id: the campaign may exist and we cannot name it.
      throw this.#protocolError(ep, 'success without a campaign id', attempts, true);
    }
    return { id, estimates: readEstimates(answer.estimates) };
  }

  async estimateCampaign(body: CampaignCreateBody): Promise<EstimateResult> {
    const { skip_estimate: _skip, ...rest } = body;
    const { body: answer } = await this.#call(ENDPOINTS.estimate, { ...rest, estimate_only: true });
    return { estimates: readEstimates(answer.estimates) };
  }

  async listCampaigns(from: number, to: number): Promise<RemoteCampaign[]> {
    const ep = ENDPOINTS.list;
    const { body, attempts } = await this.#call(ep, { from, to });
    return this.#listRows(body, attempts);
  }

  async listAnswer(from: number, to: number, known?: string): Promise<ListAnswer> {
    const ep = ENDPOINTS.list;
    const called = await this.#call(ep, { from, to }, { known });
    const digest = called.digest!;
    if (called.body) {
      const rows = this.#listRows(called.body, called.attempts);
      return { digest, rows: () => rows };
    }
    // The bytes of an answer the caller decoded before (a successful one): decoded only if asked.
    const { answer, attempts } = called;
    let rows: RemoteCampaign[] | undefined;
    return {
      digest,
      rows: () => {
        if (rows) return rows;
        const outcome = classifyAnswer(answer);
        if (!outcome.ok) throw this.#protocolError(ep, `an answer taken as a known one does not decode: ${outcome.error}`, attempts, false);
        return (rows = this.#listRows(outcome.body, attempts));
      },
    };
  }

  #listRows(answer: Record<string, unknown>, attempts: number): RemoteCampaign[] {
    const ep = ENDPOINTS.list;
    const rows = answer.targets ?? [];
    if (!Array.isArray(rows)) throw this.#protocolError(ep, '`targets` is not a list', attempts, false);
    return rows.map((row: unknown) => {
      const r = (row ?? {}) as Record<string, unknown>;
      const id = typeof r.id === 'string' && /^\d+$/.test(r.id) ? Number(r.id) : r.id;
      if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
        throw this.#protocolError(ep, 'a campaign row without an integer id', attempts, false);
      }
      return {
        id,
        name: typeof r.name === 'string' ? r.name : '',
        status: typeof r.status === 'string' ? r.status : '',
        scheduledOn: r[LIST_START_TIME_FIELD] ?? null,
      };
    });
  }

  async stopCampaign(id: number): Promise<void> {
    assertCampaignId(id);
    await this.#call(ENDPOINTS.stop, { id });
  }

  async campaignReport(id: number): Promise<CampaignReport> {
    assertCampaignId(id);
    try {
      const { body: answer } = await this.#call(ENDPOINTS.result, { id });
      const result = (answer.result && typeof answer.result === 'object' ? answer.result : {}) as Record<string, unknown>;
      return { completed: true, sent: numberOr0(result.sent), clicked: numberOr0(result.clicked), result };
    } catch (err) {
      if (err instanceof CleverTapError && err.kind === 'fail' && isReportNotCompleted(err.error)) {
        return { completed: false, message: err.error };
      }
      throw err;
    }
  }

  async sendToIdentities(channel: IdentityChannel, body: IdentitySendBody): Promise<SendResult> {
    if (!IDENTITY_CHANNELS.includes(channel)) throw new RangeError(`unknown identity channel: ${String(channel)}`);
    assertBatchSize(body.to, MAX_IDENTITIES_PER_SEND);
    const { body: answer } = await this.#call(sendEndpoint(channel), body);
    return { message: optionalMessage(answer) };
  }

  async externalTrigger(body: ExternalTriggerBody): Promise<SendResult> {
    assertBatchSize(body.to, MAX_IDENTITIES_PER_EXTERNAL_TRIGGER);
    const { body: answer } = await this.#call(ENDPOINTS.externalTrigger, body);
    return { message: optionalMessage(answer) };
  }

  async raiseBusinessEvent(body: RaiseBusinessEventBody): Promise<SendResult> {
    const { body: answer } = await this.#call(ENDPOINTS.raise, body);
    return { message: optionalMessage(answer) };
  }

  close(): void {
    this.#agent.destroy();
  }

  /**
   * One operation: hold the family's slot for the whole call (retries and back-off included, so
   * a 429 storm never adds load), and retry only what the failure and the effect allow.
   * `digesting`: each answer is digested (its status and bytes); one whose digest is `known` is
   * taken as that earlier successful answer, and handed back undecoded.
   */
  async #call(ep: Endpoint, payload: unknown): Promise<{ body: Record<string, unknown>; attempts: number }>;
  async #call(ep: Endpoint, payload: unknown, digesting: { known?: string }): Promise<Called>;
  async #call(ep: Endpoint, payload: unknown, digesting?: { known?: string }): Promise<Called> {
    const requestId = this.#nextRequestId++;
    const url = new URL(this.baseUrl + ep.path);
    const text = JSON.stringify(payload);
    const release = await this.#semaphores[ep.family].acquire();
    try {
      for (let attempt = 1; ; attempt++) {
        if (ep.family === 'create') await this.#createWindow.take();
        const event = { requestId, endpoint: ep.path, family: ep.family, attempt };
        this.#hooks.onRequest?.(event);
        const started = performance.now();
        const attempted = await this.#attempt(url, text, digesting);
        const durationMs = Math.round(performance.now() - started);
        if (attempted.known) {
          this.#hooks.onResponse?.({ ...event, httpStatus: attempted.known.status, outcome: 'success', durationMs });
          return { answer: attempted.known, attempts: attempt, digest: attempted.digest };
        }
        const { outcome, digest } = attempted;
        if (outcome.ok) {
          this.#hooks.onResponse?.({ ...event, httpStatus: outcome.httpStatus, outcome: 'success', durationMs });
          return { body: outcome.body, attempts: attempt, digest };
        }
        const error = this.#scrub(outcome.error);
        this.#hooks.onResponse?.({ ...event, httpStatus: outcome.httpStatus, outcome: outcome.kind, durationMs, error });
        const flags = failureFlags(outcome, ep.effect);
        const mayRetry = outcome.retry === 'always' || (outcome.retry === 'if-safe' && ep.effect !== 'write');
        if (mayRetry && attempt < this.#retry.maxAttempts) {
          const delayMs = this.#backoff(attempt);
          this.#hooks.onRetry?.({ ...event, delayMs, reason: outcome.kind });
          await sleep(delayMs);
          continue;
        }
        throw new CleverTapError({
          endpoint: ep.path,
          family: ep.family,
          kind: outcome.kind,
          httpStatus: outcome.httpStatus,
          code: outcome.code,
          error,
          ...flags,
          attempts: attempt,
        });
      }
    } finally {
      release();
    }
  }

  async #attempt(url: URL, text: string, digesting?: { known?: string }): Promise<Attempted> {
    const headers = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-CleverTap-Account-Id': this.accountId,
      'X-CleverTap-Passcode': this.#passcode,
    };
    try {
      const answer = await postJson(this.#agent, url, headers, text, this.#timeoutMs);
      if (!digesting) return { outcome: classifyAnswer(answer) };
      const digest = answerDigest(answer);
      return digest === digesting.known ? { known: answer, digest } : { outcome: classifyAnswer(answer), digest };
    } catch (err) {
      if (err instanceof TransportFailure) return { outcome: classifyTransportFailure(err) };
      throw err;
    }
  }

  #backoff(attempt: number): number {
    const cap = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + this.#retry.random() * (cap / 2));
  }

  #protocolError(ep: Endpoint, error: string, attempts: number, ambiguous: boolean): CleverTapError {
    return new CleverTapError({
      endpoint: ep.path,
      family: ep.family,
      kind: 'protocol',
      httpStatus: 200,
      code: null,
      error,
      retryable: false,
      ambiguous,
      attempts,
    });
  }

  /** A server (or a proxy) could echo request headers in its error text: mask the passcode. */
  #scrub(text: string): string {
    return text.split(this.#passcode).join('***');
  }

  [inspect.custom](): string {
    return `CleverTapClient { baseUrl: ${JSON.stringify(this.baseUrl)}, accountId: ${JSON.stringify(this.accountId)} }`;
  }

  toJSON(): { baseUrl: string; accountId: string } {
    return { baseUrl: this.baseUrl, accountId: this.accountId };
  }
}

function readEstimates(raw: unknown): Estimates {
  const out: Estimates = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

function numberOr0(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function assertCampaignId(id: number): void {
  if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError(`campaign id must be a positive integer, got ${id}`);
}

function assertBatchSize(to: Record<string, readonly string[] | undefined>, max: number): void {
  const n = countIdentities(to);
  if (n > max) throw new RangeError(`${n} identities in one call; at most ${max} (split with batchIdentities)`);
}
