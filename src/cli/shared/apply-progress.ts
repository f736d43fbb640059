/**
 * Progress of an apply, rendered from the operation's events (../../operations/events.ts): on a
 * terminal a live line on stderr (count, current change, elapsed) with each finished change printed
 * above it; in CI logs one line per finished change; with --json one JSON object per line on stdout.
 */
import type { Output } from '../context.js';
import type { OperationEvent } from '../../operations/events.js';
import type { PlanChange } from '../../plan/types.js';
import { outcomeEvent, outcomeLine, progressText } from '../views/apply-result.js';
import { jsonLine } from '../../model/json-keys.js';

/** Renders the executor's events; false for any other event. */
export function applyProgress(out: Output, stderr: NodeJS.WriteStream = process.stderr): (event: OperationEvent) => boolean {
  let started = performance.now();
  const elapsed = () => performance.now() - started;
  const live = stderr.isTTY === true && !out.opts.json && !out.opts.quiet;
  let done = 0;
  let total = 0;
  // Changes in flight, most recently started last: the live line names the newest one.
  const inFlight: PlanChange[] = [];
  let timer: NodeJS.Timeout | null = null;
  const clear = () => {
    if (live) stderr.write('\r\x1b[2K');
  };
  const draw = () => {
    const newest = inFlight[inFlight.length - 1];
    if (live && newest) stderr.write(`\r\x1b[2K${progressText(newest, done + 1, total, elapsed())}${inFlight.length > 1 ? ` (+${inFlight.length - 1} more)` : ''}`);
  };

  return (e) => {
    switch (e.kind) {
      case 'apply-start':
        started = performance.now();
        total = e.total;
        // The elapsed time keeps moving during a slow call.
        if (live) timer = setInterval(draw, 1000).unref();
        if (out.opts.json) out.print(jsonLine({ event: 'start', total }));
        return true;
      case 'change-start':
        inFlight.push(e.change);
        draw();
        return true;
      case 'change-done':
        done = e.done;
        inFlight.splice(inFlight.indexOf(e.change), 1);
        if (out.opts.json) {
          out.print(jsonLine(outcomeEvent(e.outcome, e.index, e.total, elapsed())));
          return true;
        }
        if (live) clear();
        if (e.outcome.status === 'failed') out.error(outcomeLine(e.outcome, out.c));
        else out.info(outcomeLine(e.outcome, out.c));
        draw();
        return true;
      case 'read-back':
        if (out.opts.json) out.print(jsonLine({ event: 'read-back', address: e.address, marker: e.marker, result: e.result, remoteId: e.remoteId }));
        else out.debug(`read back ${e.address} (marker ${e.marker}): ${e.result}${e.remoteId ? ` ${e.remoteId}` : ''}`);
        return true;
      case 'apply-end':
        if (timer) clearInterval(timer);
        if (live && inFlight.length > 0) clear();
        inFlight.length = 0;
        return true;
      default:
        return false;
    }
  };
}
