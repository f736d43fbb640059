/**
 * `npm run bench -- watch [--count N] [--runs N]`: the daemon's figures. Part 1 (./watch-plan-latency.ts):
 * a file event to the new plan on /v1/status. Part 2 (./watch-intake.ts): 1,000 sends through the
 * intake, then the outbox drain against its 3-in-flight ceiling. Each part prints its figures with goal and PASS/MISS;
 * a miss is reported, not failed (exit 0 unless the bench itself fails).
 */
import { runPlanLatency } from './watch-plan-latency.js';

export async function run(args: string[]): Promise<number> {
  const say = (line: string) => process.stdout.write(line + '\n');
  await runPlanLatency(args, say);
  // Part 2: the send intake and the outbox drain, at its defaults (`npm run bench -- watch-intake` takes its flags).
  const { run: runIntake } = await import('./watch-intake.js');
  await runIntake([]);
  return 0;
}
