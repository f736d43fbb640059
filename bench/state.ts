/**
 * `npm run bench -- state [--count N] [--warm-runs N] [--claim-seconds S] [--pg URL]`: the
 * PostgreSQL state next to SQLite's, in one run, on one project and one emulator.
 *   apply          the whole project (default 10,000 campaigns, corpus `varied`) applied into an
 *                  empty state, in this process by the apply code itself (as plan.ts seeds), once
 *                  into a SQLite file and once into a PostgreSQL schema. Reported, no goal.
 *   no-change plan `plan` with nothing changed, the built CLI as its own process, with
 *                  CAMPAIGNCTL_STATE naming each state in turn (median of --warm-runs, default 5,
 *                  interleaved so machine load moves both alike). Goal: PostgreSQL <= 1.5 x SQLite.
 *   tick claims    4 claimers (PostgreSQL: 4 stores, 4 pools; SQLite: one store) claim the same ticks
 *                  of 10 schedules as replicas do, through the pass's own claimTick
 *                  (src/schedule/fire.ts: the ledger read, then one transaction: the cursor row,
 *                  skipped when another claimer holds it, moved, and the ledger read under the
 *                  lock, in one round trip on PostgreSQL (RunStore.takeTick); the overlap check;
 *                  the claim). Between minutes the winners mark their runs done, as a pass does
 *                  after the send: not timed, printed apart. Every tick is won exactly once
 *                  (checked). Figure: ticks decided per second.
 *                  Goal: PostgreSQL >= 500/s.
 * PostgreSQL is CAMPAIGNCTL_TEST_PG_URL (or --pg), in a fresh schema dropped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startSandbox } from '../src/sandbox/server.js';
import { claimTick } from '../src/schedule/fire.js';
import { openStateStore } from '../src/state/open.js';
import type { RunKey, StateStore } from '../src/state/store.js';
import { loadAfter, loadLine, measureCli, median, numberFlag, s2, tail, textFlag, verdict, type Measured } from './measure.js';
import { seedState } from './plan.js';
import { writeCorpus } from './plan-corpus.js';

export const GOALS = { planRatio: 1.5, claimsPerSecond: 500 };
const PASSCODE = 'bench-passcode';
const ACCOUNT = 'BENCH-ACCOUNT';
const ENVIRONMENT = '    provider: clevertap\n    accountTimezone: Europe/Berlin\n';
const CLAIMERS = 4;
const SCHEDULES = 10;

const say = (line: string) => process.stdout.write(line + '\n');

export async function run(args: string[]): Promise<number> {
  const count = numberFlag(args, '--count', 10_000);
  const warmRuns = numberFlag(args, '--warm-runs', 5);
  const claimSeconds = numberFlag(args, '--claim-seconds', 5);
  const pgUrl = textFlag(args, '--pg') ?? process.env.CAMPAIGNCTL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  // --only claims: the claim figure alone (seconds, instead of the many minutes of the 10,000 apply).
  const only = textFlag(args, '--only');
  const schema = `bench_${process.pid}`;
  const pgState = withSchema(pgUrl, schema);
  const dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-bench-state-'));
  const sqliteState = path.join(dir, '.campaignctl', 'bench.db');
  writeCorpus('varied', dir, { count, now: new Date() }, ENVIRONMENT);
  const sandbox = await startSandbox({ port: 0, accountId: ACCOUNT, passcode: PASSCODE, latencyMs: 0, accountTimezone: 'Europe/Berlin', strict: true });
  const env = { CLEVERTAP_API_URL: sandbox.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, NO_COLOR: '1' };
  try {
    say(`state benchmark: ${count.toLocaleString('en-US')} campaigns (corpus varied); PostgreSQL ${pgState.replace(/\/\/[^@/]*@/, '//***@')}; ${availableParallelism()} cores`);
    say(`  load average before: ${loadLine()}`);

    if (only !== 'claims') await applyAndPlan(count, warmRuns, dir, { ...env, url: sandbox.url }, { sqlite: sqliteState, postgres: pgState });
    await claims(pgUrl, `${schema}_claims`, dir, claimSeconds);
    say(`  ${loadAfter()}`);
    return 0;
  } finally {
    await sandbox.close();
    await dropSchema(pgUrl, schema).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function applyAndPlan(count: number, warmRuns: number, dir: string, bench: Record<string, string> & { url: string }, states: { sqlite: string; postgres: string }): Promise<void> {
  const { url, ...env } = bench;
  const sqliteState = states.sqlite;
  const pgState = states.postgres;
  {
    const applied: Record<'sqlite' | 'postgres', number> = { sqlite: 0, postgres: 0 };
    for (const [name, location] of [['sqlite', sqliteState], ['postgres', pgState]] as const) {
      const started = performance.now();
      const n = await seedState(dir, url, { ...env, CAMPAIGNCTL_STATE: location });
      applied[name] = (performance.now() - started) / 1000;
      if (n < count) throw new Error(`apply into ${name} applied ${n} of ${count}`);
    }
    say(`  apply of ${count.toLocaleString('en-US')} into an empty state   PostgreSQL ${s2(applied.postgres)}   SQLite ${s2(applied.sqlite)}   (${(applied.postgres / applied.sqlite).toFixed(2)} x; no goal)`);

    const plans: Record<'sqlite' | 'postgres', Measured[]> = { sqlite: [], postgres: [] };
    for (let i = 0; i < warmRuns + 1; i++) {
      for (const [name, location] of [['sqlite', sqliteState], ['postgres', pgState]] as const) {
        const m = await measureCli(['plan', '--env', 'bench', '--detailed-exitcode'], dir, { ...env, CAMPAIGNCTL_STATE: location });
        if (m.code !== 0 || !/No changes/.test(m.stdout)) throw new Error(`the ${name} plan is not a no-change plan (exit ${m.code}): ${tail(m)}`);
        // The first of each fills the caches a repeated plan uses: not counted.
        if (i > 0) plans[name].push(m);
      }
    }
    const pgPlan = median(plans.postgres, (m) => m.seconds);
    const sqlitePlan = median(plans.sqlite, (m) => m.seconds);
    const ratio = pgPlan.seconds / sqlitePlan.seconds;
    say(
      `  no-change plan             PostgreSQL ${s2(pgPlan.seconds)} = ${ratio.toFixed(2)} x SQLite   goal <= ${GOALS.planRatio} x   SQLite ${s2(sqlitePlan.seconds)}   ${verdict(ratio <= GOALS.planRatio)}`,
    );
    say(`      [medians of ${warmRuns}; PostgreSQL ${plans.postgres.map((m) => m.seconds.toFixed(2)).join(', ')} s; SQLite ${plans.sqlite.map((m) => m.seconds.toFixed(2)).join(', ')} s]`);

  }
}

async function claims(pgUrl: string, claimSchema: string, dir: string, claimSeconds: number): Promise<void> {
  const pgClaims = await claimRate(withSchema(pgUrl, claimSchema), claimSeconds);
  // better-sqlite3 waits for another connection's write lock synchronously: four connections in
  // one process would block each other's event loop. SQLite's four claimers share one store.
  const sqliteClaims = await claimRate(path.join(dir, 'claims.db'), claimSeconds, 1);
  say(
    `  tick claims, ${CLAIMERS} claimers    PostgreSQL ${Math.round(pgClaims.perSecond)}/s   goal >= ${GOALS.claimsPerSecond}/s   SQLite ${Math.round(sqliteClaims.perSecond)}/s   ${verdict(pgClaims.perSecond >= GOALS.claimsPerSecond)}`,
  );
  say(
    `      [PostgreSQL ${pgClaims.ticks} ticks in ${s2(pgClaims.seconds)} of claims (${pgClaims.attempts} claimTick calls, ${Math.round(pgClaims.attempts / pgClaims.seconds)}/s; marking the winners done, untimed, took ${s2(pgClaims.markSeconds)}); SQLite ${sqliteClaims.ticks} ticks in ${s2(sqliteClaims.seconds)}; each tick won exactly once]`,
  );
  await dropSchema(pgUrl, claimSchema);
}

function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

async function open(location: string): Promise<StateStore> {
  const r = await openStateStore(location);
  if (!r.ok) throw new Error(r.diagnostic.message);
  return r.store;
}

/**
 * CLAIMERS stores claim the ticks of SCHEDULES schedules, minute after minute, for `seconds`: each
 * claimer starts at another schedule, so they meet on some ticks and not others, as replicas do.
 */
async function claimRate(location: string, seconds: number, connections = CLAIMERS): Promise<{ perSecond: number; ticks: number; attempts: number; seconds: number; markSeconds: number }> {
  const opened: StateStore[] = [];
  for (let i = 0; i < connections; i++) opened.push(await open(location));
  const stores = Array.from({ length: CLAIMERS }, (_, i) => opened[i % connections]!);
  const wins = new Map<string, number>();
  let attempts = 0;
  // Timed: the claims of each minute. Not timed: the winners marking their runs done afterwards
  // (a pass does that after the send, outside the claim), which the overlap check needs.
  let claimMs = 0;
  let markMs = 0;
  const deadline = performance.now() + seconds * 1000;
  const base = Date.parse('2030-01-01T00:00:00Z');
  try {
    // Replicas share one clock: their passes meet on the same due minute. Each goes through the
    // schedules in its own order, deciding each tick as a pass does (claimTick, src/schedule/fire.ts:
    // the ledger read, then the claim transaction with the overlap check of the default `overlap`);
    // a schedule whose cursor row another holds is skipped (that one is deciding this very tick).
    for (let minute = 0; performance.now() < deadline; minute++) {
      const at = new Date(base + minute * 60_000).toISOString();
      const won: { store: StateStore; key: RunKey; who: number }[] = [];
      const claimsStarted = performance.now();
      await Promise.all(
        stores.map(async (s, who) => {
          for (let j = 0; j < SCHEDULES; j++) {
            const key: RunKey = { kind: 'schedule', subject: `schedule.s${(j + who * 3) % SCHEDULES}`, key: at };
            const claim = await claimTick(s, { address: key.subject, key, now: new Date(key.key), overlap: 'check', invalid: null, detail: { host: 'bench', pid: who, fireTime: key.key } });
            if (claim.kind === 'overlap') throw new Error(`${key.subject}#${key.key}: skipped as overlapping ${claim.busy.key}, which was marked done`);
            attempts++;
            if (claim.kind !== 'claimed') continue;
            won.push({ store: s, key, who });
            wins.set(`${key.subject}#${key.key}`, (wins.get(`${key.subject}#${key.key}`) ?? 0) + 1);
          }
        }),
      );
      claimMs += performance.now() - claimsStarted;
      const marksStarted = performance.now();
      await Promise.all(won.map((w) => w.store.runs.mark(w.key, 'done', { host: 'bench', pid: w.who, sent: 1 })));
      markMs += performance.now() - marksStarted;
      if (wins.size !== (minute + 1) * SCHEDULES) throw new Error(`minute ${minute}: ${wins.size} ticks decided of ${(minute + 1) * SCHEDULES}`);
    }
    const twice = [...wins.values()].filter((n) => n !== 1).length;
    if (twice > 0) throw new Error(`${twice} ticks were won more than once`);
    const recorded = (await stores[0]!.runs.list({ kind: 'schedule', status: 'done' })).length;
    if (recorded !== wins.size) throw new Error(`${recorded} runs recorded done for ${wins.size} ticks won`);
    return { perSecond: wins.size / (claimMs / 1000), ticks: wins.size, attempts, seconds: claimMs / 1000, markSeconds: markMs / 1000 };
  } finally {
    for (const s of opened) await s.close();
  }
}
