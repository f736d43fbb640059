/**
 * The CLI's side of the credentials watch (../../operations/auth-watch.ts): a command that prints a
 * plan or a result checks failOnAuth first, so a refused passcode is the whole answer.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { takeRefusal, type AuthWatch } from '../../operations/auth-watch.js';
import type { Output } from '../context.js';
import { failWith } from '../views/state-common.js';

export { takeUnreportedRefusals } from '../../operations/auth-watch.js';

/**
 * When CleverTap refused the credentials: the error, printed as the command's end (by `fail`, for a
 * command with its own refusal output), and exit code 1; else null.
 */
export function failOnAuth(
  out: Output,
  root: string,
  watch: AuthWatch,
  fail: (diagnostics: Diagnostic[]) => number = (ds) => failWith(out, root, ds),
): number | null {
  const refusal = takeRefusal(watch);
  return refusal ? fail([refusal]) : null;
}
