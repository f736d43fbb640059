/**
 * Defaults of the emulator, documented in docs/sandbox.md. The credentials are public,
 * fixed values: the sandbox guards nothing, but it still checks them so that a client that forgets
 * a header fails here the way it would fail against CleverTap.
 */
export const SANDBOX_DEFAULT_ACCOUNT_ID = 'SANDBOX-ACCOUNT';
export const SANDBOX_DEFAULT_PASSCODE = 'sandbox-passcode';
export const SANDBOX_DEFAULT_PORT = 8089;
export const SANDBOX_DEFAULT_HOST = '127.0.0.1';

export const SANDBOX_DEFAULTS = {
  /** Requests in flight per API family before 429 (CleverTap's limit for campaign APIs). */
  concurrency: 3,
  /** What `where: {}` (everyone) reaches. */
  everyoneAudience: 100_000,
  /** A campaign runs this long after its start, then reports `completed`. */
  completeAfterMs: 60 * 60 * 1000,
  /** A `timeout` fault holds the request this long at most (longer than the client's 30 s). */
  hangMs: 35_000,
  /** `when: "YYYYMMDD HH:MM"` is read in this zone (§13.8: the account zone is a guess). */
  accountTimezone: 'UTC',
  /** Max identities per send call (§3). */
  maxIdentitiesPerSend: 1000,
  /** Max campaigns per `/2/send/externaltrigger.json` (§7, 3P). */
  maxCampaignsPerMultiTrigger: 5,
  /** Request log entries kept in memory (oldest dropped first). */
  requestLogLimit: 10_000,
  /**
   * Items of a reply's list kept in its request log entry: a list answer of 5,000 campaigns kept
   * whole, 10,000 times over, would hold gigabytes in a long-running `sandbox serve`.
   */
  loggedListItems: 50,
  /** Identity sends, triggers and raises kept (oldest dropped first). */
  sendLogLimit: 2_000,
} as const;
