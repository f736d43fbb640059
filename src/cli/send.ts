/**
 * `campaignctl send MESSAGE --to KEY:ID[,ID...] | --to-file F [--data F] [--set k=v]...`: a Message
 * via Identity, its data checked against the Message's `data` schema before anything is sent, in
 * calls of at most 1,000 identities to `/1/send/<target_mode>.json`.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions } from './context.js';
import { addSendOptions, runSendCommand, type SendFlags } from './shared/send-command.js';

export function register(program: Command): void {
  const cmd = program
    .command('send')
    .argument('<message>', 'the Message contract, e.g. order-shipped (or message.order-shipped)')
    .description('send a Message to identities (Message via Identity), data checked against its contract first');
  addSendOptions(cmd, 'message').action(
    action(async (name: string, flags: SendFlags, c: Command) => runSendCommand('message', name, flags, createOutput(globalOptions(c)))),
  );
}
