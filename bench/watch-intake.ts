/**
 * `npm run bench -- watch-intake [--count N] [--latency MS] [--clients N] [--concurrency N]`: the
 * daemon's send intake and outbox drain (issue goals, part 2 of the watch benchmark):
 * 1. N single-identity sends (default 1,000) POSTed to /v1/messages/{name}/send by `--clients`
 *    keep-alive connections at once: each answered 202 only after its outbox commit. Goal:
 *    >= 500 requests/s and p99 <= 50 ms. The drain is stopped meanwhile, so this is intake alone.
 * 2. The drain then sends them to the emulator with a fixed latency L: with C calls in flight and
 *    one identity per call, no sender beats C / L items per second (the ceiling, derived as the
 *    send benchmark derives its own). Goal: >= 0.9 of it.
 * Intake and drain are the daemon's own modules (registerIntakeRoutes, startOutboxDrain) on a real
 * fastify server, a real SQLite state and the real client, built here the way the daemon wires
 * them; the emulator runs in this process. A warm-up of 20 sends (contract compile, connection,
 * git provenance) is drained first and not timed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { registerIntakeRoutes } from '../src/daemon/http/intake-routes.js';
import { createMetrics } from '../src/daemon/metrics.js';
import { startOutboxDrain } from '../src/daemon/outbox-drain.js';
import type { DaemonServices } from '../src/daemon/services.js';
import { openContext } from '../src/operations/context.js';
import { loadProject } from '../src/project-index/load.js';
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
  const sandbox = await startSandbox({ port: 0, latencyMs, concurrency });
  const metrics = createMetrics();
  const project = await loadProject({ dir, environ: { CLEVERTAP_API_URL: sandbox.url } });
  const opened = await openContext(project, {
    connect: { environ: { CLEVERTAP_ACCOUNT_ID: SANDBOX_DEFAULT_ACCOUNT_ID, CLEVERTAP_PASSCODE: SANDBOX_DEFAULT_PASSCODE } },
  });
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
  const ctx = opened.value;
  let drain: ReturnType<typeof startOutboxDrain> | null = null;
  const services: DaemonServices = {
    log: pino({ level: process.env.BENCH_LOG ?? "warn" }),
    metrics,
    store: ctx.store,
    secrets: { apiToken: TOKEN, webhookSecret: null },
    branch: null,
    clock: () => new Date(),
    context: () => ctx,
    status: () => Promise.reject(new Error('not part of this benchmark')),
    readiness: () => ({ ready: true, reasons: [] }),
    requestReconcile: () => undefined,
    requestFetch: () => undefined,
    wakeOutbox: () => drain?.wake(),
    draining: () => false,
    recordError: (where, message) => process.stderr.write(`error (${where}): ${message}\n`),
  };
  const app = Fastify();
  registerIntakeRoutes(app, services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const done = async (n: number) => {
    for (;;) {
      const left = (await ctx.store.outbox.list({ status: 'pending', limit: 1 })).length + (await ctx.store.outbox.list({ status: 'sending', limit: 1 })).length;
      if (left === 0 && (await ctx.store.outbox.list({ status: 'done', limit: n + 1 })).length >= n) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  try {
    drain = startOutboxDrain(services, { pollMs: 50 });
    const warm = await sendAll(port, agent, 20, clients, 'warm');
    if (warm.failed > 0) throw new Error(`the warm-up sends were refused (${warm.failed} of 20): the benchmark project is broken`);
    if (process.env.BENCH_LOG) setInterval(() => void ctx.store.outbox.list().then((l) => process.stderr.write(JSON.stringify(l.map((i) => [i.status, i.lastError])) + '\n')), 2000).unref();
    await done(20);
    await drain.stop();
    drain = null;

    const intake = await sendAll(port, agent, count, clients, 'user');
    const rate = count / (intake.ms / 1000);
    const p = (q: number) => intake.latencies[Math.min(intake.latencies.length - 1, Math.floor(q * intake.latencies.length))]!;

    sandbox.state.resetPeaks();
    const started = performance.now();
    drain = startOutboxDrain(services, { pollMs: 50 });
    await done(20 + count);
    const drainSeconds = (performance.now() - started) / 1000;
    const achieved = count / drainSeconds;
    const ceiling = concurrency / (latencyMs / 1000);
    const ratio = achieved / ceiling;
    const sent = sandbox.state.sends().length;
    const rateOk = rate >= RATE_GOAL && intake.failed === 0;
    const p99Ok = p(0.99) <= P99_GOAL_MS;
    const drainOk = ratio >= DRAIN_GOAL;
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const lines = [
      `watch intake benchmark: ${count.toLocaleString('en-US')} single-identity sends, ${clients} clients, emulator latency ${latencyMs} ms, ${concurrency} calls in flight`,
      `  accepted   ${count - intake.failed} (202 after the outbox commit), refused ${intake.failed}`,
      `  rate       ${Math.round(rate)} requests/s (goal >= ${RATE_GOAL}): ${verdict(rateOk)}`,
      `  latency    p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms (goal p99 <= ${P99_GOAL_MS}): ${verdict(p99Ok)}`,
      `  drain      ${count} items in ${drainSeconds.toFixed(2)} s = ${achieved.toFixed(1)} items/s; ceiling ${ceiling.toFixed(1)} items/s (${concurrency} in flight / ${latencyMs} ms x 1 identity)`,
      `  ratio      ${ratio.toFixed(3)} (goal >= ${DRAIN_GOAL}): ${verdict(drainOk)}`,
      `  emulator   sends ${sent} (warm-up 20 included), peak in flight ${sandbox.state.concurrency().peak.send ?? 0}`,
      `  machine load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return rateOk && p99Ok && drainOk && sent === count + 20 ? 0 : 1;
  } finally {
    await drain?.stop();
    agent.destroy();
    await app.close();
    await ctx.close();
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
