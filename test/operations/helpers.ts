/**
 * What the operation tests share: a real temp project on the embedded sandbox (the in-process
 * emulator, its account in `.campaignctl/sandbox-test.json`), in a real git repository whose
 * identity is the operator, its real SQLite state, an OperationContext opened as the CLI opens
 * one, the events it gave, and a watch on stdout and stderr (operations never print).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { CleverTapClient } from '../../src/clevertap/client.js';
import { openContext, type OperationContext } from '../../src/operations/context.js';
import type { OperationEvent } from '../../src/operations/events.js';
import { takeLock } from '../../src/operations/lock.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { LockHolder } from '../../src/state/store.js';
import { applyOnce, load, openState, TempProject } from '../apply/helpers.js';

export const OPERATOR = 'Dana Ops <dana@example.com>';

export interface OperationFixture {
  tp: TempProject;
  /** Opened like the CLI opens it (nothing connected yet); closed after each test. */
  ctx: OperationContext;
  events: OperationEvent[];
  /** What the operations wrote to stdout and stderr while the test ran (must stay empty). */
  printed: string[];
  /** Closes ctx and opens a new one on the same project and state (a new run, on `clock` when given); the fixture closes that one. */
  reopen(clock?: () => Date): Promise<OperationContext>;
}

/** A fresh sandbox project, git identity and context before each test; all closed and removed after. */
export function useOperationFixture(use: (f: OperationFixture) => void): void {
  let current: OperationFixture | undefined;
  beforeEach(async () => {
    const tp = new TempProject({ provider: 'sandbox' });
    execFileSync('git', ['init', '-q'], { cwd: tp.root });
    execFileSync('git', ['config', 'user.name', 'Dana Ops'], { cwd: tp.root });
    execFileSync('git', ['config', 'user.email', 'dana@example.com'], { cwd: tp.root });
    const printed: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
    }
    const events: OperationEvent[] = [];
    const fixture: OperationFixture = {
      tp,
      ctx: await contextFor(tp, events),
      events,
      printed,
      async reopen(clock) {
        await fixture.ctx.close();
        fixture.ctx = await contextFor(tp, events, clock);
        return fixture.ctx;
      },
    };
    current = fixture;
    use(fixture);
  });
  afterEach(async () => {
    const f = current;
    current = undefined;
    vi.restoreAllMocks();
    if (!f) return;
    expect(f.printed).toEqual([]);
    await f.ctx.close();
    f.tp.dispose();
  });
}

/** Re-reads the project (after the test wrote its files) into a new context on the same state. */
export async function contextFor(tp: TempProject, events: OperationEvent[] = [], clock?: () => Date): Promise<OperationContext> {
  const project = await load(tp);
  const opened = await openContext(project, { events: (e) => events.push(e), ...(clock ? { clock } : {}) });
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.value;
}

/** The context's CleverTap: the embedded emulator (its handle, for inspection) and the client. */
export async function sandboxOf(ctx: OperationContext): Promise<{ client: CleverTapClient; emu: SandboxHandle }> {
  const connected = await ctx.connect();
  if (!connected.ok) throw new Error(connected.diagnostics.map((d) => d.message).join('\n'));
  return { client: connected.value.client, emu: connected.value.sandbox! };
}

/** Applies the project's YAML through the context's sandbox (what `apply --yes` does). */
export async function applyAll(tp: TempProject, ctx: OperationContext): Promise<void> {
  const { client } = await sandboxOf(ctx);
  const { result } = await applyOnce(tp, ctx.store, client);
  expect(result?.ok).toBe(true);
}

/** The emulator's account file: its bytes and modification time, or null when it does not exist. */
export function accountFile(tp: TempProject): { text: string; mtimeNs: bigint } | null {
  const file = path.join(tp.root, '.campaignctl', 'sandbox-test.json');
  if (!existsSync(file)) return null;
  return { text: readFileSync(file, 'utf8'), mtimeNs: statSync(file, { bigint: true }).mtimeNs };
}

/**
 * Another run holding the apply lock, through its own connection to the state file (as a second
 * process has). `release` frees it.
 */
export async function lockHeldElsewhere(tp: TempProject, command = 'apply'): Promise<{ holder: LockHolder; release(): Promise<void> }> {
  const other = await openState(tp.statePath);
  const taken = await takeLock(other, command, { host: 'ci-runner-7', pid: 4242 });
  if (!taken.ok) throw new Error('the lock was already held');
  return {
    holder: taken.lock,
    async release() {
      await taken.release();
      await other.close();
    },
  };
}
