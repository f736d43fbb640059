/**
 * The intake of a spawned `campaignctl watch` (the built CLI), end to end: a temp project in a real
 * git repository whose environment talks to an emulator in this test process (so it outlives the
 * daemon when the daemon is killed), sends counted on the emulator's inspection API
 * (`GET /__sandbox/sends`). Auth, validation, idempotency; kill -9 with 50 sends queued, then a
 * restart: nothing lost, nothing sent twice, what was in flight reported `unknown` as soon as the
 * restart takes the lease from the killed daemon (its pid is gone), without waiting for its claims'
 * 60 s lease.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { githubSignature } from '../../src/daemon/http/webhook-signature.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/server.js';
import { CONFIG, CONTRACTS, EVENT, TRIGGER_ID, removeTemps, writeProject } from '../runtime/fixture.js';
import { WatchProcess } from './watch-process.js';

const TOKEN = 'e2e-api-token-0123456789';
const ACCOUNT = 'E2E-ACCOUNT';
const PASSCODE = 'e2e-passcode-0001';
const DATA = { orderId: 'SN-104233', carrier: 'DHL' };
const SECRET = 'e2e-webhook-secret-abcdef';

const running: WatchProcess[] = [];
const emulators: SandboxHandle[] = [];
const bases: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.kill()));
  await Promise.all(emulators.splice(0).map((e) => e.close()));
  for (const b of bases.splice(0)) rmSync(b, { recursive: true, force: true });
  removeTemps();
});

async function setup(latencyMs = 0): Promise<{ dir: string; emu: SandboxHandle; env: Record<string, string> }> {
  const emu = await startSandbox({ accountId: ACCOUNT, passcode: PASSCODE, latencyMs, inspection: true, externalTriggers: [TRIGGER_ID], businessEvents: [EVENT] });
  emulators.push(emu);
  // No occurrences: the daemon's cron runner would raise a past one, and this file counts sends.
  const dir = writeProject({ 'campaigns/bulletins/album-released.yaml': 'apiVersion: campaignctl/v1\nkind: Bulletin\nmetadata:\n  name: album-released\nspec:\n  business_event: Album Released\n  c-by: editor@example.com\n  properties:\n    type: object\n' });
  for (const args of [['init', '-q'], ['add', '.'], ['commit', '-qm', 'contracts']]) {
    execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args], { cwd: dir });
  }
  return { dir, emu, env: { CLEVERTAP_API_URL: emu.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE } };
}

function watch(dir: string, env: Record<string, string>, args: string[] = []): WatchProcess {
  const w = new WatchProcess(dir, args, env);
  running.push(w);
  return w;
}

async function call(w: WatchProcess, method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch((await w.url()) + route, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const auth = { authorization: `Bearer ${TOKEN}` };

/** The identity sends the emulator accepted, by the ids they went to. */
async function sentIds(emu: SandboxHandle): Promise<string[]> {
  const sends = (await (await fetch(`${emu.url}/__sandbox/sends`)).json()) as { kind: string; body: { to: Record<string, string[]> } }[];
  return sends.filter((s) => s.kind === 'identity').flatMap((s) => Object.values(s.body.to).flat());
}

describe('watch intake, end to end', () => {
  it('without CAMPAIGNCTL_API_TOKEN the send endpoints answer 403; nothing is sent', async () => {
    const { dir, emu, env } = await setup();
    const w = watch(dir, env);
    const res = await call(w, 'POST', '/v1/messages/order-shipped/send', { to: ['u-1'], data: DATA }, auth);
    expect(res.status).toBe(403);
    expect(await sentIds(emu)).toEqual([]);
  });

  it('auth, validation, 404 and idempotency; an accepted send is sent once and reported sent', async () => {
    const { dir, emu, env } = await setup();
    const w = watch(dir, { ...env, CAMPAIGNCTL_API_TOKEN: TOKEN });
    const route = '/v1/messages/order-shipped/send';
    expect((await call(w, 'POST', route, { to: ['u-1'], data: DATA }, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await call(w, 'POST', route, { to: ['u-1'], data: DATA })).status).toBe(401);

    const invalid = await call(w, 'POST', route, { to: ['u-1'], data: { orderId: '12', carrier: 'FedEx' } }, auth);
    expect(invalid.status).toBe(400);
    expect(invalid.body.problems.map((p: { code: string }) => p.code)).toContain('render.data-invalid');
    expect((await call(w, 'POST', '/v1/messages/nope/send', { to: ['u-1'], data: DATA }, auth)).status).toBe(404);

    const key = { ...auth, 'idempotency-key': 'e2e-order-SN-104233' };
    const first = await call(w, 'POST', route, { to: ['u-1'], data: DATA }, key);
    expect(first.status).toBe(202);
    const again = await call(w, 'POST', route, { to: ['u-1'], data: DATA }, key);
    expect(again).toEqual(first);
    expect((await call(w, 'POST', route, { to: ['u-2'], data: DATA }, key)).status).toBe(422);

    const id = first.body.id as number;
    let state: any;
    for (let i = 0; i < 200 && state?.status !== 'sent'; i++) {
      state = (await call(w, 'GET', `/v1/sends/${id}`, undefined, auth)).body;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toMatchObject({ id, status: 'sent', counts: { identities: 1, sent: 1 } });
    expect(await sentIds(emu)).toEqual(['u-1']);
    expect(w.stdout).not.toContain(TOKEN);
    expect(w.stdout).not.toMatch(/SN-104233|"u-1"/);
  });

  it('kill -9 with 50 sends queued, then a restart: 0 lost, 0 sent twice, the ones in flight reported unknown from the start', async () => {
    const { dir, emu, env } = await setup(300);
    const daemonEnv = { ...env, CAMPAIGNCTL_API_TOKEN: TOKEN };
    // The claims' default lease (60 s): what the killed daemon was sending must not wait for it.
    const first = watch(dir, daemonEnv);
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await call(first, 'POST', '/v1/messages/order-shipped/send', { to: [`user-${i}`], data: DATA }, auth);
      expect(res.status).toBe(202);
      ids.push(res.body.id as number);
    }
    // Killed with calls in flight at the emulator.
    for (let i = 0; i < 400 && (emu.state.concurrency().inFlight.send ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(emu.state.concurrency().inFlight.send ?? 0).toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await first.exited;
    // What was in flight finishes at the emulator; only then is its count final.
    await new Promise((r) => setTimeout(r, 600));
    const beforeRestart = await sentIds(emu);

    const second = watch(dir, daemonEnv);
    // The restart takes the lease before it listens, and settles the killed daemon's claims as it
    // does: its first answers already say `unknown` (what says `sending` is its own drain's).
    const restartedAt = Date.now();
    const firstLook = new Map<number, string>();
    const claimers = new Set<string>();
    for (const id of ids) {
      const look = (await call(second, 'GET', `/v1/sends/${id}`, undefined, auth)).body;
      firstLook.set(id, look.status as string);
      if (look.status === 'sending') claimers.add(look.claimedBy as string);
    }
    const firstLookMs = Date.now() - restartedAt;
    const states = new Map<number, any>();
    for (let round = 0; round < 400; round++) {
      for (const id of ids) if (!['sent', 'unknown', 'failed'].includes(states.get(id)?.status)) states.set(id, (await call(second, 'GET', `/v1/sends/${id}`, undefined, auth)).body);
      if ([...states.values()].every((s) => ['sent', 'unknown', 'failed'].includes(s.status))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const byStatus = (st: string) => ids.filter((id) => states.get(id)?.status === st);
    const sent = await sentIds(emu);
    // 0 sent twice: every identity reached the emulator at most once.
    expect(new Set(sent).size).toBe(sent.length);
    // 0 lost: every accepted send is sent, or unknown because it was in flight at the kill.
    expect(byStatus('failed')).toEqual([]);
    expect(byStatus('sent').length + byStatus('unknown').length).toBe(50);
    expect(byStatus('unknown').length).toBeGreaterThan(0);
    expect(byStatus('unknown').length).toBeLessThanOrEqual(3);
    const idOf = (id: number) => `user-${ids.indexOf(id)}`;
    for (const id of byStatus('sent')) expect(sent).toContain(idOf(id));
    // An unknown one may have landed before the kill, never after: the restart did not send it again.
    const sentAfterRestart = sent.filter((s) => !beforeRestart.includes(s));
    for (const id of byStatus('unknown')) expect(sentAfterRestart).not.toContain(idOf(id));
    expect(ids.filter((id) => firstLook.get(id) === 'unknown')).toEqual(byStatus('unknown'));
    expect(firstLookMs).toBeLessThan(30_000);
    const settledLine = second.lines.find((l) => /was sending when it stopped are now unknown/.test(l.msg));
    expect(settledLine).toMatchObject({ outbox: byStatus('unknown'), claimedBy: expect.any(String) });
    // What was `sending` at the first look was the restart's own claims, none of the killed daemon's.
    expect(claimers.has(settledLine!.claimedBy as string)).toBe(false);
    const restartId = second.lines.find((l) => typeof l.replica === 'string')?.replica;
    expect([...claimers].every((c) => c === restartId)).toBe(true);
    expect(second.lines.filter((l) => /claim ran out while being sent/.test(l.msg))).toEqual([]);
  }, 120_000);
});

describe('POST /hooks/github on a spawned watch in git mode', () => {
  it('only a correctly signed push to the followed branch makes the daemon fetch; the rest change nothing', async () => {
    const { env } = await setup();
    const base = mkdtempSync(path.join(tmpdir(), 'campaignctl-watch-hook-'));
    bases.push(base);
    const remote = path.join(base, 'remote.git');
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
    git(base, 'init', '-q', '--bare', '-b', 'main', remote);
    const clone = path.join(base, 'clone');
    mkdirSync(clone);
    git(clone, 'init', '-q', '-b', 'main');
    git(clone, 'remote', 'add', 'origin', remote);
    writeFileSync(path.join(clone, 'campaignctl.yaml'), CONFIG);
    mkdirSync(path.join(clone, 'campaigns'));
    writeFileSync(path.join(clone, 'campaigns', 'receipt.yaml'), CONTRACTS['campaigns/messages/receipt.yaml']!);
    git(clone, 'add', '.');
    git(clone, 'commit', '-qm', 'receipt');
    git(clone, 'push', '-q', 'origin', 'HEAD:main');
    const first = git(clone, 'rev-parse', 'HEAD');

    // Polls an hour apart: only the webhook can make it fetch within the test.
    const w = new WatchProcess(base, ['--git-remote', `file://${remote}`, '--branch', 'main', '--interval', '1h', '--work-dir', path.join(base, 'work')], { ...env, CAMPAIGNCTL_WEBHOOK_SECRET: SECRET });
    running.push(w);
    await w.statusWhere((s) => s.lastReconcile?.commit === first);

    writeFileSync(path.join(clone, 'campaigns', 'order-shipped.yaml'), CONTRACTS['campaigns/messages/order-shipped.yaml']!);
    git(clone, 'add', '.');
    git(clone, 'commit', '-qm', 'order-shipped');
    git(clone, 'push', '-q', 'origin', 'HEAD:main');
    const second = git(clone, 'rev-parse', 'HEAD');

    const push = JSON.stringify({ ref: 'refs/heads/main', after: second });
    const hook = async (raw: string, headers: Record<string, string>) => {
      const res = await fetch((await w.url()) + '/hooks/github', { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers }, body: raw });
      return res.status;
    };
    expect(await hook(push, {})).toBe(401);
    expect(await hook(push, { 'x-hub-signature-256': githubSignature(push, 'not-the-secret') })).toBe(401);
    expect(await hook(push, { 'x-hub-signature': `sha1=${createHmac('sha1', SECRET).update(push).digest('hex')}` })).toBe(401);
    const otherBranch = JSON.stringify({ ref: 'refs/heads/feature' });
    expect(await hook(otherBranch, { 'x-hub-signature-256': githubSignature(otherBranch, SECRET) })).toBe(202);
    const big = JSON.stringify({ ref: 'refs/heads/main', pad: 'x'.repeat(3 * 1024 * 1024 + 1) });
    // The 413 goes out as soon as Content-Length is read; a client still writing the body may see
    // the connection close instead. The server's count below says it refused it as too large.
    const tooLarge = await hook(big, { 'x-hub-signature-256': githubSignature(big, SECRET) }).catch(() => 'connection closed');
    expect([413, 'connection closed']).toContain(tooLarge);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await w.get('/v1/status')).body.lastReconcile.commit).toBe(first);

    expect(await hook(push, { 'x-hub-signature-256': githubSignature(push, SECRET) })).toBe(202);
    await w.statusWhere((s) => s.lastReconcile?.commit === second, 20_000);
    const metrics = (await w.get('/metrics')).body as string;
    expect(metrics).toMatch(/campaignctl_webhook_requests_total\{result="unauthorized"\} 3/);
    expect(metrics).toMatch(/campaignctl_webhook_requests_total\{result="accepted"\} 1/);
    expect(metrics).toMatch(/campaignctl_webhook_requests_total\{result="too-large"\} 1/);
    expect(w.stdout).not.toContain(SECRET);
  }, 90_000);
});
