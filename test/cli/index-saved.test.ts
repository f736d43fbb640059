/**
 * `plan`, `apply` and `drift` write the project index once, when the operation is done with it
 * (src/operations/context.ts loadContext): these check that it is written on every way out, so
 * the next run starts from it, through the built CLI against the emulator.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TempProject } from '../apply/helpers.js';
import type { CliRunner } from './cli-run.js';
import { useCliFixture } from './cli-fixture.js';

let tp: TempProject;
let cli: CliRunner;

useCliFixture((f) => ({ tp, cli } = f));
beforeEach(() => tp.campaign({ name: 'hello', when: '2031-06-01 09:00' }));

const INDEX = () => path.join(tp.root, '.campaignctl', 'cache', 'index-default.bin');

/** How the run's load found the persisted index (its --verbose line): used, absent, ... */
async function indexOfNextRun(args: string[]): Promise<string | undefined> {
  const r = await cli.run([...args, '--verbose']);
  return /from the cache \[([^\]]+)\]/.exec(r.stderr)?.[1];
}

describe('the project index of plan, apply and drift', () => {
  it('is written by a plan, an apply and a drift check, for the next run to start from', async () => {
    for (const command of [['plan'], ['apply', '--yes'], ['drift']]) {
      rmSync(INDEX(), { force: true });
      expect(await indexOfNextRun(command)).toBe('absent');
      expect(await indexOfNextRun(['plan'])).toBe('used');
    }
  });

  it('is written when the plan is refused for the project’s errors', async () => {
    tp.write('campaigns/broken.yaml', 'apiVersion: campaignctl/v1\nkind: Nonsense\n');
    const refused = await cli.run(['plan']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('campaigns/broken.yaml');
    expect(await indexOfNextRun(['plan'])).toBe('used');
  });

  it('is written when the state does not open', async () => {
    // A folder where the SQLite file belongs: the state can not be opened.
    mkdirSync(tp.statePath, { recursive: true });
    const refused = await cli.run(['plan']);
    expect(refused.code).toBe(1);
    expect(await indexOfNextRun(['plan'])).toBe('used');
  });
});
