/**
 * Git mode: a bare mirror of the remote under the work folder, and one checkout of the followed
 * branch beside it. Each poll asks `ls-remote` first (cheap) and fetches only when the branch moved;
 * nothing is ever pulled or merged: the commit the remote names is checked out exactly as it is
 * (`checkout --detach --force`, then `clean`, keeping only the checkout's .campaignctl, where the
 * state and the sandbox account live). Every git call has a timeout and stops when the daemon
 * shuts down. The remote is only ever shown with its credentials masked.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { redactSecrets } from '../../diagnostics/redact.js';

/** The longest a single git call may run (a hung network must not stall the daemon). */
const GIT_TIMEOUT_MS = 60_000;

export interface GitMirror {
  /** The folder the followed commit is checked out in: the project root. */
  readonly checkout: string;
  /** The remote as it may be shown (credentials masked). */
  readonly remoteShown: string;
  /** The commit checked out now (null before the first). */
  current(): string | null;
  /**
   * ls-remote, and when the branch moved, fetch and check the new commit out. Returns the commit
   * checked out and whether it is new. Throws (message credential-free) when git fails.
   */
  poll(): Promise<{ commit: string; changed: boolean }>;
}

export async function openMirror(opts: { remote: string; branch: string; workDir: string; signal: AbortSignal }): Promise<GitMirror> {
  const mirror = path.join(opts.workDir, 'mirror.git');
  const checkout = path.join(opts.workDir, 'checkout');
  mkdirSync(opts.workDir, { recursive: true });
  const git = (baseDir: string): SimpleGit => simpleGit({ baseDir, timeout: { block: GIT_TIMEOUT_MS }, abort: opts.signal });
  const ref = `refs/heads/${opts.branch}`;
  await guarded(async () => {
    if (!existsSync(mirror)) {
      mkdirSync(mirror, { recursive: true });
      await git(mirror).init(true);
    }
    const remotes = await git(mirror).getRemotes(true);
    const origin = remotes.find((r) => r.name === 'origin');
    if (!origin) await git(mirror).addRemote('origin', opts.remote);
    else if (origin.refs.fetch !== opts.remote) await git(mirror).remote(['set-url', 'origin', opts.remote]);
  });
  let current: string | null = null;
  return {
    checkout,
    remoteShown: redactSecrets(opts.remote),
    current: () => current,
    poll: () =>
      guarded(async () => {
        const listed = await git(mirror).listRemote(['origin', ref]);
        const sha = listed.split(/\s+/)[0]?.trim();
        if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`the remote has no branch ${opts.branch}`);
        if (sha === current) return { commit: sha, changed: false };
        // Fetch the branch into the mirror's own ref: a force-push is taken as it is, never merged.
        await git(mirror).fetch(['origin', `+${ref}:${ref}`, '--no-tags', '--prune']);
        if (!existsSync(checkout)) await git(mirror).raw(['worktree', 'add', '--detach', '--force', checkout, sha]);
        else {
          await git(checkout).raw(['checkout', '--detach', '--force', sha]);
          await git(checkout).raw(['clean', '-ffdx', '-e', '/.campaignctl']);
        }
        current = sha;
        return { commit: sha, changed: true };
      }),
  };
}

/** git's errors may carry the remote URL: they leave here with credentials masked. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // No `cause`: the original carries the unmasked remote URL, and a cause travels into logs.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(redactSecrets((err as Error).message).trim().split('\n').slice(0, 3).join(' '));
  }
}
