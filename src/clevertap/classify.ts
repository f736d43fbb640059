/**
 * Turns one attempt's answer (or its absence) into success or a classified failure. The envelope
 * decides, not the HTTP code: `status: "success"` succeeds whatever the code, `status: "fail"`
 * fails even with 200 (clevertap-api.md §1.4).
 */
import type { CleverTapErrorKind } from './errors.js';
import type { Effect } from './endpoints.js';
import type { HttpAnswer, TransportFailure } from './transport.js';
import { isRateLimited } from './unverified.js';

export type RetryPolicy =
  | 'always' // nothing happened (429, connection never made): retry any call
  | 'if-safe' // may have landed: retry reads and idempotent writes only
  | 'never';

export type AttemptOutcome =
  | { ok: true; httpStatus: number; body: Record<string, unknown> }
  | {
      ok: false;
      kind: CleverTapErrorKind;
      httpStatus: number | null;
      code: number | null;
      error: string;
      retry: RetryPolicy;
      /** The request may have taken effect on CleverTap's side. */
      mayHaveLanded: boolean;
    };

export function classifyAnswer(answer: Pick<HttpAnswer, 'status' | 'text'>): AttemptOutcome {
  const { status } = answer;
  const envelope = parseEnvelope(answer.text);
  if (envelope?.status === 'success') return { ok: true, httpStatus: status, body: envelope };
  const code = envelope && typeof envelope.code === 'number' ? envelope.code : null;
  const text = envelope && typeof envelope.error === 'string' && envelope.error ? envelope.error : undefined;
  const base = { ok: false as const, httpStatus: status, code };
  if (isRateLimited(status, code)) {
    return { ...base, kind: 'rate-limited', error: text ?? 'Too many concurrent requests', retry: 'always', mayHaveLanded: false };
  }
  // 401: wrong account id, passcode or regional host; 403: a passcode not allowed this operation.
  if (status === 401 || status === 403) {
    return { ...base, kind: 'auth', error: text ?? (status === 401 ? 'unauthorized' : 'forbidden'), retry: 'never', mayHaveLanded: false };
  }
  if (status >= 500) {
    return { ...base, kind: 'server', error: text ?? `server error ${status}`, retry: 'if-safe', mayHaveLanded: true };
  }
  if (envelope?.status === 'fail') {
    return { ...base, kind: 'fail', error: text ?? 'request failed', retry: 'never', mayHaveLanded: false };
  }
  // Not CleverTap's envelope. On a 2xx something answered "OK" in a shape we do not know, so a
  // write may well have landed; on a 4xx (a proxy, a wrong URL) nothing reached the API.
  const is2xx = status >= 200 && status < 300;
  return {
    ...base,
    kind: 'protocol',
    error: `unexpected answer: ${snippet(answer.text)}`,
    retry: is2xx ? 'if-safe' : 'never',
    mayHaveLanded: is2xx,
  };
}

export function classifyTransportFailure(f: TransportFailure): AttemptOutcome {
  return {
    ok: false,
    kind: f.kind,
    httpStatus: null,
    code: null,
    error: f.detail,
    // Not fully written: the server cannot have acted on it, so even a create may go again.
    retry: f.sent ? 'if-safe' : 'always',
    mayHaveLanded: f.sent,
  };
}

/** Final flags for a failure, given what the operation does. */
export function failureFlags(
  outcome: { retry: RetryPolicy; mayHaveLanded: boolean },
  effect: Effect,
): { retryable: boolean; ambiguous: boolean } {
  return {
    retryable: outcome.retry === 'always' || (outcome.retry === 'if-safe' && effect !== 'write'),
    ambiguous: outcome.mayHaveLanded && effect !== 'read',
  };
}

function parseEnvelope(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (!oneLine) return '(empty body)';
  return oneLine.length > 120 ? `${oneLine.slice(0, 120)}...` : oneLine;
}
