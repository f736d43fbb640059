/**
 * The cron runner inside the daemon: a run-due pass (../operations/run-due.ts) at the next fire
 * time of any applied Schedule or the next `at` of an applied Bulletin occurrence (a timer set
 * from state after every pass and every apply), and a safety pass at least every 30 s (something
 * applied by another process meanwhile, an occurrence held through quiet hours, a clock jump).
 * Passes never overlap; two passes at once would still fire each tick once (the claim in `runs`).
 * The timer waits in real time: a clock running at CAMPAIGNCTL_NOW_RATE reaches the next fire time
 * after (simulated wait / rate); the safety pass stays every 30 real seconds.
 */
import type { Logger } from 'pino';
import { isRefusal } from '../operations/under-lock.js';
import { runDue } from '../operations/run-due.js';
import type { OperationContext } from '../operations/context.js';
import { listSchedules } from '../schedule/listing.js';
import { scheduleRowsOf } from './schedule-rows.js';
import { rowsWithoutSpecs } from '../apply/refresh.js';
import { nextOccurrenceDue } from '../schedule/next-due.js';
import { clock as processClock } from '../time/clock.js';
import type { StateStore } from '../state/store.js';
import type { DaemonMetrics } from './metrics.js';
import { RUN_DUE_SAFETY_MS } from './options.js';

export interface CronRunnerDeps {
  store: StateStore;
  /** The context on the project as last loaded; null while none is loaded. */
  context(): OperationContext | null;
  clock: () => Date;
  /** Real ms until `simulatedMs` have passed on `clock` (default: the process clock's, CAMPAIGNCTL_NOW_RATE). */
  realMs?: (simulatedMs: number) => number;
  log: Logger;
  metrics: DaemonMetrics;
  signal: AbortSignal;
  recordError(where: string, message: string): void;
}

export interface CronRunner {
  /** Reads the next fire times again (an apply created or changed Schedules). */
  rearm(): void;
  /** Resolves when the pass running (if any) finished; no pass starts after. */
  stop(): Promise<void>;
}

export function startCronRunner(d: CronRunnerDeps): CronRunner {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;
  const realMs = d.realMs ?? ((ms: number) => processClock().realMs(ms));

  const arm = async () => {
    if (stopped) return;
    let wait = RUN_DUE_SAFETY_MS;
    try {
      const now = d.clock();
      const fires = (await listSchedules(scheduleRowsOf(d.store), now)).filter((s) => s.enabled).flatMap((s) => s.nextFireTimes.slice(0, 1));
      const occurrence = await nextBulletinOccurrence(now);
      const next = [...fires, ...(occurrence ? [occurrence] : [])]
        .map((t) => realMs(Date.parse(t) - now.getTime()))
        .reduce((a, b) => Math.min(a, b), Infinity);
      // A few ms after the fire time, so the pass sees the tick as due (5 real ms are 5 x rate
      // simulated ones: still far inside any catch-up window).
      if (next < wait) wait = Math.max(0, next) + 5;
    } catch (err) {
      d.recordError('run-due', `could not read the schedules: ${(err as Error).message}`);
    }
    if (stopped) return;
    timer = setTimeout(() => void (running = pass().finally(() => (running = null))), wait);
  };

  /**
   * Bulletins are few: their rows are read one by one after a scan without specs (a state may hold
   * 10,000 rows), the one state keeps until its revision moves (../apply/refresh.ts).
   */
  const nextBulletinOccurrence = async (now: Date): Promise<string | null> => {
    const ctx = d.context();
    if (!ctx) return null; // no pass runs without a loaded project either
    const addresses = (await rowsWithoutSpecs(d.store)).filter((r) => r.kind === 'Bulletin').map((r) => r.address);
    const specs = (await Promise.all(addresses.map((a) => d.store.resources.get(a)))).map((r) => r?.spec);
    return nextOccurrenceDue(specs, ctx.project.environment.accountTimezone, now);
  };

  const pass = async () => {
    const ctx = d.context();
    if (ctx && !stopped) {
      try {
        const result = await runDue(ctx, { signal: d.signal });
        if (isRefusal(result)) d.recordError('run-due', result.diagnostics.map((x) => x.message).join('; '));
        else {
          for (const fired of result.fired) {
            d.metrics.scheduleFiresTotal.inc({ result: fired.status });
            d.metrics.scheduleFireLag.observe(Math.max(0, Date.parse(result.now) - Date.parse(fired.fireTime)) / 1000);
            d.log[fired.status === 'done' ? 'info' : 'warn']({ fire: fired }, `fired ${fired.address} at ${fired.fireTime}: ${fired.status}`);
            if (fired.status === 'failed' || fired.status === 'unknown') d.recordError('run-due', `${fired.address} ${fired.fireTime}: ${fired.status}${fired.detail ? `: ${fired.detail}` : ''}`);
          }
          for (const skipped of result.skipped) {
            d.metrics.scheduleFiresTotal.inc({ result: skipped.reason });
            d.log.info({ skipped }, `passed over ${skipped.address} at ${skipped.fireTime}: ${skipped.reason}`);
          }
        }
      } catch (err) {
        d.recordError('run-due', (err as Error).message);
      }
    }
    await arm();
  };

  void arm();
  return {
    rearm() {
      if (stopped || running) return; // a pass running arms the timer when it ends
      clearTimeout(timer);
      void arm();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
