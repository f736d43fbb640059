/**
 * What is hashed is what would be sent: after an apply, a change to anything the request body reads
 * from outside the campaign's YAML (the account zone, a var, a partial, a body_file's contents, a
 * file under a `_` folder) re-plans the campaign, through the built CLI with every cache on (the
 * project snapshot, the load and rules caches, the desired memo and the no-change record are all
 * warm from two earlier plans).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { TempProject } from '../apply/helpers.js';
import type { CliRunner } from './cli-run.js';
import { useCliFixture } from './cli-fixture.js';

const PASSCODE = 'replan-inputs-passcode';

let tp: TempProject;
let emu: SandboxHandle;
let cli: CliRunner;

useCliFixture((f) => ({ tp, emu, cli } = f), { passcode: PASSCODE, project: { vars: { appName: 'Streamly', support: 'help@x.example' } } });

function campaign(name: string, content: string, when: string, targetMode = 'push'): void {
  tp.write(
    `campaigns/${name}.yaml`,
    `apiVersion: campaignctl/v1
kind: Campaign
metadata:
  name: ${name}
spec:
  title: ${name}
  target_mode: ${targetMode}
  where: { event_name: App Launched, from: 20260101, to: 20260102 }
  content:
${content}
${targetMode === 'push' ? '  devices: [ios]\n' : '  provider_nick_name: ses\n'}  when: ${JSON.stringify(when)}
`,
  );
}

function emailCampaign(bodyFile: string): void {
  campaign('mail', `    subject: News\n    sender_name: Streamly\n    body_file: ${bodyFile}`, '2031-06-01 09:00', 'email');
}

/** Applies, then plans twice (the second answered from the caches the first wrote): No changes. */
async function appliedAndCached(): Promise<void> {
  const applied = await cli.run(['apply', '--yes']);
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
  for (let i = 0; i < 2; i++) {
    const r = await cli.run(['plan', '--detailed-exitcode', '--verbose']);
    expect(r.stdout.trim().endsWith('No changes.')).toBe(true);
    expect(r.code).toBe(0);
    // The CLI scanned the files as it started (src/cli/scan-ahead.ts), and the load took that scan.
    expect(r.stderr).toContain('files scanned as the process started');
  }
}

/** A plan after the change replaces `address`, naming the input that moved, and stays put once applied. */
async function replansFor(address: string, input: RegExp): Promise<void> {
  const r = await cli.run(['plan', '--detailed-exitcode']);
  expect(r.code).toBe(2);
  expect(r.stdout).toMatch(new RegExp(`-/\\+ ${address.replace('.', '\\.')} +replace`));
  expect(r.stdout).toMatch(input);
  expect((await cli.run(['apply', '--yes'])).code).toBe(0);
  expect((await cli.run(['plan', '--detailed-exitcode'])).code).toBe(0);
}

function edit(rel: string, from: string, to: string): void {
  const file = path.join(tp.root, rel);
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

describe('an applied scheduled campaign re-plans when an input of its body changes', () => {
  it('accountTimezone: an ISO `when` is sent as another local time, so the campaign is replaced', async () => {
    campaign('zoned', '    title: Hello\n    body: Body', '2031-06-01T12:00:00Z');
    await appliedAndCached();
    expect(emu.state.campaigns()[0]!.body.when).toBe('20310601 12:00');
    edit('campaignctl.yaml', 'accountTimezone: UTC', 'accountTimezone: Asia/Kolkata');
    const rendered = await cli.run(['render', 'campaign.zoned']);
    expect(rendered.stdout).toContain('"when": "20310601 17:30"');
    await replansFor('campaign.zoned', /\$inputs\.accountTimezone: "UTC" -> "Asia\/Kolkata"/);
    const live = emu.state.campaigns().filter((c) => c.stoppedAt === null);
    expect(live.map((c) => c.body.when)).toEqual(['20310601 17:30']);
  });

  it('a var the template reads through `{{#with vars}}`', async () => {
    campaign('withvars', '    title: "{{#with vars}}{{appName}}{{/with}}"\n    body: Body', '2031-06-01 09:00');
    await appliedAndCached();
    edit('campaignctl.yaml', '"appName":"Streamly"', '"appName":"Streamly Plus"');
    await replansFor('campaign.withvars', /\$inputs\.vars\.appName: "Streamly" -> "Streamly Plus"/);
  });

  it('a partial the body_file includes', async () => {
    tp.write('campaigns/_partials/footer.hbs', '<p>Questions? {{vars.support}}</p>');
    tp.write('campaigns/mail/body.html', '<h1>{{vars.appName}}</h1>{{> footer}}');
    emailCampaign('mail/body.html');
    await appliedAndCached();
    tp.write('campaigns/_partials/footer.hbs', '<p>Write to {{vars.support}}</p>');
    await replansFor('campaign.mail', /\$inputs\.partials\.footer/);
  });

  it("a body_file's contents", async () => {
    tp.write('campaigns/mail/body.html', '<h1>{{vars.appName}}</h1>');
    emailCampaign('mail/body.html');
    await appliedAndCached();
    tp.write('campaigns/mail/body.html', '<h1>{{vars.appName}} is back</h1>');
    await replansFor('campaign.mail', /\$inputs\.files\["campaigns\/mail\/body\.html"\]/);
  });

  it('a data file under a `_` folder (not a campaign file) read as the body', async () => {
    tp.write('campaigns/_bodies/welcome.html', '<h1>Welcome</h1>');
    emailCampaign('_bodies/welcome.html');
    await appliedAndCached();
    tp.write('campaigns/_bodies/welcome.html', '<h1>Welcome back</h1>');
    await replansFor('campaign.mail', /\$inputs\.files\["campaigns\/_bodies\/welcome\.html"\]/);
  });
});
