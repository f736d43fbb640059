/**
 * Cache files are written whole or not at all; the project index is written as its pieces (no
 * joined copy), more of them than one writev call takes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
