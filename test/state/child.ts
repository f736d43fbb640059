/**
 * Runs the state store in OTHER processes, for the tests that need real cross-process contention
 * (lock refused with the holder, run claims racing, concurrent writers). Node 20 can not run
 * TypeScript, so the child imports the build in dist/ (npm test builds it; test/global-setup.ts
 * rebuilds it when stale). The child opens the store with openStateStore, the same entry point the
 * CLI uses, so any backend location works.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPEN = pathToFileURL(resolve(import.meta.dirname, '../../dist/src/state/open.js')).href;

/** The child's action, run after `startAt` (epoch ms) so that racing children really overlap. */
const CHILD = `
import { hostname } from 'node:os';
import { openStateStore } from '${OPEN}';
const [location, action, arg, startAt] = process.argv.slice(2);
const opened = await openStateStore(location);
if (!opened.ok) { console.log(JSON.stringify({ error: opened.diagnostic })); process.exit(3); }
const store = opened.store;
const wait = Number(startAt) - Date.now() - 20;
if (wait > 0) await new Promise((r) => setTimeout(r, wait));
while (Date.now() < Number(startAt)) {}
let out;
if (action === 'acquire') {
  out = await store.lock.acquire({ command: arg, host: hostname(), pid: process.pid });
} else if (action === 'claim') {
  out = await store.runs.claim(JSON.parse(arg), { pid: process.pid });
} else if (action === 'audit') {
  for (let i = 0; i < Number(arg); i++) {
    await store.audit.append({ command: 'child', address: 'campaign.c', action: 'test', detail: { i, pid: process.pid }, commit: null, author: null, dirty: null });
  }
  out = { appended: Number(arg) };
} else if (action === 'open') {
  out = { serial: await store.serial() };
}
// 'acquire-and-die' leaves the lock behind on purpose: the holder's pid is gone afterwards.
if (action !== 'acquire' || arg !== 'die') await store.close();
console.log(JSON.stringify({ pid: process.pid, out }));
`;

export interface ChildRunner {
  /** Runs one action in a fresh node process; resolves with its parsed output. */
  run(location: string, action: 'acquire' | 'claim' | 'audit' | 'open', arg: string, startAt?: number): Promise<{ pid: number; out: any }>;
  dispose(): void;
}

export function createChildRunner(): ChildRunner {
  const dir = mkdtempSync(join(tmpdir(), 'campaignctl-state-child-'));
  writeFileSync(join(dir, 'child.mjs'), CHILD);
  return {
    async run(location, action, arg, startAt = 0) {
      const { stdout } = await run(process.execPath, [join(dir, 'child.mjs'), location, action, arg, String(startAt)], {
        cwd: dir,
        timeout: 30_000,
      });
      return JSON.parse(stdout.trim().split('\n').pop()!);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
