/**
 * What the state-changing commands (`stop`, `import`, `state ...`, `force-unlock`) share when they
 * report: which project problems block a command that only needs the environment, and one way to
 * end with problems (text diagnostics on stderr, or one `{ ok: false, ... }` JSON document), which
 * every other command ends with too.
 */
import type { Output } from '../context.js';
import type { Project } from '../../config/project.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { printDiagnostics } from '../shared/project.js';
import type { CommandTarget } from '../../diagnostics/command-line.js';
import { lockRefusalDiagnostic, lockRefusalJson, lockRefusalText, type LockRefusal } from '../../operations/lock.js';
import type { Refusal } from '../../operations/under-lock.js';

/**
 * Problems that leave no environment to work with (no project, an unusable campaignctl.yaml).
 * Errors in resource files do not block state repair: a broken YAML must never keep anyone from
 * stopping a campaign or removing a stale lock.
 */
export function environmentErrors(project: Project): Diagnostic[] {
  return project.diagnostics.filter(
    (d) => d.severity === 'error' && (d.code.startsWith('project.') || d.code.startsWith('config.') || d.file === 'campaignctl.yaml'),
  );
}

/**
 * Prints the problems and returns exit code 1. `root` (where file paths in the problems are read
 * from for their excerpts) is undefined when no project was found: the current folder then.
 */
export function failWith(out: Output, root: string | undefined, diagnostics: readonly Diagnostic[], extra: Record<string, unknown> = {}): number {
  if (out.opts.json) out.json({ ok: false, ...extra, diagnostics });
  else printDiagnostics(out, root ?? process.cwd(), diagnostics);
  return 1;
}

/** The lock refusal, with every field of the holder; exit code 1. */
export function refuseLocked(out: Output, refusal: LockRefusal, what: string, target: CommandTarget): number {
  if (out.opts.json) out.json({ ok: false, locked: lockRefusalJson(refusal, target), diagnostics: [lockRefusalDiagnostic(refusal, what, target)] });
  else out.error(lockRefusalText(refusal, what, target, out.c));
  return 1;
}

/**
 * An operation's refusal as the command ends with it: the lock holder, or the problems (the
 * refusal's other fields, e.g. what was searched, go into the --json document next to them).
 */
export function refuse(out: Output, root: string, refusal: Refusal, target: CommandTarget): number {
  if (refusal.refused === 'locked') return refuseLocked(out, refusal.lock, refusal.what, target);
  const extra = Object.fromEntries(Object.entries(refusal).filter(([key]) => !REFUSAL_KEYS.has(key)));
  return failWith(out, root, refusal.diagnostics, extra);
}

/** The fields every refusal has; failWith writes `ok` and `diagnostics` itself. */
const REFUSAL_KEYS = new Set(['ok', 'refused', 'diagnostics']);
