/**
 * Bulletin occurrences in plans: due, future, raised, unknown, edited, removed.
 */
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/plan/plan.js';
import { occurrenceHash } from '../../src/plan/occurrences.js';
import { applied, bulletin, inMinutes, input, run, NOW } from './builders.js';

const launch = { key: 'launch', at: inMinutes(-30), name: 'New album out', properties: { artist: 'Nova' } };
const tour = { key: 'tour', at: inMinutes(60 * 24 * 7), name: 'Tour dates' };

describe('bulletin occurrences', () => {
  it('a due occurrence never raised is an irreversible send, after the contract create', () => {
    const b = bulletin('album', [launch, tour]);
    const { plan: p, diagnostics } = plan(input({ desired: [b] }));
    expect(diagnostics).toEqual([]);
    expect(p.changes.map((c) => `${c.action} ${c.address}`)).toEqual(['create bulletin.album', 'send bulletin.album#launch']);
    const send = p.changes[1]!;
    expect(send).toMatchObject({ kind: 'Bulletin', reason: 'occurrence-due', irreversible: true, occurrenceKey: 'launch', estimate: null });
    expect(send.after).toEqual({ at: launch.at, key: 'launch', name: 'New album out', properties: { artist: 'Nova' } });
    expect(send.specHash).toBe(occurrenceHash(launch));
    expect(p.summary.send).toBe(1);
    expect(p.summary.irreversible).toBe(1);
  });

  it('`at: now` and `at` exactly now are due', () => {
    for (const at of ['now', NOW.toISOString()]) {
      const { plan: p } = plan(input({ desired: [bulletin('b', [{ key: 'k', at }])] }));
      expect(p.changes.filter((c) => c.action === 'send')).toHaveLength(1);
    }
  });

  it('a future occurrence is listed as scheduled, not a change', () => {
    const b = bulletin('album', [tour]);
    const { plan: p } = plan(input({ desired: [b], applied: [applied(b)] }));
    expect(p.changes).toEqual([]);
    expect(p.scheduled).toEqual([{ address: 'bulletin.album#tour', key: 'tour', at: tour.at }]);
    expect(p.summary.text).toBe('No changes.');
  });

  it('a raised occurrence is not raised again', () => {
    const b = bulletin('album', [launch]);
    const { plan: p } = plan(input({ desired: [b], applied: [applied(b)], raisedOccurrences: [run('bulletin.album', 'launch', 'done', occurrenceHash(launch))] }));
    expect(p.changes).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  it('a failed run (definitely not raised) is due again', () => {
    const b = bulletin('album', [launch]);
    const { plan: p } = plan(input({ desired: [b], applied: [applied(b)], raisedOccurrences: [run('bulletin.album', 'launch', 'failed')] }));
    expect(p.changes.map((c) => c.address)).toEqual(['bulletin.album#launch']);
  });

  for (const status of ['unknown', 'claimed'] as const) {
    it(`an occurrence whose run is ${status} is never raised automatically; a warning says how to settle it`, () => {
      const b = bulletin('album', [launch]);
      const { plan: p } = plan(input({ desired: [b], applied: [applied(b)], raisedOccurrences: [run('bulletin.album', 'launch', status)] }));
      expect(p.changes).toEqual([]);
      expect(p.warnings).toHaveLength(1);
      expect(p.warnings[0]).toMatchObject({ code: 'plan.occurrence-unknown', address: 'bulletin.album' });
      expect(p.warnings[0]!.hint).toContain('campaignctl state resolve bulletin.album#launch');
    });
  }

  it('editing a raised occurrence is a warning (immutable), not a send', () => {
    const before = bulletin('album', [launch]);
    const edited = { ...launch, name: 'New album OUT NOW' };
    const after = bulletin('album', [edited]);
    const { plan: p } = plan(
      input({ desired: [after], applied: [applied(before)], raisedOccurrences: [run('bulletin.album', 'launch', 'done', occurrenceHash(launch))] }),
    );
    expect(p.changes.map((c) => c.action)).toEqual(['update']); // the contract itself changed
    expect(p.warnings.map((w) => w.code)).toEqual(['plan.occurrence-immutable']);
    expect(p.warnings[0]!.message).toContain('"launch"');
  });

  it('without a recorded hash, an edit is detected against the applied spec', () => {
    const before = bulletin('album', [launch]);
    const after = bulletin('album', [{ ...launch, properties: { artist: 'Other' } }]);
    const { plan: p } = plan(input({ desired: [after], applied: [applied(before)], raisedOccurrences: [run('bulletin.album', 'launch', 'done')] }));
    expect(p.warnings.map((w) => w.code)).toEqual(['plan.occurrence-immutable']);
  });

  it('removing a raised occurrence is a forget of that occurrence', () => {
    const before = bulletin('album', [launch, tour]);
    const after = bulletin('album', [tour]);
    const { plan: p } = plan(input({ desired: [after], applied: [applied(before)], raisedOccurrences: [run('bulletin.album', 'launch', 'done')] }));
    expect(p.changes.map((c) => `${c.action} ${c.address} ${c.reason}`)).toEqual([
      'update bulletin.album spec-changed',
      'forget bulletin.album#launch occurrence-removed',
    ]);
    expect(p.changes[1]!.irreversible).toBe(false);
  });

  it('a removal already forgotten by an apply is not planned again', () => {
    const after = bulletin('album', [tour]);
    const forgotten = { ...run('bulletin.album', 'launch', 'done'), forgotten: true };
    const { plan: p } = plan(input({ desired: [after], applied: [applied(after)], raisedOccurrences: [forgotten] }));
    expect(p.changes).toEqual([]);
  });

  it('an unreadable `at` is a located error', () => {
    const b = bulletin('album', [{ key: 'x', at: 'soon' }]);
    const { plan: p, diagnostics } = plan(input({ desired: [b] }));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', code: 'plan.occurrence-at-invalid', address: 'bulletin.album', file: 'campaigns/album.yaml' });
    expect(p.changes.filter((c) => c.action === 'send')).toEqual([]);
  });
});
