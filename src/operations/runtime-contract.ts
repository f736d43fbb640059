/**
 * Finding the contract a runtime send names (`order-shipped` or `message.order-shipped`) and what
 * it expects of its input: the schema its data is checked against, the identity keys its endpoint
 * takes and the key of ids given without one. `send`, `trigger` and `raise` refuse on the
 * contract's own problems and the environment's, never on other files' (a broken campaign must
 * not stop transactional messages).
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project } from '../config/project.js';
import { closestName } from '../diagnostics/suggest.js';
import { NO_ENVIRONMENT_CODES } from '../config/pick-environment.js';
import { ADDRESS_PREFIX, type Kind, type Resource } from '../model/resource.js';
import type { ExternalTriggerResource, MessageResource } from '../model/specs.js';
import { messageEndpoint } from '../render/message.js';
import { EXTERNAL_TRIGGER_ENDPOINT } from '../render/trigger.js';
import { IDENTITY_KEYS, TRIGGER_IDENTITY_KEYS, type IdentityKey } from '../runtime/recipients.js';

export type Found<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/** The contract of `kind` named `name` (bare or as its address), with the problems that block it. */
export function findContract<S>(project: Project, kind: Kind, name: string): Found<Resource<S>> {
  const prefix = ADDRESS_PREFIX[kind];
  const address = name.startsWith(`${prefix}.`) ? name : `${prefix}.${name}`;
  // Problems of this contract, and of the environment (campaignctl.yaml), block the send; other
  // files' problems do not.
  const blocking = project.diagnostics.filter(
    (d) => d.severity === 'error' && (d.address === address || d.file === undefined || d.file === 'campaignctl.yaml'),
  );
  // Without an environment no resource was loaded: "no such contract" would only mislead.
  if (blocking.some((d) => NO_ENVIRONMENT_CODES.has(d.code))) return { ok: false, diagnostics: blocking };
  const resource = project.resources().find((r) => r.address === address);
  if (!resource) {
    const known = project.resources().filter((r) => r.kind === kind).map((r) => r.name);
    const bare = address.slice(prefix.length + 1);
    const missing = diagnostic('runtime.unknown-contract', { kind, name: bare, known, suggestion: closestName(bare, known) });
    // A contract whose file does not pass its schema is not loaded: its errors explain why.
    const fileErrors = project.diagnostics.filter((d) => d.severity === 'error' && d.file !== undefined && d.file.includes(bare));
    return { ok: false, diagnostics: [...blocking, ...fileErrors, missing] };
  }
  const own = project.diagnostics.filter((d) => d.severity === 'error' && d.file === resource.source.file);
  const problems = dedupe([...blocking, ...own]);
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  return { ok: true, value: resource as Resource<S> };
}

/** `message` sends a Message via Identity; `trigger` fires an External Trigger. */
export type SendKind = 'message' | 'trigger';

/** The identity keys each kind's endpoint takes; anything else is refused before sending. */
export const SEND_KEYS: Record<SendKind, readonly IdentityKey[]> = { message: IDENTITY_KEYS, trigger: TRIGGER_IDENTITY_KEYS };

/** What a Message or an ExternalTrigger expects of a send's input. */
export interface RecipientRules {
  /** The key of ids given without one: Identity, or the trigger's `identity`. */
  defaultKey: IdentityKey;
  /** The keys the endpoint takes. */
  allowedKeys: readonly IdentityKey[];
  /** Named in messages, e.g. `/1/send/externaltrigger.json`. */
  endpoint: string;
}

export type SendContract = RecipientRules &
  ({ kind: 'message'; resource: MessageResource } | { kind: 'trigger'; resource: ExternalTriggerResource }) & {
    /** The JSON Schema of the data: the Message's `data`, the trigger's `payload`. */
    schema: unknown;
  };

/** The key an ExternalTrigger's `identity` names. */
export function triggerDefaultKey(identity: string | undefined): IdentityKey {
  return identity === 'email' ? 'Email' : identity === 'objectId' ? 'objectId' : 'Identity';
}

export function messageRules(message: MessageResource): RecipientRules {
  return { defaultKey: 'Identity', allowedKeys: SEND_KEYS.message, endpoint: messageEndpoint(message.spec.target_mode) };
}

export function triggerRules(trigger: ExternalTriggerResource): RecipientRules {
  return { defaultKey: triggerDefaultKey(trigger.spec.identity), allowedKeys: SEND_KEYS.trigger, endpoint: EXTERNAL_TRIGGER_ENDPOINT };
}

/** The Message (kind `message`) or ExternalTrigger (`trigger`) named `name`, with what it expects. */
export function sendContract(project: Project, kind: SendKind, name: string): Found<SendContract> {
  if (kind === 'message') {
    const found = findContract<MessageResource['spec']>(project, 'Message', name);
    if (!found.ok) return found;
    const resource = found.value as MessageResource;
    return { ok: true, value: { kind, resource, schema: resource.spec.data, ...messageRules(resource) } };
  }
  const found = findContract<ExternalTriggerResource['spec']>(project, 'ExternalTrigger', name);
  if (!found.ok) return found;
  const resource = found.value as ExternalTriggerResource;
  return { ok: true, value: { kind, resource, schema: resource.spec.payload, ...triggerRules(resource) } };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
