/**
 * `campaignctl stop ADDRESS... | --selector k=v --reason TEXT`: the emergency stop. No plan and no
 * YAML edit: the managed campaigns named are stopped on CleverTap now, under the apply lock, each
 * recorded in the audit history with who (the git identity, else $USER) and why (--reason).
 * `metadata.protect` does not block an explicit stop; the output says when a campaign was protected.
 * Exit 0 when every named campaign is stopped (or already was), 1 otherwise.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { withLockedConnection } from './shared/locked-connection.js';
import { collect, parseSelector } from './shared/option-values.js';
import { notCreatedGrace } from '../operations/connect.js';
import { commandTarget, loadProjectFor, printDiagnostics } from './shared/project.js';
import { environmentErrors, failWith } from './views/state-common.js';
import { prepareDesired } from '../apply/desired.js';
import { applyMessages } from '../apply/messages.js';
import { settleOpenJournal } from '../apply/settle.js';
import { selectStopTargets, stopMessages, stopNow, type StopNowResult, type StopOutcome } from '../apply/stop-now.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { now as clockNow } from '../time/clock.js';

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
  return { severity: 'error', code: 'stop.bad-selector', message: `--selector takes key=value, got "${pair}"` };
}

async function stop(out: Output, addresses: string[], flags: StopFlags): Promise<number> {
  const project = await loadProjectFor(out);
  const usage: Diagnostic[] = [...environmentErrors(project)];
  const parsed = parseSelector(flags.selector ?? []);
  usage.push(...parsed.invalid.map(badSelector));
  if (addresses.length === 0 && !parsed.selector) usage.push(stopMessages.nothingNamed(commandTarget(out, project)));
  const reason = flags.reason?.trim();
  if (!reason) usage.push(stopMessages.reasonRequired());
  if (usage.length > 0) return failWith(out, project.root, usage);

  const command = `stop ${addresses.length ? addresses.join(' ') : `--selector ${(flags.selector ?? []).join(',')}`}`;
  return withLockedConnection(out, project, command, 'stop', async ({ store, connection, by, provenance }) => {
    const now = () => clockNow();
    out.debug(`stopping through ${connection.describe}`);

    // An interrupted run may have left writes open; settle them so the ids stopped are current.
    // Settling is the only reader of the desired state: hashing every resource is wasted time for
    // an emergency stop with nothing to settle (the usual case).
    const warnings: Diagnostic[] = [];
    const hasOpenRows = (await store.journal.listOpen()).length > 0;
    const settled = await settleOpenJournal({
      store,
      client: connection.client,
      provenance,
      now,
      desired: hasOpenRows ? prepareDesired(project).byAddress : undefined,
      notCreatedGraceMs: notCreatedGrace(connection),
    });
    if (settled.unsettled.length > 0) warnings.push({ ...applyMessages.unsettled(settled.unsettled), severity: 'warning' });

    const selected = selectStopTargets(await store.resources.list(), { addresses, selector: parsed.selector }, commandTarget(out, project));
    if (selected.diagnostics.length > 0) return failWith(out, project.root, [...warnings, ...selected.diagnostics]);

    const result = await stopNow({ store, client: connection.client, provenance, now }, { targets: selected.targets, reason: reason!, by });
    if (out.opts.json) {
      out.json({ ...result, sandbox: connection.isSandbox, reason, by, diagnostics: warnings });
    } else {
      printDiagnostics(out, project.root, warnings);
      out.print(stopText(result, { reason: reason!, by, where: connection.isSandbox ? connection.describe : null }, out));
    }
    return result.ok ? 0 : 1;
  });
}

function stopText(r: StopNowResult, ctx: { reason: string; by: string; where: string | null }, out: Output): string {
  const { c } = out;
  const lines = [`Emergency stop by ${ctx.by}: ${JSON.stringify(ctx.reason)}${ctx.where ? ` (against ${ctx.where})` : ''}`];
  const symbol = (o: StopOutcome) => (o.status === 'stopped' ? c.red('-') : o.status === 'failed' ? c.red('x') : c.dim('='));
  for (const o of r.outcomes) {
    lines.push(`  ${symbol(o)} ${o.address}  ${o.status === 'failed' ? c.red(o.message) : o.message}`);
    if (o.protect && o.status === 'stopped') lines.push(`      ${c.yellow('note')}: ${o.address} has metadata.protect: true, which only prevents stops by removal from the YAML; it was stopped because you named it`);
  }
  lines.push(`Stopped ${r.stopped}, skipped ${r.skipped}, failed ${r.failed}.`);
  if (r.stopped > 0) lines.push(c.dim('Stopped campaigns stay in state as stopped: the next plan keeps them stopped while they remain in the YAML, and forgets them once removed.'));
  return lines.join('\n');
}
