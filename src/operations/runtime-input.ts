/**
 * The checks every caller's input to a runtime send passes, whoever gave it (command-line flags,
 * the daemon's JSON, a program): identities under keys the endpoint takes, each id a non-empty
 * string and sent once; data that is a mapping without keys that reach an object's prototype and
 * without Liquid. A value holding Liquid (`{{`, `{%`) is refused rather than escaped: Liquid has
 * no escape CleverTap documents for values, and a value that reaches CleverTap's Liquid runs once
 * per recipient (profile lookups, loops), where it can not be taken back.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { closest } from '../diagnostics/suggest.js';
import { isRecord } from '../model/record.js';
import { normalizeIdentityKey, RecipientsBuilder, type IdentityKey, type Recipients } from '../runtime/recipients.js';

/** Identities as a caller gives them: ids per key, the key in any case (`Identity`, `email`). */
export type RecipientLists = Readonly<Record<string, readonly string[] | undefined>>;

export interface CheckedRecipients {
  recipients: Recipients;
  /** Ids given more than once for the same key (sent once). */
  duplicates: number;
  diagnostics: Diagnostic[];
}

/** `label` names the input in messages (`to`). */
export function checkRecipients(
  to: RecipientLists | undefined,
  rules: { allowedKeys: readonly IdentityKey[]; endpoint: string },
  label = 'to',
): CheckedRecipients {
  const builder = new RecipientsBuilder();
  const diagnostics: Diagnostic[] = [];
  if (to !== undefined && !isRecord(to)) {
    return { recipients: {}, duplicates: 0, diagnostics: [diagnostic('input.invalid', { option: label, detail: 'must map identity keys to lists of ids', hint: 'e.g. { "Identity": ["user-1"] }' })] };
  }
  for (const [given, ids] of Object.entries(to ?? {})) {
    if (ids === undefined) continue;
    const key = normalizeIdentityKey(given);
    if (!key || !rules.allowedKeys.includes(key)) {
      const suggestion = key ? undefined : closest(given, rules.allowedKeys);
      diagnostics.push(diagnostic('runtime.identity-key', { key: key ?? given, allowed: [...rules.allowedKeys], endpoint: rules.endpoint, suggestion }));
      continue;
    }
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id.trim() === '')) {
      diagnostics.push(diagnostic('input.invalid', { option: `${label}.${given}`, detail: 'must be a list of non-empty ids (strings)' }));
      continue;
    }
    for (const id of ids as string[]) builder.add(key, id.trim());
  }
  return { recipients: builder.build(), duplicates: builder.duplicates, diagnostics };
}

/** Problems of the data (a Message's data, a trigger's payload, a raise's properties); `label` names it. */
export function checkData(data: unknown, label: string): Diagnostic[] {
  if (data === undefined) return [];
  if (!isRecord(data)) return [diagnostic('input.invalid', { option: label, detail: 'must hold a mapping (an object) of named values' })];
  const bad = forbiddenKey(data);
  if (bad) return [diagnostic('input.invalid', { option: label, detail: `the key ${bad} is not allowed` })];
  return liquidFields(data, []).map((field) => diagnostic('input.liquid-in-data', { option: label, field }));
}

/** Keys that would reach an object's prototype when the data is merged or rendered. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted paths of the text values holding Liquid markers. */
export function liquidFields(value: unknown, at: readonly string[]): string[] {
  if (typeof value === 'string') return /\{\{|\{%/.test(value) ? [at.join('.')] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => liquidFields(v, [...at.slice(0, -1), `${at[at.length - 1] ?? ''}[${i}]`]));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => liquidFields(v, [...at, k]));
  return [];
}

/** The first forbidden key anywhere in the value. */
export function forbiddenKey(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const bad = forbiddenKey(v);
      if (bad) return bad;
    }
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(k)) return k;
      const bad = forbiddenKey(v);
      if (bad) return bad;
    }
  }
  return undefined;
}
