/**
 * The handlers the executor uses for changes it does not execute itself: bulletin occurrence
 * `send` (raise) and `occurrence-forget`. One line per handler; the runtime-sends issue swaps in
 * its own here (or per call through ExecuteDeps.handlers).
 */
import { forgetOccurrence, raiseOccurrence } from './occurrences.js';
import type { ChangeHandler, HandlerKey } from './types.js';

export const defaultHandlers: Record<HandlerKey, ChangeHandler> = {
  send: raiseOccurrence,
  'occurrence-forget': forgetOccurrence,
};
