/**
 * `npm run bench -- client [--count N] [--latency MS] [--concurrency N]`: N creates through the real
 * client against the emulator with a fixed latency. With C requests in flight and L ms each, no
 * client can beat C / L; the benchmark reports achieved throughput against that ceiling as a ratio
 * in the same run (goal >= 0.95) and exits 1 below the goal.
 */
import { availableParallelism, loadavg } from 'node:os';
import { createClient } from '../src/clevertap/client.js';
import { startSandbox } from '../src/sandbox/server.js';

const GOAL = 0.95;
const WARM_UP = 15;
/** High enough never to bind at these rates: the benchmark measures the concurrency ceiling. */
const NON_BINDING_CREATES_PER_SECOND = 1000;

export async function run(args: string[]): Promise<number> {
  const count = flag(args, '--count', 300);
  const latencyMs = flag(args, '--latency', 50);
  const concurrency = flag(args, '--concurrency', 3);

  const sandbox = await startSandbox({ port: 0, latencyMs, concurrency, everyoneAudience: 1000 });
  let retries = 0;
  const client = createClient({
    baseUrl: sandbox.url,
    accountId: sandbox.accountId,
    passcode: 'sandbox-passcode',
    concurrency,
    createsPerSecond: NON_BINDING_CREATES_PER_SECOND,
    hooks: { onRetry: () => void retries++ },
  });
  const createAll = (n: number, prefix: string) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        client.createCampaign({
          name: `${prefix}-${i}`,
          target_mode: 'sms',
          where: { event_name: 'App Launched', from: 20250101, to: 20250131 },
          content: { body: `hello ${i}` },
          when: 'now',
        }),
      ),
    );
  try {
    // Warm-up, not counted: opens the keep-alive connections and lets the JIT settle, so the
    // measured run reflects steady state rather than process start-up.
    await createAll(WARM_UP, 'warm-up');
    sandbox.state.clearRequests();
    sandbox.state.resetPeaks();
    retries = 0;
    const started = performance.now();
    await createAll(count, 'bench');
    const seconds = (performance.now() - started) / 1000;
    const achieved = count / seconds;
    const ceiling = concurrency / (latencyMs / 1000);
    const ratio = achieved / ceiling;
    const snapshot = sandbox.state.concurrency();
    const refused = sandbox.state.requests({ family: 'create' }).filter((e) => e.response?.status === 429).length;
    const lines = [
      `client benchmark: ${count} creates (after ${WARM_UP} uncounted warm-up creates), emulator latency ${latencyMs} ms, concurrency ${concurrency}`,
      `  createsPerSecond = ${NON_BINDING_CREATES_PER_SECOND} so that the per-second window does not bind`,
      `  (the default of 3/s would cap this run at 3 creates/s); this measures the concurrency ceiling`,
      `  elapsed   ${seconds.toFixed(2)} s`,
      `  achieved  ${achieved.toFixed(1)} creates/s`,
      `  ceiling   ${ceiling.toFixed(1)} creates/s (${concurrency} in flight / ${latencyMs} ms)`,
      `  ratio     ${ratio.toFixed(3)} (goal >= ${GOAL}): ${ratio >= GOAL ? 'PASS' : 'BELOW GOAL'}`,
      `  emulator peak in flight (create): ${snapshot.peak.create ?? 0}, 429 answers: ${refused}, client retries: ${retries}`,
      // Client and emulator share this machine: other load delays every round trip.
      `  machine load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return ratio >= GOAL ? 0 : 1;
  } finally {
    client.close();
    await sandbox.close();
  }
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
