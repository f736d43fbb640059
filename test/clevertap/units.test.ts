/** The client's pure parts: batching, base URLs, answer classification and the unverified guesses. */
import { describe, expect, it } from 'vitest';
import { batchIdentities, countIdentities } from '../../src/clevertap/batch.js';
import { classifyAnswer, classifyTransportFailure, failureFlags } from '../../src/clevertap/classify.js';
import { resolveBaseUrl } from '../../src/clevertap/endpoints.js';
import { TransportFailure } from '../../src/clevertap/transport.js';
import { isReportNotCompleted, parseScheduledOn } from '../../src/clevertap/unverified.js';
import { connectionFromEnv } from '../../src/clevertap/connection.js';

describe('batchIdentities', () => {
  it('counts all keys together and keeps order', () => {
    const to = { Identity: ['a', 'b', 'c'], Email: ['d', 'e'] };
    expect(batchIdentities(to, 2)).toEqual([{ Identity: ['a', 'b'] }, { Identity: ['c'], Email: ['d'] }, { Email: ['e'] }]);
    expect(batchIdentities(to, 5)).toEqual([to]);
    expect(batchIdentities({}, 1000)).toEqual([]);
    expect(batchIdentities({ Identity: [] }, 1000)).toEqual([]);
    expect(() => batchIdentities(to, 0)).toThrow(RangeError);
  });

  it('splits 2,500 into 1000 + 1000 + 500', () => {
    const to = { Identity: Array.from({ length: 2500 }, (_, i) => `u${i}`) };
    const batches = batchIdentities(to);
    expect(batches.map(countIdentities)).toEqual([1000, 1000, 500]);
    expect(batches.flatMap((b) => b.Identity ?? [])).toEqual(to.Identity);
  });
});

describe('resolveBaseUrl', () => {
  it('maps regions to hosts and lets an API URL win', () => {
    expect(resolveBaseUrl({})).toBe('https://api.clevertap.com');
    expect(resolveBaseUrl({ region: 'eu1' })).toBe('https://api.clevertap.com');
    expect(resolveBaseUrl({ region: 'in1' })).toBe('https://in1.api.clevertap.com');
    expect(resolveBaseUrl({ region: 'MEC1' })).toBe('https://mec1.api.clevertap.com');
    expect(resolveBaseUrl({ region: 'us1', apiUrl: 'http://127.0.0.1:8089/' })).toBe('http://127.0.0.1:8089');
    expect(resolveBaseUrl({ apiUrl: 'https://proxy.example.com/clevertap/1' })).toBe('https://proxy.example.com/clevertap');
    expect(() => resolveBaseUrl({ region: 'eu1.api.clevertap.com' })).toThrow(TypeError);
    expect(() => resolveBaseUrl({ apiUrl: 'ftp://x' })).toThrow(TypeError);
    expect(() => resolveBaseUrl({ apiUrl: 'https://user:pw@x' })).toThrow(/must not carry credentials/);
  });

  it('reads the connection settings from the environment, empty meaning unset', () => {
    expect(connectionFromEnv({ CLEVERTAP_ACCOUNT_ID: 'A', CLEVERTAP_PASSCODE: ' ', CLEVERTAP_REGION: 'in1', CLEVERTAP_API_URL: 'http://x' })).toEqual({
      accountId: 'A',
      passcode: undefined,
      region: 'in1',
      apiUrl: 'http://x',
    });
  });
});

describe('classifyAnswer: the envelope decides', () => {
  it('success whatever the HTTP code; fail even with 200', () => {
    expect(classifyAnswer({ status: 201, text: '{"status":"success","id":5}' })).toEqual({ ok: true, httpStatus: 201, body: { status: 'success', id: 5 } });
    expect(classifyAnswer({ status: 200, text: '{"status":"fail","error":"nope","code":7}' })).toMatchObject({
      ok: false,
      kind: 'fail',
      code: 7,
      error: 'nope',
      retry: 'never',
      mayHaveLanded: false,
    });
  });

  it('429 by status or by code; 5xx and garbled 2xx may have landed; a garbled 4xx did not', () => {
    expect(classifyAnswer({ status: 429, text: 'slow down' })).toMatchObject({ kind: 'rate-limited', retry: 'always', mayHaveLanded: false });
    expect(classifyAnswer({ status: 200, text: '{"status":"fail","error":"x","code":429}' })).toMatchObject({ kind: 'rate-limited' });
    expect(classifyAnswer({ status: 503, text: '<html>Service Unavailable</html>' })).toMatchObject({ kind: 'server', retry: 'if-safe', mayHaveLanded: true });
    expect(classifyAnswer({ status: 200, text: 'OK' })).toMatchObject({ kind: 'protocol', retry: 'if-safe', mayHaveLanded: true, error: 'unexpected answer: OK' });
    expect(classifyAnswer({ status: 404, text: '' })).toMatchObject({ kind: 'protocol', retry: 'never', mayHaveLanded: false, error: 'unexpected answer: (empty body)' });
    expect(classifyAnswer({ status: 401, text: '{"status":"fail","error":"Invalid"}' })).toMatchObject({ kind: 'auth', retry: 'never' });
  });

  it('403 (operation not allowed to this passcode) is an authorization failure, like 401', () => {
    expect(classifyAnswer({ status: 403, text: '{"status":"fail","error":"Operation not allowed","code":403}' })).toMatchObject({
      kind: 'auth',
      error: 'Operation not allowed',
      retry: 'never',
      mayHaveLanded: false,
    });
    expect(classifyAnswer({ status: 403, text: '<html>Forbidden</html>' })).toMatchObject({ kind: 'auth', error: 'forbidden' });
  });

  it('transport failures: written means maybe landed', () => {
    expect(classifyTransportFailure(new TransportFailure('network', false, 'ECONNREFUSED'))).toMatchObject({ retry: 'always', mayHaveLanded: false });
    expect(classifyTransportFailure(new TransportFailure('timeout', true, 'late'))).toMatchObject({ kind: 'timeout', retry: 'if-safe', mayHaveLanded: true });
  });

  it('final flags depend on what the operation does', () => {
    const maybe = { retry: 'if-safe' as const, mayHaveLanded: true };
    expect(failureFlags(maybe, 'write')).toEqual({ retryable: false, ambiguous: true });
    expect(failureFlags(maybe, 'idempotent-write')).toEqual({ retryable: true, ambiguous: true });
    expect(failureFlags(maybe, 'read')).toEqual({ retryable: true, ambiguous: false });
    expect(failureFlags({ retry: 'always', mayHaveLanded: false }, 'write')).toEqual({ retryable: true, ambiguous: false });
  });
});

describe('unverified guesses', () => {
  it('scheduled_on as YYYYMMDDHHmm', () => {
    expect(parseScheduledOn(202507101830)).toEqual({ year: 2025, month: 7, day: 10, hour: 18, minute: 30 });
    expect(parseScheduledOn('202507101830')).toEqual({ year: 2025, month: 7, day: 10, hour: 18, minute: 30 });
    expect(parseScheduledOn(20250710)).toBeNull();
    expect(parseScheduledOn(202513101830)).toBeNull();
    expect(parseScheduledOn('2025-07-10T18:30')).toBeNull();
  });

  it('the report not-completed text', () => {
    expect(isReportNotCompleted("This target hasn't been completed")).toBe(true);
    expect(isReportNotCompleted("This target hasn't been completed. Status: running")).toBe(true);
    expect(isReportNotCompleted('Campaign not found')).toBe(false);
  });
});
