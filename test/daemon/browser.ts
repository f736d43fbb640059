/**
 * A real browser for the status page tests: Debian's chromium (/usr/bin/chromium, which .ci/run
 * installs with apt-get) driven by playwright-core. Where it is missing the tests say they are
 * skipped and why; under CI=true a missing browser is a failure, so CI can not pass without it.
 *
 * The flags keep chromium off the network it would otherwise call on its own (updates, sync,
 * QUIC probes): on a closed network those calls are refused and can stall a headless start.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { REPO } from '../cli/cli-run.js';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests can not run here, or null when they can. */
export function chromiumMissing(): string | null {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return null;
  } catch {
    return `${CHROMIUM} is not installed (apt-get install -y chromium; .ci/run does it)`;
  }
}

export const UNDER_CI = process.env.CI === 'true';

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile folder, removed on close. */
export async function launch(options: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'campaignctl-chromium-'));
  // launchPersistentContext is how playwright takes a --user-data-dir: a fresh one per launch.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    timeout: 30_000,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** test-artifacts/ (gitignored): where screenshots are kept for a person to look at. */
export function artifactPath(name: string): string {
  const dir = path.join(REPO, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
