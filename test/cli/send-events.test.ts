/**
 * How `send` on the command line draws the operation's events and what it opens: one line per
 * settled call under --verbose (none without it), and no state opened for a dry run or a refused
 * input. The built CLI against the emulator running in this test, a real project in a temp folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT, PASSCODE, closeEmulators, emulator } from '../sandbox/helpers.js';
import { EVENT, TRIGGER_ID, ids, removeTemps, writeProject } from '../runtime/fixture.js';
import { CliRunner } from './cli-run.js';

afterEach(async () => {
  await closeEmulators();
  removeTemps();
});

async function setup() {
  const dir = writeProject();
  const h = await emulator({ externalTriggers: [TRIGGER_ID], businessEvents: [EVENT] });
  const runner = new CliRunner(dir, { CLEVERTAP_API_URL: h.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE });
  return { dir, h, run: (args: string[]) => runner.run(['--dir', dir, ...args]) };
}

const DATA = ['--set', 'orderId=SN-104233', '--set', 'carrier=DHL'];
const stateFile = (dir: string) => path.join(dir, '.campaignctl', 'live.db');

describe('send: the events of the operation on the command line', () => {
  it('--verbose: one line per settled call; without it, none', async () => {
    const { h, run } = await setup();
    const to = ['--to', `Identity:${ids(1500).join(',')}`];
    const verbose = await run(['--verbose', 'send', 'order-shipped', ...to, ...DATA]);
    expect(verbose.code).toBe(0);
    const lines = verbose.stderr.split('\n').filter((l) => / call \d\/2 \(batch \d\): /.test(l));
    expect(lines.map((l) => /call (\d)\/2/.exec(l)![1])).toEqual(['1', '2']);
    expect(lines.map((l) => /: sent, (\d+) identities$/.exec(l)![1]).sort()).toEqual(['1000', '500']);
    const quiet = await run(['send', 'order-shipped', ...to, ...DATA]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(h.state.sends()).toHaveLength(4);
  });
});

describe('send: the state is opened only to send', () => {
  it('a dry run opens no state', async () => {
    const { dir, run } = await setup();
    const r = await run(['send', 'order-shipped', '--to', 'u-1', ...DATA, '--dry-run']);
    expect(r.code).toBe(0);
    expect(existsSync(stateFile(dir))).toBe(false);
  });

  it('refused input opens no state; a send does', async () => {
    const { dir, run } = await setup();
    const refused = await run(['send', 'order-shipped', '--to', 'u-1', '--set', 'orderId=1', '--set', 'carrier=DHL']);
    expect(refused.code).toBe(1);
    expect(existsSync(stateFile(dir))).toBe(false);
    const sent = await run(['send', 'order-shipped', '--to', 'u-1', ...DATA]);
    expect(sent.code).toBe(0);
    expect(existsSync(stateFile(dir))).toBe(true);
  });
});
