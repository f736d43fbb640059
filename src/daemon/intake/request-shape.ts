/**
 * The shape of the three send bodies, before any contract is looked at:
 * - `POST /v1/messages/{name}/send` and `POST /v1/triggers/{name}/fire`: `{ to, data }`, `to` a
 *   mapping of identity keys to lists of ids (or a list of ids: the contract's default key);
 * - `POST /v1/bulletins/{name}/raise`: `{ name, properties }`.
 * Unknown top-level fields are refused (a misspelt `date` must not silently send without data).
 * What each field may hold beyond its shape is checked by the operations' own checks.
 */
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { isRecord } from '../../model/record.js';
import type { JsonObject } from '../../state/store.js';

export type IntakeKind = 'message' | 'trigger' | 'raise';

export interface SendBody {
  /** As given: a mapping of keys to ids, or a list of ids for the contract's default key. */
  to: Record<string, unknown> | unknown[];
  data?: Record<string, unknown>;
}

export interface RaiseBody {
  name: string;
  properties?: Record<string, unknown>;
}

export type Shaped<T> = { ok: true; value: T } | { ok: false; problems: Diagnostic[] };

const FIELDS: Record<IntakeKind, readonly string[]> = { message: ['to', 'data'], trigger: ['to', 'data'], raise: ['name', 'properties'] };

function invalid(option: string, detail: string, hint?: string): Diagnostic {
  return diagnostic('input.invalid', { option, detail, hint });
}

function unknownFields(kind: IntakeKind, body: Record<string, unknown>): Diagnostic[] {
  const allowed = FIELDS[kind];
  return Object.keys(body)
    .filter((k) => !allowed.includes(k))
    .map((k) => invalid(k, 'is not a field of this request', `the body takes ${allowed.map((f) => `\`${f}\``).join(' and ')}`));
}

export function shapeSendBody(kind: 'message' | 'trigger', body: unknown): Shaped<SendBody> {
  if (!isRecord(body)) return { ok: false, problems: [invalid('body', 'must be a JSON object', 'send { "to": { "Identity": ["user-1"] }, "data": { ... } }')] };
  const problems = unknownFields(kind, body);
  const to = body.to;
  if (to === undefined) problems.push(invalid('to', 'is required', 'e.g. { "Identity": ["user-1"] }'));
  else if (!isRecord(to) && !Array.isArray(to)) problems.push(invalid('to', 'must map identity keys to lists of ids, or be a list of ids', 'e.g. { "Identity": ["user-1"] }'));
  if (body.data !== undefined && !isRecord(body.data)) problems.push(invalid('data', 'must hold a mapping (an object) of named values'));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { to: to as SendBody['to'], ...(body.data === undefined ? {} : { data: body.data as Record<string, unknown> }) } };
}

export function shapeRaiseBody(body: unknown): Shaped<RaiseBody> {
  if (!isRecord(body)) return { ok: false, problems: [invalid('body', 'must be a JSON object', 'send { "name": "...", "properties": { ... } }')] };
  const problems = unknownFields('raise', body);
  if (typeof body.name !== 'string') problems.push(invalid('name', 'is required and must be a string', 'CleverTap needs a name for each raise'));
  if (body.properties !== undefined && !isRecord(body.properties)) problems.push(invalid('properties', 'must hold a mapping (an object) of named values'));
  if (problems.length > 0) return { ok: false, problems };
  const name = body.name as string;
  return { ok: true, value: { name, ...(body.properties === undefined ? {} : { properties: body.properties as Record<string, unknown> }) } };
}

/** `to` as the operations take it: a list of ids goes under the contract's default key. */
export function recipientLists(to: SendBody['to'], defaultKey: string): Record<string, unknown> {
  return Array.isArray(to) ? { [defaultKey]: to } : to;
}

/** The outbox payload of a send: what the drain hands to the operation, and what an Idempotency-Key replay is compared with. */
export function sendPayload(to: Record<string, unknown>, data: Record<string, unknown> | undefined): JsonObject {
  return (data === undefined ? { to } : { to, data }) as JsonObject;
}

export function raisePayload(body: RaiseBody): JsonObject {
  return body as unknown as JsonObject;
}
