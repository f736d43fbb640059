/**
 * `campaignctl state migrate --from PATH_OR_URL --to PATH_OR_URL`: moves a whole state to a new
 * location (a SQLite file to a PostgreSQL schema, or back). Needs no project: both locations are
 * given, paths relative to the current folder. URLs are printed without their user information.
 *
 * It joins the `state` command group: whichever register runs first creates the group.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions, type Output } from './context.js';
import { failWith } from './views/state-common.js';
import { lockRefusalDiagnostic, lockRefusalJson, lockRefusalText } from '../operations/lock.js';
import { migrateState, type StateMigrated } from '../operations/state-migrate.js';
import { SNAPSHOT_TABLE_NAMES } from '../state/snapshot.js';

interface MigrateFlags {
  from: string;
  to: string;
}

function stateGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'state') ??
    program.command('state').description('inspect and repair campaignctl state (what it applied)')
  );
}

export function register(program: Command): void {
  stateGroup(program)
    .command('migrate')
    .description('copy a whole state to a new, empty location (SQLite file <-> postgres:// URL), under the apply lock of both')
    .requiredOption('--from <location>', 'the state to copy: a file path or a postgres:// URL (password from the environment)')
    .requiredOption('--to <location>', 'the new, empty location: a file path or a postgres:// URL (?schema=NAME picks the schema)')
    .action(action(async (flags: MigrateFlags, c: Command) => run(flags, createOutput(globalOptions(c)))));
}

async function run(flags: MigrateFlags, out: Output): Promise<number> {
  const result = await migrateState({ from: flags.from, to: flags.to });
  if (result.ok) {
    if (out.opts.json) out.json(result);
    else out.print(migratedText(result));
    return 0;
  }
  if (result.refused === 'problems') return failWith(out, undefined, result.diagnostics);
  // The printed force-unlock must reach the locked location, not the project's default state.
  const target = { env: undefined };
  const where = `on the ${result.side === 'from' ? 'source' : 'target'} state ${result.location}`;
  if (out.opts.json) {
    out.json({ ok: false, side: result.side, location: result.location, locked: lockRefusalJson(result.lock, target), diagnostics: [lockRefusalDiagnostic(result.lock, result.what, target)] });
  } else {
    out.error(`${lockRefusalText(result.lock, result.what, target, out.c)}\n  (${where}: run force-unlock with CAMPAIGNCTL_STATE set to that location)`);
  }
  return 1;
}

function migratedText(r: StateMigrated): string {
  const rows = SNAPSHOT_TABLE_NAMES.map((t) => `  ${t.padEnd(17)} ${r.counts[t]}`);
  return [`copied ${r.from} -> ${r.to} (serial ${r.serial}; every count verified before commit):`, ...rows, `the source is unchanged: point \`state\` (or CAMPAIGNCTL_STATE) at the new location`].join('\n');
}
