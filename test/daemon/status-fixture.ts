/**
 * DaemonStatus values as a daemon on the repository's sample project gives them: the pending
 * changes and the schedules are the documents `plan --format json` and `schedules --json` printed
 * for it (an edit of `vars.appName`, after an apply), trimmed of the fields the page does not read.
 */
import type { DaemonStatus } from '../../src/daemon/services.js';

export const NOW = new Date('2026-12-05T08:00:00.000Z');

export const PENDING_AFTER_EDIT: unknown[] = [
  {
    address: 'schedule.weekly-digest',
    kind: 'Schedule',
    action: 'update',
    reason: 'spec-changed',
    irreversible: false,
    estimate: null,
    estimate_status: 'not-applicable',
    diff: [{ path: '$inputs.vars.appName', before: 'Streamly', after: 'Streamly2' }],
    starts_at: null,
    remote_id: null,
    next_fire_times: ['2026-12-07T08:00:00.000Z', '2026-12-14T08:00:00.000Z'],
  },
  {
    address: 'campaign.new-season-night-shift',
    kind: 'Campaign',
    action: 'replace',
    reason: 'spec-changed',
    irreversible: false,
    estimate: { total: 41672, by_platform: { android: 4794, ios: 36878 } },
    estimate_status: 'estimated',
    diff: [{ path: '$inputs.vars.appName', before: 'Streamly', after: 'Streamly2' }],
    starts_at: '2027-03-01T17:00:00.000Z',
    remote_id: 1796457287,
  },
  {
    address: 'campaign.flash-sale-now',
    kind: 'Campaign',
    action: 'create',
    reason: 'new',
    irreversible: true,
    estimate: { total: 80000, by_platform: { android: 30000, ios: 50000 } },
    estimate_status: 'estimated',
    diff: [],
    starts_at: 'now',
    remote_id: null,
  },
];

export const SCHEDULES_JSON = {
  format_version: '1',
  schedules: [
    {
      address: 'schedule.weekly-digest',
      cron: '0 9 * * MON',
      timezone: 'Europe/Berlin',
      enabled: true,
      next_fire_times: ['2026-12-07T08:00:00Z', '2026-12-14T08:00:00Z', '2026-12-21T08:00:00Z'],
      last_run: { fire_time: '2026-11-30T08:00:00Z', status: 'done', campaign_id: 1796457301, sent: 1180, clicked: 96 },
      counts: { done: 4, failed: 0, unknown: 0, refused: 0, missed: 1, skipped: 0 },
      campaign_results: [],
      unknown_fire_times: [],
    },
    {
      address: 'schedule.daily-reminder',
      cron: '30 18 * * *',
      timezone: 'America/New_York',
      enabled: false,
      next_fire_times: [],
      last_run: { fire_time: '2026-12-04T23:30:00Z', status: 'unknown', campaign_id: null, sent: null, clicked: null },
      counts: { done: 2, failed: 1, unknown: 1, refused: 0, missed: 0, skipped: 0 },
      campaign_results: [],
      unknown_fire_times: ['2026-12-04T23:30:00Z'],
    },
  ],
};

export function status(overrides: Partial<DaemonStatus> = {}): DaemonStatus {
  return {
    environment: 'production',
    replica: 'campaignctl-watch-7d9f8c6b5-x2lkq:41',
    leader: {
      id: 'campaignctl-watch-7d9f8c6b5-x2lkq:41',
      host: 'campaignctl-watch-7d9f8c6b5-x2lkq',
      pid: 1,
      command: 'watch --auto-apply',
      since: '2026-12-05T07:12:03.602Z',
      expiresAt: '2026-12-05T08:00:20.000Z',
      epoch: 3,
    },
    startedAt: '2026-12-05T07:12:03.411Z',
    ready: true,
    readiness: [],
    autoApply: false,
    source: {
      mode: 'git',
      remote: 'https://github.com/acme/campaigns.git',
      branch: 'main',
      lastFetchAt: '2026-12-05T07:59:41.020Z',
      lastFetchError: null,
    },
    appliedCommit: '3f9c2a71be04d8e6a1c5f0b2d7e9a4c6b8d1e3f5',
    lastAttemptedCommit: '3f9c2a71be04d8e6a1c5f0b2d7e9a4c6b8d1e3f5',
    lastReconcile: { at: '2026-12-05T07:59:41.500Z', reason: 'poll', result: 'planned', durationMs: 412.7, error: null, commit: '3f9c2a71be04d8e6a1c5f0b2d7e9a4c6b8d1e3f5' },
    pending: PENDING_AFTER_EDIT,
    schedules: SCHEDULES_JSON,
    outbox: { pending: 12, sending: 3, done: 4810, failed: 2, unknown: 1 },
    errors: [
      { at: '2026-12-05T07:58:10.000Z', where: 'outbox', message: 'message.order-shipped: CleverTap answered 400 (invalid identity) for 1 of 1000 identities' },
      { at: '2026-12-05T07:40:00.000Z', where: 'fetch', message: 'git fetch timed out after 30 s' },
    ],
    ...overrides,
  };
}
