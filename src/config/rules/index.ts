/**
 * Cross-resource rules: each a small named function over the resources that passed their schema,
 * returning diagnostics. They run after parsing and schema checks, all of them, every time, so
 * one `validate` reports every problem. To add one, write src/config/rules/<name>.ts exporting a
 * `Rule` and append it to `rules` below.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Resource } from '../../model/resource.js';
import type { ResolvedEnvironment } from '../environment.js';
import type { Project, Range } from '../project.js';
import { androidChannel } from './android-channel.js';
import { bulletinProperties } from './bulletin-properties.js';
import { cronExpressions } from './cron.js';
import { duplicateAddress } from './duplicate-address.js';
import { duplicateOccurrenceKeys } from './occurrence-keys.js';
import { instantDates } from './instant-dates.js';
import { scheduleReferences } from './schedule-references.js';
import { staticIdentities } from './static-identities.js';
import { templateRule } from '../templates/rule.js';
import { timeZones } from './time-zones.js';
import { whenInPast } from './when-in-past.js';
import { whereDates } from './where-dates.js';

export interface RuleContext {
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

export const rules: Rule[] = [
  duplicateAddress,
  scheduleReferences,
  whereDates,
  instantDates,
  cronExpressions,
  timeZones,
  duplicateOccurrenceKeys,
  bulletinProperties,
  staticIdentities,
  whenInPast,
  androidChannel,
  templateRule,
];

/** Runs every rule; a rule never stops the others. */
export function runRules(ctx: RuleContext, list: readonly Rule[] = rules): Diagnostic[] {
  return list.flatMap((rule) => rule(ctx));
}
