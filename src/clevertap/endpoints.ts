/**
 * Where each operation goes and how CleverTap counts it. CleverTap limits concurrent requests per
 * account *per API* (clevertap-api.md §9.1), so the client keeps one semaphore per family below.
 */
import { regionalApiHost } from './unverified.js';

export const DEFAULT_REGION = 'eu1';

export type ApiFamily = 'create' | 'list' | 'stop' | 'result' | 'send' | 'externaltrigger' | 'trigger';
export const API_FAMILIES: readonly ApiFamily[] = ['create', 'list', 'stop', 'result', 'send', 'externaltrigger', 'trigger'];

export type IdentityChannel = 'push' | 'webpush' | 'email' | 'sms' | 'whatsapp';
export const IDENTITY_CHANNELS: readonly IdentityChannel[] = ['push', 'webpush', 'email', 'sms', 'whatsapp'];

/**
 * What a retry may do after a failure whose outcome is unknown:
 * - `read`: no effect at all (list, result, estimate-only): retry on 5xx and network errors;
 * - `idempotent-write`: repeating it is harmless (stop: "already stopped" succeeds): retry too;
 * - `write`: create, identity send, external trigger, raise: never retried once it may have landed.
 */
export type Effect = 'read' | 'idempotent-write' | 'write';

export interface Endpoint {
  /** Path below the base URL, e.g. `/1/targets/create.json`. */
  path: string;
  family: ApiFamily;
  effect: Effect;
}

export const ENDPOINTS = {
  create: { path: '/1/targets/create.json', family: 'create', effect: 'write' },
  estimate: { path: '/1/targets/create.json', family: 'create', effect: 'read' },
  list: { path: '/1/targets/list.json', family: 'list', effect: 'read' },
  stop: { path: '/1/targets/stop.json', family: 'stop', effect: 'idempotent-write' },
  result: { path: '/1/targets/result.json', family: 'result', effect: 'read' },
  externalTrigger: { path: '/1/send/externaltrigger.json', family: 'externaltrigger', effect: 'write' },
  raise: { path: '/1/targets/trigger.json', family: 'trigger', effect: 'write' },
} as const satisfies Record<string, Endpoint>;

export function sendEndpoint(channel: IdentityChannel): Endpoint {
  return { path: `/1/send/${channel}.json`, family: 'send', effect: 'write' };
}

/**
 * The base URL: an explicit `apiUrl` (CLEVERTAP_API_URL, e.g. a sandbox) wins; otherwise the
 * region's host over https. A trailing `/` or `/1` on apiUrl is dropped because paths carry `/1/`.
 */
export function resolveBaseUrl(opts: { apiUrl?: string; region?: string }): string {
  if (opts.apiUrl) {
    const url = new URL(opts.apiUrl); // throws TypeError on a malformed URL: a configuration bug
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`CleverTap API URL must be http(s), got ${url.protocol}`);
    }
    if (url.username || url.password) throw new TypeError('CleverTap API URL must not carry credentials');
    const path = url.pathname.replace(/\/+$/, '').replace(/\/1$/, '');
    return `${url.origin}${path}`;
  }
  const region = (opts.region ?? DEFAULT_REGION).toLowerCase();
  if (!/^[a-z]{2,4}[0-9]{1,2}$/.test(region)) throw new TypeError(`not a CleverTap region code: ${region}`);
  return `https://${regionalApiHost(region)}`;
}
