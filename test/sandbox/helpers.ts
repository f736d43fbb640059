/**
 * Test helpers: start emulators on ephemeral loopback ports (closed after each test) and talk to
 * them with plain fetch, so the emulator's contract is checked independently of our client.
 */
import { startSandbox } from '../../src/sandbox/server.js';
import type { SandboxHandle, SandboxOptions } from '../../src/sandbox/server.js';

export const ACCOUNT = 'TEST-ACCT-0001';
export const PASSCODE = 'test-passcode-0001';
/** 2025-07-01 12:00 UTC, a Tuesday. */
export const T0 = new Date('2025-07-01T12:00:00Z');

const open: SandboxHandle[] = [];

export async function emulator(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const h = await startSandbox({ accountId: ACCOUNT, passcode: PASSCODE, clock: () => T0, ...opts });
  open.push(h);
  return h;
}

export async function closeEmulators(): Promise<void> {
  await Promise.all(open.splice(0).map((h) => h.close()));
}

export interface RawAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function post(
  h: { url: string },
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'X-CleverTap-Account-Id': ACCOUNT, 'X-CleverTap-Passcode': PASSCODE },
): Promise<RawAnswer> {
  const res = await fetch(h.url + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function control(h: { url: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A valid push campaign; tests break one field at a time. */
export function pushCampaign(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'cac:test:v1',
    target_mode: 'push',
    where: { event_name: 'App Launched', from: 20250601, to: 20250630 },
    content: { title: 'Hello', body: 'World', platform_specific: { android: { wzrk_cid: 'marketing' } } },
    devices: ['android', 'ios'],
    when: 'now',
    ...overrides,
  };
}

export function without(body: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const copy = { ...body };
  for (const k of keys) delete copy[k];
  return copy;
}
