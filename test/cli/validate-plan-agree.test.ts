/**
 * `validate` is the CI gate: what `plan` refuses without the network, `validate` refuses too, at the
 * same place and with the same code. Every fixture of the invalid corpus (test/fixtures/invalid) is
 * run through the built CLI as its own project (the embedded sandbox, nothing else set), once with
 * `validate` and once with `plan --no-estimate`. A fixture holding errors fails both with exit 1 and
 * the same error codes, each located at file:line:column; a fixture holding only a warning passes
 * validate and plan shows the same warning.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, invalidFixtureNames, writeFixtureProject } from '../config/invalid-fixtures.js';
import { CliRunner } from './cli-run.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'campaignctl-agree-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Reported {
  severity: string;
  code: string;
  located: boolean;
}

/** The diagnostics a run printed on stderr: `file:line:col  severity  code  ...` or `severity  code  ...`. */
function reported(stderr: string): Reported[] {
  const out: Reported[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^(?:(\S+:\d+:\d+) {2})?(error|warning) {2}(\S+) {2}/.exec(line);
    if (m) out.push({ severity: m[2]!, code: m[3]!, located: m[1] !== undefined });
  }
  return out;
}

const codes = (ds: Reported[], severity: string) => [...new Set(ds.filter((d) => d.severity === severity).map((d) => d.code))].sort();

describe.concurrent('validate refuses what plan refuses', () => {
  it.each(invalidFixtureNames())('%s', async (name) => {
    const root = path.join(scratch, name);
    writeFixtureProject(root, name, readFileSync(path.join(FIXTURES, name), 'utf8'));
    const cli = new CliRunner(root, {});
    const validate = await cli.run(['validate']);
    const plan = await cli.run(['plan', '--no-estimate']);
    const fromValidate = reported(validate.stderr);
    const fromPlan = reported(plan.stderr);
    const errors = codes(fromValidate, 'error');
    if (errors.length > 0) {
      expect(validate.code).toBe(1);
      expect(plan.code).toBe(1);
      expect(codes(fromPlan, 'error')).toEqual(errors);
      for (const d of fromValidate) expect(d.located, `${d.code} has no file:line:column`).toBe(true);
    } else {
      expect(validate.code).toBe(0);
      expect(codes(fromValidate, 'warning')).not.toEqual([]);
      expect(codes(fromPlan, 'warning')).toEqual(expect.arrayContaining(codes(fromValidate, 'warning')));
    }
  });
});
