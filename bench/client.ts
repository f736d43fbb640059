/**
 * `npm run bench -- client [--count N] [--latency MS] [--concurrency N]`: N creates through the real
 * client against the emulator with a fixed latency. With C requests in flight and L ms each, no
 * client can beat C / L; the benchmark reports achieved throughput against that ceiling as a ratio
 * in the same run (goal >= 0.95) and exits 1 below the goal. The emulator runs as its own process.
 */
import { availableParallelism, loadavg } from 'node:os';
import { createClient } from '../src/clevertap/client.js';
import { SANDBOX_DEFAULT_PASSCODE } from '../src/sandbox/defaults.js';
import { startEmulatorProcess } from './emulator-process.js';

const GOAL = 0.95;
const WARM_UP = 15;
/** High enough never to bind at these rates: the benchmark measures the concurrency ceiling. */
const NON_BINDING_CREATES_PER_SECOND = 1000;

export async function run(args: string[]): Promise<number> {
  const count = flag(args, '--count', 300);
  const latencyMs = flag(args, '--latency', 50);
  const concurrency = flag(args, '--concurrency', 3);

  const sandbox = await startEmulatorProcess(['--latency', String(latencyMs), '--concurrency', String(concurrency), '--everyone', '1000', '--passcode', SANDBOX_DEFAULT_PASSCODE]);
  let retries = 0;
  const client = createClient({
    baseUrl: sandbox.url,
    accountId: sandbox.accountId,
    passcode: SANDBOX_DEFAULT_PASSCODE,
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
    await sandbox.inspect('DELETE', 'requests');
    await sandbox.inspect('DELETE', 'concurrency');
    retries = 0;
    const started = performance.now();
    await createAll(count, 'bench');
    const seconds = (performance.now() - started) / 1000;
    const achieved = count / seconds;
    const ceiling = concurrency / (latencyMs / 1000);
    const ratio = achieved / ceiling;
    // The same number of creates by plain fetch, C lanes at a time: what this machine's HTTP stack
    // and the emulator allow at all, the baseline the client is compared with in the same run.
    const plain = await plainFetchRate(sandbox.url, sandbox.accountId, count, concurrency);
    const snapshot = await sandbox.inspect<{ peak: Record<string, number> }>('GET', 'concurrency');
    const log = await sandbox.inspect<{ response?: { status: number } }[]>('GET', 'requests?family=create');
    const refused = log.filter((e) => e.response?.status === 429).length;
    const lines = [
      `client benchmark: ${count} creates (after ${WARM_UP} uncounted warm-up creates), emulator latency ${latencyMs} ms, concurrency ${concurrency}`,
      `  the emulator runs as its own process (sandbox serve), as a remote CleverTap would`,
      `  createsPerSecond = ${NON_BINDING_CREATES_PER_SECOND} so that the per-second window does not bind`,
      `  (the default of 3/s would cap this run at 3 creates/s); this measures the concurrency ceiling`,
      `  elapsed   ${seconds.toFixed(2)} s`,
      `  achieved  ${achieved.toFixed(1)} creates/s`,
      `  ceiling   ${ceiling.toFixed(1)} creates/s (${concurrency} in flight / ${latencyMs} ms)`,
      `  ratio     ${ratio.toFixed(3)} (goal >= ${GOAL}): ${ratio >= GOAL ? 'PASS' : 'BELOW GOAL'}`,
      `  baseline  plain fetch, ${concurrency} lanes, same emulator: ${plain.toFixed(1)} creates/s = ${(plain / ceiling).toFixed(3)} of the ceiling;`,
      `            the client reaches ${(achieved / plain).toFixed(3)} of plain fetch`,
      `  emulator peak in flight (create): ${snapshot.peak.create ?? 0}, 429 answers: ${refused}, client retries: ${retries}`,
      // Client and emulator share this machine: other load delays every round trip.
      `  machine load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    return ratio >= GOAL ? 0 : 1;
  } finally {
    client.close();
    await sandbox.stop();
  }
}

async function plainFetchRate(url: string, accountId: string, count: number, lanes: number): Promise<number> {
  const body = JSON.stringify({ name: 'plain', target_mode: 'sms', where: {}, content: { body: 'hello' }, when: 'now' });
  const headers = { 'content-type': 'application/json', 'X-CleverTap-Account-Id': accountId, 'X-CleverTap-Passcode': SANDBOX_DEFAULT_PASSCODE };
  const one = () => fetch(`${url}/1/targets/create.json`, { method: 'POST', headers, body }).then((r) => r.json());
  let left = count;
  const lane = async () => {
    while (left-- > 0) await one();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: lanes }, lane));
  return count / ((performance.now() - started) / 1000);
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
