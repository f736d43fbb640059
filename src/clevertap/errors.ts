/**
 * The one error type of the client. Callers decide with two flags:
 * - `retryable`: trying the same call again later could succeed and is safe;
 * - `ambiguous`: the request may have taken effect but no answer says so (timeout after sending,
 *   connection reset, 5xx or a garbled answer on a write). The caller settles it: the reconciler by
 *   reading back, the runtime sender by recording `unknown`. The client never retries these.
 * The passcode is never part of any field: texts from the server are scrubbed by the client.
 */
import { inspect } from 'node:util';
import type { ApiFamily } from './endpoints.js';

export type CleverTapErrorKind =
  | 'fail' // `status: "fail"` for a request CleverTap understood and refused (validation, unknown id)
  | 'auth' // 401: wrong account id, passcode or regional host; 403: operation not allowed to this passcode
  | 'rate-limited' // 429 after the bounded retries
  | 'server' // 5xx
  | 'network' // connection refused/reset, socket closed without an answer
  | 'timeout' // no answer within timeoutMs
  | 'protocol'; // an answer that is not CleverTap's envelope, or a success without the expected keys

export interface CleverTapErrorFields {
  endpoint: string;
  family: ApiFamily;
  kind: CleverTapErrorKind;
  httpStatus: number | null;
  code: number | null;
  error: string;
  retryable: boolean;
  ambiguous: boolean;
  attempts: number;
}

export class CleverTapError extends Error {
  override readonly name = 'CleverTapError';
  readonly endpoint: string;
  readonly family: ApiFamily;
  readonly kind: CleverTapErrorKind;
  /** null when no HTTP answer arrived. */
  readonly httpStatus: number | null;
  /** CleverTap's numeric `code`, when the envelope had one. */
  readonly code: number | null;
  /** CleverTap's `error` text, or what went wrong on the way. */
  readonly error: string;
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  /** How many requests were sent for this call (retries included). */
  readonly attempts: number;

  constructor(f: CleverTapErrorFields) {
    super(describe(f));
    this.endpoint = f.endpoint;
    this.family = f.family;
    this.kind = f.kind;
    this.httpStatus = f.httpStatus;
    this.code = f.code;
    this.error = f.error;
    this.retryable = f.retryable;
    this.ambiguous = f.ambiguous;
    this.attempts = f.attempts;
  }

  toJSON(): CleverTapErrorFields & { message: string } {
    return {
      message: this.message,
      endpoint: this.endpoint,
      family: this.family,
      kind: this.kind,
      httpStatus: this.httpStatus,
      code: this.code,
      error: this.error,
      retryable: this.retryable,
      ambiguous: this.ambiguous,
      attempts: this.attempts,
    };
  }

  /** util.inspect shows exactly the public fields and the stack, nothing reachable behind them. */
  [inspect.custom](): string {
    return `${this.stack ?? this.message}\n${inspect(this.toJSON(), { breakLength: 120 })}`;
  }
}

function describe(f: CleverTapErrorFields): string {
  const parts = [f.httpStatus === null ? 'no HTTP answer' : `HTTP ${f.httpStatus}`];
  if (f.code !== null) parts.push(`code ${f.code}`);
  if (f.ambiguous) parts.push('outcome unknown: it may have taken effect');
  if (f.attempts > 1) parts.push(`${f.attempts} attempts`);
  return `CleverTap ${f.endpoint}: ${f.error} (${parts.join(', ')})`;
}
