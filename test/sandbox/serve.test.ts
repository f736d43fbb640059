/**
 * `campaignctl sandbox serve` end to end: the built CLI as a child process, a real HTTP request
 * against the URL it prints, and a clean exit 0 on SIGTERM. The passcode is never printed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));
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

  it('refuses a bad fault spec with exit 1 and a message', async () => {
    const child = spawn(process.execPath, [MAIN, 'sandbox', 'serve', '--port', '0', '--faults', '503:0.5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('--faults: unknown fault "503:0.5"');
  });
});
