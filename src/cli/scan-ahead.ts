/**
 * The first thing the CLI does: when argv runs a command that loads the project, start scanning
 * its files on a worker thread (../config/scan-ahead.ts) before commander and the command's
 * modules are loaded, which takes the main thread about as long as the scan takes the worker.
 *
 * argv is read here before commander parses it, so only as far as finding the command and --dir:
 * a guess that turns out wrong (a value that looked like a command, a --dir commander reads
 * differently) starts a scan no load takes, for a root no load asks for, and costs nothing else.
 */
import { findProjectRoot } from '../config/root.js';
import { startScan } from '../config/scan-ahead.js';

/** Commands that load the whole project on every run (through the project index). */
const LOADING_COMMANDS = new Set(['validate', 'render', 'plan', 'apply', 'drift', 'stop', 'import', 'send', 'trigger', 'raise', 'run-due', 'schedules']);
/** Global options that take a value (see src/main.ts). */
const VALUE_OPTIONS = new Set(['--dir', '--env']);

export function scanAhead(argv: readonly string[], cwd: string): void {
  let dir: string | undefined;
  let command: string | undefined;
  // Global options may come before or after the command (commander reads them anywhere).
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return;
    if (arg === '--') break;
    if (arg.startsWith('--dir=')) dir = arg.slice('--dir='.length);
    else if (VALUE_OPTIONS.has(arg)) {
      if (arg === '--dir') dir = argv[i + 1];
      i++;
    }
    else if (command === undefined && !arg.startsWith('-')) command = arg;
  }
  if (command === undefined || !LOADING_COMMANDS.has(command)) return;
  const root = findProjectRoot({ dir, cwd });
  if (root !== undefined) startScan(root);
}
