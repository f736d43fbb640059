/**
 * Positions travel encoded (cache, worker threads); decoding must give back exactly the index the
 * parser built, for every file of the fixture corpus (valid projects and the invalid corpus).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../src/config/parse.js';
import { fromBlob, fromBlobDeferringSpecs, jsonExact, knownJsonExact, toBlob } from '../../src/config/cache-blob.js';
import { readAndCheck } from '../../src/config/file-unit.js';
import type { StoredCheck } from '../../src/config/stored-check.js';
import { decodePositions, encodePositions } from '../../src/config/positions-codec.js';
import type { PositionIndex } from '../../src/config/positions.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}

describe('position encoding', () => {
  const files = yamlFiles(FIXTURES);

  it('round-trips the positions of every fixture document, order included', () => {
    expect(files.length).toBeGreaterThan(50);
    let documents = 0;
    for (const file of files) {
      for (const doc of parseFile(file, readFileSync(file, 'utf8')).documents) {
        const decoded = decodePositions(encodePositions(doc.positions));
        expect([...decoded], file).toEqual([...doc.positions]);
        documents++;
      }
    }
    expect(documents).toBeGreaterThan(50);
  });

  it('keeps keys with any characters (separators, newlines, non-ASCII) and negative key offsets', () => {
    const index: PositionIndex = new Map([
      ['', { value: [1, 1, 9, 1] }],
      ['/a:b,c', { value: [2, 9, 2, 12], key: [2, 1, 2, 7] }],
      ['/a:b,c/line\nbreak', { value: [5, 3, 6, 1], key: [3, 3, 4, 2] }],
      ['/ünï/0', { value: [7, 5, 7, 40] }],
      ['/ünï/1~1x~0', { value: [8, 5, 8, 6] }],
    ]);
    expect([...decodePositions(encodePositions(index))]).toEqual([...index]);
  });

  it('refuses a damaged encoding instead of inventing positions', () => {
    const encoded = encodePositions(new Map([['/spec', { value: [3, 1, 9, 1], key: [3, 1, 3, 5] }]]));
    expect(() => decodePositions(encoded.slice(0, 5))).toThrow(/malformed/);
    expect(() => decodePositions(encoded.replace(':', ';'))).toThrow(/malformed/);
  });
});

describe('cache blobs', () => {
  it.each<[string, unknown, boolean]>([
    ['plain data', { a: [1, 'two', { three: true, four: null }], b: -1.5e300, c: 'ünï\ud800' }, true],
    ['Infinity', { a: [1, Infinity] }, false],
    ['NaN', { a: NaN }, false],
    ['-0', { a: { b: -0 } }, false],
    ['undefined value', { a: 1, b: undefined }, false],
    // eslint-disable-next-line no-sparse-arrays -- a hole is the input under test
    ['array hole', { a: [1, , 3] }, false],
    ['a Date', { a: new Date(0) }, false],
    ['a Map', { a: new Map([[1, 2]]) }, false],
  ])('%s: stored as %s JSON, and read back exactly', (_name, value, json) => {
    expect(jsonExact(value)).toBe(json);
    const blob = toBlob(value);
    expect(blob[0] === 0x4a).toBe(json);
    expect(fromBlob(blob)).toStrictEqual(value);
  });

  it('a blob that does not decode is undefined, not an exception', () => {
    expect(fromBlob(Buffer.from('J{"broken'))).toBeUndefined();
    expect(fromBlob(Buffer.from([0xff, 0x0f, 0x99, 0x99]))).toBeUndefined();
  });
});

describe('checked-file blobs: the specs stored apart', () => {
  const check = () => ({
    resources: [
      { kind: 'Campaign', address: 'campaign.a', name: 'a', labels: { team: 'x' }, protect: false, spec: { title: 'A\nline', when: 'now' }, source: { file: 'a.yaml', documentIndex: 0, line: 1, column: 1 } },
      { kind: 'Message', address: 'message.b', name: 'b', labels: {}, protect: true, spec: { content: { body: '{{vars.x}}' } }, source: { file: 'a.yaml', documentIndex: 1, line: 9, column: 1 } },
    ],
    diagnostics: [],
    positions: [[0, 'p']],
  });

  /** The check as read back: each resource's spec last among its keys, the other keys in their order. */
  const specLast = () => ({ ...check(), resources: check().resources.map(({ spec, ...r }) => ({ ...r, spec })) });

  it('read back whole by fromBlob, keys in their order but the spec last', () => {
    const blob = toBlob(check());
    expect(blob[0]).toBe(0x53);
    expect(fromBlob(blob)).toStrictEqual(check());
    expect(JSON.stringify(fromBlob(blob))).toBe(JSON.stringify(specLast()));
  });

  it('read back by fromBlobDeferringSpecs as the same value, each spec decoded when first read', () => {
    const value = fromBlobDeferringSpecs<ReturnType<typeof check>>(toBlob(check()))!;
    // Not decoded yet: each spec is still the accessor that decodes them.
    expect(value.resources.every((r) => Object.getOwnPropertyDescriptor(r, 'spec')!.get !== undefined)).toBe(true);
    expect(value.resources[1]!.spec).toStrictEqual(check().resources[1]!.spec);
    expect(Object.getOwnPropertyDescriptor(value.resources[1], 'spec')).toMatchObject({ writable: true, enumerable: true });
    expect(JSON.stringify(value)).toBe(JSON.stringify(specLast()));
    expect(value).toEqual(check());
    expect(value).toEqual(fromBlob(toBlob(check())));
  });

  it('a spec written before it was read is the one read', () => {
    const value = fromBlobDeferringSpecs<ReturnType<typeof check>>(toBlob(check()))!;
    value.resources[0]!.spec = { title: 'other', when: 'later' };
    expect(value.resources[0]!.spec).toEqual({ title: 'other', when: 'later' });
    expect(value.resources[1]!.spec).toEqual(check().resources[1]!.spec);
  });

  it('keys of any name keep their order, an own "__proto__" included', () => {
    const odd = JSON.parse('{"resources":[{"__proto__":{"x":1},"kind":"Message","spec":{"a":1},"z":2}],"diagnostics":[],"positions":[]}') as { resources: Record<string, unknown>[] };
    const value = fromBlobDeferringSpecs<typeof odd>(toBlob(odd))!;
    expect(Object.keys(value.resources[0]!)).toEqual(['__proto__', 'kind', 'z', 'spec']);
    expect(Object.getPrototypeOf(value.resources[0])).toBe(Object.prototype);
    expect(value).toEqual(odd);
  });

  it('a resource frozen before its spec was read still reads it', () => {
    const value = fromBlobDeferringSpecs<ReturnType<typeof check>>(toBlob(check()))!;
    const frozen = Object.freeze(value.resources[0]!);
    expect(frozen.spec).toEqual(check().resources[0]!.spec);
    expect(frozen.spec).toBe(frozen.spec);
  });

  it('values JSON can not hold still go whole through v8; other blobs read as fromBlob reads them', () => {
    const odd = check();
    (odd.resources[0]!.spec as Record<string, unknown>).limit = Infinity;
    const blob = toBlob(odd);
    expect(blob[0]).toBe(0xff);
    expect(fromBlobDeferringSpecs(blob)).toStrictEqual(odd);
    expect(fromBlobDeferringSpecs(toBlob({ resources: [], diagnostics: [] }))).toStrictEqual({ resources: [], diagnostics: [] });
    expect(fromBlobDeferringSpecs(Buffer.from('S{"broken'))).toBeUndefined();
  });
});

describe('checked files from the quick lane', () => {
  const campaign = (to: string) => `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: exact
spec:
  target_mode: sms
  where:
    event_name: Charged
    from: { daysAgo: 3 }
    to: { daysAgo: ${to} }
  content:
    body: "Hello {{vars.shopName}}"
  when: "2027-01-10 09:00"
`;

  function checkOf(text: string): StoredCheck {
    const root = mkdtempSync(path.join(tmpdir(), 'campaignctl-blob-'));
    try {
      writeFileSync(path.join(root, 'c.yaml'), text);
      const r = readAndCheck(root, 'c.yaml', null);
      if (r.kind !== 'checked') throw new Error(`not checked: ${r.kind}`);
      return r.check;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it('go as JSON when every value is JSON-exact, through v8 when one is -0, and read back exactly', () => {
    const plain = checkOf(campaign('0'));
    expect(plain.diagnostics).toEqual([]);
    expect(toBlob(plain)[0]).toBe(0x53); // 'S': JSON, the specs apart
    expect(fromBlob(toBlob(plain))).toStrictEqual(plain);

    const minusZero = checkOf(campaign('-0'));
    expect(minusZero.diagnostics).toEqual([]);
    expect(Object.is((minusZero.resources[0]!.spec as { where: { to: { daysAgo: number } } }).where.to.daysAgo, -0)).toBe(true);
    expect(toBlob(minusZero)[0]).toBe(0xff); // v8: JSON would make it 0
    expect(fromBlob(toBlob(minusZero))).toStrictEqual(minusZero);
  });

  it('a value marked JSON-exact is taken at its word: the mark is what spares the walk', () => {
    const value = knownJsonExact({ a: -0 });
    expect(jsonExact(value)).toBe(false);
    expect(toBlob(value)[0]).toBe(0x4a); // 'J': not walked again
  });
});
