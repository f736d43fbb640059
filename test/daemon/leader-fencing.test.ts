/**
 * Fencing of the leader on PostgreSQL state, in-process (startDaemon, as `watch` calls it) against
 * the embedded sandbox made slow (every request takes 1 s), with --auto-apply and three campaigns
 * to create one at a time: the lease is taken from the leader while its apply runs (as when it stalled past its
 * lease and another replica took it). At its next renewal the leader ends its term: the apply
 * starts no further change, the reconcile says why, and the leader neither reconciles nor applies
 * again while it follows.
 */
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../src/daemon/daemon.js';
import { openStateStore } from '../../src/state/open.js';
import { TempProject } from '../apply/helpers.js';
import { dropSchema, freshSchemaName, pgLocation, pgQuery, pgSuite } from '../state/pg-fixture.js';

pgSuite('the leader fenced on PostgreSQL state', () => {
  const projects: TempProject[] = [];
  const daemons: RunningDaemon[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((d) => d.stop()));
    for (const tp of projects.splice(0)) tp.dispose();
    for (const s of schemas.splice(0)) await dropSchema(s);
  });

  async function until(test: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('a leader whose lease is taken during an apply stops applying at its next renewal and does not reconcile again', { timeout: 60_000 }, async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    // One change at a time, so the changes after the one in flight are still to start.
    const tp = new TempProject({ provider: 'sandbox', extraEnv: '\n    limits:\n      concurrency: 1' });
    projects.push(tp);
    for (const name of ['alpha', 'beta', 'gamma']) tp.campaign({ name, title: `Title ${name}` });
    execFileSync('git', ['init', '-q'], { cwd: tp.root });
    const lines: { msg: string; reconcile?: { result: string; error: string | null } }[] = [];
    const logs = new PassThrough();
    logs.on('data', (chunk: Buffer) => {
      for (const text of chunk.toString().split('\n')) if (text.trim()) lines.push(JSON.parse(text));
    });
    const daemon = await startDaemon({
      dir: tp.root,
      listen: { host: '127.0.0.1', port: 0 },
      autoApply: true,
      logFormat: 'json',
      shutdownTimeoutMs: 20_000,
      environ: { CAMPAIGNCTL_STATE: pgLocation(schema) },
      logDestination: logs,
      connect: { sandbox: { latencyMs: 1000 } },
      timing: { leaseTtlMs: 3000, leaseRenewMs: 200, pollMs: 200 },
    });
    daemons.push(daemon);
    expect((await daemon.services.status()).leader?.id).toBe((await daemon.services.status()).replica);
    await until(() => lines.some((l) => l.msg === 'apply: 3 changes'), 'the apply starting');

    await pgQuery(
      `UPDATE "${schema}".leases SET id = 'thief', host = 'other-box', pid = 4242, epoch = epoch + 1,
         expires_at = to_char((now() + interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') WHERE name = 'leader'`,
    );
    await until(() => lines.some((l) => l.reconcile !== undefined), 'the reconcile ending', 20_000);
    const summary = lines.find((l) => l.reconcile !== undefined)!.reconcile!;
    expect(summary.result).toBe('failed');
    expect(summary.error).toMatch(/interrupted: this replica no longer leads \(epoch 1 ended\)/);
    expect(lines.some((l) => l.msg.startsWith('this replica no longer leads (epoch 1): the lease is held by watch --auto-apply (pid 4242 on other-box)'))).toBe(true);

    const opened = await openStateStore(pgLocation(schema));
    if (!opened.ok) throw new Error(opened.diagnostic.message);
    try {
      // At most the change in flight when the term ended was applied; the rest never started.
      expect((await opened.store.resources.list()).length).toBeLessThan(3);
      expect(await opened.store.lock.current()).toBeNull();
    } finally {
      await opened.store.close();
    }
    // Following now: a reconcile asked for becomes a refresh request, nothing runs here.
    daemon.services.requestReconcile('api', { force: true });
    await new Promise((r) => setTimeout(r, 1000));
    expect(lines.filter((l) => l.reconcile !== undefined)).toHaveLength(1);
    expect(await pgQuery(`SELECT reason FROM "${schema}".refresh_requests`)).toEqual([{ reason: 'api' }]);
    const status = await daemon.services.status();
    expect(status.leader).toMatchObject({ id: 'thief', host: 'other-box', epoch: 2 });
    expect(status.ready).toBe(true);
  });
});
