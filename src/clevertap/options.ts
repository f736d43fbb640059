/**
 * What a caller configures on the client, and the events it reports through hooks (the client
 * itself never writes to the console).
 */
import type { ApiFamily } from './endpoints.js';
import type { CleverTapErrorKind } from './errors.js';

export interface RequestEvent {
  /** One id per operation call, shared by its retries. */
  requestId: number;
  endpoint: string;
  family: ApiFamily;
  attempt: number;
}

export interface ResponseEvent extends RequestEvent {
  httpStatus: number | null;
  /** `success`, or the failure kind of this attempt. */
  outcome: 'success' | CleverTapErrorKind;
  durationMs: number;
  /** CleverTap's error text or the transport problem (scrubbed of the passcode). */
  error?: string;
}

export interface RetryEvent extends RequestEvent {
  delayMs: number;
  reason: CleverTapErrorKind;
}

/** Progress and metrics; the client itself never writes to the console. */
export interface ClientHooks {
  onRequest?(e: RequestEvent): void;
  onResponse?(e: ResponseEvent): void;
  onRetry?(e: RetryEvent): void;
}

export interface RetryOptions {
  /** Attempts per call, the first included (default 5). */
  maxAttempts?: number;
  /** Back-off before retry n is in [cap/2, cap], cap = min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Jitter source (default Math.random); tests pass a seeded one. */
  random?: () => number;
}

export interface ClientOptions {
  /** Overrides the region's host: `apiUrl` in campaignctl.yaml or CLEVERTAP_API_URL. */
  baseUrl?: string;
  /** `eu1` (default), `in1`, `sg1`, `us1`, `aps3`, `mec1`. */
  region?: string;
  accountId: string;
  passcode: string;
  /** Requests in flight per API family (default 3, CleverTap's limit for campaign APIs). */
  concurrency?: number;
  /** Creates (and estimates: same endpoint) started per second (default 3). */
  createsPerSecond?: number;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  hooks?: ClientHooks;
  retry?: RetryOptions;
}
