/**
 * Words and symbols shared by the plan views (text, markdown), so both say the same thing.
 */
import { firstFireFact } from './describe-fires.js';
import { formatAudience } from './summary.js';
import type { ChangeReason, PlanAction, PlanChange, FieldDiff } from './types.js';

export const SYMBOL: Record<PlanAction, string> = {
  create: '+',
  replace: '-/+',
  update: '~',
  delete: '-',
  stop: '-',
  forget: 'x',
  send: '!',
};

const REASON: Record<ChangeReason, string> = {
  new: 'new',
  'spec-changed': 'spec changed',
  removed: 'removed from the YAML',
  finished: 'finished; removed from the YAML',
  'missing-remotely': 'not on CleverTap; removed from state',
  superseded: 'old campaign of an earlier replace',
  heal: 're-created after drift (--heal)',
  'occurrence-due': 'occurrence due',
  'occurrence-removed': 'raised occurrence removed from the YAML',
};

export function reasonText(c: PlanChange): string {
  return REASON[c.reason];
}

/** Facts worth a glance on the change's own line: start, CleverTap id, next fires. */
export function changeFacts(c: PlanChange): string[] {
  const facts: string[] = [];
  if (c.startsAt && c.action !== 'send') facts.push(c.startsAt.kind === 'now' ? 'starts now' : `starts ${c.startsAt.instant}`);
  if (c.action === 'send' && c.startsAt?.kind === 'at') facts.push(`due since ${c.startsAt.instant}`);
  if (c.remoteId !== null && (c.action === 'stop' || c.action === 'replace')) facts.push(`stops CleverTap id ${c.remoteId}`);
  const fire = firstFireFact(c);
  if (fire) facts.push(fire);
  return facts;
}

/** `about 12.3K users (android 6K, ios 6.3K)` / `audience not estimated (--no-estimate)`. */
export function estimateText(c: PlanChange): string {
  if (c.estimate) {
    const platforms = Object.keys(c.estimate.byPlatform)
      .sort()
      .map((p) => `${p} ${formatAudience(c.estimate!.byPlatform[p]!)}`);
    return `about ${formatAudience(c.estimate.total)} users` + (platforms.length > 0 ? ` (${platforms.join(', ')})` : '');
  }
  switch (c.estimateStatus) {
    case 'skipped':
      return 'audience not estimated (--no-estimate)';
    case 'failed':
      return 'audience estimate failed';
    case 'not-estimated':
      return 'audience not estimated (over the per-plan limit)';
    case 'pending':
      return 'audience not estimated yet';
    default:
      return 'audience not estimated';
  }
}

/** A value on one line, shortened in the middle when long. */
export function formatValue(v: unknown, max = 80): string {
  const text = v === undefined ? '(absent)' : JSON.stringify(v);
  if (text.length <= max) return text;
  const keep = Math.max(4, Math.floor((max - 3) / 2));
  return text.slice(0, keep) + '...' + text.slice(text.length - keep);
}

/** One diff entry as `~ path: before -> after`, `+ path: after` or `- path: before`. */
export function diffLine(d: FieldDiff, max = 80): { sign: '~' | '+' | '-'; text: string } {
  if (!('before' in d)) return { sign: '+', text: `${d.path}: ${formatValue(d.after, max)}` };
  if (!('after' in d)) return { sign: '-', text: `${d.path}: ${formatValue(d.before, max)}` };
  return { sign: '~', text: `${d.path}: ${formatValue(d.before, max)} -> ${formatValue(d.after, max)}` };
}
