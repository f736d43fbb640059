/**
 * The daemon's shutdown, in-process (startDaemon, as `watch` calls it) against the embedded
 * sandbox made slow (every request takes 1.5 s), so a CleverTap call is surely in flight when the
 * shutdown starts: readiness answers 503 at once while the call is let finish and recorded; with a
 * shutdown timeout shorter than the call, the daemon gives up, releases the lock and the lease,
 * and says so with exit code 1.
 */
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../src/daemon/daemon.js';
import { openStateStore } from '../../src/state/open.js';
import { TempProject } from '../apply/helpers.js';

const projects: TempProject[] = [];
const daemons: RunningDaemon[] = [];

afterEach(async () => {
  await Promise.all(daemons.splice(0).map((d) => d.stop()));
  for (const tp of projects.splice(0)) tp.dispose();
});

interface Started {
  daemon: RunningDaemon;
  tp: TempProject;
  lines: { msg: string }[];
}

async function slowDaemon(shutdownTimeoutMs: number): Promise<Started> {
  const tp = new TempProject({ provider: 'sandbox' });
  projects.push(tp);
  tp.campaign({ name: 'alpha', title: 'Title alpha' });
  execFileSync('git', ['init', '-q'], { cwd: tp.root });
  const lines: { msg: string }[] = [];
  const logs = new PassThrough();
  logs.on('data', (chunk: Buffer) => {
    for (const text of chunk.toString().split('\n')) if (text.trim()) lines.push(JSON.parse(text));
  });
  const daemon = await startDaemon({
    dir: tp.root,
    listen: { host: '127.0.0.1', port: 0 },
    autoApply: true,
    logFormat: 'json',
    shutdownTimeoutMs,
    environ: {},
    logDestination: logs,
    connect: { sandbox: { latencyMs: 1500 } },
  });
  daemons.push(daemon);
  return { daemon, tp, lines };
}

async function until(test: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function stateOf(tp: TempProject) {
  const opened = await openStateStore(tp.statePath);
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  try {
    return { addresses: (await opened.store.resources.list()).map((r) => r.address), lock: await opened.store.lock.current(), lease: await opened.store.leases.current('daemon') };
  } finally {
    await opened.store.close();
  }
}

describe('watch shutdown', () => {
  it('goes unready at once and lets the CleverTap call in flight finish before it exits 0', async () => {
    const { daemon, tp, lines } = await slowDaemon(20_000);
    await until(() => lines.some((l) => l.msg === 'apply: 1 changes'));
    const stopped = daemon.stop();
    const ready = await fetch(`http://${daemon.address}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reasons: string[] }).reasons).toContain('shutting down');
    // Intake is closed while draining.
    expect(daemon.services.draining()).toBe(true);
    expect(await stopped).toBe(0);
    expect(lines.some((l) => /apply create campaign\.alpha: applied/.test(l.msg))).toBe(true);
    const state = await stateOf(tp);
    expect(state.addresses).toEqual(['campaign.alpha']);
    expect(state.lock).toBeNull();
    expect(state.lease).toBeNull();
  });

  it('past --shutdown-timeout it stops waiting, releases the lock and the lease, and exits 1', async () => {
    const { daemon, tp, lines } = await slowDaemon(300);
    await until(() => lines.some((l) => l.msg === 'apply: 1 changes'));
    const started = Date.now();
    expect(await daemon.stop()).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(lines.some((l) => /shutdown timeout/.test(l.msg))).toBe(true);
    const state = await stateOf(tp);
    expect(state.lock).toBeNull();
    expect(state.lease).toBeNull();
  });
});
