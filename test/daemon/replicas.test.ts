/**
 * `watch` replicas on one PostgreSQL state (issue 13 section 3), end to end: spawned CLIs (the
 * built dist/) on a schema of the test database, against an emulator in this test process, with
 * the lease shortened (3 s, renewed every 1 s, polls every 0.5 s) through the environment.
 * - both start; exactly one leads and both /v1/status say which (its id, pid and command);
 * - POST /v1/reconcile on the follower becomes a refresh request the leader reconciles;
 * - SIGTERM of a follower exits 0; kill -9 of the leader: the other leads within one lease plus
 *   one poll, and reconciles; SIGTERM of that leader exits 0 and frees the lease;
 * - a leader whose lease is taken from it (as when it stalled past its lease and another took
 *   it) stops leading at its next renewal; a holder on another host that is never renewed is
 *   succeeded only once its lease ran out, and the send it had in flight is unknown at once;
 * - git mode: a push webhook on the follower makes the leader, woken by the NOTIFY, fetch and
 *   reconcile the new commit; the follower does not fetch.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { githubSignature } from '../../src/daemon/http/webhook-signature.js';
import { TempProject } from '../apply/helpers.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { EVENT, TRIGGER_ID, removeTemps, writeProject } from '../runtime/fixture.js';
import { dropSchema, freshSchemaName, pgLocation, pgQuery, pgSuite } from '../state/pg-fixture.js';
import { WatchProcess, type LogLine } from './watch-process.js';

const TOKEN = 'replicas-api-token-0123456789';
const ACCOUNT = 'REPLICAS-ACCOUNT';
const PASSCODE = 'replicas-passcode-0001';
const LEASE_MS = 3000;
const POLL_MS = 500;
const timing = { CAMPAIGNCTL_WATCH_LEASE_MS: String(LEASE_MS), CAMPAIGNCTL_WATCH_RENEW_MS: '1000', CAMPAIGNCTL_WATCH_POLL_MS: String(POLL_MS) };

pgSuite('watch replicas on PostgreSQL state', () => {
  const running: WatchProcess[] = [];
  const schemas: string[] = [];
  let emu: SandboxHandle;
  let dir: string;

  beforeAll(async () => {
    emu = await startSandbox({ accountId: ACCOUNT, passcode: PASSCODE, externalTriggers: [TRIGGER_ID], businessEvents: [EVENT] });
    dir = writeProject();
    for (const args of [['init', '-q'], ['add', '.'], ['commit', '-qm', 'contracts']]) {
      execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args], { cwd: dir });
    }
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((w) => w.kill()));
    for (const s of schemas.splice(0)) await dropSchema(s);
  });
  afterAll(async () => {
    await emu?.close();
    removeTemps();
  });

  function freshState(): string {
    const schema = freshSchemaName();
    schemas.push(schema);
    return schema;
  }

  function replica(schema: string): WatchProcess {
    const w = new WatchProcess(dir, [], {
      CLEVERTAP_API_URL: emu.url,
      CLEVERTAP_ACCOUNT_ID: ACCOUNT,
      CLEVERTAP_PASSCODE: PASSCODE,
      CAMPAIGNCTL_API_TOKEN: TOKEN,
      CAMPAIGNCTL_STATE: pgLocation(schema),
      ...timing,
    });
    running.push(w);
    return w;
  }

  const leads = (l: LogLine) => l.msg === 'this replica leads: it reconciles and applies';
  const follows = (l: LogLine) => typeof l.msg === 'string' && l.msg.startsWith('this replica follows');
  const reconciled = (reason: string) => (l: LogLine) => (l.reconcile as { reason?: string } | undefined)?.reason === reason;

  async function gauge(w: WatchProcess): Promise<string | undefined> {
    const text = (await w.get('/metrics')).body as string;
    return /^campaignctl_leader (\d+)$/m.exec(text)?.[1];
  }

  it('one leads; the follower hands POST /v1/reconcile to it; SIGTERM of a follower exits 0; kill -9 of the leader hands over within lease + poll', { timeout: 120_000 }, async () => {
    const schema = freshState();
    const a = replica(schema);
    await a.waitFor(leads);
    await a.waitFor(reconciled('start'));
    const b = replica(schema);
    await b.waitFor(follows);

    const sa = await a.statusWhere((s) => s.leader !== null);
    const sb = await b.statusWhere((s) => s.leader !== null);
    expect(sb.replica).not.toBe(sa.replica);
    expect(sa.leader).toMatchObject({ id: sa.replica, pid: a.child.pid, command: 'watch' });
    // The same row as the leader sees it (expiresAt moves with every renewal, so left out).
    const row = ({ expiresAt: _moves, ...rest }: { expiresAt: string }) => rest;
    expect(row(sb.leader)).toEqual(row(sa.leader));
    // The follower is ready (it serves the API) without ever refreshing CleverTap itself.
    expect(sb.ready).toBe(true);
    expect(await gauge(a)).toBe('1');
    expect(await gauge(b)).toBe('0');

    // POST /v1/reconcile on the follower: the leader reconciles (forced, reason api).
    expect((await b.post('/v1/reconcile', { authorization: `Bearer ${TOKEN}` })).status).toBe(202);
    await b.waitFor((l) => l.msg === 'refresh request (api) left for the leader');
    const taken = await a.waitFor((l) => l.msg === 'refresh request (api) from replica ' + sb.replica, 10_000);
    expect(taken).toMatchObject({ reason: 'api', by: sb.replica });
    await a.waitFor(reconciled('api'), 10_000);
    expect(await pgQuery(`SELECT count(*)::int AS n FROM "${schema}".refresh_requests`)).toEqual([{ n: 0 }]);
    expect(b.lines.filter((l) => l.reconcile !== undefined)).toEqual([]);

    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect((await a.get('/v1/status')).body.leader.id).toBe(sa.replica);

    const c = replica(schema);
    await c.waitFor(follows);
    const sc = await c.statusWhere((s) => s.leader?.id === sa.replica);
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    await c.waitFor(leads, LEASE_MS + POLL_MS + 5000);
    const handover = Date.now() - killedAt;
    expect(handover).toBeLessThan(LEASE_MS + POLL_MS + 1000);
    const after = await c.statusWhere((s) => s.leader?.id === sc.replica);
    expect(after.leader).toMatchObject({ pid: c.child.pid, epoch: sa.leader.epoch + 1 });
    await c.waitFor(reconciled('leader'));
    expect(await gauge(c)).toBe('1');
    console.info(`[replicas] kill -9 of the leader -> the follower leads after ${handover} ms (lease ${LEASE_MS} ms, poll ${POLL_MS} ms)`);

    c.child.kill('SIGTERM');
    expect(await c.exited).toBe(0);
    expect(await pgQuery(`SELECT id FROM "${schema}".leases WHERE name = 'leader'`)).toEqual([{ id: '' }]);
  });

  it('a leader whose lease was taken stops leading at its next renewal; a holder elsewhere that never renews is succeeded once its lease ran out, and what it was sending is unknown at once', { timeout: 90_000 }, async () => {
    const schema = freshState();
    const a = replica(schema);
    await a.waitFor(leads);
    // As if `a` had stalled past its lease and a replica on another host had taken it.
    await pgQuery(
      `UPDATE "${schema}".leases SET id = 'thief', host = 'other-box', pid = 4242, command = 'watch', since = heartbeat, epoch = epoch + 1,
         expires_at = to_char((now() + interval '3 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') WHERE name = 'leader'`,
    );
    const stepped = await a.waitFor((l) => typeof l.msg === 'string' && l.msg.startsWith('this replica no longer leads (epoch 1)'), 5000);
    expect(stepped.msg).toContain('the lease is held by watch (pid 4242 on other-box)');
    await a.waitFor((l) => l.msg === 'this replica follows: another one reconciles and applies');
    expect(await gauge(a)).toBe('0');
    expect((await a.get('/v1/status')).body.leader).toMatchObject({ id: 'thief', host: 'other-box', epoch: 2 });
    const thiefSince = Date.now();
    // The thief was sending a message when it stopped renewing, under a claim good for 60 s more.
    const [{ id: inFlight }] = await pgQuery<{ id: string }>(
      `INSERT INTO "${schema}".outbox (kind, address, payload, status, attempts, enqueued_at, next_attempt_at, last_attempt_at, claimed_by, lease_until)
       VALUES ('message', 'message.order-shipped', '{}', 'sending', 1, '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', 'thief',
         to_char((now() + interval '60 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) RETURNING id`,
    );
    // The thief never renews: `a` takes the lease back once it expired, under a new epoch.
    await a.waitFor((l) => leads(l) && a.lines.indexOf(l) > a.lines.indexOf(stepped), 3000 + POLL_MS + 5000);
    const retaken = Date.now() - thiefSince;
    expect(retaken).toBeGreaterThan(1500);
    console.info(`[replicas] a holder on another host that stopped renewing -> succeeded ${retaken} ms after the step-down (its lease: 3000 ms from the theft)`);
    const back = await a.statusWhere((s) => s.leader?.id === s.replica);
    expect(back.leader.epoch).toBe(3);
    // What the thief was sending is unknown as soon as its lease was taken, long before its claim's
    // lease ran out; never back to pending, never sent.
    const settled = await a.waitFor((l) => /was sending when it stopped are now unknown/.test(l.msg), 5000);
    expect(settled).toMatchObject({ outbox: [Number(inFlight)], claimedBy: 'thief' });
    const [row] = await pgQuery<{ status: string; attempts: number; last_error: string; lease_until: string | null }>(`SELECT status, attempts, last_error, lease_until FROM "${schema}".outbox WHERE id = $1`, [inFlight]);
    expect(row).toMatchObject({ status: 'unknown', attempts: 1, lease_until: null, last_error: expect.stringMatching(/^replica thief stopped while it was being sent/) });
    expect(Date.now() - thiefSince).toBeLessThan(30_000);
  });

  it('git mode: a push webhook on the follower makes the leader fetch and reconcile the pushed commit', { timeout: 90_000 }, async () => {
    const schema = freshState();
    const secret = 'replicas-webhook-secret-0042';
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
    const base = mkdtempSync(path.join(tmpdir(), 'campaignctl-replicas-git-'));
    const tp = new TempProject({ provider: 'sandbox' });
    try {
      const remote = path.join(base, 'remote.git');
      git(base, 'init', '-q', '--bare', '-b', 'main', remote);
      tp.write('.gitignore', '.campaignctl/\n');
      tp.campaign({ name: 'alpha', title: 'Title alpha' });
      git(tp.root, 'init', '-q', '-b', 'main');
      git(tp.root, 'add', '.');
      git(tp.root, 'commit', '-qm', 'alpha');
      git(tp.root, 'remote', 'add', 'origin', remote);
      git(tp.root, 'push', '-q', 'origin', 'main');
      // A long interval: only the webhook brings the next commit within the test.
      const start = (name: string) => {
        const w = new WatchProcess(base, ['--git-remote', `file://${remote}`, '--branch', 'main', '--interval', '10m', '--work-dir', path.join(base, name)], {
          CAMPAIGNCTL_STATE: pgLocation(schema),
          CAMPAIGNCTL_WEBHOOK_SECRET: secret,
          // Polls a minute apart: the leader takes the request within the test only when the
          // NOTIFY of the follower's refresh request wakes it.
          ...timing,
          CAMPAIGNCTL_WATCH_POLL_MS: '60000',
        });
        running.push(w);
        return w;
      };
      const a = start('a');
      await a.waitFor(reconciled('start'));
      const b = start('b');
      await b.waitFor(follows);

      tp.campaign({ name: 'beta', title: 'Title beta' });
      git(tp.root, 'add', 'campaigns/beta.yaml');
      git(tp.root, 'commit', '-qm', 'beta');
      git(tp.root, 'push', '-q', 'origin', 'main');
      const head = git(tp.root, 'rev-parse', 'HEAD');
      const push = JSON.stringify({ ref: 'refs/heads/main', after: head });
      const res = await fetch((await b.url()) + '/hooks/github', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': githubSignature(push, secret) },
        body: push,
      });
      expect(res.status).toBe(202);
      const reconcile = (await a.waitFor((l) => reconciled('webhook')(l) && (l.reconcile as { commit?: string }).commit === head, 10_000)).reconcile as { result: string };
      expect(reconcile.result).toBe('planned');
      const status = await a.statusWhere((s) => s.lastReconcile?.commit === head);
      expect(status.pending.map((c: { address: string }) => c.address).sort()).toEqual(['campaign.alpha', 'campaign.beta']);
      // The follower fetched once, at start; the leader twice (start, the webhook).
      expect((await b.get('/metrics')).body).toMatch(/^campaignctl_git_fetch_total\{result="changed"\} 1$/m);
      expect((await b.get('/metrics')).body).not.toMatch(/campaignctl_git_fetch_total\{result="unchanged"\}/);
      expect((await a.get('/metrics')).body).toMatch(/^campaignctl_git_fetch_total\{result="changed"\} 2$/m);
    } finally {
      tp.dispose();
      rmSync(base, { recursive: true, force: true });
    }
  });
});
