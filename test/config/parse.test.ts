import { describe, expect, it } from 'vitest';
import { findExcessiveNesting, MAX_FILE_BYTES } from '../../src/config/guards.js';
import { parseFile } from '../../src/config/parse.js';

const codes = (text: string) => parseFile('f.yaml', text).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);

describe('parseFile', () => {
  it('returns plain data: values and node spans keyed by JSON pointer', () => {
    const parsed = parseFile('f.yaml', 'kind: Campaign\nspec:\n  where:\n    from: 20261101\n    list: [1, {x: y}]\n  "a/b~c": 1\n');
    const [doc] = parsed.documents;
    expect(doc.ok).toBe(true);
    expect(doc.value).toEqual({ kind: 'Campaign', spec: { where: { from: 20261101, list: [1, { x: 'y' }] }, 'a/b~c': 1 } });
    expect(doc.positions.get('/spec/where/from')).toEqual({ value: [4, 11, 4, 19], key: [4, 5, 4, 9] });
    expect(doc.positions.get('/spec/where/list/1/x')).toEqual({ value: [5, 19, 5, 20], key: [5, 16, 5, 17] });
    expect(doc.positions.get('/spec/a~1b~0c')?.key).toEqual([6, 3, 6, 10]);
    // Cacheable and transferable to a worker thread as is.
    expect(structuredClone(parsed)).toEqual(parsed);
  });

  it('is deterministic: the same text gives the same result', () => {
    const text = 'a: 1\n---\nb: [1, 2]\n';
    expect(parseFile('x.yaml', text)).toEqual(parseFile('x.yaml', text));
  });

  it('keeps every document of a multi-document file with its index and start line, skipping empty ones', () => {
    const parsed = parseFile('f.yaml', 'a: 1\n---\n# only a comment\n---\nb: [\n---\nc: 3\n');
    expect(parsed.documents.map((d) => [d.index, d.line, d.ok])).toEqual([
      [0, 1, true],
      [2, 5, false],
      [3, 7, true],
    ]);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['yaml.syntax']);
  });

  it('reports one syntax error per mistake, not the parser cascade', () => {
    expect(codes('a:\n\tb: 1\n\tc: 2\nd: 3\n')).toEqual(['yaml.syntax 2:1']);
  });

  it('names the repeated key of a duplicate', () => {
    const [d] = parseFile('f.yaml', 'spec:\n  when: now\n  when: later\n').diagnostics;
    expect(d).toMatchObject({ code: 'yaml.duplicate-key', line: 3, column: 3, endColumn: 7 });
    expect(d.message).toBe('duplicate key `when` in this mapping');
  });
});

describe('guards', () => {
  it('refuses text over 1 MiB before parsing', () => {
    const parsed = parseFile('big.yaml', 'a: 1\n' + '#'.repeat(MAX_FILE_BYTES));
    expect(parsed.documents).toEqual([]);
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['file.too-large']);
  });

  it('stops a billion-laughs alias bomb at the alias limit', () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = 'a';
    for (const n of 'bcdefghi') {
      text += `${n}: &${n} [${Array(9).fill('*' + prev).join(',')}]\n`;
      prev = n;
    }
    const parsed = parseFile('lol.yaml', text);
    expect(parsed.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['yaml.alias-limit 2:8']);
    expect(parsed.documents[0].ok).toBe(false);
    expect(parsed.documents[0].value).toBeUndefined();
  });

  it('allows a few aliases', () => {
    const parsed = parseFile('ok.yaml', 'base: &b {x: 1}\none: *b\ntwo: *b\n');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.documents[0].value).toEqual({ base: { x: 1 }, one: { x: 1 }, two: { x: 1 } });
  });

  it('rejects nesting deeper than 64 and accepts 64', () => {
    const flow = (n: number) => 'a: ' + '['.repeat(n) + ']'.repeat(n) + '\n';
    // `a:` is one level, so 63 brackets make 64.
    expect(codes(flow(63))).toEqual([]);
    expect(codes(flow(64))).toEqual(['yaml.too-deep 1:67']);
    const block = (n: number) => Array.from({ length: n }, (_, i) => ' '.repeat(i) + 'k:\n').join('') + ' '.repeat(n) + 'v: 1\n';
    expect(codes(block(63))).toEqual([]);
    expect(codes(block(64))).toEqual(['yaml.too-deep 65:65']);
  });

  it('turns pathological nesting into a located error instead of exhausting the parser', () => {
    const unclosed = 'a: ' + '['.repeat(500_000);
    expect(codes(unclosed)).toEqual(['yaml.too-deep 1:68']);
    const dashes = '- '.repeat(300_000) + 'x\n';
    expect(codes(dashes)).toEqual(['yaml.too-deep 1:129']);
    // Deep indentation the size guard allows: one error, no crash.
    const deep = Array.from({ length: 1400 }, (_, i) => ' '.repeat(i) + 'k:\n').join('');
    expect(codes(deep)).toHaveLength(1);
    expect(codes(deep)[0]).toMatch(/^yaml\.too-deep /);
  });

  it('does not count brackets inside quotes, comments and block scalars', () => {
    const text = `a: "${'['.repeat(100)}"\nb: |\n  ${'{'.repeat(100)}\n# ${'['.repeat(100)}\n`;
    expect(findExcessiveNesting(text)).toBeUndefined();
    expect(codes(text)).toEqual([]);
  });

  it('rejects __proto__, constructor and prototype keys anywhere, without building the value', () => {
    const parsed = parseFile('p.yaml', 'a:\n  __proto__: {polluted: 1}\nlist:\n  - constructor: 1\nprototype: x\n');
    expect(parsed.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual([
      'yaml.forbidden-key 2:3',
      'yaml.forbidden-key 4:5',
      'yaml.forbidden-key 5:1',
    ]);
    expect(parsed.documents[0].value).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
