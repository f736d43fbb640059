/**
 * What every command shares: the global options and an output sink that knows about --json,
 * --quiet, --verbose and colour. Commands never import each other; they import this.
 */
import type { Command } from 'commander';
import pc from 'picocolors';
import { snakeKeys } from '../model/json-keys.js';
import { takeUnreportedRefusals } from '../operations/auth-watch.js';
import { printDiagnostics } from './shared/project.js';

export interface GlobalOptions {
  /** Project root given with --dir; undefined means "search upward from cwd". */
  dir?: string;
  env?: string;
  json: boolean;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
}

export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as Record<string, unknown>;
  return {
    dir: typeof o.dir === 'string' ? o.dir : undefined,
    env: typeof o.env === 'string' ? o.env : undefined,
    json: o.json === true,
    color: o.color !== false && !process.env.NO_COLOR && process.stdout.isTTY === true,
    quiet: o.quiet === true,
    verbose: o.verbose === true,
  };
}

export type Colors = ReturnType<typeof pc.createColors>;

export interface Output {
  readonly opts: GlobalOptions;
  readonly c: Colors;
  /** Normal result text (suppressed by --quiet and --json). */
  info(text: string): void;
  /** Only with --verbose. */
  debug(text: string): void;
  /** Problems and warnings: always to stderr (unless --json, where they belong in the document). */
  error(text: string): void;
  /** The one machine-readable document of a --json run; its own keys are written in snake_case. */
  json(value: unknown): void;
  /** Raw text to stdout regardless of --quiet (e.g. a rendered body the user asked for). */
  print(text: string): void;
}

export function createOutput(
  opts: GlobalOptions,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  const c = pc.createColors(opts.color);
  return {
    opts,
    c,
    info: (t) => {
      if (!opts.quiet && !opts.json) stdout.write(t.endsWith('\n') ? t : t + '\n');
    },
    debug: (t) => {
      // Milliseconds since the process started: --verbose shows where a slow run spends its time.
      if (opts.verbose) stderr.write(`[${Math.round(performance.now())} ms] ` + (t.endsWith('\n') ? t : t + '\n'));
    },
    error: (t) => {
      stderr.write(t.endsWith('\n') ? t : t + '\n');
    },
    json: (v) => {
      stdout.write(JSON.stringify(snakeKeys(v), null, 2) + '\n');
    },
    print: (t) => {
      stdout.write(t.endsWith('\n') ? t : t + '\n');
    },
  };
}

/**
 * Wraps a command action so that its returned number becomes the exit code. Exceptions are left to
 * main.ts's single top-level catch: an exception is a bug, a user problem is a returned 1. A
 * credentials refusal from CleverTap the command did not report itself ends the output and makes
 * the exit code 1 (../operations/auth-watch.ts).
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number> | number,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await fn(...args);
    const refusals = takeUnreportedRefusals();
    if (refusals.length > 0) {
      // On stderr also with --json: the command's one document on stdout is already written.
      const cmd = args[args.length - 1] as Partial<Command> | undefined;
      const color = typeof cmd?.optsWithGlobals === 'function' ? globalOptions(cmd as Command).color : false;
      printDiagnostics(createOutput({ json: false, quiet: false, verbose: false, color }), process.cwd(), refusals);
    }
    process.exitCode = refusals.length > 0 ? 1 : code;
  };
}
