/**
 * Runs the state store in OTHER processes, for the tests that need real cross-process contention
 * (lock refused with the holder, run claims racing, concurrent writers). Node 20 can not run
 * TypeScript, so the child imports the build in dist/ (npm test builds it; test/global-setup.ts
 * rebuilds it when stale). The child opens the store with openStateStore, the same entry point the
 * CLI uses, so any backend location works.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const OPEN = pathToFileURL(resolve(import.meta.dirname, '../../dist/src/state/open.js')).href;
/** A child that does not answer within this is killed (and its run fails). */
const CHILD_TIMEOUT_MS = 30_000;

/**
 * The child's action. A racer (mode `race`) prints `ready` once its store is open, then waits for
 * a line on stdin: the parent sends it to all racers at once, after every one is ready, so their
 * actions really overlap however slow the machine is.
 */
const CHILD = `
import { hostname } from 'node:os';
import { openStateStore } from '${OPEN}';
const [location, action, arg, mode] = process.argv.slice(2);
const opened = await openStateStore(location);
if (!opened.ok) { console.log(JSON.stringify({ error: opened.diagnostic })); process.exit(3); }
const store = opened.store;
if (mode === 'race') {
  console.log('ready');
  await new Promise((r) => process.stdin.once('data', r));
  process.stdin.destroy();
}
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

export type ChildAction = 'acquire' | 'claim' | 'audit' | 'open';
export interface ChildResult {
  pid: number;
  out: any;
}

export interface ChildRunner {
  /** Runs one action in a fresh node process; resolves with its parsed output. */
  run(location: string, action: ChildAction, arg: string): Promise<ChildResult>;
  /**
   * Starts one process per action, waits until each has opened the store, then releases them all
   * at once. Resolves once they are released; `results` settles when they are done.
   */
  race(location: string, actions: [ChildAction, string][]): Promise<{ results: Promise<ChildResult[]> }>;
  dispose(): void;
}

interface Started {
  child: ChildProcess;
  /** Resolves when the child printed `ready` (race mode only). */
  ready: Promise<void>;
  done: Promise<ChildResult>;
}

function start(script: string, location: string, action: ChildAction, arg: string, race: boolean): Started {
  const child = spawn(process.execPath, [script, location, action, arg, race ? 'race' : 'run'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill(), CHILD_TIMEOUT_MS);
  let stdout = '';
  let stderr = '';
  let onReady = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (stdout.startsWith('ready\n')) onReady();
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<ChildResult>((resolve, reject) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult);
      else reject(new Error(`state child ${action} exited with ${signal ?? code}: ${stdout}${stderr}`));
    }),
  );
  if (!race) {
    child.stdin!.end();
    return { child, ready: Promise.resolve(), done };
  }
  // A child that dies before it is ready fails the race through `done`, not a hanging `ready`.
  return { child, ready: Promise.race([ready, done.then(() => undefined)]), done };
}

export function createChildRunner(): ChildRunner {
  const dir = mkdtempSync(join(tmpdir(), 'campaignctl-state-child-'));
  const script = join(dir, 'child.mjs');
  writeFileSync(script, CHILD);
  return {
    run: (location, action, arg) => start(script, location, action, arg, false).done,
    async race(location, actions) {
      const racers = actions.map(([action, arg]) => start(script, location, action, arg, true));
      const results = Promise.all(racers.map((r) => r.done));
      // Handled here as well: the caller awaits it only after its own part of the race.
      results.catch(() => {});
      try {
        await Promise.all(racers.map((r) => r.ready));
      } catch (err) {
        for (const r of racers) r.child.kill();
        throw err;
      }
      for (const r of racers) r.child.stdin!.end('go\n');
      return { results };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
