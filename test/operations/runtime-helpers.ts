/**
 * An OperationContext as the daemon or a program would open one: a real project in a temp folder
 * (test/runtime/fixture.ts), its real SQLite state, CleverTap reached through the real client at
 * an emulator on a loopback port, and a sink that keeps every event. Process output (stdout,
 * stderr, console) is watched so a test can show that an operation printed nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, vi } from 'vitest';
import { type Project } from '../../src/config/project.js';
import { loadProject } from '../../src/project-index/load.js';
import { openContext, type OperationContext } from '../../src/operations/context.js';
import type { OperationEvent } from '../../src/operations/events.js';
import type { SandboxHandle, SandboxOptions } from '../../src/sandbox/server.js';
import { openStateStore } from '../../src/state/open.js';
import { ACCOUNT, PASSCODE, closeEmulators, emulator } from '../sandbox/helpers.js';
import { EVENT, NOW, TRIGGER_ID, removeTemps, writeProject } from '../runtime/fixture.js';

export interface Opened {
  dir: string;
  project: Project;
  emulator: SandboxHandle;
  ctx: OperationContext;
  events: OperationEvent[];
  /** Everything written to this process's stdout and stderr since the context was opened. */
  printed(): string;
  /** The audit history in the state file, read through a store of its own. */
  audit(): Promise<Awaited<ReturnType<OperationContext['store']['audit']['list']>>>;
  /** Whether the state file exists (a check opens none). */
  stateExists(): boolean;
}

const contexts: OperationContext[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const ctx of contexts.splice(0)) await ctx.close();
  await closeEmulators();
  removeTemps();
});

/** `state`: where the state lives instead of the project's SQLite file (CAMPAIGNCTL_STATE), e.g. a PostgreSQL schema. */
export async function openOperations(opts: { files?: Record<string, string>; sandbox?: SandboxOptions; passcode?: string; state?: string } = {}): Promise<Opened> {
  const dir = writeProject(opts.files);
  const h = await emulator({ externalTriggers: [TRIGGER_ID], businessEvents: [EVENT], ...opts.sandbox });
  const project = await loadProject({ dir, environ: { CLEVERTAP_API_URL: h.url, ...(opts.state ? { CAMPAIGNCTL_STATE: opts.state } : {}) } });
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`test project has errors: ${errors.map((d) => d.message).join('; ')}`);
  const events: OperationEvent[] = [];
  const opened = await openContext(project, {
    events: (e) => events.push(e),
    clock: () => NOW,
    connect: { environ: { CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: opts.passcode ?? PASSCODE } },
  });
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
  contexts.push(opened.value);
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(args.map(String).join(' '));
    });
  }
  const statePath = path.join(dir, '.campaignctl', 'live.db');
  return {
    dir,
    project,
    emulator: h,
    ctx: opened.value,
    events,
    printed: () => written.join(''),
    async audit() {
      const store = await openStateStore(statePath);
      if (!store.ok) throw new Error(store.diagnostic.message);
      try {
        return await store.store.audit.list();
      } finally {
        await store.store.close();
      }
    },
    stateExists: () => existsSync(statePath),
  };
}

/** The `send.batch` events, in the order they came. */
export function batchEvents(events: readonly OperationEvent[]): Extract<OperationEvent, { kind: 'send.batch' }>[] {
  return events.filter((e): e is Extract<OperationEvent, { kind: 'send.batch' }> => e.kind === 'send.batch');
}
