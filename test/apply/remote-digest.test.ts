/**
 * The digest of CleverTap's rows a no-change record is keyed by: it is hashed in pieces, so a big
 * account (more rows than one piece) must still digest every row, as one hash of the whole text.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { remoteDigest } from '../../src/apply/no-change.js';
import type { RemoteCampaign } from '../../src/model/applied.js';

const managed: [string, number][] = Array.from({ length: 601 }, (_, i) => [`campaign.c${i}`, 1_700_000_000 + i]);
const rows = (status: (i: number) => string) =>
  new Map<number, RemoteCampaign>(
    managed.flatMap(([, id], i): [number, RemoteCampaign][] => (i === 7 ? [] : [[id, { id, name: `c "${i}"`, status: status(i), scheduledOn: i % 2 ? 202612141000 : null }]])),
  );

describe('remoteDigest', () => {
  it('is one sha256 of every row (a missing one included), whatever the pieces', () => {
    const byId = rows(() => 'pending');
    let text = '';
    for (const [address, id] of managed) {
      const r = byId.get(id);
      text += r ? `${address}\0${r.id}\0${r.status}\0${JSON.stringify(r.name)}\0${JSON.stringify(r.scheduledOn) ?? ''}\n` : `${address}\0${id}\0-\n`;
    }
    expect(remoteDigest(managed, byId)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it.each([3, 300, 600])('moves when the status of row %i moves', (moved) => {
    expect(remoteDigest(managed, rows((i) => (i === moved ? 'stopped' : 'pending')))).not.toBe(remoteDigest(managed, rows(() => 'pending')));
  });
});
