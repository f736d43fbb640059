/**
 * Wording of everything the planner says (codes `plan.*`), in one place so the text, JSON and
 * markdown views show the same words. Errors refuse the plan; warnings and notes inform.
 */
import { commandLine, resolveCommand, type CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceLocation } from '../model/resource.js';
import type { Locate } from './types.js';

export interface Where {
  address: string;
  source?: SourceLocation;
  /** Path of the YAML node inside the document, for `locate`. */
  path?: (string | number)[];
}

/** Points at the exact node when the caller can locate it, else at the resource's document. */
export function located(where: Where, locate: Locate | undefined): Pick<Diagnostic, 'file' | 'line' | 'column' | 'endLine' | 'endColumn' | 'address'> {
  const range = where.path && locate ? locate(where.address, where.path) : undefined;
  if (range) return { address: where.address, ...range };
  if (where.source) return { address: where.address, file: where.source.file, line: where.source.line, column: where.source.column };
  return { address: where.address };
}

type Build = (where: Where, locate: Locate | undefined) => Diagnostic;

/** Guards fail closed: an audience that could not be checked is refused like one over the limit. */
const UNCHECKED_HINT =
  'the guard holds only on an estimate: fix what kept it from being made (the connection, or scope the plan with --target) and plan again, or pass --allow-large-audience to apply without the check';

export const messages = {
  whenPast: (instant: string, now: string): Build => (w, l) => ({
    severity: 'error',
    code: 'plan.when-past',
    message: `${w.address} starts at ${instant}, which is already past (now is ${now}); CleverTap would refuse it`,
    hint: 'set `when` to a future instant, or to "now" to send as soon as it is applied',
    ...located(w, l),
  }),
  startUnknown: (): Build => (w, l) => ({
    severity: 'warning',
    code: 'plan.start-unknown',
    message: `the start of ${w.address} could not be determined; it is treated as sending immediately`,
    hint: 'give `when` as "now" or an ISO date-time',
    ...located(w, l),
  }),
  occurrenceAtInvalid: (key: string): Build => (w, l) => ({
    severity: 'error',
    code: 'plan.occurrence-at-invalid',
    message: `occurrence "${key}" of ${w.address} has an \`at\` that is neither "now" nor an ISO date-time`,
    hint: 'write it like 2025-03-01T09:00:00Z, or 2025-03-01T09:00 for the account time zone',
    ...located(w, l),
  }),
  immutable: (status: string): Build => (w, l) => ({
    severity: 'warning',
    code: 'plan.immutable',
    message: `${w.address} is already ${status} on CleverTap and can not be changed; this edit is not applied`,
    hint: 'sent campaigns are immutable: give it a new name (metadata.name) to send again',
    ...located(w, l),
  }),
  immutableStopped: (): Build => (w, l) => ({
    severity: 'warning',
    code: 'plan.immutable-stopped',
    message: `${w.address} was stopped; this edit is not applied`,
    hint: 'give it a new name (metadata.name) to send it again',
    ...located(w, l),
  }),
  occurrenceImmutable: (key: string): Build => (w, l) => ({
    severity: 'warning',
    code: 'plan.occurrence-immutable',
    message: `occurrence "${key}" of ${w.address} was already raised; the edit is not applied`,
    hint: 'raised occurrences are immutable: add a new occurrence with a new key',
    ...located(w, l),
  }),
  occurrenceUnknown: (key: string, address: string, target: CommandTarget): Build => (w, l) => ({
    severity: 'warning',
    code: 'plan.occurrence-unknown',
    message: `whether occurrence "${key}" of ${w.address} was raised is unknown; it is not raised again automatically`,
    hint: `check the dashboard, then run \`${resolveCommand(target, address)}\``,
    ...located(w, l),
  }),
  remoteStatusUnknown: (status: string): Build => (w) => ({
    severity: 'warning',
    code: 'plan.remote-status-unknown',
    message: `CleverTap reports status "${status}" for ${w.address}, which campaignctl does not know; it is treated as live`,
    address: w.address,
  }),
  partial: (describe: string, considered: number): Diagnostic => ({
    severity: 'warning',
    code: 'plan.partial',
    message: `this plan is partial: only ${considered} resource${considered === 1 ? '' : 's'} selected by ${describe} were considered`,
    hint: 'resources outside the scope may also differ; run a plan without scoping flags to see everything',
  }),
  notRefreshed: (): Diagnostic => ({
    severity: 'warning',
    code: 'plan.not-refreshed',
    message: 'campaign statuses were not read from CleverTap; the plan relies on state alone and drift is not detected',
  }),
  maxAudience: (total: number, max: number, overridden: boolean): Build => (w, l) => ({
    severity: overridden ? 'warning' : 'error',
    code: 'plan.max-audience',
    message: overridden
      ? `${w.address} reaches about ${total} users, above its guard.maxAudience of ${max}; allowed by --allow-large-audience`
      : `${w.address} would reach about ${total} users, above its guard.maxAudience of ${max}`,
    hint: overridden ? undefined : 'narrow the audience, raise guard.maxAudience, or pass --allow-large-audience',
    ...located(w, l),
  }),
  guardUnchecked: (max: number, why: string, overridden: boolean): Build => (w, l) => ({
    severity: overridden ? 'warning' : 'error',
    code: 'plan.guard-unchecked',
    message: overridden
      ? `guard.maxAudience (${max}) of ${w.address} was not checked: ${why}; allowed by --allow-large-audience`
      : `${w.address} is refused: its audience could not be checked against guard.maxAudience (${max}): ${why}`,
    hint: overridden ? undefined : UNCHECKED_HINT,
    ...located(w, l),
  }),
  guardsUnchecked: (addresses: string[], why: string, overridden: boolean): Diagnostic => ({
    severity: overridden ? 'warning' : 'error',
    code: 'plan.guard-unchecked',
    message:
      `guard.maxAudience of ${addresses.length.toLocaleString('en-US')} campaigns was not checked: ${why} (${addresses.slice(0, 3).join(', ')} and ${(addresses.length - 3).toLocaleString('en-US')} more)` +
      (overridden ? '; allowed by --allow-large-audience' : '; they are refused'),
    hint: overridden ? undefined : UNCHECKED_HINT,
  }),
  massStop: (stops: number, live: number, overridden: boolean): Diagnostic => ({
    severity: overridden ? 'warning' : 'error',
    code: 'plan.mass-stop',
    message: overridden
      ? `this plan stops ${stops} of ${live} live managed campaigns; allowed by --allow-mass-stop`
      : `this plan would stop ${stops} of ${live} live managed campaigns (more than half)`,
    hint: overridden ? undefined : 'check that campaigns/ is complete (a wrong --dir or a lost folder looks like a removal); pass --allow-mass-stop if it is intended',
  }),
};

export const notes = {
  protectedKept: (status: string, address: string, target: CommandTarget) =>
    `protected (metadata.protect: true): left ${status} although it is gone from the YAML; remove it with \`${commandLine(target, ['state', 'rm', address])}\` or stop it with \`${commandLine(target, ['stop', address, '--reason', 'REASON'])}\``,
  stoppedKept: () => 'stopped by campaignctl; it stays stopped (give it a new name to send again)',
  stopWithoutId: () => 'no CleverTap id recorded: nothing to stop, forgotten',
};

export function driftMessage(actual: string, expected: string): string {
  if (actual === 'missing') return `recorded as ${expected}, but CleverTap does not list it`;
  return `recorded as ${expected}, but CleverTap reports it ${actual}`;
}
