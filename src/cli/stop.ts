/**
 * `campaignctl stop ADDRESS... | --selector k=v --reason TEXT`: the emergency stop. No plan and no
 * YAML edit: the managed campaigns named are stopped on CleverTap now, under the apply lock, each
 * recorded in the audit history with who (the git identity, else $USER) and why (--reason).
 * `metadata.protect` does not block an explicit stop; the output says when a campaign was protected.
 * Exit 0 when every named campaign is stopped (or already was), 1 otherwise.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { withContext } from './shared/command-context.js';
import { collect, parseSelector } from './shared/option-values.js';
import { commandTarget, loadProjectFor, printDiagnostics } from './shared/project.js';
import { environmentErrors, failWith, refuse } from './views/state-common.js';
import type { StopOutcome } from '../apply/stop-now.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { stop as stopCampaigns, stopProblems, type Stopped } from '../operations/stop.js';
import { isRefusal } from '../operations/under-lock.js';

interface StopFlags {
  selector?: string[];
  reason?: string;
}

export function register(program: Command): void {
  program
    .command('stop')
    .description('emergency stop of managed campaigns on CleverTap now, without a plan (takes the lock; recorded with who and why)')
    .argument('[address...]', 'campaign addresses, e.g. campaign.winter-sale-push')
    .option('--selector <key=value>', 'every managed campaign with these labels (repeatable; k=v,k2=v2)', collect, [])
    .option('--reason <text>', 'why: recorded in the audit history (required)')
    .action(action(async (addresses: string[], flags: StopFlags, cmd: Command) => stop(createOutput(globalOptions(cmd)), addresses, flags)));
}

/** A --selector pair that is not key=value. */
export function badSelector(pair: string): Diagnostic {
  return diagnostic('stop.bad-selector', { pair });
}

async function stop(out: Output, addresses: string[], flags: StopFlags): Promise<number> {
  const project = await loadProjectFor(out);
  const parsed = parseSelector(flags.selector ?? []);
  const options = { addresses, selector: parsed.selector, reason: flags.reason ?? '' };
  const target = commandTarget(out, project);
  const usage = [...environmentErrors(project), ...parsed.invalid.map(badSelector), ...stopProblems(options, target)];
  if (usage.length > 0) return failWith(out, project.root, usage);

  return withContext(out, project, async (ctx) => {
    const result = await stopCampaigns(ctx, options);
    if (isRefusal(result)) return refuse(out, project.root, result, target);
    if (out.opts.json) {
      const { outcomes, stopped, skipped, failed, ok, sandbox, reason, by, warnings } = result;
      out.json({ outcomes, stopped, skipped, failed, ok, sandbox, reason, by, diagnostics: warnings });
    } else {
      printDiagnostics(out, project.root, result.warnings);
      out.print(stopText(result, out));
    }
    return result.ok ? 0 : 1;
  });
}

function stopText(r: Stopped, out: Output): string {
  const { c } = out;
  const lines = [`Emergency stop by ${r.by}: ${JSON.stringify(r.reason)}${r.sandbox ? ` (against ${r.against})` : ''}`];
  const symbol = (o: StopOutcome) => (o.status === 'stopped' ? c.red('-') : o.status === 'failed' ? c.red('x') : c.dim('='));
  for (const o of r.outcomes) {
    lines.push(`  ${symbol(o)} ${o.address}  ${o.status === 'failed' ? c.red(o.message) : o.message}`);
    if (o.protect && o.status === 'stopped') lines.push(`      ${c.yellow('note')}: ${o.address} has metadata.protect: true, which only prevents stops by removal from the YAML; it was stopped because you named it`);
  }
  lines.push(`Stopped ${r.stopped}, skipped ${r.skipped}, failed ${r.failed}.`);
  if (r.stopped > 0) lines.push(c.dim('Stopped campaigns stay in state as stopped: the next plan keeps them stopped while they remain in the YAML, and forgets them once removed.'));
  return lines.join('\n');
}
