/** The client under test, pointed at an emulator, with quick retries. */
import { createClient } from '../../src/clevertap/client.js';
import type { CleverTapClient, ClientOptions } from '../../src/clevertap/client.js';
import { ACCOUNT, PASSCODE } from '../sandbox/helpers.js';

const clients: CleverTapClient[] = [];

export function clientFor(h: { url: string }, opts: Partial<ClientOptions> = {}): CleverTapClient {
  const c = createClient({
    baseUrl: h.url,
    accountId: ACCOUNT,
    passcode: PASSCODE,
    createsPerSecond: 1000,
    ...opts,
    retry: { baseDelayMs: 2, maxDelayMs: 20, ...opts.retry },
  });
  clients.push(c);
  return c;
}

export function closeClients(): void {
  for (const c of clients.splice(0)) c.close();
}

/** Resolves with the thrown error (fails the test if nothing was thrown). */
export async function rejection<T = unknown>(p: Promise<unknown>): Promise<T> {
  try {
    await p;
  } catch (err) {
    return err as T;
  }
  throw new Error('expected a rejection');
}
