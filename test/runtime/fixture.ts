/**
 * A real project in a temp folder (contracts as YAML, loaded by loadProject), a real SQLite state
 * file, the emulator on a loopback port and the real client: everything a runtime operation needs,
 * with fakes only at the HTTP edge.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadProject } from '../../src/project-index/load.js';
import type { Project } from '../../src/config/project.js';
import { createTemplateEngine } from '../../src/templates/engine.js';
import type { ClientOptions } from '../../src/clevertap/client.js';
import type { Resource } from '../../src/model/resource.js';
import type { RenderContext } from '../../src/render/context.js';
import type { RuntimeContext } from '../../src/runtime/context.js';
import { openStateStore } from '../../src/state/open.js';
import type { StateStore } from '../../src/state/store.js';
import type { SandboxHandle, SandboxOptions } from '../../src/sandbox/server.js';
import { clientFor, closeClients } from '../clevertap/helpers.js';
import { closeEmulators, emulator } from '../sandbox/helpers.js';

export const TRIGGER_ID = 1695721550;
export const EVENT = 'Album Released';

export const CONFIG = `defaultEnvironment: live
environments:
  live:
    provider: clevertap
    accountTimezone: Europe/Berlin
    vars:
      shopName: ShopNest
`;

export const CONTRACTS: Record<string, string> = {
  'campaigns/messages/order-shipped.yaml': `apiVersion: campaignctl/v1
kind: Message
metadata:
  name: order-shipped
spec:
  target_mode: push
  content:
    title: "Order {{data.orderId}} is on its way"
    body: 'Hi {{ Profile.name | default: "there" }}: your {{vars.shopName}} order {{data.orderId}} shipped with {{data.carrier}}.'
    platform_specific:
      android:
        wzrk_cid: orders
  data:
    type: object
    required: [orderId, carrier]
    additionalProperties: false
    properties:
      orderId:
        type: string
        pattern: "^SN-[0-9]{6,}$"
      carrier:
        type: string
        enum: [DHL, UPS]
      items:
        type: integer
        minimum: 1
  tag_group: transactional-orders
  respect_frequency_caps: false
`,
  'campaigns/messages/receipt.yaml': `apiVersion: campaignctl/v1
kind: Message
metadata:
  name: receipt
spec:
  target_mode: email
  content:
    subject: "Your receipt {{data.orderId}}"
    body: "<p>Thanks for shopping at {{vars.shopName}}</p>"
    sender_name: ShopNest
  data:
    type: object
    required: [orderId]
    properties:
      orderId:
        type: string
  provider_nick_name: ses
`,
  'campaigns/triggers/subscription-upgraded.yaml': `apiVersion: campaignctl/v1
kind: ExternalTrigger
metadata:
  name: subscription-upgraded
spec:
  campaign_id: ${TRIGGER_ID}
  identity: email
  payload:
    type: object
    required: [plan]
    additionalProperties: false
    properties:
      plan:
        type: string
        enum: [Standard, Premium]
      renewsOn:
        type: string
        format: date
`,
  'campaigns/bulletins/album-released.yaml': `apiVersion: campaignctl/v1
kind: Bulletin
metadata:
  name: album-released
spec:
  business_event: ${EVENT}
  c-by: editor@example.com
  properties:
    type: object
    required: [artist, album]
    additionalProperties: false
    properties:
      artist:
        type: string
      album:
        type: string
  occurrences:
    - key: nova-midnight
      at: "2025-06-30T08:00:00+02:00"
      name: "{{properties.artist}}: {{properties.album}} is out"
      properties:
        artist: Nova Lane
        album: Midnight Echoes
    - key: later
      at: "2030-01-01T08:00:00Z"
      name: "Later"
      properties:
        artist: Someone
        album: Later Album
`,
};

const temps: string[] = [];

export function tempDir(prefix = 'campaignctl-runtime-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes campaignctl.yaml and the contracts (overrides replace or add files) into a temp folder. */
export function writeProject(overrides: Record<string, string> = {}): string {
  const dir = tempDir();
  const files = { 'campaignctl.yaml': CONFIG, ...CONTRACTS, ...overrides };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

export interface Fixture {
  dir: string;
  project: Project;
  sandbox: SandboxHandle;
  store: StateStore;
  ctx: RuntimeContext;
  resource<T = Record<string, unknown>>(address: string): Resource<T>;
  close(): Promise<void>;
}

export const NOW = new Date('2025-07-01T12:00:00Z');

export async function fixture(opts: { sandbox?: SandboxOptions; client?: Partial<ClientOptions>; files?: Record<string, string> } = {}): Promise<Fixture> {
  const dir = writeProject(opts.files);
  const project = await loadProject({ dir, environ: {} });
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`fixture project has errors: ${errors.map((d) => `${d.file}:${d.line} ${d.message}`).join('; ')}`);
  const sandbox = await emulator({ externalTriggers: [TRIGGER_ID], businessEvents: [EVENT], ...opts.sandbox });
  const client = clientFor(sandbox, opts.client);
  const opened = await openStateStore(path.join(dir, '.campaignctl', 'state.db'));
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  const store = opened.store;
  const render: RenderContext = {
    engine: createTemplateEngine({ partials: project.partials }),
    vars: project.environment.vars,
    now: NOW,
    accountTimezone: project.environment.accountTimezone,
    locate: (a, p) => project.locate(a, p),
  };
  const ctx: RuntimeContext = {
    client,
    store,
    render,
    provenance: { command: 'send', git: { isRepo: true, commit: 'c0ffee0000000000000000000000000000000000', author: 'Test <t@example.com>', dirty: false } },
    commandTarget: { env: project.environmentName },
  };
  return {
    dir,
    project,
    sandbox,
    store,
    ctx,
    resource<T>(address: string) {
      const r = project.resources().find((x) => x.address === address);
      if (!r) throw new Error(`no ${address} in the fixture`);
      return r as Resource<T>;
    },
    async close() {
      await store.close();
    },
  };
}

/** `n` distinct ids: `user-00001` ... */
export function ids(n: number, prefix = 'user-'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(5, '0')}`);
}

/**
 * Per-test fixtures for a test file: returns `setup(opts)`, and closes every fixture, client,
 * emulator and temp folder after each test. Call once at the top level of a test file.
 */
export function useFixtures(): (opts?: Parameters<typeof fixture>[0]) => Promise<Fixture> {
  const open: Fixture[] = [];
  afterEach(async () => {
    for (const f of open.splice(0)) await f.close();
    closeClients();
    await closeEmulators();
    removeTemps();
  });
  return async (opts = {}) => {
    const f = await fixture(opts);
    open.push(f);
    return f;
  };
}
