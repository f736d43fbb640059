/**
 * What the planner says: its diagnostics (codes `plan.*`, worded in the diagnostics catalogue),
 * pointed at the YAML node they are about, and the wording of its notes and drift. Errors refuse
 * the plan; warnings and notes inform.
 */
import { diagnostic, type ArgsOf, type DiagnosticCode } from '../diagnostics/catalogue.js';
import { commandLine, type CommandTarget } from '../diagnostics/command-line.js';
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

/** A catalogue diagnostic about the resource at `where`, pointed at its node. */
function about<C extends DiagnosticCode>(code: C, args: (address: string) => ArgsOf<C>): Build {
  return (w, l) => ({ ...diagnostic(code, args(w.address)), ...located(w, l) });
}

/** The planner's diagnostics (codes `plan.*`); their wording is in the catalogue. */
export const messages = {
  whenPast: (instant: string, now: string): Build => about('plan.when-past', (address) => ({ address, instant, now })),
  startUnknown: (): Build => about('plan.start-unknown', (address) => ({ address })),
  occurrenceAtInvalid: (key: string): Build => about('plan.occurrence-at-invalid', (address) => ({ address, key })),
  immutable: (status: string): Build => about('plan.immutable', (address) => ({ address, status })),
  immutableStopped: (): Build => about('plan.immutable-stopped', (address) => ({ address })),
  occurrenceImmutable: (key: string): Build => about('plan.occurrence-immutable', (address) => ({ address, key })),
  occurrenceUnknown: (key: string, occurrence: string, target: CommandTarget): Build =>
    about('plan.occurrence-unknown', (address) => ({ address, key, occurrence, target })),
  remoteStatusUnknown: (status: string): Build => (w) => ({ ...diagnostic('plan.remote-status-unknown', { address: w.address, status }), address: w.address }),
  partial: (describe: string, considered: number): Diagnostic => diagnostic('plan.partial', { describe, considered }),
  targetUnknown: (target: string, near: string[], command: CommandTarget): Diagnostic => diagnostic('plan.target-unknown', { target, near, command }),
  notRefreshed: (): Diagnostic => diagnostic('plan.not-refreshed', {}),
  maxAudience: (total: number, max: number, overridden: boolean): Build => about('plan.max-audience', (address) => ({ address, total, max, overridden })),
  guardUnchecked: (max: number, why: string, overridden: boolean): Build => about('plan.guard-unchecked', (address) => ({ address, max, why, overridden })),
  guardsUnchecked: (addresses: string[], why: string, overridden: boolean): Diagnostic => diagnostic('plan.guard-unchecked', { addresses, why, overridden }),
  massStop: (stops: number, live: number, overridden: boolean): Diagnostic => diagnostic('plan.mass-stop', { stops, live, overridden }),
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
