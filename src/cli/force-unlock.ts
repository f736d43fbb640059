/**
 * `campaignctl force-unlock ID`: removes the apply lock of a run that crashed or was killed, only
 * when ID is exactly the id of the lock held now (shown by every refused command), so a lock taken
 * since by another run is never removed by mistake. Prints the holder it removed.
 */
import type { Command } from 'commander';
import { action } from './context.js';
import { withState } from './shared/with-state.js';
import { commandTarget } from './shared/project.js';
import { describeHolder, forceUnlockCommand, refusalFor } from '../operations/lock.js';
import { failWith } from './views/state-common.js';
import { forceUnlockText } from './views/state.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export function register(program: Command): void {
  program
    .command('force-unlock')
    .description('remove the apply lock left by a crashed or killed run (needs the exact lock id)')
    .argument('<lock-id>', 'the lock id shown by the refused command')
    .action(
      action(async (id: string, _flags: unknown, cmd: Command) => {
        return withState(cmd, async (out, project, store) => {
          const removed = await store.lock.forceUnlock(id);
          if (removed) {
            if (out.opts.json) out.json({ ok: true, removed });
            else out.print(forceUnlockText(removed));
            return 0;
          }
          const current = await store.lock.current();
          const unlock = current ? forceUnlockCommand(current.id, commandTarget(out, project)) : null;
          return failWith(out, project.root, [notHeld(id, current ? describeHolder(current) : null, current?.id ?? null, unlock, current ? refusalFor(current).probablyStale : false)], {
            lock: current,
          });
        });
      }),
    );
}

function notHeld(id: string, holder: string | null, currentId: string | null, unlock: string | null, stale: boolean): Diagnostic {
  if (currentId === null) {
    return { severity: 'error', code: 'lock.not-held', message: `no lock is held: nothing to remove (asked for ${id})` };
  }
  return {
    severity: 'error',
    code: 'lock.id-mismatch',
    message: `the lock is not ${id}: it is ${currentId}, held by ${holder}${stale ? ' (probably stale: that process no longer exists on this host)' : ''}; nothing was removed`,
    hint: `force-unlock needs the exact id; if that run is really gone: ${unlock}`,
  };
}
