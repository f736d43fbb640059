/**
 * The line diff behind rendered-body diffs: unified hunks with context, removals before additions,
 * and the cap.
 */
import { describe, expect, it } from 'vitest';
import { diffText } from '../../src/plan/text-diff.js';

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);
const show = (before: string, after: string, context = 1) =>
  diffText(before, after, { context }).lines.map((l) => (l.sign === '@' ? l.text : l.sign + l.text));

describe('diffText', () => {
  it('gives one hunk per separate edit with its context and unified-diff line numbers', () => {
    const a = numbered(12);
    const b = [...a];
    b[2] = 'LINE 3';
    b.splice(9, 1);
    expect(show(a.join('\n'), b.join('\n'))).toEqual([
      '@@ -2,3 +2,3 @@', ' line 2', '-line 3', '+LINE 3', ' line 4',
      '@@ -9,3 +9,2 @@', ' line 9', '-line 10', ' line 11',
    ]);
  });

  it('joins edits whose context overlaps, and says nothing for equal texts', () => {
    const a = numbered(6);
    const b = [...a];
    b[1] = 'two';
    b[3] = 'four';
    expect(show(a.join('\n'), b.join('\n'))[0]).toBe('@@ -1,5 +1,5 @@');
    expect(diffText('same\ntext', 'same\ntext\n')).toEqual({ lines: [], more: 0 });
  });

  it('handles an empty side', () => {
    expect(show('', 'a\nb')).toEqual(['@@ -0,0 +1,2 @@', '+a', '+b']);
    expect(show('a', '')).toEqual(['@@ -1,1 +0,0 @@', '-a']);
  });

  it('caps the lines and counts what it left out', () => {
    const d = diffText(numbered(100).join('\n'), numbered(100).map((l) => l.toUpperCase()).join('\n'), { maxLines: 10 });
    expect(d.lines).toHaveLength(10);
    expect(d.more).toBe(201 - 10);
  });
});
