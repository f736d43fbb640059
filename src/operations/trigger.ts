/**
 * Fires a dashboard-built External Trigger campaign for identities: the data becomes the
 * `ExternalTrigger` object, checked against the contract's `payload` schema; `campaign_id` comes
 * from the YAML, never from the caller. Ids go out in calls of at most 1,000, one `send.batch`
 * event each. checkTrigger is the first half (no state, no network).
 */
import type { OperationContext } from './context.js';
import { checkRuntimeSend, runtimeSend, type RuntimeSendCheck, type RuntimeSendOptions, type RuntimeSendResult } from './runtime-send.js';

export function trigger(ctx: OperationContext, options: RuntimeSendOptions): Promise<RuntimeSendResult> {
  return runtimeSend('trigger', ctx, options);
}

export function checkTrigger(ctx: Pick<OperationContext, 'project' | 'events' | 'clock'>, options: RuntimeSendOptions): RuntimeSendCheck {
  return checkRuntimeSend('trigger', ctx, options, ctx.clock());
}
