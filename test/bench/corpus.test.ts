/**
 * The plan benchmark's corpora are projects a user could have written: a small version of each
 * passes `campaignctl validate` (the built CLI) with no finding at all, and `apply` sends every
 * resource to a strict emulator (it refuses any request field the CleverTap contract does not
 * list) without a refusal. The bench itself times them; nothing here is timed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CORPORA, writeCorpus, type CorpusName } from '../../bench/plan-corpus.js';
import { closeEmulators, emulator, ACCOUNT, PASSCODE } from '../sandbox/helpers.js';
import { CliRunner } from '../cli/cli-run.js';

const temps: string[] = [];
afterEach(async () => {
  await closeEmulators();
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = new Date('2026-06-01T10:00:00Z');
/** Small, yet past every corpus's variant period, and few campaigns (apply creates at most 3 a second). */
const COUNT: Record<CorpusName, number> = { varied: 8, 'push-heavy': 10, mixed: 60 };

function generate(name: CorpusName, count: number) {
  const dir = mkdtempSync(path.join(tmpdir(), `campaignctl-corpus-${name}-`));
  temps.push(dir);
  const written = writeCorpus(name, dir, { count, now: NOW }, '    provider: clevertap\n    accountTimezone: Europe/Berlin\n');
  return { dir, written };
}

describe('the plan benchmark corpora', () => {
  it('mixed holds every kind, 150 Campaigns at 10,000 files and at least 2 in a small one', () => {
    const { written } = generate('mixed', 60);
    expect(Object.keys(written.kinds).sort()).toEqual(['Bulletin', 'Campaign', 'ExternalTrigger', 'Message', 'Schedule']);
    expect(written.kinds.Campaign).toBe(2);
    expect(Object.values(written.kinds).reduce((a, b) => a + b, 0)).toBe(60);
  });

  it.each(CORPORA)('%s: validate accepts it without a finding, and apply creates it all on a strict emulator', async (name) => {
    const { dir, written } = generate(name, COUNT[name]);
    const h = await emulator({ strict: true, clock: () => NOW, ...written.sandbox });
    const cli = new CliRunner(dir, { CLEVERTAP_API_URL: h.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE, CAMPAIGNCTL_NOW: NOW.toISOString() });

    const validated = await cli.run(['validate']);
    expect(validated.stdout + validated.stderr).toContain(`${COUNT[name]} resources valid`);
    expect(validated.stderr).not.toMatch(/warning|error/i);
    expect(validated.code).toBe(0);

    const applied = await cli.run(['apply', '--yes', '--no-estimate']);
    expect(applied.stderr).not.toMatch(/error/i);
    expect(applied.code).toBe(0);
    const creates = h.state.requests({ family: 'create' });
    expect(creates).toHaveLength(written.kinds.Campaign);
    expect(creates.every((r) => r.response?.status === 200 && r.unlisted.length === 0)).toBe(true);

    const again = await cli.run(['plan', '--detailed-exitcode']);
    expect(again.stdout).toContain('No changes');
    expect(again.code).toBe(0);
  });
});
