/**
 * The command list. Each command lives in its own file under src/cli/ and exports a `register`
 * function; a command appears here (and so in --help) only once it works.
 *
 * Commands are imported only when they run: a command module pulls in what it needs (ajv for
 * `send`, the emulator for `sandbox`, ...), and a `plan` on a big project should not pay for the
 * others. When argv names no known command (help, a typo), all are loaded, in the order below,
 * so --help lists them and commander can suggest the closest name.
 */
import type { Command } from 'commander';

type Register = (program: Command) => void;
type Loader = () => Promise<{ register: Register }>;

const commands: [name: string, load: Loader[]][] = [
  // one line per command, in the order --help shows them
  ['init', [() => import('./init.js')]],
  ['validate', [() => import('./validate.js')]],
  ['render', [() => import('./render.js')]],
  ['sandbox', [() => import('./sandbox.js')]],
  ['plan', [() => import('./plan.js')]],
  ['apply', [() => import('./apply.js')]],
  ['drift', [() => import('./drift.js')]],
  ['stop', [() => import('./stop.js')]],
  ['import', [() => import('./import.js')]],
  ['state', [() => import('./state.js'), () => import('./state-resolve.js')]],
  ['force-unlock', [() => import('./force-unlock.js')]],
  ['send', [() => import('./send.js')]],
  ['trigger', [() => import('./trigger.js')]],
  ['raise', [() => import('./raise.js')]],
  ['run-due', [() => import('./run-due.js')]],
  ['schedules', [() => import('./schedules.js')]],
  ['watch', [() => import('./watch.js')]],
];

/** Registers the command argv runs, none for --version, or every command when argv names none of them. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const named = commandName(program, argv);
  // `campaignctl --version` needs no command at all.
  if (named === undefined && argv.some((a) => a === '-V' || a === '--version')) return;
  const chosen = commands.filter(([name]) => name === named);
  for (const [, loaders] of chosen.length > 0 ? chosen : commands) {
    for (const module of await Promise.all(loaders.map((load) => load()))) module.register(program);
  }
}

/** The first operand of argv (user arguments, after node and the script), skipping global options and their values. */
export function commandName(program: Command, argv: readonly string[]): string | undefined {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return argv[i + 1];
    if (!arg.startsWith('-')) return arg;
    if (takesValue.has(arg)) i++;
  }
  return undefined;
}
