/**
 * The load cache's form of a checked file: specs kept apart and decoded on first read, the rest
 * decoded at once; values JSON would change fall back to the general form.
 */
import { describe, expect, it } from 'vitest';
import { fromCheckBlob, toCheckBlob } from '../../src/config/check-blob.js';
import type { StoredCheck } from '../../src/config/stored-check.js';

const check = (spec: Record<string, unknown>): StoredCheck => ({
  resources: [
    { kind: 'Campaign', address: 'campaign.a', name: 'a', labels: { team: 'growth' }, protect: false, spec, source: { file: 'campaigns/a.yaml', documentIndex: 0, line: 2, column: 1 } },
    { kind: 'Campaign', address: 'campaign.b', name: 'b', labels: {}, protect: true, spec: { title: 'B' }, source: { file: 'campaigns/a.yaml', documentIndex: 1, line: 9, column: 1 } },
  ],
  diagnostics: [],
  positions: [[0, 'encoded']],
});

describe('check blob', () => {
  it('gives back exactly what was stored', () => {
    const original = check({ title: 'A', when: '2031-01-01 09:00', content: { body: 'é {{vars.x}}' } });
    const back = fromCheckBlob(toCheckBlob(original))!;
    expect(back).toEqual(original);
    expect(JSON.parse(JSON.stringify(back))).toEqual(original);
  });

  it('keeps values JSON would change (Infinity) in the general form', () => {
    const original = check({ title: 'A', wire: { x: Infinity } });
    expect(fromCheckBlob(toCheckBlob(original))).toEqual(original);
  });

  it('decodes no spec until one is read', () => {
    const blob = Buffer.from(toCheckBlob(check({ title: 'A' })));
    const headLength = blob.readUInt32LE(1);
    blob.write('!!', 5 + headLength); // damage the specs only
    const back = fromCheckBlob(blob)!;
    expect(back.resources.map((r) => r.address)).toEqual(['campaign.a', 'campaign.b']);
    expect(() => back.resources[0]!.spec).toThrow(/load cache is damaged.*delete \.campaignctl\/cache/);
  });

  it('a damaged head is a miss', () => {
    const blob = Buffer.from(toCheckBlob(check({ title: 'A' })));
    blob.write('!!', 6);
    expect(fromCheckBlob(blob)).toBeUndefined();
    expect(fromCheckBlob(blob.subarray(0, 3))).toBeUndefined();
  });
});
