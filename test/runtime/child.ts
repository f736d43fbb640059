/**
 * Runs raiseOccurrence in ANOTHER process that kills itself with SIGKILL right after the claim
 * (through the operation's own `onClaimed` progress hook, so no test-only code sits in src/):
 * the real "kill -9 between the claim and the call". Node 20 can not run TypeScript, so the child
 * imports the build in dist/ (npm test builds it; test/global-setup.ts rebuilds it when stale).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIST = pathToFileURL(resolve(import.meta.dirname, '../../dist/src')).href;

const CHILD = `
import { loadProject } from '${DIST}/project-index/load.js';
import { createTemplateEngine } from '${DIST}/templates/engine.js';
import { createClient } from '${DIST}/clevertap/client.js';
import { openStateStore } from '${DIST}/state/open.js';
import { raiseOccurrence } from '${DIST}/runtime/occurrence.js';
const [dir, stateFile, url, accountId, passcode, bulletin, key, mode] = process.argv.slice(2);
const project = await loadProject({ dir, environ: {} });
const opened = await openStateStore(stateFile);
if (!opened.ok) { console.log(JSON.stringify({ error: opened.diagnostic.message })); process.exit(3); }
const client = createClient({ baseUrl: url, accountId, passcode });
const resource = project.resources().find((r) => r.address === bulletin);
const ctx = {
  client,
  store: opened.store,
  render: { engine: createTemplateEngine({ partials: project.partials }), vars: project.environment.vars, now: new Date(), accountTimezone: project.environment.accountTimezone },
  provenance: { command: 'apply', git: { isRepo: false, commit: null, author: null, dirty: false } },
  hooks: {
    onClaimed: async () => {
      if (mode === 'die-after-claim') {
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => {});
      }
    },
  },
};
const result = await raiseOccurrence(ctx, { bulletin: resource, key });
console.log(JSON.stringify({ status: result.status }));
client.close();
await opened.store.close();
`;

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

export interface OccurrenceChild {
  /** raiseOccurrence in a fresh node process; `die-after-claim` SIGKILLs it after the claim. */
  raise(args: { dir: string; stateFile: string; url: string; accountId: string; passcode: string; bulletin: string; key: string; mode: 'die-after-claim' | 'normal' }): Promise<ChildResult>;
  dispose(): void;
}

export function createOccurrenceChild(): OccurrenceChild {
  const dir = mkdtempSync(join(tmpdir(), 'campaignctl-runtime-child-'));
  writeFileSync(join(dir, 'child.mjs'), CHILD);
  return {
    raise(a) {
      return new Promise((resolveRun) => {
        execFile(
          process.execPath,
          [join(dir, 'child.mjs'), a.dir, a.stateFile, a.url, a.accountId, a.passcode, a.bulletin, a.key, a.mode],
          { cwd: dir, timeout: 30_000 },
          (err, stdout) => {
            const e = err as (Error & { code?: number | null; signal?: NodeJS.Signals | null }) | null;
            resolveRun({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout });
          },
        );
      });
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
