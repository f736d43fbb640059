/**
 * Progress of an apply, wired to the executor's hooks: on a terminal a live line on stderr (count,
 * current change, elapsed) with each finished change printed above it; in CI logs one line per
 * finished change; with --json one JSON object per line on stdout.
 */
import type { Output } from '../context.js';
import type { ApplyHooks } from '../../apply/types.js';
import type { PlanChange } from '../../plan/types.js';
import { outcomeEvent, outcomeLine, progressText } from '../views/apply-result.js';
import { jsonLine } from '../views/json-keys.js';

export function applyProgress(out: Output, stderr: NodeJS.WriteStream = process.stderr): ApplyHooks {
  const started = performance.now();
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

  return {
    onStart: (e) => {
      total = e.total;
      // The elapsed time keeps moving during a slow call.
      if (live) timer = setInterval(draw, 1000).unref();
      if (out.opts.json) out.print(jsonLine({ event: 'start', total }));
    },
    onChangeStart: ({ change }) => {
      inFlight.push(change);
      draw();
    },
    onChangeEnd: ({ index, change, outcome }) => {
      done++;
      inFlight.splice(inFlight.indexOf(change), 1);
      if (out.opts.json) {
        out.print(jsonLine(outcomeEvent(outcome, index, total, elapsed())));
        return;
      }
      if (live) clear();
      if (outcome.status === 'failed') out.error(outcomeLine(outcome, out.c));
      else out.info(outcomeLine(outcome, out.c));
      draw();
    },
    onReadBack: (e) => {
      if (out.opts.json) out.print(jsonLine({ event: 'read-back', ...e }));
      else out.debug(`read back ${e.address} (marker ${e.marker}): ${e.result}${e.remoteId ? ` ${e.remoteId}` : ''}`);
    },
    onFinish: () => {
      if (timer) clearInterval(timer);
      if (live && inFlight.length > 0) clear();
      inFlight.length = 0;
    },
  };
}
