/**
 * `npm run bench -- watch-intake [--count N] [--latency MS] [--clients N] [--concurrency N]`: the
 * daemon's send intake and outbox drain (issue goals, part 2 of the watch benchmark), on the real
 * daemon (startDaemon, in this process, local mode) with its SQLite state, against the emulator
 * (in this process too) with a fixed latency L:
 * 1. N single-identity sends (default 1,000) POSTed to /v1/messages/{name}/send by `--clients`
 *    keep-alive connections at once, each answered 202 only after its outbox commit, while the
 *    drain already sends the first ones (as in production). Goal: >= 500 requests/s, p99 <= 50 ms.
 * 2. The drain, from the end of the intake until the outbox is empty: with C calls in flight and
 *    one identity per call, no sender beats C / L items per second (the ceiling, derived as the
 *    send benchmark derives its own). Goal: >= 0.9 of it.
 * A warm-up of 20 sends (contract compile, connection, git provenance) is drained first, untimed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { startDaemon } from '../src/daemon/daemon.js';
import { SANDBOX_DEFAULT_ACCOUNT_ID, SANDBOX_DEFAULT_PASSCODE } from '../src/sandbox/defaults.js';
import { startSandbox } from '../src/sandbox/server.js';

const RATE_GOAL = 500;
const P99_GOAL_MS = 50;
const DRAIN_GOAL = 0.9;
const TOKEN = 'bench-token-0123456789abcdef';

const MESSAGE = `apiVersion: campaignctl/v1
kind: Message
metadata:
  name: order-shipped
spec:
  target_mode: push
  content:
    title: "Order {{data.orderId}} is on its way"
    body: 'Hi {{ Profile.name | default: "there" }}, your order {{data.orderId}} shipped.'
    platform_specific:
      android:
        wzrk_cid: orders
  data:
    type: object
    required: [orderId]
    properties:
      orderId:
        type: string
`;

export async function run(args: string[]): Promise<number> {
  const count = flag(args, '--count', 1000);
  const latencyMs = flag(args, '--latency', 50);
  const clients = flag(args, '--clients', 16);
  const concurrency = flag(args, '--concurrency', 3);

  const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-bench-intake-'));
  mkdirSync(path.join(dir, 'campaigns'));
  writeFileSync(path.join(dir, 'campaignctl.yaml'), `defaultEnvironment: bench\nenvironments:\n  bench:\n    provider: clevertap\n    limits:\n      concurrency: ${concurrency}\n`);
  writeFileSync(path.join(dir, 'campaigns', 'order-shipped.yaml'), MESSAGE);
  for (const args of [['init', '-q'], ['add', '.'], ['commit', '-qm', 'bench']]) execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args], { cwd: dir });
  const sandbox = await startSandbox({ port: 0, latencyMs, concurrency });
  let logged = '';
  const daemon = await startDaemon({
    dir,
    listen: { host: '127.0.0.1', port: 0 },
    autoApply: false,
    logFormat: 'json',
    shutdownTimeoutMs: 25_000,
    handleSignals: false,
    environ: { CLEVERTAP_API_URL: sandbox.url, CLEVERTAP_ACCOUNT_ID: SANDBOX_DEFAULT_ACCOUNT_ID, CLEVERTAP_PASSCODE: SANDBOX_DEFAULT_PASSCODE, CAMPAIGNCTL_API_TOKEN: TOKEN },
    // Kept for errors only: one line per send batch would otherwise fill the terminal.
    logDestination: new Writable({ write: (chunk: Buffer, _e, done) => ((logged = (logged + chunk.toString()).slice(-20_000)), done()) }),
  });
  const store = daemon.services.store;
  const port = Number(daemon.address.split(':').pop());
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  /**
   * Waits until nothing is queued or being sent, then checks that `n` items are done; fails when
   * any ended otherwise. Polls with LIMIT 1 queries every 20 ms: the benchmark must not load the
   * state it measures.
   */
  const done = async (n: number) => {
    const count = async (status: 'pending' | 'sending' | 'failed' | 'unknown') => (await store.outbox.list({ status, limit: 1 })).length;
    for (;;) {
      if ((await count('failed')) + (await count('unknown')) > 0) throw new Error(`a send failed or is unknown; the daemon's log ends:\n${logged}`);
      if ((await count('pending')) + (await count('sending')) === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const finished = (await store.outbox.list({ status: 'done', limit: n + 1 })).length;
    if (finished !== n) throw new Error(`expected ${n} sends done, found ${finished}`);
  };
  try {
    const warm = await sendAll(port, agent, 20, clients, 'warm');
    if (warm.failed > 0) throw new Error(`the warm-up sends were refused (${warm.failed} of 20): the benchmark project is broken`);
    await done(20);

    sandbox.state.resetPeaks();
    const intake = await sendAll(port, agent, count, clients, 'user');
    const rate = count / (intake.ms / 1000);
    const p = (q: number) => intake.latencies[Math.min(intake.latencies.length - 1, Math.floor(q * intake.latencies.length))]!;

    // The drain from here on has the process to itself: what it achieves is its steady rate.
    const left = (await store.outbox.list({ status: 'pending', limit: count + 1 })).length + (await store.outbox.list({ status: 'sending', limit: count + 1 })).length;
    const started = performance.now();
    await done(20 + count);
    const drainSeconds = (performance.now() - started) / 1000;
    const achieved = left / drainSeconds;
    const ceiling = concurrency / (latencyMs / 1000);
    const ratio = achieved / ceiling;
    const sent = sandbox.state.sends().length;
    const rateOk = rate >= RATE_GOAL && intake.failed === 0;
    const p99Ok = p(0.99) <= P99_GOAL_MS;
    const drainOk = ratio >= DRAIN_GOAL;
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const lines = [
      `watch intake benchmark: ${count.toLocaleString('en-US')} single-identity sends, ${clients} clients, emulator latency ${latencyMs} ms, ${concurrency} calls in flight`,
      `  accepted   ${count - intake.failed} (202 after the outbox commit; the drain sending meanwhile), refused ${intake.failed}`,
      `  rate       ${Math.round(rate)} requests/s (goal >= ${RATE_GOAL}): ${verdict(rateOk)}`,
      `  latency    p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms (goal p99 <= ${P99_GOAL_MS}): ${verdict(p99Ok)}`,
      `  drain      the ${left} items still queued when the intake ended, in ${drainSeconds.toFixed(2)} s = ${achieved.toFixed(1)} items/s; ceiling ${ceiling.toFixed(1)} items/s (${concurrency} in flight / ${latencyMs} ms x 1 identity)`,
      `  ratio      ${ratio.toFixed(3)} (goal >= ${DRAIN_GOAL}): ${verdict(drainOk)}`,
      `  emulator   sends ${sent} (warm-up 20 included), peak in flight ${sandbox.state.concurrency().peak.send ?? 0}`,
      `  machine load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return rateOk && p99Ok && drainOk && sent === count + 20 ? 0 : 1;
  } finally {
    agent.destroy();
    await daemon.stop();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** POSTs `n` sends from `clients` concurrent keep-alive connections; latencies sorted, in ms. */
async function sendAll(port: number, agent: http.Agent, n: number, clients: number, prefix: string): Promise<{ ms: number; latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const body = JSON.stringify({ to: { Identity: [`${prefix}-${i}`] }, data: { orderId: `SN-${i}` } });
      const t = performance.now();
      const status = await post(port, agent, '/v1/messages/order-shipped/send', body);
      latencies.push(performance.now() - t);
      if (status !== 202) failed++;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  return { ms: performance.now() - started, latencies: latencies.sort((a, b) => a - b), failed };
}

function post(port: number, agent: http.Agent, urlPath: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${TOKEN}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
