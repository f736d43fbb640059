/**
 * The apply lock as commands use it: `apply`, `stop`, `import` and `state rm` take it; `plan`
 * reads without it. A refused command shows who holds the lock (id, host, pid, command, since),
 * says "probably stale" when that pid is gone on this host, and gives the exact
 * `campaignctl force-unlock ID` to run. The lock is never broken automatically: a pid can be
 * reused and a holder on another host can not be checked.
 */
import { hostname } from 'node:os';
import { diagnostic, lockWords } from '../diagnostics/catalogue.js';
import { commandLine, type CommandTarget } from '../diagnostics/command-line.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { heartbeatAgeSeconds, isHeartbeatStale, isProbablyStale } from '../state/stale.js';
import type { LockHolder, StateStore } from '../state/store.js';
import { now as clockNow } from '../time/clock.js';

export interface LockRefusal {
  holder: LockHolder;
  /** The holder's pid no longer exists on this host. */
  probablyStale: boolean;
}

export type LockOutcome =
  | { ok: true; lock: LockHolder; release(): Promise<void> }
  | { ok: false; refusal: LockRefusal };

export interface TakeLockOptions {
  host?: string;
  pid?: number;
  /** How often the holder renews its heartbeat (PostgreSQL state); default 15 s, a quarter of the staleness limit. */
  heartbeatMs?: number;
}

export const LOCK_HEARTBEAT_MS = 15_000;

/** `campaignctl --env E force-unlock ID`: the one command a refused user is told to run, for the state it was refused on. */
export function forceUnlockCommand(id: string, target: CommandTarget): string {
  return commandLine(target, ['force-unlock', id]);
}

export async function takeLock(store: StateStore, command: string, opts: TakeLockOptions = {}): Promise<LockOutcome> {
  const host = opts.host ?? hostname();
  const result = await store.lock.acquire({ command, host, pid: opts.pid ?? process.pid });
  if (!result.ok) return { ok: false, refusal: refusalFor(result.holder, host) };
  const lock = result.lock;
  let released = false;
  // Tells other runs this one is alive; a beat that fails (a network blip) is simply tried again next time.
  const beat = setInterval(() => void store.lock.heartbeat(lock.id).catch(() => undefined), opts.heartbeatMs ?? LOCK_HEARTBEAT_MS);
  beat.unref();
  return {
    ok: true,
    lock,
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(beat);
      await store.lock.release(lock.id);
    },
  };
}

/** Runs fn holding the lock and always releases it (an exception too); refused: fn never runs. */
export async function withLock<T>(
  store: StateStore,
  command: string,
  fn: (lock: LockHolder) => Promise<T>,
  opts: TakeLockOptions = {},
): Promise<{ ok: true; value: T } | { ok: false; refusal: LockRefusal }> {
  const taken = await takeLock(store, command, opts);
  if (!taken.ok) return taken;
  try {
    return { ok: true, value: await fn(taken.lock) };
  } finally {
    await taken.release();
  }
}

export function refusalFor(holder: LockHolder, currentHost: string = hostname()): LockRefusal {
  return { holder, probablyStale: isProbablyStale(holder, currentHost) };
}

/** `apply (pid 4242 on ci-7, since 2025-01-01T10:00:00.000Z)`: for one-line mentions. */
export function describeHolder(holder: LockHolder): string {
  return lockWords.holder(holder);
}

/** `5 minutes ago`; the clock is a parameter so the wording can be tested. */
export function age(since: string, now: Date = clockNow()): string {
  const ms = now.getTime() - Date.parse(since);
  if (!Number.isFinite(ms)) return 'at an unknown time';
  const s = Math.max(0, Math.round(ms / 1000));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'} ago`;
  if (s < 60) return unit(s, 'second');
  if (s < 3600) return unit(Math.floor(s / 60), 'minute');
  if (s < 86_400) return unit(Math.floor(s / 3600), 'hour');
  return unit(Math.floor(s / 86_400), 'day');
}

/** The refusal as a Diagnostic (for --json documents and for diagnostics lists). */
export function lockRefusalDiagnostic(refusal: LockRefusal, what: string, target: CommandTarget): Diagnostic {
  const h = refusal.holder;
  return diagnostic('state.locked', { what, holder: describeHolder(h), id: h.id, staleNote: refusal.probablyStale ? staleNote(h) : null, forceUnlock: forceUnlockCommand(h.id, target) });
}

/** Why the holder is probably gone: a heartbeat that stopped (PostgreSQL), else a pid that no longer exists. */
export function staleNote(h: LockHolder): string {
  return isHeartbeatStale(h) && h.heartbeat ? lockWords.heartbeatStale(h.heartbeat, heartbeatAgeSeconds(h) ?? 0) : lockWords.probablyStale(h.pid);
}

/** The refusal as text for stderr: every field of the holder on its own line, then what to run. */
export function lockRefusalText(refusal: LockRefusal, what: string, target: CommandTarget, c?: { red(s: string): string; bold(s: string): string }, now: Date = clockNow()): string {
  const h = refusal.holder;
  const red = c?.red ?? ((s: string) => s);
  const bold = c?.bold ?? ((s: string) => s);
  const lines = [
    `${red('error')}  state.locked  ${what} refused: the state is locked by another campaignctl run`,
    `  lock id:  ${h.id}`,
    `  command:  ${h.command}`,
    `  host:     ${h.host}`,
    `  pid:      ${h.pid}`,
    `  since:    ${h.since} (${age(h.since, now)})`,
  ];
  if (h.heartbeat) lines.push(`  heartbeat: ${h.heartbeat} (${age(h.heartbeat, new Date())})`);
  if (refusal.probablyStale) {
    lines.push(`  ${staleNote(h)}`);
    lines.push(`  remove the lock with: ${bold(forceUnlockCommand(h.id, target))}`);
  } else {
    lines.push(`  if no other run is using this state (it crashed or was killed), remove the lock with: ${bold(forceUnlockCommand(h.id, target))}`);
  }
  return lines.join('\n');
}

/** What a --json document carries about a refusal. */
export function lockRefusalJson(refusal: LockRefusal, target: CommandTarget): {
  holder: LockHolder;
  probablyStale: boolean;
  forceUnlock: string;
} {
  return { holder: { ...refusal.holder }, probablyStale: refusal.probablyStale, forceUnlock: forceUnlockCommand(refusal.holder.id, target) };
}
