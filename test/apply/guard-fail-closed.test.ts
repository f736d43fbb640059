/**
 * guard.maxAudience fails closed, against the emulator with scripted faults: a guarded create whose
 * estimate fails (500, timeout, 401) is refused like one over its limit, located at its guard, and
 * nothing is created; --no-estimate skips the estimates of unguarded changes only;
 * --allow-large-audience is the one override.
 */
import { describe, expect, it } from 'vitest';
import { createClient, type CleverTapClient } from '../../src/clevertap/client.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { StateStore } from '../../src/state/store.js';
import { ACCOUNT, applyOnce, TempProject, useApplyFixture } from './helpers.js';

let tp: TempProject;
let emu: SandboxHandle;
let client: CleverTapClient;
let store: StateStore;
useApplyFixture((f) => ({ tp, emu, client, store } = f), { hangMs: 2_000 });

/** campaignYaml writes `guard:` on line 17 and `maxAudience: N` on line 18, indented by 4. */
const GUARD_AT = { file: 'campaigns/guarded.yaml', line: 18, column: 18 };

/** The guarded campaign, and with `plain` an unguarded one beside it. */
function guardedProject(maxAudience: number, plain = false): void {
  tp.campaign({ name: 'guarded', maxAudience });
  if (plain) tp.campaign({ name: 'plain' });
}

/** Creates the emulator received (estimate_only calls excluded). */
function creates(): number {
  return emu.state.requests({ family: 'create' }).filter((r) => !(r.body as { estimate_only?: boolean }).estimate_only).length;
}

function estimateCalls(): number {
  return emu.state.requests({ family: 'create' }).filter((r) => (r.body as { estimate_only?: boolean }).estimate_only === true).length;
}

async function expectRefusedUnchecked(c: CleverTapClient, why: RegExp): Promise<void> {
  const { planned, result } = await applyOnce(tp, store, c, { options: { noEstimate: false } });
  const errors = planned.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => [d.code, d.address])).toEqual([['plan.guard-unchecked', 'campaign.guarded']]);
  expect(errors[0]).toMatchObject(GUARD_AT);
  expect(errors[0]!.message).toMatch(why);
  expect(planned.plan.changes.find((ch) => ch.address === 'campaign.guarded')!.estimateStatus).toBe('failed');
  expect(result).toBeNull();
  expect(creates()).toBe(0);
  expect(await store.resources.list()).toEqual([]);
}

describe('a guarded create whose audience could not be checked is refused, nothing created', () => {
  it('estimate answered 500 (every retry)', async () => {
    guardedProject(1_000_000_000);
    emu.state.injectFaults([{ fault: '500', family: 'create', count: 6 }]);
    await expectRefusedUnchecked(client, /could not be checked against guard\.maxAudience \(1000000000\): the estimate failed \(.*500/);
  });

  it('estimate timed out', async () => {
    guardedProject(1_000_000_000);
    emu.state.injectFaults([{ fault: 'timeout', family: 'create', count: 2 }]);
    const impatient = createClient({ baseUrl: emu.url, accountId: ACCOUNT, passcode: 'apply-test-passcode-7c1e', createsPerSecond: 1000, timeoutMs: 300, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    try {
      await expectRefusedUnchecked(impatient, /the estimate failed \(.*no answer within 300 ms/);
    } finally {
      impatient.close();
    }
  });

  it('estimate refused with 401 (a wrong passcode)', async () => {
    guardedProject(1_000_000_000);
    const wrong = createClient({ baseUrl: emu.url, accountId: ACCOUNT, passcode: 'not-the-passcode', createsPerSecond: 1000 });
    try {
      await expectRefusedUnchecked(wrong, /the estimate failed \(.*HTTP 401/);
    } finally {
      wrong.close();
    }
  });

  it('--allow-large-audience is the override: the same failure then applies', async () => {
    guardedProject(1_000_000_000);
    emu.state.injectFaults([{ fault: '500', family: 'create', count: 6 }]);
    const { planned, result } = await applyOnce(tp, store, client, { options: { noEstimate: false, allowLargeAudience: true } });
    expect(planned.diagnostics).toEqual([]);
    expect(planned.plan.warnings.map((w) => `${w.severity} ${w.code}`)).toContain('warning plan.guard-unchecked');
    expect(result!.ok).toBe(true);
    expect(creates()).toBe(1);
  });
});

describe('--no-estimate skips unguarded estimates only', () => {
  it('a guarded change is still estimated and refused above its limit; nothing created', async () => {
    guardedProject(10, true);
    const { planned, result } = await applyOnce(tp, store, client, { options: { noEstimate: true } });
    expect(estimateCalls()).toBe(1);
    expect(planned.diagnostics.map((d) => [d.code, d.address])).toEqual([['plan.max-audience', 'campaign.guarded']]);
    expect(planned.diagnostics[0]).toMatchObject(GUARD_AT);
    expect(planned.plan.changes.find((c) => c.address === 'campaign.plain')!.estimateStatus).toBe('skipped');
    expect(result).toBeNull();
    expect(creates()).toBe(0);
  });

  it('a guarded change whose estimate fails under --no-estimate is refused', async () => {
    guardedProject(1_000_000_000);
    emu.state.injectFaults([{ fault: '500', family: 'create', count: 6 }]);
    const { planned, result } = await applyOnce(tp, store, client, { options: { noEstimate: true } });
    expect(planned.diagnostics.map((d) => [d.code, d.address])).toEqual([['plan.guard-unchecked', 'campaign.guarded']]);
    expect(result).toBeNull();
    expect(creates()).toBe(0);
  });

  it('within its limit, the guarded change is estimated and applied with the unguarded one', async () => {
    guardedProject(1_000_000_000, true);
    const { planned, result } = await applyOnce(tp, store, client, { options: { noEstimate: true } });
    expect(planned.diagnostics).toEqual([]);
    expect(planned.plan.changes.map((c) => [c.address, c.estimateStatus])).toEqual([
      ['campaign.guarded', 'estimated'],
      ['campaign.plain', 'skipped'],
    ]);
    expect(result!.ok).toBe(true);
    expect(creates()).toBe(2);
  });
});
