/**
 * The embedded sandbox behind an environment with `provider: sandbox`: the emulator in-process on
 * a free loopback port, its account kept in a data file (normally `.campaignctl/sandbox.json`) so
 * campaigns survive between commands, and the connection the ordinary client needs to reach it.
 * A fresh passcode per start keeps other local processes out; it is not persisted anywhere.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { SANDBOX_DEFAULT_ACCOUNT_ID } from './defaults.js';
import { startSandbox } from './server.js';
import type { SandboxHandle, SandboxOptions } from './server.js';

export type EmbeddedSandboxOptions = Omit<SandboxOptions, 'port' | 'host' | 'accountId' | 'passcode' | 'inspection'> & {
  dataFile: string;
};

export interface EmbeddedSandbox {
  handle: SandboxHandle;
  /**
   * Pass as is: `createClient({ ...limits, baseUrl: c.baseUrl, accountId: c.accountId, passcode: c.passcode })`
   * or `createClient(c)`. The passcode is non-enumerable (so a spread drops it) and hidden from inspect.
   */
  connection: { baseUrl: string; accountId: string; readonly passcode: string };
  close(): Promise<void>;
}

export async function startEmbeddedSandbox(opts: EmbeddedSandboxOptions): Promise<EmbeddedSandbox> {
  const passcode = randomBytes(18).toString('base64url');
  const handle = await startSandbox({ ...opts, port: 0, host: '127.0.0.1', accountId: SANDBOX_DEFAULT_ACCOUNT_ID, passcode });
  const connection = { baseUrl: handle.url, accountId: handle.accountId } as EmbeddedSandbox['connection'];
  Object.defineProperty(connection, 'passcode', { value: passcode, enumerable: false });
  Object.defineProperty(connection, inspect.custom, {
    value: () => `SandboxConnection { baseUrl: ${JSON.stringify(handle.url)}, accountId: ${JSON.stringify(handle.accountId)} }`,
    enumerable: false,
  });
  return { handle, connection, close: () => handle.close() };
}
