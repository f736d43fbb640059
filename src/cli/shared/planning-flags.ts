/**
 * The planning flags `plan` and `apply` share: scoping (--target, --selector, --changed-since),
 * estimates (--no-estimate) and the guard overrides (--allow-large-audience, --allow-mass-stop),
 * plus --heal. Parsed into the planner's PlanOptions; problems come back as diagnostics.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Command } from 'commander';
import type { Project } from '../../config/project.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { changedFilesSince, GitRevisionError } from '../../git/repo.js';
import { parseAddress } from '../../model/resource.js';
import type { PlanOptions } from '../../plan/types.js';
import { collect, parseSelector } from './option-values.js';

export interface PlanningFlags {
  target?: string[];
  selector?: string[];
  changedSince?: string;
  /** commander's `--no-estimate` sets estimate: false. */
  estimate?: boolean;
  allowLargeAudience?: boolean;
  allowMassStop?: boolean;
  heal?: boolean;
}

export function addPlanningOptions(cmd: Command): Command {
  return cmd
    .option('--target <address>', 'plan only this resource (repeatable); the plan is partial', collect)
    .option('--selector <key=value>', 'plan only resources whose labels match (repeatable; k=v,k2=v2; all must match)', collect)
    .option('--changed-since <rev>', 'plan only resources in files changed since this git revision (deleted files included)')
    .option('--no-estimate', 'skip audience estimates (estimate_only calls)')
    .option('--allow-large-audience', 'accept campaigns estimated above their guard.maxAudience')
    .option('--allow-mass-stop', 'accept a plan that stops more than half of the managed campaigns')
    .option('--heal', 're-create managed campaigns stopped or missing on CleverTap outside campaignctl');
}

/** True when any planning flag was given (apply PLANFILE refuses them: the file decides). */
export function hasPlanningFlags(f: PlanningFlags): boolean {
  return planningFlagWords(f).length > 0;
}

/** The flags as words again, for a printed `apply --yes` or `plan --out FILE` that plans the same scope. */
export function planningFlagWords(f: PlanningFlags): string[] {
  return [
    ...(f.target ?? []).flatMap((t) => ['--target', t]),
    ...(f.selector ?? []).flatMap((s) => ['--selector', s]),
    ...(f.changedSince ? ['--changed-since', f.changedSince] : []),
    ...(f.estimate === false ? ['--no-estimate'] : []),
    ...(f.allowLargeAudience ? ['--allow-large-audience'] : []),
    ...(f.allowMassStop ? ['--allow-mass-stop'] : []),
    ...(f.heal ? ['--heal'] : []),
  ];
}

export async function planOptionsFrom(f: PlanningFlags, project: Project): Promise<{ options: PlanOptions; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const options: PlanOptions = {};
  if (f.estimate === false) options.noEstimate = true;
  if (f.allowLargeAudience) options.allowLargeAudience = true;
  if (f.allowMassStop) options.allowMassStop = true;
  if (f.heal) options.heal = true;

  const scope: NonNullable<PlanOptions['scope']> = {};
  if (f.target?.length) {
    for (const t of f.target) if (!parseAddress(t.replace(/[#@].*$/, ''))) diagnostics.push(flagError('--target', `"${t}" is not an address like campaign.winter-sale`));
    scope.addresses = [...new Set(f.target)];
  }
  const parsed = parseSelector(f.selector ?? []);
  for (const pair of parsed.invalid) diagnostics.push(flagError('--selector', `"${pair}" is not key=value`));
  if (parsed.selector) scope.selector = parsed.selector;
  if (f.changedSince) {
    try {
      const files = await changedFilesSince(project.root, f.changedSince);
      scope.files = [...files.changed, ...files.deleted];
    } catch (err) {
      if (err instanceof GitRevisionError) diagnostics.push(flagError('--changed-since', err.message));
      else if (/not a git repository/i.test((err as Error).message)) diagnostics.push(flagError('--changed-since', 'the project is not in a git repository'));
      else diagnostics.push(flagError('--changed-since', `git could not list changed files: ${(err as Error).message}`));
    }
  }
  if (scope.addresses || scope.selector || scope.files) options.scope = scope;
  return { options, diagnostics };
}

function flagError(flag: string, message: string): Diagnostic {
  return diagnostic('cli.invalid-flag', { message: `${flag}: ${message}`, command: 'plan' });
}
