/**
 * Sends a Message via Identity: the data checked against the Message's `data` schema before
 * anything is sent, then calls of at most 1,000 identities to `/1/send/<target_mode>.json`, one
 * `send.batch` event each. The CLI's `send`, the daemon's `/v1/messages/{name}/send` and programs
 * call it with plain values:
 *
 *     const result = await send(ctx, { contract: 'order-shipped', to: { Identity: ['u-1'] }, data: { orderId: 'SN-1' } });
 *
 * checkSend is the first half (contract, identities, data, bodies; no state, no network): a dry run
 * or a request check that needs no open state.
 */
import type { OperationContext } from './context.js';
import { checkRuntimeSend, runtimeSend, type RuntimeSendCheck, type RuntimeSendOptions, type RuntimeSendResult } from './runtime-send.js';

export function send(ctx: OperationContext, options: RuntimeSendOptions): Promise<RuntimeSendResult> {
  return runtimeSend('message', ctx, options);
}

export function checkSend(ctx: Pick<OperationContext, 'project' | 'events' | 'clock'>, options: RuntimeSendOptions): RuntimeSendCheck {
  return checkRuntimeSend('message', ctx, options, ctx.clock());
}
