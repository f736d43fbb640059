/**
 * `campaignctl sandbox serve`: the CleverTap API emulator as a stand-alone HTTP server, for any
 * HTTP client (CLEVERTAP_API_URL points at it). Runs until SIGINT/SIGTERM, then exits 0.
 * The passcode is never printed: only where it came from.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions } from './context.js';
import type { Output } from './context.js';
import { registerSecret } from '../diagnostics/redact.js';
import { startSandbox } from '../sandbox/server.js';
import type { SandboxHandle, SandboxOptions } from '../sandbox/server.js';
import { parseFaultSpec, parseLatency } from '../sandbox/faults.js';
import { SandboxDataFileError } from '../sandbox/store.js';
import {
  SANDBOX_DEFAULT_ACCOUNT_ID,
  SANDBOX_DEFAULT_HOST,
  SANDBOX_DEFAULT_PASSCODE,
  SANDBOX_DEFAULT_PORT,
} from '../sandbox/defaults.js';
import { CONNECTION_ENV, connectionFromEnv } from '../clevertap/connection.js';

interface ServeFlags {
  port: string;
  host: string;
  faults?: string;
  latency?: string;
  concurrency?: string;
  createsPerSecond?: string;
  seed?: string;
  account?: string;
  passcode?: string;
  dataFile?: string;
  inspect?: boolean;
  strict?: boolean;
  externalTrigger?: string[];
  businessEvent?: string[];
  controlGroup?: string[];
  everyone?: string;
  completeAfter?: string;
  timezone?: string;
}

export function register(program: Command): void {
  const sandbox = program.command('sandbox').description('the local CleverTap API emulator');
  sandbox
    .command('serve')
    .description('run the CleverTap API emulator on loopback; prints the URL to use as CLEVERTAP_API_URL')
    .option('--port <n>', 'port (0 picks a free one)', String(SANDBOX_DEFAULT_PORT))
    .option('--host <address>', 'address to listen on', SANDBOX_DEFAULT_HOST)
    .option('--faults <spec>', 'seeded faults, e.g. "429:0.2,500:0.05,drop-after-commit:0.05,timeout:0.01"')
    .option('--latency <ms>', 'added latency: MS or MIN..MAX')
    .option('--concurrency <n>', 'requests in flight per API family before 429 (default 3)')
    .option('--creates-per-second <n>', 'also cap creates per second (off by default)')
    .option('--seed <n>', 'seed for faults and latency (default 1)')
    .option('--account <id>', `account id (default: $${CONNECTION_ENV.accountId} or ${SANDBOX_DEFAULT_ACCOUNT_ID})`)
    .option('--passcode <passcode>', `passcode (default: $${CONNECTION_ENV.passcode} or the sandbox default)`)
    .option('--data-file <file>', 'keep the account in this JSON file across restarts')
    .option('--inspect', 'serve the /__sandbox/ inspection and control endpoints')
    .option('--strict', 'refuse request fields the CleverTap contract does not list (without it they are only marked in /__sandbox/requests)')
    .option('--external-trigger <id...>', 'dashboard External Trigger campaign ids the account knows')
    .option('--business-event <name...>', 'dashboard business events the account knows')
    .option('--control-group <name...>', 'custom control groups the account knows')
    .option('--everyone <n>', 'audience of `where: {}` (default 100000)')
    .option('--complete-after <ms>', 'a campaign completes this long after it starts (default 1 hour)')
    .option('--timezone <zone>', 'account time zone for "YYYYMMDD HH:MM" (default UTC)')
    .action(action(async (flags: ServeFlags, cmd: Command) => serve(flags, createOutput(globalOptions(cmd)))));
}

async function serve(flags: ServeFlags, out: Output): Promise<number> {
  const parsed = toOptions(flags);
  if ('error' in parsed) {
    out.error(`campaignctl sandbox serve: ${parsed.error}`);
    return 1;
  }
  const { options, passcodeSource } = parsed;
  if (options.passcode !== SANDBOX_DEFAULT_PASSCODE) registerSecret(options.passcode);
  if (out.opts.verbose) {
    options.onRequest = (e) =>
      out.debug(`${e.method} ${e.path} -> ${e.response ? e.response.status : 'no answer'}${e.fault ? ` [fault ${e.fault}]` : ''} ${e.durationMs} ms`);
  }

  let handle: SandboxHandle;
  try {
    handle = await startSandbox(options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof SandboxDataFileError) out.error(`campaignctl sandbox serve: ${err.message}`);
    else if (code === 'EADDRINUSE') out.error(`campaignctl sandbox serve: port ${flags.port} is in use (try --port 0)`);
    else if (code === 'EADDRNOTAVAIL' || code === 'EACCES') out.error(`campaignctl sandbox serve: cannot listen on ${flags.host}:${flags.port} (${code})`);
    else throw err;
    return 1;
  }

  if (out.opts.json) {
    out.json({ url: handle.url, accountId: handle.accountId, passcodeSource, inspection: options.inspection === true, strict: handle.state.strict });
  } else {
    out.print(`CleverTap sandbox listening on ${handle.url}`);
    out.info(`  ${CONNECTION_ENV.apiUrl}=${handle.url}`);
    out.info(`  ${CONNECTION_ENV.accountId}=${handle.accountId}`);
    out.info(`  passcode: ${passcodeSource}`);
    if (options.faults) out.info(`  faults: ${options.faults} (seed ${options.seed ?? 1})`);
    if (options.latencyMs) out.info(`  latency: ${flags.latency} ms`);
    // Settings first, the inspection URL last of them: a reader waiting for that line has the rest.
    if (handle.state.strict) out.info('  strict: request fields the CleverTap contract does not list are refused');
    if (options.inspection) out.info(`  inspection: ${handle.url}/__sandbox/`);
    if (options.dataFile) out.info(`  data file: ${options.dataFile}`);
    out.info('Stop with Ctrl+C (SIGINT) or SIGTERM.');
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  await handle.close();
  out.info(`sandbox stopped (${signal})`);
  return 0;
}

function toOptions(f: ServeFlags): { options: SandboxOptions; passcodeSource: string } | { error: string } {
  const int = (name: string, v: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined | string => {
    if (v === undefined) return undefined;
    const n = Number(v);
    return /^\d+$/.test(v) && n >= min && n <= max ? n : `--${name} must be an integer from ${min} to ${max}, got "${v}"`;
  };
  const port = int('port', f.port, 0, 65535);
  const concurrency = int('concurrency', f.concurrency, 1);
  const createsPerSecond = int('creates-per-second', f.createsPerSecond, 1);
  const seed = int('seed', f.seed, 0, 2 ** 32 - 1);
  const everyone = int('everyone', f.everyone, 0);
  const completeAfter = int('complete-after', f.completeAfter, 0);
  for (const v of [port, concurrency, createsPerSecond, seed, everyone, completeAfter]) if (typeof v === 'string') return { error: v };
  const faults = parseFaultSpec(f.faults);
  if (!faults.ok) return { error: `--faults: ${faults.error}` };
  const latency = parseLatency(f.latency);
  if (!latency.ok) return { error: `--latency: ${latency.error}` };
  if (f.timezone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: f.timezone });
    } catch {
      return { error: `--timezone: unknown time zone "${f.timezone}"` };
    }
  }

  const env = connectionFromEnv();
  const passcode = f.passcode ?? env.passcode ?? SANDBOX_DEFAULT_PASSCODE;
  const passcodeSource = f.passcode ? 'from --passcode' : env.passcode ? `from $${CONNECTION_ENV.passcode}` : 'the sandbox default (see README)';
  return {
    passcodeSource,
    options: {
      port: port as number,
      host: f.host,
      accountId: f.account ?? env.accountId ?? SANDBOX_DEFAULT_ACCOUNT_ID,
      passcode,
      faults: f.faults,
      seed: seed as number | undefined,
      latencyMs: latency.value,
      concurrency: concurrency as number | undefined,
      createsPerSecond: createsPerSecond as number | undefined,
      dataFile: f.dataFile,
      inspection: f.inspect === true,
      // Unset: the emulator's default (CAMPAIGNCTL_SANDBOX_STRICT).
      strict: f.strict === true ? true : undefined,
      externalTriggers: f.externalTrigger,
      businessEvents: f.businessEvent,
      controlGroups: f.controlGroup,
      everyoneAudience: everyone as number | undefined,
      completeAfterMs: completeAfter as number | undefined,
      accountTimezone: f.timezone,
    },
  };
}
