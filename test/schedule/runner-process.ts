/**
 * A run-due runner in its own node process, driven pass by pass over a simulated clock: the parent
 * sends an instant, the child runs one runner pass (src/schedule/run-due.ts, from the build in dist/)
 * at that instant and answers what it fired and skipped. Starting one costs a node start and a
 * project load; a pass then costs what a pass costs. So a test can run a thousand passes, end the
 * process at any point (cleanly, or with SIGKILL, even while a request is in flight) and go on with
 * a new process on the same SQLite state, the way cron starts a fresh `run-due` every minute.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const dist = (rel: string) => pathToFileURL(resolve(import.meta.dirname, '../../dist/src', rel)).href;

/**
 * The child: its clock is the one the parent last sent (the state store stamps claims with it);
 * the project and CleverTap come from the environment, as for the CLI.
 */
const CHILD = `
import { createInterface } from 'node:readline';
import { loadProject } from '${dist('project-index/load.js')}';
import { connect, openState } from '${dist('operations/connect.js')}';
import { useClock } from '${dist('time/clock.js')}';
import { NO_GIT } from '${dist('state/record.js')}';
import { runDue } from '${dist('schedule/run-due.js')}';

const [dir, start] = process.argv.slice(2);
let current = new Date(start);
useClock({ now: () => current, startedAt: current, rate: 1, realMs: (ms) => ms });
const project = await loadProject({ dir, now: current, cache: false, threads: 1 });
const state = await openState(project);
const connected = await connect(project);
if (!state.ok || !connected.ok) {
  console.log(JSON.stringify({ error: [...(state.diagnostics ?? []), ...(connected.diagnostics ?? [])].map((d) => d.message) }));
  process.exit(3);
}
const store = state.store;
const { client } = connected.connection;
const provenance = { command: 'run-due', git: NO_GIT };
console.log(JSON.stringify({ ready: process.pid }));
for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line);
  if (msg.exit) break;
  current = new Date(msg.now);
  const r = await runDue({ store, client, project, now: current, provenance, commandTarget: { env: undefined } });
  console.log(JSON.stringify({ now: msg.now, fired: r.fired, skipped: r.skipped, ok: r.ok }));
}
await connected.connection.close();
await store.close();
// stdin is still open (the parent holds it): end explicitly, as a run-due process ends after its pass.
process.exit(0);
`;

export interface PassEntry {
  address: string;
  fireTime: string;
  status?: string;
  reason?: string;
  detail?: string;
}

export interface PassResult {
  now: string;
  fired: PassEntry[];
  skipped: PassEntry[];
  ok: boolean;
}

let scriptDir: string | null = null;

function script(): string {
  if (!scriptDir) scriptDir = mkdtempSync(join(tmpdir(), 'campaignctl-runner-'));
  const file = join(scriptDir, 'runner.mjs');
  writeFileSync(file, CHILD);
  return file;
}

export function removeRunnerScript(): void {
  if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
  scriptDir = null;
}

export class RunnerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<NodeJS.Signals | number | null>;
  #lines: string[] = [];
  #waiting: ((line: string | null) => void) | null = null;
  #closed = false;
  #stderr = '';

  private constructor(dir: string, start: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [script(), dir, start], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.#stderr += d));
    this.exited = new Promise((res) => this.child.once('exit', (code, signal) => res(signal ?? code)));
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => {
      if (this.#waiting) {
        const w = this.#waiting;
        this.#waiting = null;
        w(line);
      } else this.#lines.push(line);
    });
    lines.on('close', () => {
      this.#closed = true;
      this.#waiting?.(null);
    });
  }

  /** Starts a runner on the project in `dir`, its clock at `start`; resolves once it is ready for passes. */
  static async start(dir: string, start: string, env: NodeJS.ProcessEnv): Promise<RunnerProcess> {
    const r = new RunnerProcess(dir, start, env);
    const first = await r.#next();
    if (!first || !('ready' in JSON.parse(first))) throw new Error(`runner did not start: ${first ?? ''} ${r.#stderr}`);
    return r;
  }

  #next(): Promise<string | null> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#closed) return Promise.resolve(null);
    return new Promise((res) => (this.#waiting = res));
  }

  /** One pass at `now`. */
  async pass(now: string): Promise<PassResult> {
    this.child.stdin!.write(`${JSON.stringify({ now })}\n`);
    const line = await this.#next();
    if (line === null) throw new Error(`runner ended during the pass at ${now}: ${this.#stderr}`);
    return JSON.parse(line) as PassResult;
  }

  /**
   * One pass at `now`, killed with SIGKILL as soon as `inFlight` holds (polled), e.g. once CleverTap
   * took a request it does not answer. Resolves with the pass's result if it finished first.
   */
  async passKilledWhen(now: string, inFlight: () => boolean): Promise<PassResult | 'killed'> {
    this.child.stdin!.write(`${JSON.stringify({ now })}\n`);
    const answer = this.#next();
    let done = false;
    void answer.then(() => (done = true));
    while (!done) {
      if (inFlight()) {
        this.child.kill('SIGKILL');
        await this.exited;
        return 'killed';
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const line = await answer;
    if (line === null) throw new Error(`runner ended during the pass at ${now}: ${this.#stderr}`);
    return JSON.parse(line) as PassResult;
  }

  /** Ends the process cleanly (state and connection closed). */
  async stop(): Promise<void> {
    this.child.stdin!.write(`${JSON.stringify({ exit: true })}\n`);
    const how = await this.exited;
    if (how !== 0) throw new Error(`runner ended with ${String(how)}: ${this.#stderr}`);
  }

  /** SIGKILL between passes. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
