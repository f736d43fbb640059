/**
 * The refresh keeper, end to end: a spawned `campaignctl watch` (plan only) on an applied project,
 * CleverTap an emulator in this test process whose request log counts the status reads (list calls
 * by date window). A reconcile that only a file event asked for lists only the window of the
 * campaign the edit touched (the others' statuses are the last full refresh's); POST /v1/reconcile
 * refreshes every window again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { ACCOUNT, emulator, PASSCODE, TempProject } from '../apply/helpers.js';
import { CliRunner } from '../cli/cli-run.js';
import { WatchProcess } from './watch-process.js';

const TOKEN = 'reuse-test-api-token-0123456789';
// A year apart: each campaign's status is read over its own date window.
const ALPHA = '2031-06-01T09:00:00Z';
const BETA = '2032-06-01T09:00:00Z';

let tp: TempProject;
let emu: SandboxHandle;
let w: WatchProcess;
let env: Record<string, string>;

/** The date windows of the list calls the emulator saw since the last clear, as `from-to`. */
function listed(): { from: number; to: number }[] {
  return emu.state.requests({ family: 'list' }).map((r) => r.body as { from: number; to: number });
}
const covers = (windows: { from: number; to: number }[], ymd: number) => windows.some((x) => x.from <= ymd && ymd <= x.to);

beforeAll(async () => {
  emu = await emulator();
  tp = new TempProject();
  tp.campaign({ name: 'alpha', when: ALPHA });
  tp.campaign({ name: 'beta', when: BETA });
  env = { CLEVERTAP_API_URL: emu.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, CAMPAIGNCTL_API_TOKEN: TOKEN };
  const applied = await new CliRunner(tp.root, env).run(['apply', '--yes']);
  expect(applied.code, applied.stderr).toBe(0);
});

afterAll(async () => {
  await w?.kill();
  await emu.close();
  tp.dispose();
});

describe('watch: statuses reused by file-event reconciles', () => {
  it('a file event asks CleverTap only about the edited campaign; POST /v1/reconcile asks about all', async () => {
    w = new WatchProcess(tp.root, [], env);
    const first = await w.statusWhere((s) => s.lastReconcile?.result === 'no-change');
    expect(first.pending).toEqual([]);
    const full = listed();
    expect(covers(full, 20310601) && covers(full, 20320601)).toBe(true);

    emu.state.clearRequests();
    tp.campaign({ name: 'alpha', when: ALPHA, body: 'Edited while watched.' });
    const edited = await w.statusWhere((s) => s.pending.length === 1);
    expect(edited.pending[0]).toMatchObject({ address: 'campaign.alpha', action: 'replace' });
    expect(edited.lastReconcile.reason).toBe('file');
    const onEdit = listed();
    // The edited campaign's status is read now; beta's is the start's, not asked again.
    expect(covers(onEdit, 20310601)).toBe(true);
    expect(covers(onEdit, 20320601)).toBe(false);

    emu.state.clearRequests();
    const asked = await w.post('/v1/reconcile', { authorization: `Bearer ${TOKEN}` });
    expect(asked.status).toBe(202);
    await w.waitFor((l) => typeof l.msg === 'string' && l.msg.startsWith('reconcile (api)'));
    const onApi = listed();
    expect(covers(onApi, 20310601) && covers(onApi, 20320601)).toBe(true);
  });
});
