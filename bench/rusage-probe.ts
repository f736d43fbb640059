/**
 * Preloaded into a measured child (`node --import <this> ...`): when the process exits it writes
 * its own resource usage (peak RSS of the whole process, worker threads included; user and system
 * CPU) as one JSON line to the file named by BENCH_RUSAGE_FILE. Nothing in campaignctl knows
 * about it, and it does nothing without the variable.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_RUSAGE_FILE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }) + '\n');
  });
}
