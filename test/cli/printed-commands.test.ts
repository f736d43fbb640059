/**
 * Every command campaignctl prints for a person to run keeps what the printing run acted on: its
 * environment and its --dir. A project with two environments, each on its own emulator (`live`,
 * the default, and `staging`); every printing run uses `--env staging` and a --dir with a space in
 * it. Every printed command must name both, shell-quoted; the ones that act are then run exactly
 * as printed, through /bin/sh, and must act on staging (its emulator, its state) and never on live.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { takeLock } from '../../src/operations/lock.js';
import { commandLine, shellWord } from '../../src/diagnostics/command-line.js';
import { openStateStore } from '../../src/state/open.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { campaignYaml } from '../apply/helpers.js';
import { ACCOUNT, PASSCODE, closeEmulators, emulator } from '../sandbox/helpers.js';
import { CONTRACTS, EVENT, TRIGGER_ID, removeTemps, tempDir } from '../runtime/fixture.js';
import { CLI, CliRunner, cleanEnvironment, type CliResult } from './cli-run.js';

afterEach(async () => {
  await closeEmulators();
  removeTemps();
});

const CREDENTIALS = { CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE };
const PROJECT_DIR = 'proj dir';
const TARGET = `campaignctl --env staging --dir '${PROJECT_DIR}' `;
/** Commands campaignctl has; "campaignctl" followed by anything else is prose ("another campaignctl run"). */
const COMMAND_START = /campaignctl (?:--env|--dir|force-unlock|send|trigger|raise|state|apply|plan|stop|import|validate|render|drift)\b[^`\n]*/g;

const NOTE_MESSAGE = `apiVersion: campaignctl/v1
kind: Message
metadata:
  name: note
spec:
  target_mode: push
  content:
    title: "{{data.note}}"
    body: "From {{vars.shopName}}"
    platform_specific:
      android:
        wzrk_cid: notes
  data:
    type: object
    required: [note]
    properties:
      note:
        type: string
`;

function environment(name: string, h: SandboxHandle): string {
  return `  ${name}:
    provider: clevertap
    apiUrl: ${h.url}
    accountTimezone: Europe/Berlin
    vars:
      shopName: ShopNest
      appName: Streamly
`;
}

/** The project in `<base>/proj dir`; commands run from base. */
function writeTwoEnvironmentProject(live: SandboxHandle, staging: SandboxHandle): string {
  const base = tempDir('campaignctl-printed-');
  const root = path.join(base, PROJECT_DIR);
  const files: Record<string, string> = {
    'campaignctl.yaml': `defaultEnvironment: live\nenvironments:\n${environment('live', live)}${environment('staging', staging)}`,
    ...CONTRACTS,
    'campaigns/messages/note.yaml': NOTE_MESSAGE,
    'campaigns/push/first.yaml': campaignYaml({ name: 'first' }),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return base;
}

/** A printed command line, run as printed by /bin/sh, `campaignctl` being the built CLI. */
function runPrinted(base: string, line: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const script = `campaignctl() { "$CAMPAIGNCTL_NODE" "$CAMPAIGNCTL_CLI" "$@"; }\n${line}`;
    const env = cleanEnvironment({ ...CREDENTIALS, CAMPAIGNCTL_NODE: process.execPath, CAMPAIGNCTL_CLI: CLI });
    execFile('/bin/sh', ['-c', script], { cwd: base, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Every command a run printed. */
function printedCommands(r: CliResult): string[] {
  return [...`${r.stdout}\n${r.stderr}`.matchAll(COMMAND_START)].map((m) => m[0].trim().replace(/[.,;]$/, ''));
}

describe('commands campaignctl prints for the user to run', () => {
  it('name the environment and --dir of the run that printed them, and act on that environment when run as printed', { timeout: 240_000 }, async () => {
    const registered = { externalTriggers: [TRIGGER_ID], businessEvents: [EVENT] };
    const live = await emulator(registered);
    const staging = await emulator(registered);
    const base = writeTwoEnvironmentProject(live, staging);
    const runner = new CliRunner(base, CREDENTIALS);
    const onStaging = (args: string[], input?: string) => runner.run(['--env', 'staging', '--dir', PROJECT_DIR, ...args], { input });
    const printed: string[] = [];
    const single = (r: CliResult, what: RegExp): string => {
      const found = printedCommands(r);
      printed.push(...found);
      const matching = found.filter((c) => what.test(c));
      expect(matching, `${what} in ${r.stdout}${r.stderr}`).toHaveLength(1);
      return matching[0]!;
    };

    // send: the data given with --set (a value a shell would split), the failed identities retried.
    staging.state.injectFaults([{ fault: '429', family: 'send', count: 5 }]);
    const sent = await onStaging(['send', 'note', '--to', 'u-1,u-2', '--set', "note=it's on: $HOME & more"]);
    expect(sent.code).toBe(1);
    const resend = single(sent, / send note /);
    staging.state.clearRequests();
    const resent = await runPrinted(base, resend);
    expect(resent.code, `${resend}\n${resent.stdout}${resent.stderr}`).toBe(0);
    expect(staging.state.requests().map((e) => e.body)).toMatchObject([{ to: { Identity: ['u-1', 'u-2'] }, content: { title: "it's on: $HOME & more" } }]);

    // send with --data from stdin: the retry names a file holding that data.
    staging.state.injectFaults([{ fault: '429', family: 'send', count: 5 }]);
    const piped = await onStaging(['send', 'note', '--to', 'u-3', '--data', '-'], JSON.stringify({ note: 'from stdin' }));
    expect(piped.code).toBe(1);
    const resendPiped = single(piped, / send note /);
    expect(resendPiped).toMatch(/ --data \S+\.data\.json /);
    staging.state.clearRequests();
    expect((await runPrinted(base, resendPiped)).code).toBe(0);
    expect(staging.state.requests().map((e) => e.body)).toMatchObject([{ to: { Identity: ['u-3'] }, content: { title: 'from stdin' } }]);

    // trigger: the same.
    staging.state.injectFaults([{ fault: '429', family: 'externaltrigger', count: 5 }]);
    const fired = await onStaging(['trigger', 'subscription-upgraded', '--to', 'jane@example.com', '--set', 'plan=Premium']);
    expect(fired.code).toBe(1);
    const refire = single(fired, / trigger subscription-upgraded /);
    staging.state.clearRequests();
    expect((await runPrinted(base, refire)).code).toBe(0);
    expect(staging.state.requests().map((e) => e.body)).toMatchObject([{ to: { email: ['jane@example.com'] }, ExternalTrigger: { plan: 'Premium' } }]);

    // raise --occurrence of unknown outcome: the printed state resolve settles it in staging's state.
    staging.state.injectFaults([{ fault: 'drop-after-commit', family: 'trigger' }]);
    const raised = await onStaging(['raise', 'album-released', '--occurrence', 'nova-midnight']);
    expect(raised.code).toBe(1);
    const resolve = single(raised, / state resolve /);
    // The plan warns about the same occurrence with the same command.
    const planned = await onStaging(['plan', '--no-estimate', '--target', 'bulletin.album-released']);
    expect(single(planned, / state resolve /)).toBe(resolve);
    const resolved = await runPrinted(base, resolve.replace('--raised|--not-raised', '--raised'));
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain('unknown -> done');

    // plan --out: the printed apply applies the saved plan to staging.
    const saved = await onStaging(['plan', '--no-estimate', '--target', 'campaign.first', '--out', 'first.plan.json']);
    expect(saved.code).toBe(0);
    const applySaved = single(saved, / apply first\.plan\.json$/);
    const appliedSaved = await runPrinted(base, applySaved);
    expect(appliedSaved.code, appliedSaved.stderr).toBe(0);
    expect(staging.state.campaigns().map((c) => c.name)).toEqual([expect.stringMatching(/^Campaign first/)]);

    // apply without --yes and without a terminal: the printed apply --yes keeps the scope too.
    writeFileSync(path.join(base, PROJECT_DIR, 'campaigns/push/second.yaml'), campaignYaml({ name: 'second' }));
    writeFileSync(path.join(base, PROJECT_DIR, 'campaigns/push/third.yaml'), campaignYaml({ name: 'third' }));
    const unconfirmed = await onStaging(['apply', '--no-estimate', '--target', 'campaign.second']);
    expect(unconfirmed.code).toBe(1);
    const confirmed = single(unconfirmed, / apply .*--yes$/);
    expect(confirmed).toContain('--target campaign.second');
    single(unconfirmed, / plan .*--out FILE$/);
    expect((await runPrinted(base, confirmed)).code).toBe(0);
    expect(staging.state.campaigns().map((c) => c.name).sort()).toEqual([expect.stringMatching(/^Campaign first/), expect.stringMatching(/^Campaign second/)]);

    // A lock on staging's state: the printed force-unlock removes it there.
    const state = await openStateStore(path.join(base, PROJECT_DIR, '.campaignctl', 'staging.db'));
    if (!state.ok) throw new Error(state.diagnostic.message);
    const held = await takeLock(state.store, 'apply', { pid: 999_999_999 });
    expect(held.ok).toBe(true);
    const refused = await onStaging(['state', 'rm', 'campaign.first']);
    expect(refused.code).toBe(1);
    const unlock = single(refused, / force-unlock /);
    expect((await runPrinted(base, unlock)).code).toBe(0);
    expect(await state.store.lock.current()).toBeNull();
    await state.store.close();

    // Hints that name a command: state list after an unknown address, the stop example.
    single(await onStaging(['state', 'show', 'campaign.nothing-like-it']), / state list$/);
    single(await onStaging(['stop', '--reason', 'test']), / stop campaign\.winter-sale-push /);
    const listed = await runPrinted(base, `${TARGET}--json state list`);
    expect((JSON.parse(listed.stdout) as { resources: { address: string }[] }).resources.map((r) => r.address)).toContain('campaign.second');

    // Every printed command names staging and the --dir; live was never touched.
    expect(printed.length).toBeGreaterThanOrEqual(12);
    for (const command of printed) expect(command.startsWith(TARGET), command).toBe(true);
    expect(live.state.requests()).toEqual([]);
  });
});

describe('shellWord', () => {
  it('leaves safe words bare and quotes what a shell would split or expand', () => {
    expect(commandLine({ env: 'staging', dir: 'proj dir' }, ['state', 'resolve', 'bulletin.a#k', { oneOf: ['--raised', '--not-raised'] }])).toBe(
      "campaignctl --env staging --dir 'proj dir' state resolve bulletin.a#k --raised|--not-raised",
    );
    expect(commandLine({ env: undefined }, ['validate'])).toBe('campaignctl validate');
    expect(['', '~/x', '#x', "it's", '$HOME', 'a*b', 'k=v w'].map(shellWord)).toEqual(["''", "'~/x'", "'#x'", "'it'\\''s'", "'$HOME'", "'a*b'", "'k=v w'"]);
  });
});
