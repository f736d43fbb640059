import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once when it is older than src/ (end-to-end tests spawn the built CLI).
    globalSetup: ['test/global-setup.ts'],
    // End-to-end tests spawn the built CLI and real HTTP servers; give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every emulator a test starts (in-process, embedded, or in a spawned CLI) refuses request
    // fields the CleverTap contract does not list: no test passes on something CleverTap might refuse.
    // The CLIs tests spawn keep their compiled code (src/cli/compile-cache.ts) in a folder of the
    // test runs' own, never in the developer's ~/.cache.
    env: { CAMPAIGNCTL_SANDBOX_STRICT: '1', XDG_CACHE_HOME: path.join(tmpdir(), 'campaignctl-test-cache') },
  },
});
