/**
 * CleverTap's campaign statuses are only partly documented (`pending` and `stopped` are seen on
 * live accounts; `scheduled`, `running`, `paused`, `completed` come from third-party guides), so
 * they are mapped onto the few states the planner reasons about, and anything unknown is treated
 * as live: it may still send, so it is never replaced, and removing it stops it.
 */
export type RemoteState = 'scheduled' | 'running' | 'completed' | 'stopped' | 'unknown';

const MAP: Record<string, RemoteState> = {
  pending: 'scheduled',
  scheduled: 'scheduled',
  running: 'running',
  live: 'running',
  paused: 'running',
  completed: 'completed',
  complete: 'completed',
  finished: 'completed',
  sent: 'completed',
  stopped: 'stopped',
  cancelled: 'stopped',
  canceled: 'stopped',
};

export function mapRemoteStatus(status: string): RemoteState {
  return MAP[status.trim().toLowerCase()] ?? 'unknown';
}
