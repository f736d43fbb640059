/**
 * guard.maxAudience fails closed from the command line: the built CLI against the emulator served
 * on a loopback port, with scripted faults. A guarded campaign whose estimate fails is refused by
 * `apply --yes` (exit 1, located at its guard, nothing created), and `apply --no-estimate --yes`
 * still estimates it and refuses it above its limit.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import type { TempProject } from '../apply/helpers.js';
import type { CliRunner } from './cli-run.js';
import { useCliFixture } from './cli-fixture.js';

let tp: TempProject;
let emu: SandboxHandle;
let cli: CliRunner;

useCliFixture((f) => ({ tp, emu, cli } = f));

const created = () => emu.state.campaigns().length;

describe('apply with a guarded campaign', () => {
  it('estimate answered 500: apply --yes refuses it at the guard line, exit 1, nothing created', { timeout: 60_000 }, async () => {
    tp.campaign({ name: 'guarded', maxAudience: 10 });
    emu.state.injectFaults([{ fault: '500', family: 'create', count: 5 }]);
    const r = await cli.run(['apply', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/campaigns\/guarded\.yaml:18:18\s+error\s+plan\.guard-unchecked\s+campaign\.guarded is refused: its audience could not be checked/);
    expect(r.stderr).toContain('Plan refused');
    expect(r.stdout).toMatch(/campaign\.guarded .*audience estimate failed: /);
    expect(created()).toBe(0);
  });

  it('apply --no-estimate --yes still estimates it, and refuses it above its limit', { timeout: 60_000 }, async () => {
    tp.campaign({ name: 'guarded', maxAudience: 10 });
    const r = await cli.run(['apply', '--no-estimate', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/campaigns\/guarded\.yaml:18:18\s+error\s+plan\.max-audience/);
    expect(emu.state.requests({ family: 'create' }).map((q) => (q.body as { estimate_only?: boolean }).estimate_only)).toEqual([true]);
    expect(created()).toBe(0);
  });
});
