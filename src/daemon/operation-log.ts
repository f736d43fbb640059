/**
 * Operation events as log lines: one per applied change (and the apply's start and end), the
 * notices, debug detail at debug level. Run-due fires are logged by ./cron-runner.ts with their
 * metrics. Nothing of a change's content goes to the log: address, action, status and message.
 */
import type { Logger } from 'pino';
import type { EventSink } from '../operations/events.js';

export function logEvents(log: Logger): EventSink {
  return (e) => {
    switch (e.kind) {
      case 'change-done':
        log[e.outcome.status === 'failed' ? 'warn' : 'info'](
          { change: { address: e.change.address, action: e.change.action, status: e.outcome.status, remoteId: e.outcome.remoteId ?? null, done: e.done, total: e.total } },
          `apply ${e.change.action} ${e.change.address}: ${e.outcome.status}${e.outcome.message ? `: ${e.outcome.message}` : ''}`,
        );
        return;
      case 'apply-start':
        log.info({ apply: { total: e.total } }, `apply: ${e.total} changes`);
        return;
      case 'apply-end':
        log.info({ apply: { applied: e.result.applied, failed: e.result.failed, skipped: e.result.skipped, durationMs: e.result.durationMs } }, `apply done: ${e.result.applied} applied, ${e.result.failed} failed, ${e.result.skipped} skipped`);
        return;
      case 'settled':
        log.info({ settled: { address: e.row.address } }, `settled an interrupted write of ${e.row.address}`);
        return;
      case 'send.batch':
        log.info({ batch: { address: e.address, batch: e.batch, status: e.status, identities: e.identities, done: e.done, total: e.total } }, `send ${e.address} batch ${e.batch}: ${e.status}`);
        return;
      case 'plan-step':
        log.debug({ step: e.step }, `plan step ${e.step}`);
        return;
      case 'notice':
        log.info(e.text);
        return;
      case 'debug':
        log.debug(e.text);
        return;
      default:
        return;
    }
  };
}
