/**
 * `campaignctl force-unlock ID`: removes the apply lock of a run that crashed or was killed, only
 * when ID is exactly the id of the lock held now (shown by every refused command), so a lock taken
 * since by another run is never removed by mistake. Prints the holder it removed.
 */
import type { Command } from 'commander';
import { action } from './context.js';
import { withState } from './shared/command-context.js';
import { refuse } from './views/state-common.js';
import { forceUnlockText } from './views/state.js';
import { forceUnlock } from '../operations/force-unlock.js';

export function register(program: Command): void {
  program
    .command('force-unlock')
    .description('remove the apply lock left by a crashed or killed run (needs the exact lock id)')
    .argument('<lock-id>', 'the lock id shown by the refused command')
    .action(
      action(async (id: string, _flags: unknown, cmd: Command) =>
        withState(cmd, async (out, ctx) => {
          const result = await forceUnlock(ctx, { id });
          if (!result.ok) return refuse(out, ctx.project.root, result, ctx.target);
          if (out.opts.json) out.json({ ok: true, removed: result.removed });
          else out.print(forceUnlockText(result.removed));
          return 0;
        }),
      ),
    );
}
