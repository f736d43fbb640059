import { describe, expect, test } from 'vitest';
import { checkContent, isGsm7, smsStats } from '../../src/render/content-checks.js';

describe('SMS segments', () => {
  test('GSM-7: 160 fits one segment, 161 needs two of 153', () => {
    expect(smsStats('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1, perSegment: 160 });
    expect(smsStats('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, segments: 2, perSegment: 153 });
    expect(smsStats('a'.repeat(306)).segments).toBe(2);
    expect(smsStats('a'.repeat(307)).segments).toBe(3);
  });

  test('extension characters count double and are not split between parts', () => {
    expect(smsStats('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsStats('€'.repeat(80) + 'a')).toMatchObject({ characters: 161, segments: 2 });
    // 152 septets then a 2-septet `{`: it does not fit in part one (153), so it starts part two.
    expect(smsStats('a'.repeat(152) + '{' + 'b'.repeat(10))).toMatchObject({ characters: 164, segments: 2 });
    expect(smsStats('a'.repeat(152) + '{' + 'b'.repeat(152))).toMatchObject({ characters: 306, segments: 3 });
    expect(smsStats('a'.repeat(151) + '{' + 'b'.repeat(153))).toMatchObject({ characters: 306, segments: 2 });
  });

  test('one character outside GSM-7 switches to UCS-2: 70 per single, 67 per part', () => {
    expect(isGsm7('Grüße aus Köln')).toBe(true); // ü, ß and ö are all in the GSM-7 basic set
    expect(smsStats('a'.repeat(69) + '’')).toEqual({ encoding: 'UCS-2', characters: 70, segments: 1, perSegment: 70 });
    expect(smsStats('a'.repeat(70) + '’')).toEqual({ encoding: 'UCS-2', characters: 71, segments: 2, perSegment: 67 });
    expect(smsStats('a'.repeat(134) + 'ç').segments).toBe(3);
  });

  test('emoji take two UTF-16 units and are not split', () => {
    expect(smsStats('🎉'.repeat(35))).toMatchObject({ encoding: 'UCS-2', characters: 70, segments: 1 });
    expect(smsStats('a' + '🎉'.repeat(33))).toMatchObject({ characters: 67, segments: 1 });
    // 66 units then an emoji (2): part one can take 67, so the emoji moves to part two.
    expect(smsStats('a'.repeat(66) + '🎉' + 'b'.repeat(10))).toMatchObject({ characters: 78, segments: 2 });
  });

  test('the GSM-7 basic set includes accented letters it defines, not others', () => {
    expect(isGsm7('äöüñÄÖÜÑßéèùìòÇ@£$¥ [x] {y} ~|^€\\')).toBe(true);
    expect(isGsm7('ç')).toBe(false); // lower-case ç is not in GSM 03.38
    expect(isGsm7('ê')).toBe(false);
  });
});

describe('checkContent', () => {
  test('push title and body limits, counted in characters, flagged approximate with Liquid', () => {
    const ok = checkContent('push', { title: 'x'.repeat(65), body: 'y'.repeat(240) });
    expect(ok.warnings).toEqual([]);
    // Longer than the limit in UTF-16 units, within it in characters: no warning.
    expect(checkContent('push', { title: '🎉'.repeat(65), body: '🎉'.repeat(240) }).warnings).toEqual([]);
    const long = checkContent('push', { title: '🎉'.repeat(66), body: `{{ Profile.name }} ${'y'.repeat(230)}` });
    expect(long.warnings.map((w) => [w.path, w.diagnostic.code, w.diagnostic.severity])).toEqual([
      [['title'], 'content.push-title-too-long', 'warning'],
      [['body'], 'content.push-body-too-long', 'warning'],
    ]);
    expect(long.warnings[0].diagnostic.message).toBe('push title is 66 characters; devices cut it after about 65');
    expect(long.warnings[1].diagnostic.message).toContain('249 characters before Liquid is filled in');
  });

  test('SMS: stats always, a warning only past one segment', () => {
    const one = checkContent('sms', { body: 'Your code is 1234' });
    expect(one.sms).toMatchObject({ encoding: 'GSM-7', characters: 17, segments: 1, approximate: false });
    expect(one.warnings).toEqual([]);
    const two = checkContent('sms', { body: 'Olá 🎉 ' + 'x'.repeat(70) });
    expect(two.warnings[0].diagnostic.message).toBe('SMS body is 77 UCS-2 characters: 2 segments of up to 67');
    expect(two.warnings[0].diagnostic.hint).toContain('UCS-2');
  });

  test('other channels have no length checks', () => {
    expect(checkContent('email', { subject: 'x'.repeat(500), body: 'y'.repeat(5000) }).warnings).toEqual([]);
  });
});
