#!/usr/bin/env node
/**
 * Entry point: argv -> command. The only top-level catch lives here: anything thrown past a command
 * is a bug, reported as such with exit code 1. User problems are diagnostics printed by the command.
 */
import { useCompileCache } from './cli/compile-cache.js';
import { scanAhead } from './cli/scan-ahead.js';

// Before anything else is loaded: a command that loads the project has its files scanned first
// (./cli/scan-ahead.ts). Everything else is imported after, hence dynamically.
scanAhead(process.argv.slice(2), process.cwd());
// Then every module is compiled from the code V8 kept last time, where it can be (./cli/compile-cache.ts).
useCompileCache();
// A function, not top-level await: the bundle is CommonJS (scripts/bundle-cli.mjs).
void main();

async function main(): Promise<void> {
  const [{ Command, CommanderError }, { registerCommands }, { redactSecrets }, { packageVersion }, { diagnostic }, { clockFrom, clockNote, NOW_VARIABLE, useClock }, { threadsSetting }] = await Promise.all([
    import('commander'),
    import('./cli/commands.js'),
    import('./diagnostics/redact.js'),
    import('./config/package-dir.js'),
    import('./diagnostics/catalogue.js'),
    import('./time/clock.js'),
    import('./config/check-pool.js'),
  ]);

  // A reader that goes away (`campaignctl plan | head`, a closed terminal) is not an error: the
  // long-running `sandbox serve` keeps serving, other commands finish their work quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }

  const program = new Command();
  program
    .name('campaignctl')
    .description('Campaigns-as-code for CleverTap: validate, plan and apply campaigns kept as YAML in git.')
    .version(packageVersion(), '-V, --version', 'print the campaignctl version')
    .option('--dir <path>', 'project root (default: nearest folder upward with campaignctl.yaml or campaigns/)')
    .option('--env <name>', 'environment from campaignctl.yaml (default: its defaultEnvironment)')
    .option('--json', 'machine-readable output on stdout')
    .option('--no-color', 'disable colours (NO_COLOR is honoured too)')
    .option('--quiet', 'print only errors and results asked for')
    .option('--verbose', 'print progress details on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  // Every command reads one clock (src/time/clock.ts); a CAMPAIGNCTL_NOW or CAMPAIGNCTL_NOW_RATE it
  // can not use stops here, before any command could run on the wrong clock.
  /** A setting no command can run with: said, and the process ends before any command starts. */
  function refuse(d: ReturnType<typeof diagnostic>): never {
    process.stderr.write(`error  ${d.code}  ${d.message}\n  = hint: ${d.hint ?? ''}\n`);
    process.exit(1);
  }
  const clockSetting = clockFrom();
  if (!clockSetting.ok) {
    refuse(
      clockSetting.variable === NOW_VARIABLE
        ? diagnostic('clock.invalid-now', { value: clockSetting.value })
        : diagnostic('clock.invalid-rate', { value: clockSetting.value, withoutNow: clockSetting.withoutNow }),
    );
  }
  useClock(clockSetting.clock);
  // Likewise a CAMPAIGNCTL_THREADS the loader can not use (it would fall back to the default unasked).
  const threads = threadsSetting(process.env);
  if (!threads.ok) refuse(diagnostic('threads.invalid', { value: threads.value }));
  // On stderr so that --json documents stay one document; run-due and schedules also carry it inside.
  if (clockSetting.clock.startedAt) process.stderr.write(`note: ${clockNote(clockSetting.clock)}\n`);

  try {
    await registerCommands(program, process.argv.slice(2));
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : 1;
    } else {
      const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.stderr.write(
        `campaignctl: internal error (a bug; please report it with the command you ran):\n${redactSecrets(text)}\n`,
      );
      process.exitCode = 1;
    }
  }
}
