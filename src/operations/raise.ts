/**
 * Raises a Bulletin's business event now with one call to `/1/targets/trigger.json`:
 * - ad hoc: a name (a template over `properties.*` and `vars.*`) and properties, checked against
 *   the Bulletin's `properties` schema and CleverTap's limits;
 * - `occurrence`: one occurrence of the YAML, exactly as written, claimed in state like apply does
 *   so it is never raised twice.
 * `c-by` always comes from the YAML. An ambiguous outcome is reported as unknown and not retried.
 * checkRaise is the first half (no state, no network).
 */
import { renderContext } from '../apply/desired.js';
import { createTemplateEngine } from '../templates/engine.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { BulletinResource } from '../model/specs.js';
import { executeRaise, prepareRaise, prepareOccurrence, type PreparedRaise, type RaiseReport } from '../runtime/raise.js';
import { raiseOccurrence } from '../runtime/occurrence.js';
import type { RunRecord } from '../state/store.js';
import type { OperationContext } from './context.js';
import { findContract } from './runtime-contract.js';
import { openRuntimeContext } from './runtime-context.js';
import { checkData } from './runtime-input.js';

export interface RaiseOptions {
  /** The Bulletin: `album-released` or `bulletin.album-released`. */
  bulletin: string;
  /** Ad hoc: the name of this raise; may use `{{properties.x}}` and `{{vars.x}}`. */
  name?: string;
  /** Ad hoc: the properties, checked against the Bulletin's `properties` schema. */
  properties?: Record<string, unknown>;
  /** Raise this occurrence of the YAML now, as written (no name or properties with it). */
  occurrence?: string;
  /** Check and render only: nothing is connected, claimed or sent. */
  dryRun?: boolean;
}

export type RaiseCheck =
  | { status: 'refused'; diagnostics: Diagnostic[] }
  /** Error-free: `prepared.diagnostics` holds only warnings. */
  | { status: 'ready'; bulletin: BulletinResource; prepared: PreparedRaise };

export type RaiseOperationResult =
  /** Nothing was raised: the Bulletin, the input, the connection or the state refused it. */
  | { status: 'refused'; diagnostics: Diagnostic[] }
  /** An occurrence claimed before (raised, unknown, or claimed by a run that died): not raised again. */
  | { status: 'already-claimed'; prepared: PreparedRaise; run: RunRecord; diagnostics: Diagnostic[] }
  | { status: 'dry-run'; prepared: PreparedRaise }
  /**
   * `report.outcome` says whether it was raised; `report.diagnostics` holds the warnings of the
   * run; `credentialsRefused` is set when CleverTap refused the credentials.
   */
  | { status: 'done'; prepared: PreparedRaise; report: RaiseReport; sandbox: boolean; occurrence: boolean; credentialsRefused: Diagnostic | null };

export function checkRaise(ctx: Pick<OperationContext, 'project' | 'clock'>, options: RaiseOptions): RaiseCheck {
  return check(ctx.project, options, ctx.clock());
}

export async function raise(ctx: OperationContext, options: RaiseOptions): Promise<RaiseOperationResult> {
  const now = ctx.clock();
  const checked = check(ctx.project, options, now);
  if (checked.status === 'refused') return checked;
  const { bulletin, prepared } = checked;
  if (options.dryRun) return { status: 'dry-run', prepared };

  const opened = await openRuntimeContext(ctx, 'raise', { now });
  if (!opened.ok) return { status: 'refused', diagnostics: opened.diagnostics };
  const { runtime, connection } = opened.value;
  const done = (raised: PreparedRaise, report: RaiseReport, occurrence: boolean): RaiseOperationResult => ({
    status: 'done',
    prepared: raised,
    report,
    sandbox: connection.isSandbox,
    occurrence,
    credentialsRefused: connection.auth.refusal(),
  });
  if (options.occurrence === undefined) return done(prepared, await executeRaise(runtime, prepared), false);
  const result = await raiseOccurrence(runtime, { bulletin, key: options.occurrence });
  if (result.status === 'invalid') return { status: 'refused', diagnostics: result.diagnostics };
  if (result.status === 'already-claimed') {
    const claimed = diagnostic('runtime.occurrence-claimed', { address: prepared.address, status: result.run.status, target: ctx.target });
    return { status: 'already-claimed', prepared: result.prepared, run: result.run, diagnostics: [{ ...claimed, address: prepared.address }] };
  }
  return done(result.prepared, result.report, true);
}

function check(project: OperationContext['project'], options: RaiseOptions, now: Date): RaiseCheck {
  const found = findContract<BulletinResource['spec']>(project, 'Bulletin', options.bulletin);
  if (!found.ok) return { status: 'refused', diagnostics: found.diagnostics };
  const bulletin = found.value as BulletinResource;
  const render = renderContext(project, createTemplateEngine({ partials: project.partials }), now);
  let prepared: PreparedRaise;
  if (options.occurrence !== undefined) {
    if (options.name !== undefined || options.properties !== undefined) {
      const detail = 'an occurrence is raised exactly as the YAML has it; a name or properties can not change it';
      return { status: 'refused', diagnostics: [diagnostic('input.invalid', { option: 'occurrence', detail, hint: 'edit the occurrence in the YAML, or raise ad hoc without an occurrence' })] };
    }
    prepared = prepareOccurrence(render, bulletin, options.occurrence);
  } else {
    if (options.name === undefined) {
      return { status: 'refused', diagnostics: [diagnostic('input.invalid', { option: 'name', detail: 'is required', hint: 'name this raise, or raise an occurrence of the YAML' })] };
    }
    const problems = checkData(options.properties, 'properties');
    if (problems.length > 0) return { status: 'refused', diagnostics: problems };
    prepared = prepareRaise(render, bulletin, { name: options.name, properties: options.properties ?? {} });
  }
  if (hasErrors(prepared.diagnostics)) return { status: 'refused', diagnostics: prepared.diagnostics };
  return { status: 'ready', bulletin, prepared };
}
