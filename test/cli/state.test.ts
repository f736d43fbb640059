/**
 * The lock helpers and the state views, in process: a real SQLite state file, real child
 * processes for "a pid that is gone", and the pure views' text and JSON.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pc from 'picocolors';
import { age, forceUnlockCommand, lockRefusalDiagnostic, lockRefusalJson, lockRefusalText, refusalFor, takeLock, withLock } from '../../src/operations/lock.js';
import { forceUnlockText, stateListJson, stateListText, stateRmText, stateShowText } from '../../src/cli/views/state.js';
import type { AppliedResource } from '../../src/model/applied.js';
import { openStateStore } from '../../src/state/open.js';
import type { LockHolder, StateStore } from '../../src/state/store.js';

let dir: string;
let store: StateStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'campaignctl-state-'));
  const opened = await openStateStore(path.join(dir, 'state.db'));
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  store = opened.store;
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await once(child, 'exit');
  return child.pid!;
}

const holder = (over: Partial<LockHolder> = {}): LockHolder => ({
  id: 'a1b2c3d4e5',
  host: hostname(),
  pid: process.ppid,
  command: 'apply',
  since: '2030-01-01T10:00:00.000Z',
  ...over,
});

describe('takeLock / withLock', () => {
  it('refuses while held, names the holder, and releases exactly once', async () => {
    const first = await takeLock(store, 'apply');
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.lock).toMatchObject({ command: 'apply', host: hostname(), pid: process.pid });
    const second = await takeLock(store, 'stop campaign.x');
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect(second.refusal.holder).toEqual(first.lock);
      // Our own pid is alive: never stale.
      expect(second.refusal.probablyStale).toBe(false);
    }
    await first.release();
    await first.release();
    expect(await store.lock.current()).toBeNull();
    expect((await takeLock(store, 'import')).ok).toBe(true);
  });

  it('withLock releases after an exception and never runs fn when refused', async () => {
    await expect(withLock(store, 'state rm x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await store.lock.current()).toBeNull();
    const held = await takeLock(store, 'apply');
    let ran = false;
    const refused = await withLock(store, 'stop', async () => {
      ran = true;
    });
    expect(refused.ok).toBe(false);
    expect(ran).toBe(false);
    if (held.ok) await held.release();
  });

  it('a holder whose pid is gone on this host is probably stale; another host never is', async () => {
    const gone = await deadPid();
    expect(refusalFor(holder({ pid: gone })).probablyStale).toBe(true);
    expect(refusalFor(holder({ pid: gone, host: 'some-other-runner' })).probablyStale).toBe(false);
    expect(refusalFor(holder()).probablyStale).toBe(false);
  });
});

/** Where the printing run pointed: every command it prints must point there too. */
const STAGING = { env: 'staging', dir: 'my project' };

describe('lock refusal wording', () => {
  it('text shows id, command, host, pid, since with its age, and the exact force-unlock', () => {
    const text = lockRefusalText({ holder: holder({ pid: 4242, host: 'ci-7' }), probablyStale: false }, 'stop', STAGING, undefined, new Date('2030-01-01T10:05:30Z'));
    expect(text.split('\n')).toEqual([
      'error  state.locked  stop refused: the state is locked by another campaignctl run',
      '  lock id:  a1b2c3d4e5',
      '  command:  apply',
      '  host:     ci-7',
      '  pid:      4242',
      '  since:    2030-01-01T10:00:00.000Z (5 minutes ago)',
      "  if no other run is using this state (it crashed or was killed), remove the lock with: campaignctl --env staging --dir 'my project' force-unlock a1b2c3d4e5",
    ]);
    const stale = lockRefusalText({ holder: holder({ pid: 4242 }), probablyStale: true }, 'apply', STAGING, pc.createColors(false));
    expect(stale).toContain('probably stale: process 4242 no longer exists on this host');
    expect(stale).toContain(`remove the lock with: campaignctl --env staging --dir 'my project' force-unlock a1b2c3d4e5`);
  });

  it('JSON and diagnostic carry the same facts', () => {
    const refusal = { holder: holder({ pid: 7 }), probablyStale: true };
    expect(lockRefusalJson(refusal, STAGING)).toEqual({ holder: holder({ pid: 7 }), probablyStale: true, forceUnlock: `campaignctl --env staging --dir 'my project' force-unlock a1b2c3d4e5` });
    const d = lockRefusalDiagnostic(refusal, 'import', STAGING);
    expect(d).toMatchObject({ severity: 'error', code: 'state.locked' });
    expect(d.message).toContain('import refused');
    expect(d.message).toContain('probably stale');
    expect(d.hint).toContain(forceUnlockCommand('a1b2c3d4e5', STAGING));
  });

  it('ages read naturally', () => {
    const at = (s: number) => age('2030-01-01T00:00:00Z', new Date(Date.parse('2030-01-01T00:00:00Z') + s * 1000));
    expect([at(1), at(59), at(60), at(7200), at(86_400 * 3)]).toEqual(['1 second ago', '59 seconds ago', '1 minute ago', '2 hours ago', '3 days ago']);
    expect(age('not a date')).toBe('at an unknown time');
  });
});

const campaign = (over: Partial<AppliedResource> = {}): AppliedResource => ({
  address: 'campaign.spring',
  kind: 'Campaign',
  specHash: 'sha256:abc',
  spec: { title: 'Spring', when: '2031-06-01T09:00:00Z' },
  labels: { team: 'growth' },
  protect: false,
  remoteId: 1795800001,
  remoteName: 'Spring [cc:0a1b2c3d4e]',
  status: 'scheduled',
  scheduledFor: '2031-06-01T09:00:00.000Z',
  appliedAt: '2030-05-01T08:00:00.000Z',
  commit: '0123456789abcdef0123',
  author: 'Ann <ann@example.com>',
  ...over,
});

describe('state views', () => {
  it('list: a row per resource, the lock and open journal rows', () => {
    const view = {
      environment: 'prod',
      location: '/x/.campaignctl/prod.db',
      serial: 12,
      resources: [campaign(), campaign({ address: 'message.welcome', kind: 'Message' as const, remoteId: null, status: 'active' as const, protect: true, commit: null })],
      lock: holder({ pid: 99, host: 'ci-7' }),
      openJournal: 1,
    };
    const lines = stateListText(view).split('\n');
    expect(lines[0]).toBe('environment prod, state /x/.campaignctl/prod.db, serial 12');
    expect(lines[1]).toMatch(/^ADDRESS\s+KIND\s+STATUS\s+CLEVERTAP ID\s+APPLIED AT\s+COMMIT$/);
    expect(lines[2]).toMatch(/^campaign\.spring\s+Campaign\s+scheduled\s+1795800001\s+2030-05-01T08:00:00\.000Z\s+01234567$/);
    expect(lines[3]).toMatch(/^message\.welcome\s+Message\s+active\s+-\s+2030-05-01T08:00:00\.000Z\s+-$/);
    expect(lines).toContain('2 resources, 1 protected');
    expect(lines).toContain('1 remote write is open in the journal (settled by the next plan/apply)');
    expect(lines).toContain('locked by apply (pid 99 on ci-7, since 2030-01-01T10:00:00.000Z), lock id a1b2c3d4e5');
    expect(stateListJson(view)).toMatchObject({ environment: 'prod', serial: 12, openJournal: 1, lock: { id: 'a1b2c3d4e5' } });
    expect(stateListText({ ...view, resources: [], lock: null, openJournal: 0 }).split('\n')).toEqual([lines[0], 'No resources in state.']);
  });

  it('show: every recorded field, the applied spec and the history with reasons', () => {
    const text = stateShowText({
      environment: 'prod',
      resource: campaign({ status: 'stopped' }),
      journal: [],
      history: [
        { id: 2, at: '2030-05-02T00:00:00.000Z', command: 'stop', address: 'campaign.spring', action: 'stop', outcome: 'succeeded', detail: { remoteId: 1795800001, reason: 'wrong price' }, commit: null, author: 'Dana <d@x>', dirty: null, journalId: 'x' },
      ],
    });
    expect(text).toContain('  clevertap id:   1795800001');
    expect(text).toContain('  clevertap name: Spring [cc:0a1b2c3d4e]');
    expect(text).toContain('  status:         stopped');
    expect(text).toContain('  labels:         team=growth');
    expect(text).toContain('"when": "2031-06-01T09:00:00Z"');
    expect(text).toContain('2030-05-02T00:00:00.000Z  stop  stop (succeeded)  by Dana <d@x> remoteId=1795800001 reason="wrong price"');
  });

  it('rm and force-unlock say what happened and what it means', () => {
    const rm = stateRmText(campaign(), true, STAGING);
    expect(rm).toContain('Removed campaign.spring from state. Nothing was sent to CleverTap.');
    expect(rm).toContain('CleverTap campaign 1795800001 is untouched and may still be scheduled; campaignctl no longer manages or stops it.');
    expect(rm).toContain(`campaignctl --env staging --dir 'my project' import campaign.spring 1795800001`);
    expect(stateRmText(campaign({ status: 'completed' }), false, STAGING)).not.toContain('still in the YAML');
    const unlocked = forceUnlockText(holder({ pid: 31 }));
    expect(unlocked).toContain('Removed lock a1b2c3d4e5, held by:');
    expect(unlocked).toContain('  pid:      31');
  });
});
