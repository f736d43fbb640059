/**
 * Sends inside the environment's quiet hours (src/time/quiet-hours.ts): a Campaign `when`, a
 * Schedule fire within the next 12 months, a bulletin occurrence `at`; each an error at the value,
 * unless the resource's spec sets `allowQuietHours: true`. "Now" is the rule context's, never the clock.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import { resolveWhen } from '../../time/when.js';
import { nextFireTimes, type ScheduleTiming } from '../../time/fire-times.js';
import { localFireText, utcText } from '../../time/local-time.js';
import { inQuietHours, nextQuietStart, quietZone, type QuietHours } from '../../time/quiet-hours.js';
import { isValidTimeZone } from '../../time/zone.js';
import { isRecord, ofKind, placeOf } from './helpers.js';
import { timingOf, yearAfter } from './schedule-dst.js';
import type { RuleContext } from './index.js';

export function quietHours(ctx: RuleContext): Diagnostic[] {
  const q = ctx.environment.quietHours;
  const account = ctx.environment.accountTimezone;
  // An unknown zone is reported on campaignctl.yaml; nothing here can be judged against it.
  if (!q || !isValidTimeZone(quietZone(q, account))) return [];
  const window = `${q.start}-${q.end} ${quietZone(q, account)}`;
  const out: Diagnostic[] = [];
  const inside = (value: unknown) => {
    const r = resolveWhen(value, account);
    return r.ok && r.value.kind === 'at' && inQuietHours(r.value.instant, q, account);
  };

  for (const c of ofKind(ctx, 'Campaign').filter(notAllowed)) {
    if (inside(c.spec.when)) out.push(diagnostic('rule.quiet-hours', { what: `\`when\` ${String(c.spec.when)}`, window }, placeOf(ctx, c, ['spec', 'when'])));
  }
  for (const s of ofKind(ctx, 'Schedule').filter(notAllowed)) {
    const timing = timingOf(s);
    if (!timing) continue;
    const fire = firstQuietFire(timing, q, account, ctx.now, yearAfter(ctx.now));
    if (!fire) continue;
    const what = `\`${timing.cron}\` fires at ${localFireText(fire, timing.timezone)} (${utcText(fire)}), which`;
    out.push(diagnostic('rule.quiet-hours', { what, window }, placeOf(ctx, s, ['spec', 'cron'])));
  }
  for (const b of ofKind(ctx, 'Bulletin').filter(notAllowed)) {
    const occurrences = b.spec.occurrences;
    if (!Array.isArray(occurrences)) continue;
    occurrences.forEach((o, i) => {
      if (!isRecord(o) || !inside(o.at)) return;
      const what = `occurrence ${String(o.key)} \`at\` ${String(o.at)}`;
      out.push(diagnostic('rule.quiet-hours', { what, window }, placeOf(ctx, b, ['spec', 'occurrences', i, 'at'])));
    });
  }
  return out;
}

/**
 * Until when quietHours' finding about `r` stands: a Schedule's until its next fire (the first fire
 * inside the window, named in the message, may be that one, and the 12 months move on); the others
 * read fixed instants only.
 */
export function untilNextFire(r: Resource, ctx: RuleContext): number {
  const timing = ctx.environment.quietHours ? timingOf(r) : undefined;
  if (!timing) return Infinity;
  return nextFireTimes(timing, ctx.now, 1)[0]?.getTime() ?? Infinity;
}

function notAllowed(r: Resource): boolean {
  return (r.spec as { allowQuietHours?: unknown }).allowQuietHours !== true;
}

/**
 * The first fire in (after, until] inside the window. Jumps from a fire outside it to the window's
 * next start, so a minutely schedule costs two evaluations a day, not one per fire.
 */
export function firstQuietFire(s: ScheduleTiming, q: QuietHours, account: string, after: Date, until: Date): Date | undefined {
  let from = after;
  for (;;) {
    const fire = nextFireTimes(s, from, 1)[0];
    if (!fire || fire.getTime() > until.getTime()) return undefined;
    if (inQuietHours(fire, q, account)) return fire;
    const start = nextQuietStart(fire, q, account).getTime() - 1;
    from = new Date(Math.max(start, fire.getTime()));
  }
}
