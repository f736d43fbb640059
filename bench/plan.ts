/**
 * `npm run bench -- plan [--corpus varied|push-heavy|mixed|all] [--count N] [--cold-runs N]
 *   [--apply-runs N] [--warm-runs N] [--cold-only] [--keep] [--cpu-prof DIR]`: the plan path on a big project.
 *
 * Writes the corpus (default `varied`, 10,000 files; see ./plan-corpus.ts) in a temp dir and
 * measures, in one run, each figure next to its goal and its floor:
 *   cold plan      `plan --no-estimate` with no cache and empty state, paired with the parse floor F
 *                  (one process that reads and yaml-`parseDocument`s every file, one thread): each
 *                  pair runs back to back, so machine load moves both alike; the figure is the
 *                  median of the pairs' ratios (default 3 pairs). Goal <= 0.5 x F. With each pair
 *                  the same plan runs with the other thread count (CAMPAIGNCTL_THREADS=1 where
 *                  the default starts workers, else one per core), printed beside it: not a goal,
 *                  the evidence for how many threads a cold load should use (defaultThreads).
 *   first plan after an apply
 *                  edit one Campaign, `campaignctl apply --yes`, then `plan`: the plan a user runs
 *                  to check the apply landed (median of --apply-runs, default 3, each a new edit).
 *                  Goal <= 0.8 s; floor S.
 *   repeated no-change plan
 *                  `plan` again and again with nothing changed (median of --warm-runs, default 5).
 *                  Goal <= 0.3 s; floor S: one process that stats every file of the project, the
 *                  least any tool does to notice that nothing changed.
 *   peak RSS       the largest of every measured plan process. Goal <= 300 MB; floor: F's process.
 * --cold-only stops after the cold figure (and its peak RSS): no seeding, no apply, a few minutes
 * less when only the cold load is being worked on.
 * Every figure is PASS or MISS; a miss does not fail the bench (exit 0), an error does (exit 1).
 * Every measured command is its own process, timed whole (start to exit, wall clock); peak RSS and
 * CPU come from the child itself (bench/rusage-probe.cts), worker threads included.
 *
 * CleverTap is a strict emulator in this bench process (it refuses request fields the contract
 * does not list), reached like real CleverTap through CLEVERTAP_API_URL, so the measured
 * processes are campaignctl alone. Before the apply figures the whole project is applied in this
 * process by the apply code itself (computePlan + executePlan + syncMetadata, as `apply --yes`
 * runs them) with a client whose createsPerSecond does not bind: campaignctl.yaml allows at most 3
 * creates a second, and 10,000 creates would take an hour. The edits are then applied by the built
 * CLI with the environment's default limits, as a user would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computePlan } from '../src/apply/planning.js';
import { executePlan } from '../src/apply/executor.js';
import { raiseOccurrence } from '../src/runtime/occurrence.js';
import { syncMetadata } from '../src/apply/metadata.js';
import { createClient } from '../src/clevertap/client.js';
import { poolSize } from '../src/config/check-pool.js';
import { loadProject } from '../src/project-index/load.js';
import { startSandbox } from '../src/sandbox/server.js';
import { openStateStore } from '../src/state/open.js';
import { freshMemoryMsPerMb, loadAfter, loadLine, measureCli, measureNode, median, numberFlag, s2, tail, textFlag, verdict, type Measured } from './measure.js';
import { CORPORA, isCorpusName, writeCorpus, type CorpusName, type WrittenCorpus } from './plan-corpus.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PARSE_FLOOR = path.join(HERE, 'plan-floor.js');
const STAT_FLOOR = path.join(HERE, 'stat-floor.js');

export const GOALS = { coldRatio: 0.5, afterApplySeconds: 0.8, noChangeSeconds: 0.3, rssMb: 300 };
const PASSCODE = 'bench-passcode';
const ACCOUNT = 'BENCH-ACCOUNT';
const ENVIRONMENT = '    provider: clevertap\n    accountTimezone: Europe/Berlin\n';

interface Settings {
  count: number;
  coldRuns: number;
  applyRuns: number;
  warmRuns: number;
  keep: boolean;
  coldOnly: boolean;
  profileDir: string | null;
}

export interface CorpusFigures {
  corpus: CorpusName;
  coldRatio: number;
  coldSeconds: number;
  floorSeconds: number;
  afterApplySeconds: number;
  noChangeSeconds: number;
  statFloorSeconds: number;
  peakRssMb: number;
  load: string;
  /** freshMemoryMsPerMb before the corpus: the machine's state, not a figure. */
  freshMemoryMs: number;
}

export async function run(args: string[]): Promise<number> {
  const corpusArg = textFlag(args, '--corpus') ?? 'varied';
  const names: CorpusName[] = corpusArg === 'all' ? [...CORPORA] : isCorpusName(corpusArg) ? [corpusArg] : [];
  if (names.length === 0) {
    process.stderr.write(`--corpus must be one of ${CORPORA.join(', ')} or all (got ${corpusArg})\n`);
    return 1;
  }
  const profIndex = args.indexOf('--cpu-prof');
  const settings: Settings = {
    count: numberFlag(args, '--count', 10_000),
    coldRuns: numberFlag(args, '--cold-runs', 3),
    applyRuns: numberFlag(args, '--apply-runs', 3),
    warmRuns: numberFlag(args, '--warm-runs', 5),
    keep: args.includes('--keep'),
    coldOnly: args.includes('--cold-only'),
    profileDir: profIndex >= 0 && args[profIndex + 1] ? path.resolve(args[profIndex + 1]!) : null,
  };
  const all: CorpusFigures[] = [];
  for (const name of names) all.push(await runCorpus(name, settings));
  if (all.length > 1) say(summary(all));
  return 0;
}

const say = (line: string) => process.stdout.write(line + '\n');
const faults = (m: Measured) => `${m.minorFaults.toLocaleString('en-US')} page faults`;

async function runCorpus(name: CorpusName, settings: Settings): Promise<CorpusFigures> {
  const { count } = settings;
  const dir = mkdtempSync(path.join(tmpdir(), `campaignctl-bench-plan-${name}-`));
  const written = writeCorpus(name, dir, { count, now: new Date() }, ENVIRONMENT);
  const sandbox = await startSandbox({ port: 0, accountId: ACCOUNT, passcode: PASSCODE, latencyMs: 0, accountTimezone: 'Europe/Berlin', strict: true, ...written.sandbox });
  const env = { CLEVERTAP_API_URL: sandbox.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, NO_COLOR: '1' };
  const cli = (cliArgs: string[], more: Record<string, string> = {}) => measureCli(cliArgs, dir, { ...env, ...more }, { cpuProfileDir: settings.profileDir });
  try {
    const kinds = Object.entries(written.kinds)
      .map(([k, n]) => `${n.toLocaleString('en-US')} ${k}`)
      .join(', ');
    say(`plan benchmark, corpus ${name}: ${count.toLocaleString('en-US')} files (${kinds}) in ${settings.keep ? dir : 'a temp dir'}; ${availableParallelism()} cores (${cpus()[0]?.model ?? 'CPU model unknown'})`);
    say(`  CleverTap: a strict emulator (zero latency) in the bench process, reached through CLEVERTAP_API_URL; the timed processes are campaignctl alone`);
    const freshMemoryMs = freshMemoryMsPerMb();
    say(`  load average before: ${loadLine()}; fresh memory ${freshMemoryMs.toFixed(2)} ms per MB touched (page faults; not a goal: see docs/performance.md)`);

    // Cold plans, each paired with a floor measured right before it under the same load.
    // With each pair, the same cold plan with the other thread count: not a goal, the evidence for
    // how many threads a cold load should use on this machine (defaultThreads).
    const defaultThreads = poolSize({});
    const otherThreads = defaultThreads > 1 ? 1 : availableParallelism();
    const pairs: { floor: Measured; cold: Measured; ratio: number; other: Measured }[] = [];
    const coldPlan = async (more: Record<string, string> = {}) => {
      rmSync(path.join(dir, '.campaignctl'), { recursive: true, force: true });
      const cold = await cli(['plan', '--no-estimate', '--env', 'bench', '--detailed-exitcode'], more);
      if (cold.code !== 2 || !/Plan: [\d,]+ to create/.test(cold.stdout)) throw new Error(`cold plan did not plan the creates (exit ${cold.code}): ${tail(cold)}`);
      return cold;
    };
    for (let i = 0; i < settings.coldRuns; i++) {
      const floor = await measureNode([PARSE_FLOOR, dir], dir, env);
      if (floor.code !== 0) throw new Error(`floor process failed: ${floor.stderr}`);
      // Which goes first alternates, so a machine that speeds up or slows down favours neither.
      let cold: Measured;
      let other: Measured;
      if (i % 2 === 0) {
        cold = await coldPlan();
        other = await coldPlan({ CAMPAIGNCTL_THREADS: String(otherThreads) });
      } else {
        other = await coldPlan({ CAMPAIGNCTL_THREADS: String(otherThreads) });
        cold = await coldPlan();
      }
      pairs.push({ floor, cold, ratio: cold.seconds / floor.seconds, other });
    }
    const middle = median(pairs, (p) => p.ratio);
    const allPairs = pairs.map((p) => `${p.floor.seconds.toFixed(2)}/${p.cold.seconds.toFixed(2)}/${p.ratio.toFixed(2)}`).join(', ');
    say(
      `  cold plan --no-estimate    ${middle.ratio.toFixed(2)} x F (${s2(middle.cold.seconds)}), median of ${pairs.length} pairs   goal <= ${GOALS.coldRatio} x F   floor F ${s2(middle.floor.seconds)}   ${verdict(middle.ratio <= GOALS.coldRatio)}`,
    );
    say(
      `      [cold ${middle.cold.cpuSeconds.toFixed(2)} s CPU, ${middle.cold.rssMb} MB, ${faults(middle.cold)}; F ${middle.floor.cpuSeconds.toFixed(2)} s CPU, ${middle.floor.rssMb} MB, ${faults(middle.floor)}; pairs F/cold/ratio: ${allPairs}]`,
    );
    say(`      [${cpuBound(middle.cold.cpuSeconds, middle.floor.seconds, availableParallelism())}]`);
    const other = median(pairs, (p) => p.other.seconds / p.floor.seconds);
    say(
      `      [default here: ${defaultThreads} thread(s); with CAMPAIGNCTL_THREADS=${otherThreads}: ${(other.other.seconds / other.floor.seconds).toFixed(2)} x F, median; ${pairs.map((p) => `${s2(p.other.seconds)}`).join(', ')}; ${other.other.cpuSeconds.toFixed(2)} s CPU (not a goal: how many threads a cold load should use here)]`,
    );

    if (settings.coldOnly) {
      const peak = Math.max(...pairs.map((p) => p.cold.rssMb));
      say(`  peak RSS (cold plans)      ${peak} MB   goal <= ${GOALS.rssMb} MB   ${verdict(peak <= GOALS.rssMb)}`);
      say(`  (--cold-only: the apply and no-change figures were not measured)`);
      const load = loadLine();
      say(`  ${loadAfter()}`);
      return { corpus: name, coldRatio: middle.ratio, coldSeconds: middle.cold.seconds, floorSeconds: middle.floor.seconds, afterApplySeconds: NaN, noChangeSeconds: NaN, statFloorSeconds: NaN, peakRssMb: peak, load, freshMemoryMs };
    }

    const seedStart = performance.now();
    const seeded = await seedState(dir, sandbox.url, env);
    say(`      seeding: ${seeded} changes applied in this process in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (not a figure)`);

    const statFloors: Measured[] = [];
    for (let i = 0; i < 3; i++) statFloors.push(await measureNode([STAT_FLOOR, dir], dir, env));
    const statFloor = median(statFloors, (m) => m.seconds);

    // A user's loop: edit, apply, plan to see it landed.
    const afterApply: Measured[] = [];
    const applies: Measured[] = [];
    for (let k = 0; k < settings.applyRuns; k++) {
      editCampaign(dir, written, k);
      const applied = await cli(['apply', '--yes', '--env', 'bench']);
      if (applied.code !== 0) throw new Error(`apply of one edit failed (exit ${applied.code}): ${tail(applied)}`);
      applies.push(applied);
      const m = await cli(['plan', '--env', 'bench', '--detailed-exitcode']);
      if (m.code !== 0 || !/No changes/.test(m.stdout)) throw new Error(`the plan after apply is not a no-change plan (exit ${m.code}): ${tail(m)}`);
      afterApply.push(m);
    }
    const firstAfter = median(afterApply, (m) => m.seconds);
    say(
      `  first plan after an apply  ${s2(firstAfter.seconds)}, median of ${afterApply.length}   goal <= ${GOALS.afterApplySeconds} s   floor S ${s2(statFloor.seconds)}   ${verdict(firstAfter.seconds <= GOALS.afterApplySeconds)}`,
    );
    say(
      `      [runs ${afterApply.map((m) => m.seconds.toFixed(2)).join(', ')} s; ${firstAfter.cpuSeconds.toFixed(2)} s CPU; each after editing one Campaign's title and \`apply --yes\` (${applies.map((m) => m.seconds.toFixed(1)).join(', ')} s, ${Math.max(...applies.map((m) => m.rssMb))} MB)]`,
    );

    const warm: Measured[] = [];
    for (let i = 0; i < settings.warmRuns; i++) {
      const m = await cli(['plan', '--env', 'bench', '--detailed-exitcode', '--verbose']);
      if (m.code !== 0 || !/No changes/.test(m.stdout)) throw new Error(`the repeated plan is not a no-change plan (exit ${m.code}): ${tail(m)}`);
      warm.push(m);
    }
    const repeated = median(warm, (m) => m.seconds);
    say(
      `  repeated no-change plan    ${s2(repeated.seconds)}, median of ${warm.length}   goal <= ${GOALS.noChangeSeconds} s   floor S ${s2(statFloor.seconds)}   ${verdict(repeated.seconds <= GOALS.noChangeSeconds)}`,
    );
    const cacheLine = repeated.stderr.split('\n').find((l) => /cache|record|index/i.test(l));
    say(`      [runs ${warm.map((m) => m.seconds.toFixed(2)).join(', ')} s; ${repeated.cpuSeconds.toFixed(2)} s CPU; S: stat ${statFloor.stdout.trim().replace('files ', '')} files, ${statFloor.cpuSeconds.toFixed(2)} s CPU${cacheLine ? `; --verbose: ${cacheLine.trim()}` : ''}]`);

    const plans = [...pairs.map((p) => p.cold), ...afterApply, ...warm];
    const peak = Math.max(...plans.map((m) => m.rssMb));
    const floorRss = Math.max(...pairs.map((p) => p.floor.rssMb));
    say(`  peak RSS                   ${peak} MB   goal <= ${GOALS.rssMb} MB   floor F's process ${floorRss} MB   ${verdict(peak <= GOALS.rssMb)}`);
    say(`      [cold ${Math.max(...pairs.map((p) => p.cold.rssMb))} MB, after apply ${Math.max(...afterApply.map((m) => m.rssMb))} MB, repeated ${Math.max(...warm.map((m) => m.rssMb))} MB]`);
    const load = loadLine();
    say(`  ${loadAfter()}`);
    return {
      corpus: name,
      coldRatio: middle.ratio,
      coldSeconds: middle.cold.seconds,
      floorSeconds: middle.floor.seconds,
      afterApplySeconds: firstAfter.seconds,
      noChangeSeconds: repeated.seconds,
      statFloorSeconds: statFloor.seconds,
      peakRssMb: peak,
      load,
      freshMemoryMs,
    };
  } finally {
    await sandbox.close();
    if (!settings.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Changes the title of the k-th edited Campaign (a real change: apply replaces the campaign). */
export function editCampaign(dir: string, written: WrittenCorpus, k: number): () => void {
  const file = path.join(dir, written.campaignFiles[(k * 97) % written.campaignFiles.length]!);
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/^ {2}title: (.*)$/m, (_, title: string) => `  title: ${title} (edit ${k + 1})`);
  if (edited === text) throw new Error(`no spec title to edit in ${file}`);
  writeFileSync(file, edited);
  return () => writeFileSync(file, text);
}

/** Applies the whole project into its state file, as `campaignctl apply --yes` would; returns the changes applied. */
export async function seedState(dir: string, baseUrl: string, env: Record<string, string>): Promise<number> {
  const project = await loadProject({ dir, env: 'bench', environ: env });
  if (project.diagnostics.some((d) => d.severity === 'error')) throw new Error(`the generated project has errors: ${project.diagnostics[0]!.message}`);
  const opened = await openStateStore(project.environment.state);
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  const store = opened.store;
  const client = createClient({ baseUrl, accountId: ACCOUNT, passcode: PASSCODE, concurrency: 3, createsPerSecond: 1_000_000 });
  const provenance = { command: 'apply', git: { isRepo: false, commit: null, author: null, dirty: false } };
  try {
    const outcome = await computePlan({ project, store, client, now: new Date(), options: { noEstimate: true }, provenance, settle: true });
    if (outcome.diagnostics.some((d) => d.severity === 'error')) throw new Error(`seeding plan refused: ${outcome.diagnostics[0]!.message}`);
    const result = await executePlan({ changes: outcome.plan.changes, payloads: outcome.payloads }, { store, client, provenance, project, desired: outcome.desired, raiseOccurrence });
    if (!result.ok) throw new Error(`seeding apply failed: ${result.failed} failed, first: ${result.outcomes.find((o) => o.status === 'failed')?.message}`);
    await syncMetadata(store, outcome.desired, provenance);
    return result.applied;
  } finally {
    client.close();
    await store.close();
  }
}

/**
 * The least wall time the cold plan's CPU allows on this machine, as a fraction of F: a process
 * can not finish sooner than its CPU time (all threads, V8's own included) over the cores, however
 * its work is split. Not a goal: it tells whether a miss here needs less CPU or better use of the
 * cores (on 2 cores V8's background compiling and collecting already keep the second one busy).
 */
export function cpuBound(cpuSeconds: number, floorSeconds: number, cores: number): string {
  const bound = cpuSeconds / cores / floorSeconds;
  const reading = bound > GOALS.coldRatio ? 'above the goal: here only less CPU can meet it, not more threads' : 'within the goal: here better use of the cores could meet it';
  return `bound: ${cpuSeconds.toFixed(2)} s CPU over ${cores} cores is at least ${bound.toFixed(2)} x F of wall time however it is split; ${reading} (not a goal)`;
}

function summary(all: CorpusFigures[]): string {
  const row = (cells: string[]) => `  ${cells[0]!.padEnd(11)}${cells.slice(1).map((c) => c.padEnd(22)).join('')}`;
  const lines = [
    '',
    'summary (goal each; floor in brackets)',
    row(['corpus', `cold <= ${GOALS.coldRatio} x F`, `after apply <= ${GOALS.afterApplySeconds} s`, `no-change <= ${GOALS.noChangeSeconds} s`, `peak RSS <= ${GOALS.rssMb} MB`, 'fresh memory', 'load after']),
  ];
  for (const f of all) {
    lines.push(
      row([
        f.corpus,
        `${f.coldRatio.toFixed(2)} [F ${f.floorSeconds.toFixed(2)} s] ${verdict(f.coldRatio <= GOALS.coldRatio)}`,
        Number.isNaN(f.afterApplySeconds) ? 'not measured' : `${f.afterApplySeconds.toFixed(2)} s [S ${f.statFloorSeconds.toFixed(2)}] ${verdict(f.afterApplySeconds <= GOALS.afterApplySeconds)}`,
        Number.isNaN(f.noChangeSeconds) ? 'not measured' : `${f.noChangeSeconds.toFixed(2)} s [S ${f.statFloorSeconds.toFixed(2)}] ${verdict(f.noChangeSeconds <= GOALS.noChangeSeconds)}`,
        `${f.peakRssMb} MB ${verdict(f.peakRssMb <= GOALS.rssMb)}`,
        `${f.freshMemoryMs.toFixed(2)} ms/MB`,
        f.load,
      ]),
    );
  }
  return lines.join('\n');
}
