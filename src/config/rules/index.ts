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
 * What one resource's findings depend on, for the project index (../../project-index/), which
 * re-runs a rule only when its inputs changed:
 *   'project': other resources too; the rule runs whenever any resource changed;
 *   'resource': the resource itself, the environment, and the partials and files it reads (which
 *   the index tracks per resource): a finding stands as long as those do;
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
  // Reads the email's body_file: the index re-runs it when that file changes.
  [bodyFiles, 'resource'],
];

export const rules: Rule[] = scoped.map(([rule]) => rule);

/** Every rule over every resource; a rule never stops the others. */
export function runRules(ctx: RuleContext): Diagnostic[] {
  return rules.flatMap((rule) => rule(ctx));
}

/** The rules that look across resources, over all of them. */
export function projectRules(ctx: RuleContext): Diagnostic[] {
  return scoped.flatMap(([rule, scope]) => (scope === 'project' ? rule(ctx) : []));
}

/** The per-resource rules on one resource, and until when what they found stands (null: as long as its inputs). */
export function resourceRules(r: Resource, ctx: RuleContext): { diagnostics: Diagnostic[]; until: number | null } {
  const one: RuleContext = { ...ctx, resources: [r] };
  const diagnostics: Diagnostic[] = [];
  let until = Infinity;
  for (const [rule, scope] of scoped) {
    if (scope === 'project') continue;
    diagnostics.push(...rule(one));
    if (typeof scope === 'function') until = Math.min(until, scope(r, ctx));
  }
  return { diagnostics, until: until === Infinity ? null : until };
}
