/** The planner's public surface. */
export { plan } from './plan.js';
export { needsEstimate, finalizePlan, DEFAULT_ESTIMATE_LIMIT, type EstimateRequest } from './finalize.js';
export { canonicalize, canonicalJson, hashCanonical, type Canonical } from './canonical.js';
export { diffSpecs } from './diff.js';
export { summarize, formatAudience, planExitCode } from './summary.js';
export { mapRemoteStatus, type RemoteState } from './remote-status.js';
export { occurrenceAddress, supersededAddress, isSuperseded, baseAddress } from './addresses.js';
export { resolveStart } from './instant.js';
export { IMMEDIATE_WINDOW_MS } from './campaigns.js';
export * from './types.js';
export {
  createPlanFile,
  serializePlanFile,
  parsePlanFile,
  checkStale,
  PLAN_FILE_VERSION,
  type PlanFile,
  type PlanFileMeta,
  type CurrentContext,
  type StaleReason,
} from './plan-file.js';
