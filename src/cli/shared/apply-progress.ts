/**
 * Progress of an apply, wired to the executor's hooks: on a terminal a live line on stderr (count,
 * current change, elapsed) with each finished change printed above it; in CI logs one line per
 * finished change; with --json one JSON object per line on stdout.
 */
import type { Output } from '../context.js';
import type { ApplyHooks } from '../../apply/types.js';
import { outcomeEvent, outcomeLine, progressText } from '../views/apply-result.js';

export function applyProgress(out: Output, stderr: NodeJS.WriteStream = process.stderr): ApplyHooks {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const live = stderr.isTTY === true && !out.opts.json && !out.opts.quiet;
  let done = 0;
  let current = '';
  const clear = () => {
    if (live && current) stderr.write('\r\x1b[2K');
  };
  const draw = () => {
    if (live && current) stderr.write(`\r\x1b[2K${current}`);
  };

  return {
    onStart: ({ total }) => {
      if (out.opts.json) out.print(JSON.stringify({ event: 'start', total }));
    },
    onChangeStart: ({ change, total }) => {
      current = progressText(change, done + 1, total, elapsed());
      draw();
    },
    onChangeEnd: ({ index, total, outcome }) => {
      done++;
      if (out.opts.json) {
        out.print(JSON.stringify(outcomeEvent(outcome, index, total, elapsed())));
        return;
      }
      clear();
      if (outcome.status === 'failed') out.error(outcomeLine(outcome, out.c));
      else out.info(outcomeLine(outcome, out.c));
      draw();
    },
    onReadBack: (e) => {
      if (out.opts.json) out.print(JSON.stringify({ event: 'read-back', ...e }));
      else out.debug(`read back ${e.address} (marker ${e.marker}): ${e.result}${e.remoteId ? ` ${e.remoteId}` : ''}`);
    },
    onFinish: () => {
      clear();
      current = '';
    },
  };
}
