/**
 * The planner is a function of its inputs: the same inputs in any order give the same plan, and
 * it never reads the clock.
 */
import { describe, expect, it, vi, afterEach } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import type { PlanInput } from '../../src/plan/types.js';
import { applied, bulletin, campaign, inMinutes, input, message, remoteOf, run } from './builders.js';

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function busyProject(): PlanInput {
  const edited = campaign('edit');
  const sent = campaign('sent');
  const gone = [campaign('gone-1'), campaign('gone-2'), campaign('gone-3')].map((d) => applied(d));
  const drifted = applied(campaign('drifted'));
  const appliedRows = [applied(edited), applied(sent, { status: 'sent', scheduledFor: inMinutes(-100) }), drifted, ...gone];
  return input({
    desired: [
      ...Array.from({ length: 12 }, (_, i) => campaign(`new-${i}`, i % 3 === 0 ? { when: 'now' } : {})),
      campaign('edit', { content: { title: 'changed' } }),
      campaign('sent', { content: { title: 'changed' } }),
      campaign('drifted'),
      message('m1'),
      message('m2'),
      bulletin('b', [
        { key: 'k2', at: inMinutes(-3) },
        { key: 'k1', at: inMinutes(-2) },
        { key: 'k3', at: inMinutes(30) },
      ]),
    ],
    applied: appliedRows,
    remote: [...appliedRows.filter((a) => a !== drifted).map((a) => remoteOf(a, a.status === 'sent' ? 'completed' : 'pending')), remoteOf(drifted, 'stopped')],
    raisedOccurrences: [run('bulletin.b', 'old', 'done'), run('bulletin.b', 'older', 'done')],
  });
}

describe('determinism', () => {
  afterEach(() => vi.useRealTimers());

  it('shuffled inputs give the same plan', () => {
    const base = busyProject();
    const expected = JSON.stringify(plan(base));
    expect(JSON.parse(expected).plan.changes.length).toBeGreaterThan(15);
    for (let seed = 1; seed <= 20; seed++) {
      const shuffledInput: PlanInput = {
        ...base,
        desired: shuffled(base.desired, seed),
        applied: shuffled(base.applied, seed + 100),
        remote: shuffled(base.remote!, seed + 200),
        raisedOccurrences: shuffled(base.raisedOccurrences!, seed + 300),
      };
      expect(JSON.stringify(plan(shuffledInput))).toBe(expected);
    }
  });

  it('does not read the clock: the same inputs on another day give the same plan', () => {
    const base = busyProject();
    vi.useFakeTimers({ now: new Date('2031-06-01T00:00:00Z') });
    const a = JSON.stringify(plan(base));
    vi.setSystemTime(new Date('2019-01-01T00:00:00Z'));
    expect(JSON.stringify(plan(base))).toBe(a);
  });
});
