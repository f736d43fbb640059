/**
 * Cross-resource rules: each a small named function over the resources that passed their schema,
 * returning diagnostics. They run after parsing and schema checks, all of them, every time, so
 * one `validate` reports every problem. To add one, write src/config/rules/<name>.ts exporting a
 * `Rule` and append it to `rules` below.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import type { ResolvedEnvironment } from '../environment.js';
import type { Range } from '../../diagnostics/diagnostic.js';
import type { Project } from '../project.js';
import { androidChannel } from './android-channel.js';
import { bodyFiles } from './body-files.js';
import { bulletinProperties } from './bulletin-properties.js';
import { cronExpressions } from './cron.js';
import { duplicateAddress } from './duplicate-address.js';
import { duplicateOccurrenceKeys } from './occurrence-keys.js';
import { instantDates } from './instant-dates.js';
import { quietHours, untilNextFire } from './quiet-hours.js';
import { scheduleReferences } from './schedule-references.js';
import { scheduleDst, untilClockChange } from './schedule-dst.js';
import { staticIdentities } from './static-identities.js';
import { templateRule } from './templates.js';
import { timeZones } from './time-zones.js';
import { untilStart, whenInPast } from './when-in-past.js';
import { untilTomorrow, whereDates } from './where-dates.js';
import { wireFields } from './wire-fields.js';

export interface RuleContext {
  /** The project root (absolute), for rules that read files the YAML names (an email's body_file). */
  root: string;
  resources: Resource[];
  environment: ResolvedEnvironment;
  partials: Record<string, string>;
  /** The range of a node in the document of the resource with this address (the first, if duplicated). */
  locate: Project['locate'];
  /**
   * The range of a node in this very resource's document (exact even when addresses are
   * duplicated); `key` gives the range of the key of a mapping entry instead of its value.
   */
  locateIn(resource: Resource, path: (string | number)[], part?: 'value' | 'key'): Range | undefined;
  now: Date;
}

export type Rule = (ctx: RuleContext) => Diagnostic[];

/**
 * What one resource's findings depend on, for the rules memo (runRules' `memo`):
 *   'project': other resources too; the rule runs on every load;
 *   'resource': only the resource itself (and the environment and partials, which the memo's
 *   context covers): a finding stands as long as the resource's content does;
 *   a function: like 'resource' but with the clock: the time (ms since the epoch) until which a
 *   finding about this resource stands.
 */
export type RuleScope = 'project' | 'resource' | ((r: Resource, ctx: RuleContext) => number);

const scoped: [Rule, RuleScope][] = [
  [duplicateAddress, 'project'],
  [scheduleReferences, 'project'],
  [whereDates, untilTomorrow],
  [instantDates, 'resource'],
  [cronExpressions, 'resource'],
  [timeZones, 'resource'],
  [duplicateOccurrenceKeys, 'resource'],
  [bulletinProperties, 'resource'],
  [staticIdentities, 'resource'],
  [whenInPast, untilStart],
  [androidChannel, 'resource'],
  [templateRule, 'resource'],
  [scheduleDst, untilClockChange],
  [wireFields, 'resource'],
  [quietHours, untilNextFire],
  // Reads files besides the YAML: never remembered per resource.
  [bodyFiles, 'project'],
];

export const rules: Rule[] = scoped.map(([rule]) => rule);

/** Findings about one resource kept across runs, and until when they stand (null: for as long as its content). */
export interface RulesMemo {
  get(r: Resource): { diagnostics: Diagnostic[]; until: number | null } | undefined;
  set(r: Resource, found: { diagnostics: Diagnostic[]; until: number | null }): void;
}

/**
 * Runs every rule; a rule never stops the others. With a memo, the per-resource rules run only on
 * resources the memo has nothing current for, one resource at a time, and what they find is
 * remembered; project rules always run.
 */
export function runRules(ctx: RuleContext, memo?: RulesMemo): Diagnostic[] {
  if (!memo) return rules.flatMap((rule) => rule(ctx));
  const out: Diagnostic[] = [];
  for (const [rule, scope] of scoped) if (scope === 'project') out.push(...rule(ctx));
  const now = ctx.now.getTime();
  for (const r of ctx.resources) {
    const known = memo.get(r);
    if (known && (known.until === null || now < known.until)) {
      out.push(...known.diagnostics);
      continue;
    }
    const one: RuleContext = { ...ctx, resources: [r] };
    const diagnostics: Diagnostic[] = [];
    let until = Infinity;
    for (const [rule, scope] of scoped) {
      if (scope === 'project') continue;
      diagnostics.push(...rule(one));
      if (typeof scope === 'function') until = Math.min(until, scope(r, ctx));
    }
    memo.set(r, { diagnostics, until: until === Infinity ? null : until });
    out.push(...diagnostics);
  }
  return out;
}
