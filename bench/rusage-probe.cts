/**
 * Preloaded into a measured child (`node --require <this> ...`): when the process exits it writes
 * its own resource usage (peak RSS of the whole process, worker threads included; user and system
 * CPU; minor page faults) as one JSON line to the file named by BENCH_RUSAGE_FILE. Nothing in
 * campaignctl knows about it, and it does nothing without the variable.
 *
 * CommonJS (`.cts`), preloaded with --require: an ES module preloaded with --import would start
 * Node's ES module loader in every measured process and in each of its worker threads (which
 * inherit the flag), ~10 ms that campaignctl's CommonJS bundle does not spend.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const target = process.env.BENCH_RUSAGE_FILE;
// A worker thread's process.resourceUsage() is the whole process's too: the main thread, last to exit, writes it.
if (target && isMainThread) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRssKb: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime, minorFaults: u.minorPageFault }) + '\n');
  });
}
