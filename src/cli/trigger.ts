/**
 * `campaignctl trigger TRIGGER --to ... [--data F] [--set k=v]...`: fires a dashboard-built External
 * Trigger campaign. The data becomes the `ExternalTrigger` object, checked against the contract's
 * `payload` schema; `campaign_id` comes from the YAML, never from the caller; ids without a key use
 * the contract's `identity` key.
 */
import type { Command } from 'commander';
import { action, createOutput, globalOptions } from './context.js';
import { addSendOptions, runSendCommand, type SendFlags } from './shared/send-command.js';

export function register(program: Command): void {
  const cmd = program
    .command('trigger')
    .argument('<trigger>', 'the ExternalTrigger contract, e.g. subscription-upgraded (or trigger.subscription-upgraded)')
    .description('fire an External Trigger campaign for identities, payload checked against its contract first');
  addSendOptions(cmd, 'trigger').action(
    action(async (name: string, flags: SendFlags, c: Command) => runSendCommand('trigger', name, flags, createOutput(globalOptions(c)))),
  );
}
