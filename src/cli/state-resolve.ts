/**
 * `campaignctl state resolve bulletin.NAME#KEY --raised|--not-raised`: settles a bulletin
 * occurrence by hand, usually one whose raise ended `unknown` (or whose run died after the claim),
 * after checking CleverTap. `--raised` records it done (never raised again); `--not-raised` makes it
 * due again, so the next apply raises it once. Takes the apply lock and records who did it.
 *
 * It joins the `state` command group: whichever register runs first creates the group.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { openState } from '../operations/connect.js';
import { takeLock } from '../operations/lock.js';
import { operatorProvenance } from '../operations/operator.js';
import { commandTarget, loadProjectFor } from './shared/project.js';
import { environmentErrors, failWith, refuseLocked } from './views/state-common.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { BulletinResource } from '../model/specs.js';
import { resolveOccurrence, type ResolveOutcome } from '../runtime/index.js';
import { resolveTick } from './shared/resolve-tick.js';

interface ResolveFlags {
  raised?: boolean;
  notRaised?: boolean;
}

function stateGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'state') ??
    program.command('state').description('inspect and repair campaignctl state (what it applied)')
  );
}

export function register(program: Command): void {
  stateGroup(program)
    .command('resolve')
    .description('settle a bulletin occurrence whose raise is unknown: --raised (never raise it) or --not-raised (the next apply raises it)')
    .argument('<occurrence>', 'the occurrence, bulletin.NAME#KEY (as plan and apply print it)')
    .option('--raised', 'it was raised: record it done')
    .option('--not-raised', 'it was not raised: the next apply raises it once')
    .action(action(async (address: string, flags: ResolveFlags, c: Command) => run(address, flags, createOutput(globalOptions(c)))));
}

async function run(text: string, flags: ResolveFlags, out: Output): Promise<number> {
  const project = await loadProjectFor(out);
  const blocking = environmentErrors(project);
  if (blocking.length > 0) return failWith(out, project.root, blocking);

  if (text.trim().startsWith('schedule.')) return resolveTick(project, text.trim(), flags, out);
  const m = /^(?:bulletin\.)?([^#\s]+)#(.+)$/.exec(text.trim());
  const outcome: ResolveOutcome | undefined = flags.raised && !flags.notRaised ? 'raised' : flags.notRaised && !flags.raised ? 'not-raised' : undefined;
  const problems = [];
  if (!m) problems.push(diagnostic('input.invalid', { option: text, detail: 'expected an occurrence address bulletin.NAME#KEY', hint: 'plan and apply print it, e.g. bulletin.album-released#nova-lane-midnight-echoes' }));
  if (!outcome) problems.push(diagnostic('input.invalid', { option: '--raised / --not-raised', detail: 'give exactly one of them' }));
  if (!m || !outcome) return failWith(out, project.root, problems);
  const bulletin = `bulletin.${m[1]}`;
  const key = m[2]!;
  // The bulletin may be gone from the YAML: a run in state can still be settled.
  const known = project.resources.find((r) => r.address === bulletin) as unknown as BulletinResource | undefined;

  const opened = await openState(project);
  if (!opened.ok) return failWith(out, project.root, opened.diagnostics);
  const store = opened.store;
  try {
    const lock = await takeLock(store, `state resolve ${bulletin}#${key}`);
    if (!lock.ok) return refuseLocked(out, lock.refusal, 'state resolve', commandTarget(out, project));
    try {
      const { provenance } = await operatorProvenance(project.root, 'state resolve');
      const result = await resolveOccurrence(store, provenance, { bulletin, key, outcome, known });
      const address = `${bulletin}#${key}`;
      if (result.status === 'invalid') return failWith(out, project.root, result.diagnostics);
      if (out.opts.json) {
        out.json({ ok: true, address, resolved: outcome, status: result.status, before: result.status === 'resolved' ? result.before : null, run: result.status === 'resolved' ? result.run : null });
        return 0;
      }
      if (result.status === 'nothing-to-undo') {
        out.info(`${address} was never claimed: nothing to undo (apply raises it when it is due).`);
        return 0;
      }
      const from = result.before?.status ?? 'never claimed';
      const next = result.run.status === 'done' ? 'it is never raised again' : 'the next apply raises it once (when it is due)';
      out.info(`${address}: ${from} -> ${result.run.status} (resolved ${outcome}); ${next}.`);
      return 0;
    } finally {
      await lock.release();
    }
  } finally {
    await store.close();
  }
}
