/**
 * Where a Schedule meets a clock change: a local time it names that falls in a spring-forward gap
 * (it never happens) or in a fall-back repeat (it happens twice), and what the evaluator then
 * actually does. Pure: the window is given by the caller. validate warns from this.
 */
import { zoneTransitions, type ZoneTransition } from './transitions.js';
import { compileCron } from './cron-dialect.js';
import type { ScheduleTiming } from './fire-times.js';

export interface DstEncounter {
  kind: 'gap' | 'repeat';
  transition: ZoneTransition;
  /** The first local time the schedule names inside the gap or the repeated span (the wall clock read as UTC, ms). */
  named: number;
  /** A fixed-time job (moved out of a gap, fired once in a repeat) rather than an interval job. */
  fixedTime: boolean;
  /**
   * What the evaluator does. gap: the first fire from the end of the gap on (the moved fire of a
   * fixed-time job, the next one of an interval job). repeat: the fires at the first named time,
   * in the first pass and, for an interval job, in the second.
   */
  fires: Date[];
}

/** Every clock change of the schedule's zone in (from, until] that the schedule meets, in order. */
export function dstEncounters(s: ScheduleTiming, from: Date, until: Date): DstEncounter[] {
  const inZone = compileCron(s.cron, s.timezone);
  // The expression read on the wall clock itself (UTC has no changes): which local times it names.
  const onWall = compileCron(s.cron, 'UTC');
  if (!inZone.ok || !onWall.ok) return [];
  const out: DstEncounter[] = [];
  for (const tr of zoneTransitions(s.timezone, from.getTime(), until.getTime())) {
    const kind = tr.offsetAfter > tr.offsetBefore ? 'gap' : 'repeat';
    // gap: wall times [at + before, at + after) never show; repeat: [at + after, at + before) show twice.
    const wallStart = tr.at + Math.min(tr.offsetBefore, tr.offsetAfter);
    const wallEnd = tr.at + Math.max(tr.offsetBefore, tr.offsetAfter);
    const named = onWall.cron.nextRun(new Date(wallStart - 1000))?.getTime();
    if (named === undefined || named >= wallEnd) continue;
    let fires: Date[];
    if (kind === 'gap') {
      const next = inZone.cron.nextRun(new Date(tr.at - 1000));
      fires = next ? [next] : [];
    } else {
      // The named time's instant in each pass; each is a fire only if the evaluator says so.
      fires = [named - tr.offsetBefore, named - tr.offsetAfter]
        .filter((t) => inZone.cron.nextRun(new Date(t - 1000))?.getTime() === t)
        .map((t) => new Date(t));
    }
    out.push({ kind, transition: tr, named, fixedTime: inZone.fixedTime, fires });
  }
  return out;
}
