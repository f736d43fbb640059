/** Polls an in-process daemon's status until `test` holds (or throws after timeoutMs with the last reconcile). */
import type { RunningDaemon } from '../../src/daemon/daemon.js';

export type DaemonStatus = Awaited<ReturnType<RunningDaemon['services']['status']>>;

export async function statusWhere(d: RunningDaemon, test: (s: DaemonStatus) => boolean, timeoutMs = 40_000): Promise<DaemonStatus> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await d.services.status();
    if (test(s)) return s;
    if (Date.now() > end) throw new Error(`status never matched: ${JSON.stringify(s.lastReconcile)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
