/**
 * The per-test setup of the CLI tests that run the built CLI against the emulator: before each test
 * an emulator, a new temp project and a runner pointed at both, handed to `use` (which stores them
 * in the file's variables); after each test the emulator closed and the project removed.
 */
import { afterEach, beforeEach } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/server.js';
import { ACCOUNT, PASSCODE, emulator, TempProject } from '../apply/helpers.js';
import { CliRunner } from './cli-run.js';

export interface CliFixture {
  tp: TempProject;
  emu: SandboxHandle;
  cli: CliRunner;
}

export interface CliFixtureOptions {
  /** The emulator's passcode, and the one the runner is given (default the apply tests' PASSCODE). */
  passcode?: string;
  /** The temp project's settings (vars, provider, ...). */
  project?: ConstructorParameters<typeof TempProject>[0];
}

export function useCliFixture(use: (fixture: CliFixture) => void, opts: CliFixtureOptions = {}): void {
  let current: CliFixture | undefined;
  beforeEach(async () => {
    const passcode = opts.passcode ?? PASSCODE;
    const emu = await emulator({ passcode });
    const tp = new TempProject(opts.project);
    current = { tp, emu, cli: new CliRunner(tp.root, { CLEVERTAP_API_URL: emu.url, CLEVERTAP_ACCOUNT_ID: ACCOUNT, CLEVERTAP_PASSCODE: passcode }) };
    use(current);
  });
  afterEach(async () => {
    const f = current;
    current = undefined;
    if (!f) return;
    await f.emu.close();
    f.tp.dispose();
  });
}
