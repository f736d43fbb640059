/**
 * Runs raiseOccurrence in ANOTHER process that kills itself with SIGKILL right after the claim
 * (through the operation's own `onClaimed` progress hook, so no test-only code sits in src/):
 * the real "kill -9 between the claim and the call". Node 20 can not run TypeScript, so src/ is
 * transpiled (what the child imports) once per test file into a temp dir whose node_modules and schemas link to the
 * project's (the same approach as test/state/child.ts).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');

/** The child's entry modules; only what they import (relative imports, followed) is transpiled. */
const ENTRIES = ['config/project.ts', 'config/templates/engine.ts', 'clevertap/client.ts', 'state/open.ts', 'runtime/occurrence.ts'];

function imported(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const stack = entries.map((e) => join(ROOT, 'src', e));
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g)) {
      const target = join(dirname(file), m[1]!.replace(/\.js$/, '.ts'));
      if (existsSync(target)) stack.push(target);
    }
  }
  return [...seen];
}

const CHILD = `
import { loadProject } from './src/config/project.js';
import { createTemplateEngine } from './src/config/templates/engine.js';
import { createClient } from './src/clevertap/client.js';
import { openStateStore } from './src/state/open.js';
import { raiseOccurrence } from './src/runtime/occurrence.js';
const [dir, stateFile, url, accountId, passcode, bulletin, key, mode] = process.argv.slice(2);
const project = await loadProject({ dir, environ: {} });
const opened = await openStateStore(stateFile);
if (!opened.ok) { console.log(JSON.stringify({ error: opened.diagnostic.message })); process.exit(3); }
const client = createClient({ baseUrl: url, accountId, passcode });
const resource = project.resources.find((r) => r.address === bulletin);
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
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  symlinkSync(join(ROOT, 'schemas'), join(dir, 'schemas'), 'dir');
  // packageSchemasDir() finds the schemas next to the campaignctl package.json.
  writeFileSync(join(dir, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  for (const file of imported(ENTRIES)) {
    const out = join(dir, relative(ROOT, file)).replace(/\.ts$/, '.js');
    const js = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    }).outputText;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
  }
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
