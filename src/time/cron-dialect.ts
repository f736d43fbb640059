/**
 * The one cron dialect of a Schedule, and the one evaluator that reads it (croner): validate
 * checks an expression by compiling it here, and plan and the runner compute fire times from the
 * same compiled form, so they can never disagree about what an expression means.
 *
 * The dialect (docs/schedules.md): 5 fields, or 6 with seconds first; names (`MON`,
 * `JAN`), lists, ranges, `*` and `*\/N` or `A-B/N` steps; `L`, `W` and `#` as croner reads them.
 * Day-of-month and day-of-week combine with OR when both are restricted, as in Vixie cron and
 * crontab(5) (`+` before the day-of-week asks for AND). Minute, hour and seconds fields without a
 * `*` or a step make a fixed-time job (also lists and ranges, as in Vixie cron); the others are
 * interval jobs, which DST affects differently (./fire-times.ts).
 */
import { createRequire } from 'node:module';
import type { Cron, CronOptions } from 'croner';

// croner is loaded for projects that have Schedules (rules are synchronous: no import()).
let croner: typeof import('croner') | undefined;
const lib = () => (croner ??= createRequire(import.meta.url)('croner') as typeof import('croner'));

/** The options that make croner's dialect ours; every compile uses exactly these. */
export const CRON_OPTIONS: Readonly<CronOptions> = Object.freeze({
  mode: '5-or-6-parts',
  domAndDow: false,
  alternativeWeekdays: false,
  sloppyRanges: false,
  fixedTimeRule: 'no-wildcard',
});

/** A reference instant for "does it ever fire": a 5/6-field pattern repeats within 28 years. */
const EVER_FROM = new Date(Date.UTC(2000, 0, 1));

export type Compiled =
  | {
      ok: true;
      cron: Cron;
      /** A fixed-time job for DST (no `*` or step in seconds, minutes, hours), as croner decides it. */
      fixedTime: boolean;
    }
  | { ok: false; reason: string };

// Compiling costs far more than asking: one per (expression, zone), kept; bounded.
const compiled = new Map<string, Compiled>();
const MAX_COMPILED = 10_000;

/**
 * The evaluator for `expression` read in `timezone` (an IANA zone), or why there is none. Never
 * throws: an expression croner refuses, a nickname, an expression that never fires and an unknown
 * zone each come back as a reason.
 */
export function compileCron(expression: string, timezone: string): Compiled {
  const key = `${timezone}\u0000${expression}`;
  let c = compiled.get(key);
  if (!c) {
    c = compile(expression, timezone);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, c);
  }
  return c;
}

function compile(expression: string, timezone: string): Compiled {
  // croner also reads `@daily` and friends; the schema already refuses them (5 or 6 fields), and
  // the dialect is the same whichever check a caller reaches first.
  if (expression.trim().startsWith('@')) return { ok: false, reason: 'nicknames such as `@daily` are not supported; write the 5 fields' };
  try {
    const { Cron, CronPattern } = lib();
    const cron = new Cron(expression, { ...CRON_OPTIONS, timezone });
    // An unknown zone throws here (Intl's RangeError), not in the constructor.
    if (cron.nextRun(EVER_FROM) === null) return { ok: false, reason: 'it never fires (no date matches it)' };
    const { isFixedTime } = new CronPattern(expression, timezone, CRON_OPTIONS);
    return { ok: true, cron, fixedTime: isFixedTime };
  } catch (e) {
    return { ok: false, reason: (e instanceof Error ? e.message : String(e)).replace(/^CronPattern:\s*/, '') };
  }
}

/** Why `expression` is not in the dialect, or undefined when it is (independent of any zone). */
export function cronProblem(expression: string): string | undefined {
  const c = compileCron(expression, 'UTC');
  return c.ok ? undefined : c.reason;
}
