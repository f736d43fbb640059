import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandName, registerCommands } from '../../src/cli/commands.js';

function program(): Command {
  return new Command().option('--dir <path>').option('--env <name>').option('--json').option('--verbose');
}

const names = (p: Command) => p.commands.map((c) => c.name());

describe('registerCommands', () => {
  it('finds the command after global options and their values', () => {
    const p = program();
    expect(commandName(p, ['plan', '--out', 'x'])).toBe('plan');
    expect(commandName(p, ['--env', 'prod', '--json', 'apply', 'plan.json'])).toBe('apply');
    expect(commandName(p, ['--dir', 'plan', 'validate'])).toBe('validate');
    expect(commandName(p, ['--env=prod', 'drift'])).toBe('drift');
    expect(commandName(p, ['--verbose'])).toBeUndefined();
  });

  it('loads only the command that runs', async () => {
    const p = program();
    await registerCommands(p, ['--env', 'prod', 'plan']);
    expect(names(p)).toEqual(['plan']);
  });

  it('loads every part of the state group', async () => {
    const p = program();
    await registerCommands(p, ['state', 'resolve']);
    expect(names(p)).toEqual(['state']);
    expect(p.commands[0]!.commands.map((c) => c.name())).toEqual(['list', 'show', 'rm', 'resolve', 'migrate']);
  });

  it('loads no command for --version', async () => {
    const p = program();
    await registerCommands(p, ['--version']);
    expect(names(p)).toEqual([]);
  });

  it('loads every command, in help order, for help and for a name it does not know', async () => {
    for (const argv of [[], ['--help'], ['help', 'plan'], ['plna']]) {
      const p = program();
      await registerCommands(p, argv);
      expect(names(p)).toEqual(['init', 'validate', 'render', 'sandbox', 'plan', 'apply', 'drift', 'stop', 'import', 'state', 'force-unlock', 'send', 'trigger', 'raise', 'run-due', 'schedules', 'watch']);
    }
  });
});
