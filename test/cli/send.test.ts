/**
 * `send`, `trigger`, `raise` and `state resolve` end to end: the built CLI in a child process
 * against the emulator running in this test (CLEVERTAP_API_URL), a real project and a real SQLite
 * state in a temp folder. Most behaviour is covered in test/runtime/ by calling the operations; here
 * each command's wiring: input from stdin and CSV files, exit codes, files of failed and unknown
 * identities that read back with --to-file, nothing sent on any problem, and the audit record.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRecipientsText } from '../../src/cli/shared/identities.js';
import { openStateStore } from '../../src/state/open.js';
import { ACCOUNT, PASSCODE, closeEmulators, emulator } from '../sandbox/helpers.js';
import { EVENT, TRIGGER_ID, ids, removeTemps, writeProject } from '../runtime/fixture.js';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { CliRunner, type CliResult } from './cli-run.js';

afterEach(async () => {
  await closeEmulators();
  removeTemps();
});

/** The built CLI on the project in `dir`, against the emulator `h`; `input` is its stdin. */
function cli(dir: string, h: SandboxHandle, args: string[], input?: string): Promise<CliResult> {
  const runner = new CliRunner(dir, { CLEVERTAP_API_URL: h.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: PASSCODE });
  return runner.run(['--dir', dir, ...args], { input });
}

async function setup(): Promise<{ dir: string; h: SandboxHandle }> {
  const dir = writeProject();
  const h = await emulator({ externalTriggers: [TRIGGER_ID], businessEvents: [EVENT] });
  return { dir, h };
}

async function audit(dir: string) {
  const opened = await openStateStore(path.join(dir, '.campaignctl', 'live.db'));
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  try {
    return await opened.store.audit.list();
  } finally {
    await opened.store.close();
  }
}

const DATA = ['--set', 'orderId=SN-104233', '--set', 'carrier=DHL'];

describe('campaignctl send', () => {
  it('identities from stdin, data from --set: one call, exit 0, an audit record without the ids', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['send', 'order-shipped', '--to-file', '-', ...DATA], 'user-1\nuser-2\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sent     2');
    const [req] = h.state.requests();
    expect(req!.body).toMatchObject({ to: { Identity: ['user-1', 'user-2'] }, content: { title: 'Order SN-104233 is on its way' } });
    const [entry] = await audit(dir);
    expect(entry).toMatchObject({ command: 'send', address: 'message.order-shipped', outcome: 'succeeded', detail: { identities: 2, calls: 1 } });
    expect(JSON.stringify(entry)).not.toContain('user-1');
  });

  it('a CSV of 2,500 identities under two keys goes out in 3 calls (--json)', async () => {
    const { dir, h } = await setup();
    const rows = ['Email,Identity', ...ids(1500).map((id) => `,${id}`), ...ids(1000, 'm-').map((id) => `${id}@x.com,`)];
    writeFileSync(path.join(dir, 'ids.csv'), rows.join('\n'));
    const r = await cli(dir, h, ['--json', 'send', 'message.order-shipped', '--to-file', 'ids.csv', ...DATA]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, identities: 2500, calls: 3, sent: 2500, failed: 0, unknown: 0, files: { failed: null, unknown: null } });
    expect(h.state.sends()).toHaveLength(3);
  });

  it('data outside the contract: exit 1, the field and rule named, the emulator saw no request', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['send', 'order-shipped', '--to', 'Identity:u-1', '--set', 'orderId=12', '--set', 'carrier=FedEx']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('`orderId`');
    expect(r.stderr).toContain('`carrier`');
    expect(h.state.requests()).toHaveLength(0);
    expect(await audit(dir)).toHaveLength(0);
  });

  it('an unknown Message: exit 1 with a suggestion, nothing sent', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['send', 'order-shiped', '--to', 'u-1', ...DATA]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('runtime.unknown-contract');
    expect(r.stderr).toContain('did you mean `order-shipped`?');
    expect(h.state.requests()).toHaveLength(0);
  });

  it('an unknown --env: the environment error alone, nothing sent', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['--env', 'staging', 'send', 'order-shipped', '--to', 'u-1', ...DATA]);
    expect(r.code).toBe(1);
    expect([...r.stderr.matchAll(/error {2}(\S+)/g)].map((m) => m[1])).toEqual(['config.unknown-environment']);
    expect(h.state.requests()).toHaveLength(0);
  });

  it('--dry-run prints the bodies with ids elided and the number of calls; sends nothing', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['send', 'order-shipped', '--to', `Identity:${ids(1002).join(',')}`, ...DATA, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('POST /1/send/push.json x 2 calls, 1,002 identities');
    expect(r.stdout).toContain('"... 997 more"');
    expect(h.state.requests()).toHaveLength(0);
  });

  it('an ambiguous batch: exit 1, its ids in an .unknown.csv, never resent', async () => {
    const { dir, h } = await setup();
    h.state.injectFaults([{ fault: 'drop-after-commit', family: 'send' }]);
    const r = await cli(dir, h, ['--json', 'send', 'order-shipped', '--to', `Identity:${ids(1500).join(',')}`, ...DATA, '--out-dir', 'out']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, outcome: 'unknown', unknown: 1000, sent: 500, failed: 0, files: { failed: null } });
    const text = readFileSync(path.join(dir, doc.files.unknown), 'utf8');
    expect(statSync(path.join(dir, doc.files.unknown)).mode & 0o777).toBe(0o600);
    const dropped = h.state.requests().find((e) => e.fault === 'drop-after-commit')!;
    const back = parseRecipientsText(text, 'Email');
    expect(back.ok && back.entries.map(([, id]) => id)).toEqual((dropped.body as { to: { Identity: string[] } }).to.Identity);
    expect(h.state.requests()).toHaveLength(2);
    expect((await audit(dir))[0]).toMatchObject({ outcome: 'unknown', detail: { unknown: 1000 } });
  });

  it('a definitely failed batch: its ids in a .failed.csv that --to-file sends again', async () => {
    const { dir, h } = await setup();
    h.state.injectFaults([{ fault: '429', family: 'send', count: 5 }]); // the client's 5 attempts
    const first = await cli(dir, h, ['send', 'order-shipped', '--to', 'u-1,u-2', ...DATA]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('failed   2');
    const file = /written to (\S+\.failed\.csv)/.exec(first.stderr)![1]!;
    expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    expect(first.stderr).toContain(`campaignctl --env live --dir ${dir} send order-shipped --set orderId=SN-104233 --set carrier=DHL --to-file ${file}`);
    h.state.clearRequests();
    const again = await cli(dir, h, ['send', 'order-shipped', '--to-file', file, ...DATA]);
    expect(again.code).toBe(0);
    expect(h.state.requests().map((e) => e.body)).toMatchObject([{ to: { Identity: ['u-1', 'u-2'] } }]);
  });
});

describe('campaignctl trigger', () => {
  it('ids without a key use the contract identity (email), lower-case keys on the wire', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['trigger', 'subscription-upgraded', '--to', 'jane@example.com', '--to', 'identity:u-7', '--set', 'plan=Premium']);
    expect(r.code).toBe(0);
    expect(h.state.requests()[0]!.body).toEqual({
      to: { identity: ['u-7'], email: ['jane@example.com'] },
      campaign_id: TRIGGER_ID,
      ExternalTrigger: { plan: 'Premium' },
    });
  });
});

describe('send and trigger --help', () => {
  /** The keys `--help` lists for --to, e.g. ['Identity', 'Email', 'objectId']. */
  function helpKeys(help: string): string[] {
    const listed = /KEY is (.+?) in\s+any case/s.exec(help.replace(/\s+/g, ' '))![1]!;
    return listed.split(/, | or /);
  }

  it.each([
    ['trigger', 'subscription-upgraded'],
    ['send', 'order-shipped'],
  ])('%s lists exactly the keys it accepts', async (command, name) => {
    const { dir, h } = await setup();
    const listed = helpKeys((await cli(dir, h, [command, '--help'])).stdout);
    expect(listed.length).toBeGreaterThanOrEqual(3);
    for (const key of ['Identity', 'Email', 'FBID', 'GPID', 'objectId']) {
      const r = await cli(dir, h, [command, name, '--to', `${key}:x-1`, ...(command === 'send' ? DATA : ['--set', 'plan=Premium']), '--dry-run']);
      expect(r.code === 0, `${command} --to ${key}: ${r.stderr}`).toBe(listed.includes(key));
    }
    expect(h.state.requests()).toHaveLength(0);
  });
});

describe('campaignctl raise and state resolve', () => {
  it('raises ad hoc with --name and --set; c-by from YAML', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['raise', 'album-released', '--name', '{{properties.artist}} live', '--set', 'artist=Nova Lane', '--set', 'album=Live']);
    expect(r.code).toBe(0);
    expect(h.state.requests()[0]!.body).toEqual({
      business_event: EVENT,
      name: 'Nova Lane live',
      properties: { artist: 'Nova Lane', album: 'Live' },
      'c-by': 'editor@example.com',
      when: 'now',
    });
  });

  it('--occurrence raises once; an unknown outcome is settled with state resolve', async () => {
    const { dir, h } = await setup();
    h.state.injectFaults([{ fault: 'drop-after-commit', family: 'trigger' }]);
    const first = await cli(dir, h, ['raise', 'album-released', '--occurrence', 'nova-midnight']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(`campaignctl --env live --dir ${dir} state resolve bulletin.album-released#nova-midnight --raised|--not-raised`);
    const again = await cli(dir, h, ['raise', 'album-released', '--occurrence', 'nova-midnight']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('runtime.occurrence-claimed');
    expect(h.state.requests()).toHaveLength(1);

    const resolved = await cli(dir, h, ['state', 'resolve', 'bulletin.album-released#nova-midnight', '--raised']);
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toContain('unknown -> done');
    const bad = await cli(dir, h, ['state', 'resolve', 'bulletin.album-released#nova', '--not-raised']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("occurrences: `nova-midnight`, `later`");
    expect(h.state.requests()).toHaveLength(1);
  });
});

describe('Liquid in run-time data is refused, located at the flag and field, and nothing is sent', () => {
  it('send --set', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['send', 'order-shipped', '--to', 'Identity:u-1', '--set', 'orderId={{ Profile.email }}', '--set', 'carrier=DHL']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error  input.liquid-in-data  --set orderId={{ Profile.email }}: `orderId` holds Liquid');
    expect(h.state.requests()).toHaveLength(0);
    expect(await audit(dir)).toHaveLength(0);
  });

  it('trigger --data (a nested value, a `{%` tag)', async () => {
    const { dir, h } = await setup();
    writeFileSync(path.join(dir, 'payload.json'), JSON.stringify({ plan: 'Premium', renewsOn: '{% for u in Linked.users %}x{% endfor %}' }));
    const r = await cli(dir, h, ['trigger', 'subscription-upgraded', '--to', 'jane@example.com', '--data', 'payload.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error  input.liquid-in-data  --data payload.json: `renewsOn` holds Liquid');
    expect(h.state.requests()).toHaveLength(0);
  });

  it('render --set', async () => {
    const { dir, h } = await setup();
    const r = await cli(dir, h, ['render', 'message.order-shipped', '--set', 'orderId=SN-104233', '--set', 'carrier={{ evil }}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error  input.liquid-in-data  --set carrier={{ evil }}: `carrier` holds Liquid');
    expect(r.stdout).toBe('');
    const ok = await cli(dir, h, ['render', 'message.order-shipped', '--set', 'orderId=SN-104233', '--set', 'carrier=DHL']);
    expect(ok.code).toBe(0);
  });
});
