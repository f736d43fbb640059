/**
 * Words and symbols shared by the plan views (text, markdown), so both say the same thing.
 */
import { firstFireFact } from './describe-fires.js';
import { formatAudience } from './summary.js';
import type { ChangeReason, PlanAction, PlanChange } from './types.js';

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

/** `about 12.3K users (android 6K, ios 6.3K)`, or why there is no number: each change its own reason. */
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
      return c.estimateError ? `audience estimate failed: ${c.estimateError}` : 'audience estimate failed';
    case 'over-limit':
      return 'audience not estimated (over the per-plan limit)';
    case 'withheld':
      return 'audience not estimated (the plan has errors)';
    case 'pending':
      return 'audience not estimated yet';
    default:
      return 'audience not estimated';
  }
}
