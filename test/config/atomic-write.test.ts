/**
 * Cache files are written whole or not at all; the project index is written as its pieces (text
 * and bytes, through one reused buffer: no joined copy), with the CRCs of its body's parts put in its header.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/config/atomic-write.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-atomic-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('writeAtomically', () => {
  it('writes 3,000 pieces (some empty) as one file, in order', () => {
    const pieces = Array.from({ length: 3000 }, (_, i) => Buffer.from(i % 7 === 0 ? '' : `piece ${i};`.repeat(1 + (i % 5))));
    const file = path.join(scratch, 'pieces', 'index.bin');
    expect(writeAtomically(file, pieces)).toBe(true);
    expect(readFileSync(file).equals(Buffer.concat(pieces))).toBe(true);
    expect(readdirSync(path.dirname(file))).toEqual(['index.bin']);
  });

  it('writes text pieces as UTF-8, long ones and those of many-byte characters included, between bytes of any size', () => {
    const pieces: (string | Uint8Array)[] = [
      'plain',
      Buffer.from([0xff, 0x00, 0x10]),
      'é€😀'.repeat(1000),
      // Longer than the writer's buffer takes at once, with a surrogate pair at every odd place.
      '😀'.repeat(700_000),
      '€'.repeat(400_000),
      Buffer.alloc(3 << 20, 7),
      '',
      'x'.repeat(5000),
      Buffer.from('end'),
    ];
    const file = path.join(scratch, 'text', 'index.bin');
    expect(writeAtomically(file, pieces)).toBe(true);
    expect(readFileSync(file).equals(Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))))).toBe(true);
  });

  it('puts the CRC-32 of each range of pieces asked for (from its start to the next) at the place asked, over its placeholder', () => {
    const header = '{"crc":         0,"more":         0,"rest":1}\n';
    const first = ['a'.repeat(3000), Buffer.from([1, 2, 3])];
    const second = ['😀'.repeat(400_000), 'tail'];
    const file = path.join(scratch, 'crc', 'index.bin');
    const at = '{"crc":'.length;
    const text = (crcs: readonly number[]) => `${String(crcs[0]).padStart(10)},"more":${String(crcs[1]).padStart(10)}`;
    expect(writeAtomically(file, [header, ...first, ...second], { starts: [1, 3], at, text })).toBe(true);
    const bytes = readFileSync(file);
    const bytesOf = (pieces: (string | Buffer)[]) => Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
    expect(bytes.subarray(header.length).equals(bytesOf([...first, ...second]))).toBe(true);
    const written = JSON.parse(bytes.toString('utf8', 0, header.length - 1)) as { crc: number; more: number; rest: number };
    expect(written).toEqual({ crc: crc32(bytesOf(first)), more: crc32(bytesOf(second)), rest: 1 });
    expect(written.crc).not.toBe(crc32(bytesOf([...first, ...second])));
  });

  it('replaces the file whole, from text as from pieces', () => {
    const file = path.join(scratch, 'replace.json');
    expect(writeAtomically(file, [Buffer.from('old '), Buffer.from('content')])).toBe(true);
    expect(writeAtomically(file, '{"new":true}')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"new":true}');
  });

  it('answers false and leaves no temporary file when the result can not be put in place', () => {
    const dir = path.join(scratch, 'taken');
    // The name is a folder's: the pieces are written, the rename over it fails.
    mkdirSync(path.join(dir, 'index.bin'), { recursive: true });
    expect(writeAtomically(path.join(dir, 'index.bin'), [Buffer.from('x'), Buffer.from('y')])).toBe(false);
    expect(readdirSync(dir)).toEqual(['index.bin']);
  });
});
