/**
 * The daemon's small pure parts: the bearer-token check, the failure backoff, the coalescing
 * reconcile queue, readiness and the --listen parser.
 */
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/daemon/backoff.js';
import { checkBearer, tokensEqual } from '../../src/daemon/http/auth.js';
import { ReconcileQueue, type ReconcileRequest } from '../../src/daemon/queue.js';
import { readinessOf } from '../../src/daemon/readiness.js';
import { isLoopback, listenProblems } from '../../src/daemon/start-checks.js';
import { parseListen } from '../../src/cli/watch.js';

describe('bearer token', () => {
  it('403 when none is configured, 401 when missing or wrong (any length), ok when equal', () => {
    expect(checkBearer(null, 'Bearer x')).toMatchObject({ ok: false, status: 403 });
    expect(checkBearer('secret-token', undefined)).toMatchObject({ ok: false, status: 401 });
    expect(checkBearer('secret-token', 'Basic c2VjcmV0')).toMatchObject({ ok: false, status: 401 });
    expect(checkBearer('secret-token', 'Bearer secret-tokeN')).toMatchObject({ ok: false, status: 401 });
    expect(checkBearer('secret-token', 'Bearer secret')).toMatchObject({ ok: false, status: 401 });
    expect(checkBearer('secret-token', 'Bearer secret-token')).toEqual({ ok: true });
    expect(tokensEqual('é', 'e')).toBe(false);
  });
});

describe('failure backoff', () => {
  it('doubles from 1 s to at most 15 min, jittered up to 20%, and forgets a success', () => {
    const b = new Backoff(() => 1);
    const waits = Array.from({ length: 14 }, () => b.failed('campaign.a', 0));
    expect(waits.slice(0, 4)).toEqual([1200, 2400, 4800, 9600]);
    expect(waits[13]).toBe(15 * 60_000);
    expect(b.waiting('campaign.a', 1000)).toBe(15 * 60_000);
    expect(b.waiting('campaign.b', 0)).toBeNull();
    b.succeeded('campaign.a');
    expect(b.waiting('campaign.a', 0)).toBeNull();
    expect(new Backoff(() => 0).failed('x', 500)).toBe(1500);
  });

  it('nextExpiry is the earliest wait still running', () => {
    const b = new Backoff(() => 0);
    b.failed('a', 0);
    b.failed('b', 0);
    b.failed('b', 0);
    expect(b.nextExpiry(0)).toBe(1000);
    expect(b.nextExpiry(1000)).toBe(2000);
    expect(b.nextExpiry(2000)).toBeNull();
  });
});

describe('reconcile queue', () => {
  it('runs one at a time and coalesces asks made while one runs into one more (force kept)', async () => {
    const runs: ReconcileRequest[] = [];
    let release!: () => void;
    const q = new ReconcileQueue(async (req) => {
      runs.push(req);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
    });
    q.request('start');
    q.request('file');
    q.request('api', true);
    q.request('file');
    await new Promise((r) => setTimeout(r, 10));
    expect(runs).toEqual([{ reason: 'start', force: false, filesOnly: false }]);
    release();
    await q.idle();
    // A file event coalesced with an API ask is no longer files only: CleverTap is asked in full.
    expect(runs).toEqual([
      { reason: 'start', force: false, filesOnly: false },
      { reason: 'file', force: true, filesOnly: false },
    ]);
    q.request('file');
    await q.idle();
    expect(runs[2]).toEqual({ reason: 'file', force: false, filesOnly: true });
    await q.stop();
    q.request('file');
    await q.idle();
    expect(runs).toHaveLength(3);
  });
});

describe('readiness', () => {
  const base = { now: 1_000_000, draining: false, storeError: null, role: 'leader' as const, intervalMs: 60_000, lastRefreshAt: 990_000, lastFetchAt: 990_000, gitMode: true };
  it('ready when everything is fresh; each reason alone makes it unready', () => {
    expect(readinessOf(base)).toEqual({ ready: true, reasons: [] });
    expect(readinessOf({ ...base, draining: true }).reasons).toEqual(['shutting down']);
    expect(readinessOf({ ...base, storeError: 'SQLITE_BUSY' }).ready).toBe(false);
    expect(readinessOf({ ...base, role: 'lost' }).reasons).toEqual(['the daemon lease is not held']);
    expect(readinessOf({ ...base, lastRefreshAt: null }).reasons).toEqual(['CleverTap not refreshed yet']);
    expect(readinessOf({ ...base, lastRefreshAt: 1_000_000 - 180_001 }).ready).toBe(false);
    expect(readinessOf({ ...base, lastRefreshAt: 1_000_000 - 180_000 }).ready).toBe(true);
    expect(readinessOf({ ...base, lastFetchAt: 1_000_000 - 180_001 }).ready).toBe(false);
    expect(readinessOf({ ...base, gitMode: false, lastFetchAt: null }).ready).toBe(true);
  });

  it('a follower replica is ready without refreshing CleverTap or fetching (the leader does), not while draining or cut off from the store', () => {
    const follower = { ...base, role: 'follower' as const, lastRefreshAt: null, lastFetchAt: null };
    expect(readinessOf(follower)).toEqual({ ready: true, reasons: [] });
    expect(readinessOf({ ...follower, draining: true }).reasons).toEqual(['shutting down']);
    expect(readinessOf({ ...follower, storeError: 'connection refused' }).ready).toBe(false);
  });
});

describe('--listen', () => {
  it('parses HOST:PORT, [v6]:PORT; refuses the rest', () => {
    expect(parseListen('127.0.0.1:8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen('0.0.0.0:65536')).toBeNull();
    expect(parseListen('localhost')).toBeNull();
  });

  it('a non-loopback address needs a token', () => {
    expect(isLoopback('127.0.0.2')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(listenProblems('0.0.0.0', null).map((d) => d.code)).toEqual(['watch.open-without-token']);
    expect(listenProblems('0.0.0.0', 'tok')).toEqual([]);
    expect(listenProblems('127.0.0.1', null)).toEqual([]);
  });
});
