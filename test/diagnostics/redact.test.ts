import { describe, expect, it } from 'vitest';
import { redactSecrets, registerSecret } from '../../src/diagnostics/redact.js';

describe('redactSecrets', () => {
  it('masks registered secrets and URL credentials', () => {
    registerSecret('S3cr3t-Passcode-XYZ');
    const out = redactSecrets('failed with S3cr3t-Passcode-XYZ at postgres://bob:hunter2@db:5432/x');
    expect(out).not.toContain('S3cr3t-Passcode-XYZ');
    expect(out).not.toContain('hunter2');
    expect(out).toContain('postgres://bob:***@db:5432/x');
  });
});
