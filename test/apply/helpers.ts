/**
 * Test fixtures for apply: a real temp project (campaignctl.yaml + campaign files), a real SQLite
 * state file, the CleverTap emulator on a loopback port and the real HTTP client. Nothing of ours
 * is faked; the emulator is the HTTP edge.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type CleverTapClient, type RetryOptions } from '../../src/clevertap/client.js';
import { type Project } from '../../src/config/project.js';
import { loadProject } from '../../src/project-index/load.js';
import { computePlan, type PlanOutcome } from '../../src/apply/planning.js';
import { executePlan } from '../../src/apply/executor.js';
import { raiseOccurrence } from '../../src/runtime/occurrence.js';
import type { ApplyResult, ExecuteDeps } from '../../src/apply/types.js';
import { NO_GIT, type Provenance } from '../../src/state/record.js';
import { openStateStore } from '../../src/state/open.js';
import type { StateStore } from '../../src/state/store.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/server.js';
import type { PlanOptions } from '../../src/plan/types.js';

export const ACCOUNT = 'APPLY-TEST-ACCOUNT';
export const PASSCODE = 'apply-test-passcode-7c1e';

export interface CampaignFixture {
  name: string;
  title?: string;
  when?: string;
  body?: string;
  labels?: Record<string, string>;
  protect?: boolean;
  maxAudience?: number;
}

export function campaignYaml(c: CampaignFixture): string {
  const labels = c.labels ? `\n  labels: ${JSON.stringify(c.labels)}` : '';
  const protect = c.protect ? '\n  protect: true' : '';
  const guard = c.maxAudience !== undefined ? `\n  guard:\n    maxAudience: ${c.maxAudience}` : '';
  return `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: ${c.name}${labels}${protect}
spec:
  title: ${JSON.stringify(c.title ?? `Campaign ${c.name}`)}
  target_mode: push
  where:
    event_name: App Launched
    from: { daysAgo: 30 }
    to: { daysAgo: 0 }
  content:
    title: ${JSON.stringify(`Hello from {{vars.appName}}`)}
    body: ${JSON.stringify(c.body ?? 'Something new is waiting for you.')}
  devices: [ios]
  when: ${JSON.stringify(c.when ?? '2031-06-01T09:00:00Z')}${guard}
`;
}

/** `campaign.digest`, an email whose body is `body.html` next to it (write it to `campaigns/mail/digest.yaml`). */
export const EMAIL_CAMPAIGN_YAML = `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: digest
spec:
  title: Digest
  target_mode: email
  where:
    event_name: App Launched
    from: { daysAgo: 7 }
    to: { daysAgo: 1 }
  content:
    subject: "News"
    sender_name: Streamly
    body_file: body.html
  provider_nick_name: ses
  when: "2031-01-01T09:00:00Z"
`;

export class TempProject {
  readonly root: string;
  constructor(opts: { vars?: Record<string, string>; provider?: 'clevertap' | 'sandbox'; extraEnv?: string } = {}) {
    this.root = mkdtempSync(path.join(tmpdir(), 'campaignctl-apply-'));
    mkdirSync(path.join(this.root, 'campaigns'), { recursive: true });
    const vars = opts.vars ?? { appName: 'Streamly' };
    writeFileSync(
      path.join(this.root, 'campaignctl.yaml'),
      `defaultEnvironment: test
environments:
  test:
    provider: ${opts.provider ?? 'clevertap'}
    accountTimezone: UTC
    vars: ${JSON.stringify(vars)}${opts.extraEnv ?? ''}
`,
    );
  }
  write(rel: string, text: string): void {
    const file = path.join(this.root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  campaign(c: CampaignFixture): void {
    this.write(`campaigns/${c.name}.yaml`, campaignYaml(c));
  }
  remove(rel: string): void {
    unlinkSync(path.join(this.root, rel));
  }
  get statePath(): string {
    return path.join(this.root, '.campaignctl', 'test.db');
  }
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export async function emulator(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  return startSandbox({ accountId: ACCOUNT, passcode: PASSCODE, inspection: true, ...opts });
}

/** Short back-offs and no create rate limit, so retries and bursts do not slow the tests. */
const FAST = { createsPerSecond: 1000, retry: { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 6 } };

/** A client of the emulator `h`; `retry` goes over the fast settings (maxAttempts: 1: no retries). */
export function clientFor(h: SandboxHandle, opts: { fast?: boolean; retry?: RetryOptions } = {}): CleverTapClient {
  const fast = opts.fast ? FAST : { retry: {} };
  return createClient({ baseUrl: h.url, accountId: ACCOUNT, passcode: PASSCODE, ...fast, retry: { ...fast.retry, ...opts.retry } });
}

export async function openState(file: string): Promise<StateStore> {
  const opened = await openStateStore(file);
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  return opened.store;
}

/** What each test of a file using useApplyFixture gets, fresh. */
export interface ApplyFixture {
  tp: TempProject;
  emu: SandboxHandle;
  client: CleverTapClient;
  store: StateStore;
}

/**
 * The per-test setup the apply and CLI tests share: before each test a new temp project, an
 * emulator (with `sandbox` settings), a fast-retrying client and the project's SQLite state, handed
 * to `use` (which stores them in the file's variables); after each test all closed and removed.
 */
export function useApplyFixture(use: (fixture: ApplyFixture) => void, sandbox: SandboxOptions = {}): void {
  let current: ApplyFixture | undefined;
  beforeEach(async () => {
    const tp = new TempProject();
    const emu = await emulator(sandbox);
    const client = clientFor(emu, { fast: true });
    current = { tp, emu, client, store: await openState(tp.statePath) };
    use(current);
  });
  afterEach(async () => {
    const f = current;
    current = undefined;
    if (!f) return;
    f.client.close();
    await f.store.close();
    await f.emu.close();
    f.tp.dispose();
  });
}

export async function load(tp: TempProject): Promise<Project> {
  const project = await loadProject({ dir: tp.root, environ: {} });
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n'));
  return project;
}

export const PROVENANCE: Provenance = { command: 'apply', git: NO_GIT };

/** One full cycle, in process: settle, plan, execute (what `apply --yes` does). */
export async function applyOnce(
  tp: TempProject,
  store: StateStore,
  client: CleverTapClient,
  opts: { options?: PlanOptions; deps?: Partial<ExecuteDeps>; now?: Date } = {},
): Promise<{ planned: PlanOutcome; result: ApplyResult | null }> {
  const project = await load(tp);
  const planned = await computePlan({
    project,
    store,
    client,
    now: opts.now ?? new Date(),
    options: { noEstimate: true, ...opts.options },
    provenance: PROVENANCE,
    settle: true,
  });
  if (planned.diagnostics.some((d) => d.severity === 'error')) return { planned, result: null };
  const result = await executePlan(
    { changes: planned.plan.changes, payloads: planned.payloads },
    { store, client, provenance: PROVENANCE, project, desired: planned.desired, raiseOccurrence, ...opts.deps },
  );
  return { planned, result };
}

export async function planOnly(
  tp: TempProject,
  store: StateStore,
  client: CleverTapClient,
  options: PlanOptions = {},
  now: Date = new Date(),
): Promise<PlanOutcome> {
  const project = await load(tp);
  return computePlan({ project, store, client, now, options: { noEstimate: true, ...options }, provenance: PROVENANCE, settle: true });
}
