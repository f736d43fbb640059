/**
 * Who `send` and `trigger` go to, from the command line:
 * - `--to KEY:ID[,ID...]` (repeatable); KEY is Identity, Email, FBID, GPID or objectId in any
 *   case; ids without a key take the command's default key;
 * - `--to-file FILE` (`-` for stdin): one id per line (a key prefix as --to takes, else the default
 *   key), or CSV whose header names the key columns (`Identity,Email`); other columns are ignored,
 *   empty cells skipped.
 * Ids are trimmed and deduplicated per key (nobody is messaged twice by one send).
 *
 * The failed and unknown identities of a send are saved in the CSV form
 * (../../operations/runtime-files.ts), which reads back through --to-file; its writer is exported
 * here beside the reader so the two are used and tested as a pair.
 */
import { text as streamText } from 'node:stream/consumers';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { closest } from '../../diagnostics/suggest.js';
import { IDENTITY_KEYS, normalizeIdentityKey, RecipientsBuilder } from '../../runtime/recipients.js';
import type { IdentityKey, Recipients } from '../../runtime/recipients.js';

export { formatRecipientsFile } from '../../operations/runtime-files.js';

export interface RecipientInputOptions {
  to?: readonly string[];
  toFile?: string;
  /** Key of ids given without one (`Identity` for send; the trigger's `identity` for trigger). */
  defaultKey: IdentityKey;
  /** Keys the endpoint takes. */
  allowedKeys: readonly IdentityKey[];
  /** Named in messages, e.g. `/1/send/externaltrigger.json`. */
  endpoint: string;
  cwd?: string;
  stdin?: NodeJS.ReadableStream;
}

export interface RecipientInput {
  recipients: Recipients;
  /** Ids given more than once for the same key (sent once). */
  duplicates: number;
  diagnostics: Diagnostic[];
}

export async function readRecipients(opts: RecipientInputOptions): Promise<RecipientInput> {
  const builder = new RecipientsBuilder();
  const diagnostics: Diagnostic[] = [];
  const keyProblem = (key: IdentityKey, option: string): boolean => {
    if (opts.allowedKeys.includes(key)) return false;
    diagnostics.push({
      ...diagnostic('runtime.identity-key', { key, allowed: [...opts.allowedKeys], endpoint: opts.endpoint }),
      message: `${option}: ${opts.endpoint} does not take \`${key}\` identities`,
    });
    return true;
  };

  for (const text of opts.to ?? []) {
    const parsed = parseToFlag(text, opts.defaultKey);
    if (!parsed.ok) {
      diagnostics.push(diagnostic('input.invalid', { option: `--to ${text}`, detail: parsed.detail, hint: parsed.hint }));
      continue;
    }
    if (keyProblem(parsed.key, `--to ${text}`)) continue;
    for (const id of parsed.ids) builder.add(parsed.key, id);
  }

  if (opts.toFile !== undefined) {
    const option = `--to-file ${opts.toFile}`;
    let text: string | undefined;
    try {
      text = opts.toFile === '-' ? await streamText(opts.stdin ?? process.stdin) : await readFile(path.resolve(opts.cwd ?? process.cwd(), opts.toFile), 'utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      diagnostics.push(diagnostic('input.invalid', { option, detail: e.code === 'ENOENT' ? 'no such file' : `can not read it (${e.code ?? e.message})` }));
    }
    if (text !== undefined) {
      const parsed = parseRecipientsText(text, opts.defaultKey);
      if (!parsed.ok) {
        const at = parsed.line === undefined ? {} : { file: opts.toFile === '-' ? '<stdin>' : opts.toFile, line: parsed.line, column: 1 };
        diagnostics.push(diagnostic('input.invalid', { option, detail: parsed.detail, hint: parsed.hint }, at));
      } else {
        const refused = new Set<IdentityKey>();
        for (const [key] of parsed.entries) {
          if (!refused.has(key) && keyProblem(key, option)) refused.add(key);
        }
        for (const [key, id] of parsed.entries) if (!refused.has(key)) builder.add(key, id);
      }
    }
  }
  return { recipients: builder.build(), duplicates: builder.duplicates, diagnostics };
}

type ToFlag = { ok: true; key: IdentityKey; ids: string[] } | { ok: false; detail: string; hint?: string };

/** `Email:a@x.com,b@x.com`, `user-1,user-2`. A prefix that only looks like a key is an error. */
export function parseToFlag(text: string, defaultKey: IdentityKey): ToFlag {
  const split = splitKeyPrefix(text, defaultKey);
  if (!split.ok) return split;
  const ids = splitIds(split.rest);
  if (ids.length === 0) return { ok: false, detail: 'no ids after the key', hint: 'e.g. --to Identity:user-1,user-2' };
  return { ok: true, key: split.key, ids };
}

type KeyPrefix = { ok: true; key: IdentityKey; rest: string } | { ok: false; detail: string; hint?: string };

/**
 * `Email:a@x.com` -> Email and the rest; text without a key prefix keeps the default key whole
 * (an id may hold a colon: `urn:u:1`). A prefix that is a near miss of a key (`Emial:`) is an error:
 * sending it under the default key would message the wrong identity.
 */
function splitKeyPrefix(text: string, defaultKey: IdentityKey): KeyPrefix {
  const colon = text.indexOf(':');
  if (colon <= 0) return { ok: true, key: defaultKey, rest: text };
  const prefix = text.slice(0, colon);
  const known = normalizeIdentityKey(prefix);
  if (known) return { ok: true, key: known, rest: text.slice(colon + 1) };
  const suggestion = /^[A-Za-z]+$/.test(prefix.trim()) ? closest(prefix.trim(), IDENTITY_KEYS) : undefined;
  if (suggestion) return { ok: false, detail: `unknown identity key ${prefix}`, hint: `did you mean ${suggestion}?` };
  return { ok: true, key: defaultKey, rest: text };
}

function splitIds(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A problem in a recipients file; `line` (1-based) when it is one line's. */
type FileParse = { ok: true; entries: [IdentityKey, string][] } | { ok: false; detail: string; hint?: string; line?: number };

/**
 * A file's text -> (key, id) pairs. CSV when the first line has a comma or is exactly a key name
 * (`Email`); otherwise one id per line, each with an optional key prefix as --to takes it
 * (`Email:a@x.com`), else the default key.
 */
export function parseRecipientsText(text: string, defaultKey: IdentityKey): FileParse {
  const body = text.replace(/^\uFEFF/, '');
  const lines = body.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '');
  if (firstLine === undefined) return { ok: true, entries: [] };
  const looksCsv = firstLine.includes(',') || normalizeIdentityKey(firstLine) !== undefined || firstLine.trim().startsWith('"');
  if (!looksCsv) return parseIdLines(lines, defaultKey);
  let rows: string[][];
  try {
    rows = parseCsv(body, { trim: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    return { ok: false, detail: `not valid CSV: ${(err as Error).message}` };
  }
  const header = rows[0] ?? [];
  const columns: { index: number; key: IdentityKey }[] = [];
  for (const [index, cell] of header.entries()) {
    const key = normalizeIdentityKey(cell);
    if (key) {
      columns.push({ index, key });
      continue;
    }
    // A near-miss of a key is a typo, not a column to ignore: ignoring it would drop recipients.
    const suggestion = closest(cell.trim(), IDENTITY_KEYS);
    if (suggestion) return { ok: false, detail: `column "${cell}" in the header is not an identity key`, hint: `did you mean ${suggestion}?` };
  }
  if (columns.length === 0) {
    return {
      ok: false,
      detail: 'the first line has commas but names no identity column',
      hint: `a CSV file needs a header naming its key columns (${IDENTITY_KEYS.join(', ')}); a plain file holds one id per line`,
    };
  }
  const entries: [IdentityKey, string][] = [];
  for (const row of rows.slice(1)) {
    for (const { index, key } of columns) {
      const id = row[index];
      if (id !== undefined && id !== '') entries.push([key, id]);
    }
  }
  return { ok: true, entries };
}

function parseIdLines(lines: readonly string[], defaultKey: IdentityKey): FileParse {
  const entries: [IdentityKey, string][] = [];
  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    const split = splitKeyPrefix(raw.trim(), defaultKey);
    if (!split.ok) return { ...split, line: index + 1 };
    const id = split.rest.trim();
    if (id === '') return { ok: false, detail: 'no id after the key', hint: 'one id per line, e.g. Email:jane@example.com or user-1', line: index + 1 };
    entries.push([split.key, id]);
  }
  return { ok: true, entries };
}
