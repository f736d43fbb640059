/**
 * The handlers the executor uses for changes it does not execute itself: bulletin occurrence
 * `send` (raise) and `occurrence-forget`. One line per handler; a caller swaps in its own per
 * call through ExecuteDeps.handlers.
 */
import { forgetOccurrence, raiseOccurrence } from './occurrences.js';
import type { ChangeHandler, HandlerKey } from './types.js';

export const defaultHandlers: Record<HandlerKey, ChangeHandler> = {
  send: raiseOccurrence,
  'occurrence-forget': forgetOccurrence,
};
