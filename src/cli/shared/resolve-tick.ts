/** `state resolve schedule.NAME#FIRE_TIME --raised|--not-raised` (see src/schedule/resolve.ts). */
import type { Project } from '../../config/project.js';
import { diagnostic } from '../../diagnostics/catalogue.js';
import { resolveScheduleTick } from '../../schedule/resolve.js';
import type { Output } from '../context.js';
import { failWith, refuseLocked } from '../views/state-common.js';
import { openState } from '../../operations/connect.js';
import { takeLock } from '../../operations/lock.js';
import { operatorProvenance } from '../../operations/operator.js';
import { commandTarget } from './project.js';

export async function resolveTick(project: Project, text: string, flags: { raised?: boolean; notRaised?: boolean }, out: Output): Promise<number> {
  const m = /^(schedule\.[^#\s]+)#(.+)$/.exec(text);
  const outcome = flags.raised && !flags.notRaised ? 'raised' : flags.notRaised && !flags.raised ? 'not-raised' : undefined;
  const problems = [];
  if (!m) problems.push(diagnostic('input.invalid', { option: text, detail: 'expected a schedule tick schedule.NAME#FIRE_TIME', hint: 'run-due prints it, e.g. schedule.daily-digest#2026-06-01T07:00:00Z' }));
  if (!outcome) problems.push(diagnostic('input.invalid', { option: '--raised / --not-raised', detail: 'give exactly one of them' }));
  if (!m || !outcome) return failWith(out, project.root, problems);
  const opened = await openState(project);
  if (!opened.ok) return failWith(out, project.root, opened.diagnostics);
  const store = opened.store;
  try {
    const lock = await takeLock(store, `state resolve ${text}`);
    if (!lock.ok) return refuseLocked(out, lock.refusal, 'state resolve', commandTarget(out, project));
    try {
      const { provenance } = await operatorProvenance(project.root, 'state resolve');
      const result = await resolveScheduleTick(store, provenance, { schedule: m[1]!, fireTime: m[2]!, outcome });
      if (result.status === 'invalid') return failWith(out, project.root, result.diagnostics);
      const address = `${m[1]}#${result.run.key}`;
      if (out.opts.json) out.json({ ok: true, address, resolved: outcome, status: 'resolved', before: result.before, run: result.run });
      else out.info(`${address}: ${result.before.status} -> ${result.run.status} (resolved ${outcome}); the runner never fires this tick again.`);
      return 0;
    } finally {
      await lock.release();
    }
  } finally {
    await store.close();
  }
}
