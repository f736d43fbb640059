/**
 * The first thing the CLI does: when argv runs a command that loads the project, scan its files
 * (../project-index/scan-ahead.ts) before commander and the command's modules are loaded. The
 * files are stat'ed only when the project index file the load will read is there.
 *
 * argv is read here before commander parses it, so only as far as finding the command, --dir and
 * --env: a guess that turns out wrong (a value that looked like a command, an option commander
 * reads differently) scans a root no load asks for, which is never used and costs that scan's
 * time, or stats files for an index file no load reads (a scan is correct either way).
 */
import { findProjectRoot } from '../config/root.js';
import { cacheEnabled, indexFile } from '../project-index/index-file.js';
import { scanNow } from '../project-index/scan-ahead.js';

/** Commands that load the whole project on every run (through the project index). */
const LOADING_COMMANDS = new Set(['validate', 'render', 'plan', 'apply', 'drift', 'stop', 'import', 'send', 'trigger', 'raise', 'run-due', 'schedules']);
/** Global options that take a value (see src/main.ts). */
const VALUE_OPTIONS = ['--dir', '--env'] as const;

export function scanAhead(argv: readonly string[], cwd: string, environ: Record<string, string | undefined> = process.env): void {
  const values: Partial<Record<(typeof VALUE_OPTIONS)[number], string>> = {};
  let command: string | undefined;
  // Global options may come before or after the command (commander reads them anywhere).
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return;
    if (arg === '--') break;
    const option = VALUE_OPTIONS.find((o) => arg === o || arg.startsWith(`${o}=`));
    if (option) values[option] = arg === option ? argv[++i] : arg.slice(option.length + 1);
    else if (command === undefined && !arg.startsWith('-')) command = arg;
  }
  if (command === undefined || !LOADING_COMMANDS.has(command)) return;
  const root = findProjectRoot({ dir: values['--dir'], cwd });
  if (root === undefined) return;
  // The index file the load will read (../project-index/load.ts), unless persistence is off.
  scanNow(root, cacheEnabled(environ) ? indexFile(root, values['--env']) : undefined);
}
