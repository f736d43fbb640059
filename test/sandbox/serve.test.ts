/**
 * `campaignctl sandbox serve` end to end: the built CLI as a child process, a real HTTP request
 * against the URL it prints, and a clean exit 0 on SIGTERM. The passcode is never printed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/src/bin/campaignctl.cjs', import.meta.url));
const SECRET = 'Serve-DISTINCTIVE-passcode-5521';

describe('campaignctl sandbox serve', () => {
  it('serves the printed URL and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN, 'sandbox', 'serve', '--port', '0', '--inspect', '--external-trigger', '42', '--verbose'], {
      env: { ...process.env, CLEVERTAP_ACCOUNT_ID: 'SERVE-ACCT', CLEVERTAP_PASSCODE: SECRET, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${stdout}${stderr}`)));
    });

    const res = await fetch(`${url}/1/send/externaltrigger.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CleverTap-Account-Id': 'SERVE-ACCT', 'X-CleverTap-Passcode': SECRET },
      body: JSON.stringify({ to: { identity: ['u1'] }, campaign_id: 42, ExternalTrigger: { plan: 'pro' } }),
    });
    expect(await res.json()).toEqual({ status: 'success', message: 'Added to queue for processing' });
    const sends = await (await fetch(`${url}/__sandbox/sends`)).json();
    expect(sends).toHaveLength(1);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stdout).toContain(`CLEVERTAP_API_URL=${url}`);
    expect(stdout).toContain('CLEVERTAP_ACCOUNT_ID=SERVE-ACCT');
    expect(stdout).toContain('passcode: from $CLEVERTAP_PASSCODE');
    expect(stdout).toContain('sandbox stopped (SIGTERM)');
    expect(stderr).toContain('POST /1/send/externaltrigger.json -> 200');
    expect(stdout + stderr).not.toContain(SECRET);
  });

  it('answers the printed inspection URL with an index, and --strict refuses fields the contract does not list', async () => {
    // Without the test suites' CAMPAIGNCTL_SANDBOX_STRICT: here only --strict may make it strict.
    const { CAMPAIGNCTL_SANDBOX_STRICT: _strict, ...environ } = process.env;
    const child = spawn(process.execPath, [MAIN, 'sandbox', 'serve', '--port', '0', '--inspect', '--strict'], {
      env: { ...environ, CLEVERTAP_ACCOUNT_ID: 'SERVE-ACCT', CLEVERTAP_PASSCODE: SECRET, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const inspection = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const m = /inspection: (http:\/\/127\.0\.0\.1:\d+\/__sandbox\/)\n/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
    try {
      expect(stdout).toContain('strict: request fields the CleverTap contract does not list are refused');
      const url = inspection.replace(/\/__sandbox\/$/, '');
      const refused = await fetch(`${url}/1/targets/stop.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CleverTap-Account-Id': 'SERVE-ACCT', 'X-CleverTap-Passcode': SECRET },
        body: JSON.stringify({ id: 1234567890, skip_to: 'x' }),
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: string }).error).toContain('strict mode: "skip_to"');

      const res = await fetch(inspection);
      expect(res.status).toBe(200);
      const index = (await res.json()) as { accountId: string; strict: boolean; holds: unknown; endpoints: { method: string; href: string }[] };
      expect(index).toMatchObject({ accountId: 'SERVE-ACCT', strict: true, holds: { campaigns: { total: 0 }, requests: { logged: 1, withUnlistedFields: 1 } } });
      // Every link the index gives answers (the GET ones without a path parameter).
      const links = index.endpoints.filter((e) => e.method === 'GET' && !e.href.includes(':'));
      expect(links.map((e) => e.href)).toContain('/__sandbox/requests');
      for (const link of links) expect((await fetch(url + link.href)).status, link.href).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('refuses a bad fault spec with exit 1 and a message', async () => {
    const child = spawn(process.execPath, [MAIN, 'sandbox', 'serve', '--port', '0', '--faults', '503:0.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('--faults: unknown fault "503:0.5"');
  });
});
