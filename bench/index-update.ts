/**
 * `npm run bench -- index-update [--corpus varied|push-heavy|mixed|all] [--count N] [--runs N]`:
 * the daemon's path, in one process. A ProjectIndex over N campaign files of the corpus (default
 * varied, 10,000 files; bench/plan-corpus.ts), its desired state
 * derived once, and the state an apply of all of it leaves (rows and CleverTap's statuses, held in
 * memory as a daemon holds them). Then, per run: one campaign file's text changed on disk (its
 * body, so the plan has a replace to show), `index.update([that file])`, desired state (the last
 * plan's with the edited resources' entries replaced, as the daemon's index keeps it) and the pure
 * planner over the whole project, handed desired state's index and sorted addresses and frozen
 * rows as the daemon hands them. Timed from the update to the plan;
 * the median is printed next to its goal (<= 50 ms on 10,000 files).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareDesired, type DesiredMemo } from '../src/apply/desired.js';
import { textFlag } from './measure.js';
import type { AppliedResource, RemoteCampaign } from '../src/model/applied.js';
import { plan as runPlanner } from '../src/plan/plan.js';
import { ProjectIndex } from '../src/project-index/project-index.js';
import { CORPORA, isCorpusName, writeCorpus, type CorpusName } from './plan-corpus.js';

const GOAL_MS = 50;

/** A quoted one-line body (push, SMS, a push Message): an edit there changes one spec and keeps the file valid. */
const BODY = /(\n {4}body: ['"])/;

export async function run(args: string[]): Promise<number> {
  const corpusArg = textFlag(args, '--corpus') ?? 'varied';
  const names: CorpusName[] = corpusArg === 'all' ? [...CORPORA] : isCorpusName(corpusArg) ? [corpusArg] : [];
  if (names.length === 0) throw new Error(`--corpus: one of ${CORPORA.join(', ')} or all, not ${corpusArg}`);
  const medians: [CorpusName, number][] = [];
  for (const name of names) medians.push([name, await runCorpus(name, flag(args, '--count', 10_000), flag(args, '--runs', 9))]);
  if (medians.length > 1) {
    process.stdout.write(`summary (goal <= ${GOAL_MS} ms): ${medians.map(([n, m]) => `${n} ${m.toFixed(1)} ms ${m <= GOAL_MS ? 'PASS' : 'MISS'}`).join('; ')}\n`);
  }
  // A miss is reported, not failed: on a shared machine one slow run is not a regression.
  return 0;
}

async function runCorpus(corpus: CorpusName, count: number, runs: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-bench-index-'));
  const say = (line: string) => process.stdout.write(line + '\n');
  try {
    const now = new Date();
    writeCorpus(corpus, dir, { count, now }, '    provider: clevertap\n    accountTimezone: Europe/Berlin\n');
    const index = new ProjectIndex({ root: dir, requested: 'bench', resolve: { root: dir, cwd: dir, environ: {} } });
    const coldStart = performance.now();
    await index.refresh(now);
    const coldMs = performance.now() - coldStart;
    const memo: DesiredMemo = { get: (k) => index.get(k), set: (k, v) => index.set(k, v), save: () => true, kept: (r) => index.keptDesired(r), keep: (r, d) => index.keepDesired(r, d), last: () => index.lastDesired(), keepLast: (l) => index.keepLastDesired(l) };
    const first = index.project();
    if (first.diagnostics.some((d) => d.severity === 'error')) throw new Error(`the generated project has errors: ${first.diagnostics[0]!.message}`);
    const desired = prepareDesired(first, { memo }).desired;
    // Frozen, as the daemon's are: state's rows kept while its revision stands, the kept refresh's rows.
    const applied: readonly AppliedResource[] = desired.map((d, i) => ({
      address: d.resource.address,
      kind: d.resource.kind,
      specHash: d.specHash,
      spec: d.canonicalSpec,
      labels: d.resource.labels,
      protect: d.resource.protect,
      remoteId: i + 1,
      remoteName: d.resource.name,
      status: 'scheduled',
      scheduledFor: null,
      appliedAt: now.toISOString(),
      file: d.resource.source.file,
      commit: null,
      author: null,
    }));
    Object.freeze(applied);
    const remote: RemoteCampaign[] = Object.freeze(applied.map((a) => ({ id: a.remoteId!, name: a.remoteName!, status: 'pending', scheduledOn: null }))) as RemoteCampaign[];

    // Files spread over the project, each with a body to edit (picked before the clock starts).
    const paths = first.files.map((f) => f.path);
    const edits: [string, string][] = [];
    for (let k = 0; edits.length < runs && k < paths.length; k++) {
      const file = paths[(k * 997) % paths.length]!;
      const text = readFileSync(path.join(dir, file), 'utf8');
      if (BODY.test(text) && !edits.some(([f]) => f === file)) edits.push([file, text]);
    }
    if (edits.length < runs) throw new Error(`only ${edits.length} files of the ${corpus} corpus have a body to edit`);
    const times: number[] = [];
    let changes = 0;
    for (let i = 0; i < runs; i++) {
      const [file, text] = edits[i]!;
      writeFileSync(path.join(dir, file), text.replace(BODY, `$1Edited ${i}: `));
      const start = performance.now();
      await index.update([file], now);
      const project = index.project();
      const state = prepareDesired(project, { memo });
      // As the daemon plans (../src/apply/planning.ts): desired state's index and sorted addresses handed over.
      const planned = runPlanner({
        desired: state.desired,
        desiredByAddress: state.byAddress,
        desiredAddresses: state.byAddress.sortedAddresses(),
        desiredAlong: (a) => state.byAddress.along(a),
        applied,
        remote,
        now,
        accountTimezone: project.environment.accountTimezone,
        commandTarget: { env: project.environmentName },
        locate: (a, p) => project.locate(a, p),
      });
      times.push(performance.now() - start);
      changes += planned.plan.changes.length;
      writeFileSync(path.join(dir, file), text);
      await index.update([file], now);
    }
    if (changes !== runs) throw new Error(`expected one change per edit, the plans had ${changes} changes in ${runs} runs`);
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    const rss = Math.round(process.resourceUsage().maxRSS / 1024);
    say(`index-update benchmark, corpus ${corpus}: ${count.toLocaleString('en-US')} files, in-process (the daemon's path)`);
    say(`  index built from nothing   ${(coldMs / 1000).toFixed(2)} s  (not a goal)`);
    say(`  update + plan, one edit    ${median.toFixed(1)} ms  median of ${runs} (goal <= ${GOAL_MS} ms): ${median <= GOAL_MS ? 'PASS' : 'MISS'}  [runs ${times.map((t) => t.toFixed(1)).join(', ')} ms; each plan shows the one change]`);
    say(`  peak RSS                   ${rss} MB`);
    return median;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
