/**
 * Reading what `send`, `trigger`, `raise` and `render` are given: --to / --to-file (plain lines,
 * CSV with a key header, stdin; keys in any case; typos refused rather than sent as ids) and
 * --data / --set (JSON or YAML, dotted keys, values typed by the contract's schema).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { readDataInput } from '../../src/cli/shared/data-input.js';
import { formatRecipientsFile, parseRecipientsText, parseToFlag, readRecipients } from '../../src/cli/shared/identities.js';
import type { IdentityKey } from '../../src/runtime/index.js';

const ALL: IdentityKey[] = ['Identity', 'Email', 'FBID', 'GPID', 'objectId'];
const temps: string[] = [];
function file(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-input-'));
  temps.push(dir);
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stdin(text: string): PassThrough {
  const s = new PassThrough();
  s.end(text);
  return s;
}

describe('--to', () => {
  it('takes keys in any case and ids without a key as the default key', () => {
    expect(parseToFlag('email:a@x.com, b@x.com', 'Identity')).toEqual({ ok: true, key: 'Email', ids: ['a@x.com', 'b@x.com'] });
    expect(parseToFlag('OBJECTID:__g1', 'Identity')).toEqual({ ok: true, key: 'objectId', ids: ['__g1'] });
    expect(parseToFlag('user-1,user-2', 'Email')).toEqual({ ok: true, key: 'Email', ids: ['user-1', 'user-2'] });
  });

  it('refuses a near-miss of a key instead of sending "Emial:x" as an identity', () => {
    const r = parseToFlag('Emial:a@x.com', 'Identity');
    expect(r).toMatchObject({ ok: false, hint: 'did you mean Email?' });
  });

  it('an id that merely contains a colon stays an id', () => {
    expect(parseToFlag('urn:user:42', 'Identity')).toEqual({ ok: true, key: 'Identity', ids: ['urn:user:42'] });
  });

  it('an empty list is refused', () => {
    expect(parseToFlag('Identity:, ,', 'Identity').ok).toBe(false);
  });
});

describe('--to-file', () => {
  it('one id per line, blank lines and spaces ignored, default key', () => {
    expect(parseRecipientsText('user-1\r\n\n  user-2 \n', 'Identity')).toEqual({ ok: true, entries: [['Identity', 'user-1'], ['Identity', 'user-2']] });
  });

  it('one id per line takes a key prefix as --to does: `Email:a@b.c` is an Email, not an Identity', async () => {
    expect(parseRecipientsText('u-1\nEmail:a@b.c\nobjectid:__g1\nurn:user:42\n', 'Identity')).toEqual({
      ok: true,
      entries: [['Identity', 'u-1'], ['Email', 'a@b.c'], ['objectId', '__g1'], ['Identity', 'urn:user:42']],
    });
    const got = await readRecipients({ toFile: file('ids.txt', 'u-1\nEmail:a@b.c\n'), defaultKey: 'Identity', allowedKeys: ALL, endpoint: '/1/send/push.json' });
    expect(got.recipients).toEqual({ Identity: ['u-1'], Email: ['a@b.c'] });
  });

  it('a line whose prefix is a near miss of a key, or a key without an id, is refused at file:line', async () => {
    const f = file('ids.txt', 'u-1\n\nEmial:a@b.c\n');
    const got = await readRecipients({ toFile: f, defaultKey: 'Identity', allowedKeys: ALL, endpoint: '/1/send/push.json' });
    expect(got.diagnostics).toEqual([expect.objectContaining({ code: 'input.invalid', file: f, line: 3, column: 1, hint: 'did you mean Email?' })]);
    expect(got.recipients).toEqual({});
    expect(parseRecipientsText('u-1\nEmail:\n', 'Identity')).toMatchObject({ ok: false, line: 2 });
  });

  it('CSV with a header naming the key columns (any case); other columns ignored, empty cells skipped', () => {
    const text = 'identity,EMAIL,name\nu-1,,Ann\n,b@x.com,Bob\nu-3,c@x.com,"Smith, C"\n';
    expect(parseRecipientsText(text, 'Identity')).toEqual({
      ok: true,
      entries: [['Identity', 'u-1'], ['Email', 'b@x.com'], ['Identity', 'u-3'], ['Email', 'c@x.com']],
    });
  });

  it('a single-column CSV names its key in the header', () => {
    expect(parseRecipientsText('Email\na@x.com\n', 'Identity')).toEqual({ ok: true, entries: [['Email', 'a@x.com']] });
  });

  it('a header column that is a typo of a key, or a header without any key, is refused', () => {
    expect(parseRecipientsText('Identiy,Email\nu,e\n', 'Identity')).toMatchObject({ ok: false, hint: 'did you mean Identity?' });
    expect(parseRecipientsText('user_id,name\nu,n\n', 'Identity')).toMatchObject({ ok: false });
  });

  it('reads stdin for `-`, deduplicates per key and counts the repeats', async () => {
    const got = await readRecipients({
      toFile: '-',
      to: ['Identity:u-1'],
      stdin: stdin('u-1\nu-2\nu-2\n'),
      defaultKey: 'Identity',
      allowedKeys: ALL,
      endpoint: '/1/send/push.json',
    });
    expect(got).toEqual({ recipients: { Identity: ['u-1', 'u-2'] }, duplicates: 2, diagnostics: [] });
  });

  it('refuses keys the endpoint does not take (External Trigger has no FBID/GPID)', async () => {
    const f = file('ids.csv', 'FBID,email\nfb-1,a@x.com\n');
    const got = await readRecipients({ toFile: f, defaultKey: 'Email', allowedKeys: ['Identity', 'Email', 'objectId'], endpoint: '/1/send/externaltrigger.json' });
    expect(got.diagnostics.map((d) => d.code)).toEqual(['runtime.identity-key']);
    expect(got.diagnostics[0]!.message).toContain('FBID');
  });

  it('a missing file is a problem, not an exception', async () => {
    const got = await readRecipients({ toFile: '/nonexistent/ids.txt', defaultKey: 'Identity', allowedKeys: ALL, endpoint: 'x' });
    expect(got.diagnostics[0]).toMatchObject({ code: 'input.invalid', message: '--to-file /nonexistent/ids.txt: no such file' });
  });

  it('the failed/unknown file format reads back to the same identities', () => {
    const r = { Identity: ['u-1', 'has,comma', 'has "quote"'], Email: ['a@x.com'] };
    const text = formatRecipientsFile(r);
    expect(text.split('\n')[0]).toBe('Identity,Email');
    const back = parseRecipientsText(text, 'Identity');
    expect(back).toEqual({ ok: true, entries: [['Identity', 'u-1'], ['Identity', 'has,comma'], ['Identity', 'has "quote"'], ['Email', 'a@x.com']] });
  });
});

describe('--data / --set', () => {
  const schema = {
    type: 'object',
    properties: {
      count: { type: 'integer' },
      price: { type: 'number' },
      gift: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
      address: { type: 'object', properties: { city: { type: 'string' }, zip: { type: 'string' } } },
      code: { type: 'string' },
    },
  };

  it('types --set values by the schema; strings stay strings (zeros kept)', async () => {
    const got = await readDataInput({
      sets: ['count=3', 'price=9.5', 'gift=true', 'tags=["a","b"]', 'address.city=Berlin', 'code=007', 'free=x'],
      schema,
    });
    expect(got).toEqual({
      value: { count: 3, price: 9.5, gift: true, tags: ['a', 'b'], address: { city: 'Berlin' }, code: '007', free: 'x' },
      diagnostics: [],
    });
  });

  it('a non-number for a number is left as text for the contract check to name', async () => {
    expect((await readDataInput({ sets: ['count=many'], schema })).value).toEqual({ count: 'many' });
  });

  it('--set applies over --data (YAML or JSON, a file or stdin)', async () => {
    const yaml = file('d.yaml', 'code: A1\naddress:\n  city: Paris\n  zip: "75001"\n');
    const got = await readDataInput({ dataFile: yaml, sets: ['address.city=Lyon'], schema });
    expect(got.value).toEqual({ code: 'A1', address: { city: 'Lyon', zip: '75001' } });
    const fromStdin = await readDataInput({ dataFile: '-', stdin: stdin('{"code": "B2"}') });
    expect(fromStdin.value).toEqual({ code: 'B2' });
  });

  it('refuses malformed input with the flag and the reason', async () => {
    const notMapping = file('list.json', '[1, 2]');
    const broken = file('broken.json', '{"a": ');
    const got = await readDataInput({
      dataFile: notMapping,
      sets: ['novalue', 'a..b=1', '__proto__.x=1', 'tags=[oops', 'code=1', 'code.inner=2'],
      schema,
    });
    const messages = got.diagnostics.map((d) => d.message);
    expect(messages).toEqual([
      `--data ${notMapping}: must hold a mapping (an object) of named values`,
      '--set novalue: expected key=value',
      '--set a..b=1: the key has an empty part',
      '--set __proto__.x=1: the key __proto__ is not allowed',
      '--set tags=[oops: the contract expects a list here, given as JSON',
      '--set code.inner=2: code already holds a value that is not a mapping',
    ]);
    expect((await readDataInput({ dataFile: broken })).diagnostics[0]!.message).toMatch(/not valid JSON or YAML/);
  });

  it('nothing given is undefined (render then uses examples)', async () => {
    expect(await readDataInput({})).toEqual({ value: undefined, diagnostics: [] });
  });
});
