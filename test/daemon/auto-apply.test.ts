/**
 * --auto-apply's rules, in-process (startDaemon, as `watch` calls it) against the CleverTap
 * emulator on a loopback port: a plan a guard refuses (maxAudience) is not applied and the status
 * says why; a configuration whose apply failed (CleverTap answering 429 to every create) is not
 * applied again by the next reconcile, only once POST /v1/reconcile forces it.
 */
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../src/daemon/daemon.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { ACCOUNT, emulator, PASSCODE, TempProject } from '../apply/helpers.js';
import { statusWhere } from './status-where.js';

const cleanup: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function daemonOn(tp: TempProject, emu: SandboxHandle, token?: string): Promise<RunningDaemon> {
  execFileSync('git', ['init', '-q'], { cwd: tp.root });
  const daemon = await startDaemon({
    dir: tp.root,
    listen: { host: '127.0.0.1', port: 0 },
    autoApply: true,
    logFormat: 'json',
    shutdownTimeoutMs: 10_000,
    environ: { CLEVERTAP_API_URL: emu.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, ...(token ? { CAMPAIGNCTL_API_TOKEN: token } : {}) },
    logDestination: new PassThrough().resume(),
  });
  cleanup.push(() => void daemon.stop());
  return daemon;
}

async function failedApplies(d: RunningDaemon): Promise<number> {
  const metric = await d.services.metrics.applyChangesTotal.get();
  return metric.values.filter((v) => v.labels.result === 'failed').reduce((n, v) => n + v.value, 0);
}

describe('--auto-apply', () => {
  it('does not apply a plan a guard refuses, and says why', async () => {
    const emu = await emulator();
    cleanup.push(() => emu.close());
    const tp = new TempProject();
    cleanup.push(() => tp.dispose());
    tp.campaign({ name: 'alpha', title: 'Title alpha', maxAudience: 10 });
    const daemon = await daemonOn(tp, emu);
    const s = await statusWhere(daemon, (x) => x.lastReconcile !== null);
    expect(s.lastReconcile).toMatchObject({ result: 'refused' });
    expect(s.lastReconcile!.error).toMatch(/maxAudience|audience/i);
    expect(s.pending).toHaveLength(1);
    expect(emu.state.campaigns()).toHaveLength(0);
  });

  it('does not apply a failed configuration again until POST /v1/reconcile forces it', async () => {
    const emu = await emulator();
    cleanup.push(() => emu.close());
    emu.state.injectFaults([{ fault: '429', family: 'create', count: 1_000 }]);
    const tp = new TempProject();
    cleanup.push(() => tp.dispose());
    tp.campaign({ name: 'alpha', title: 'Title alpha' });
    const token = 'watch-test-token-1';
    const daemon = await daemonOn(tp, emu, token);
    const failed = await statusWhere(daemon, (x) => x.lastReconcile?.result === 'failed');
    expect(failed.lastReconcile!.error).toMatch(/1 of 1 changes failed: campaign\.alpha/);
    expect(await failedApplies(daemon)).toBe(1);

    // An unforced reconcile plans again but does not apply the same configuration.
    daemon.services.requestReconcile('resync');
    await daemon.idle();
    const held = await daemon.services.status();
    expect(held.lastReconcile).toMatchObject({ reason: 'resync', result: 'planned' });
    expect(held.lastReconcile!.error).toMatch(/failed; it is applied again on a new commit or POST \/v1\/reconcile/);
    expect(await failedApplies(daemon)).toBe(1);

    // Forced: applied again (once the resource's 1 s backoff is over), and it fails again.
    const res = await fetch(`http://${daemon.address}/v1/reconcile`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(202);
    await new Promise<void>((resolve, reject) => {
      const end = Date.now() + 40_000;
      const tick = async () => {
        if ((await failedApplies(daemon)) === 2) return resolve();
        if (Date.now() > end) return reject(new Error('the forced retry never applied'));
        setTimeout(() => void tick(), 100);
      };
      void tick();
    });
    expect(emu.state.campaigns()).toHaveLength(0);
  });
});
