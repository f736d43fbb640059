/**
 * `npm run bench -- watch [--count N] [--runs N]`: the daemon's figures. Part 1 (./watch-plan-latency.ts):
 * a file event to the new plan on /v1/status. Each part prints its figures with goal and PASS/MISS;
 * a miss is reported, not failed (exit 0 unless the bench itself fails).
 */
import { runPlanLatency } from './watch-plan-latency.js';

export async function run(args: string[]): Promise<number> {
  const say = (line: string) => process.stdout.write(line + '\n');
  await runPlanLatency(args, say);
  return 0;
}
