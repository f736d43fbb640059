/**
 * Ctrl-C for the commands that send (`send`, `trigger`, `raise`, `run-due`): the first SIGINT /
 * SIGTERM stops starting new batches; the batches in flight finish and are reported.
 */
import type { Output } from '../context.js';

/** Aborts on the first Ctrl-C / SIGTERM (telling the user what happens next); `dispose` unhooks. */
export function interruptOnSignal(out: Output, what: string): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSignal = () => {
    if (!abort.signal.aborted) out.error(`Interrupted: finishing the ${what} in flight; the rest is not sent and is listed as failed.`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
