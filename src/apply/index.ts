/** The public surface of src/apply: what `plan`, `apply`, `drift`, `stop`, `import` and `watch` use. */
export { computePlan, type PlanRequest, type PlanOutcome, type PlanStep } from './planning.js';
export { executePlan, groupOf } from './executor.js';
export { defaultHandlers } from './handlers.js';
export { raiseOccurrence, forgetOccurrence } from './occurrences.js';
export { settleOpenJournal, settleCreate, readBack, ListCache, supersededRow } from './settle.js';
export type { SettleDeps, SettleReport, SettledRow, UnsettledRow, SettleResult, RowSettler, CreateContext, ReadBack } from './settle.js';
export { refreshCampaigns, refreshWindows, managedCampaigns, type RefreshResult, type RemoteStatusEntry } from './refresh.js';
export { prepareDesired, renderCampaign, renderContext, templateInputs, INPUTS_KEY, type DesiredState } from './desired.js';
export { estimateChanges } from './estimate.js';
export { configHash } from './config-hash.js';
export { syncMetadata } from './metadata.js';
export { remoteCampaignName, markerOf, campaignTitle, MAX_REMOTE_NAME_LENGTH } from './marker.js';
export { windowAround, coveringWindows, ymdOf, startInstant, MAX_WINDOW_DAYS } from './dates.js';
export { audit, appliedCampaign, appliedContract, NO_GIT, type Provenance } from './record.js';
export { applyMessages } from './messages.js';
export type * from './types.js';
