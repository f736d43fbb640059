/**
 * SQLite sends no hints: one daemon runs per state file, and it polls. A listener that never calls.
 */
import type { StateHints } from '../store.js';

export const noHints: StateHints = {
  available: false,
  listen: () => ({ close: async () => undefined }),
};
