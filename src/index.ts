/**
 * campaignctl as a library: `import { loadProject, openContext, plan } from 'campaignctl'`. The same
 * operations the CLI runs (the CLI only parses flags and renders what they return), for a daemon,
 * CI scripts and tests. Operations never print: progress comes as events (ContextOptions.events),
 * refusals come back as data, and nothing is written into the project's cache unless the context
 * is opened with `cache: true`.
 */
export { loadProject } from './project-index/load.js';
export type { LoadOptions, LoadReport, Project, ProjectHead, ResolvedEnvironment } from './config/project.js';
export type { Range } from './diagnostics/diagnostic.js';
export { openContext } from './operations/context.js';
export type { ContextOptions, OperationContext, Opened } from './operations/context.js';
export type { EventSink, OperationEvent, OperatorEvent, SavedPlanFacts } from './operations/events.js';
export { plan } from './operations/plan.js';
export type { PlanFileSave, PlanOperationOptions, PlanRefusal, PlanResult, ShownPlan } from './operations/plan.js';
export { apply } from './operations/apply.js';
export type { ApplyControls, ApplyOperationOptions, ApplyOutcome, ApplyRefusal } from './operations/apply.js';
export { drift } from './operations/drift.js';
export type { DriftOperationOptions, DriftRefusal, DriftResult } from './operations/drift.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export type { DriftEntry, Plan, PlanChange, PlanOptions } from './plan/types.js';
export type { ApplyResult, ChangeOutcome } from './apply/types.js';
export { send, checkSend } from './operations/send.js';
export { trigger, checkTrigger } from './operations/trigger.js';
export type { RuntimeSendOptions, RuntimeSendCheck, RuntimeSendResult } from './operations/runtime-send.js';
export { raise, checkRaise } from './operations/raise.js';
export type { RaiseOptions, RaiseCheck, RaiseOperationResult } from './operations/raise.js';
export { render, renderSubject } from './operations/render.js';
export type { RenderOptions, RenderOperationResult, RenderSubject } from './operations/render.js';
export type { RecipientLists } from './operations/runtime-input.js';
export type { WrittenFiles } from './operations/runtime-files.js';
export type { SendReport, PreparedSend, RaiseReport, PreparedRaise, BatchOutcome, BatchStatus, IdentityKey } from './runtime/index.js';
export { stop, stopProblems, type StopOptions, type Stopped } from './operations/stop.js';
export { importCampaign, type ImportOptions, type Imported, type ImportRefused } from './operations/import.js';
export { stateList, stateShow, stateRm, stateResolve, parseOccurrence, type StateListing, type StateEntry, type StateRemoved, type ResolveOptions, type Resolved, type Occurrence } from './operations/state.js';
export { forceUnlock, type Unlocked, type NotUnlocked } from './operations/force-unlock.js';
export { runDue, type RunDueOptions, type RunDueResult } from './operations/run-due.js';
export { schedules, type Schedules } from './operations/schedules.js';
export { validate, type Validation } from './operations/validate.js';
export { isRefusal, type Refusal, type Locked, type Problems } from './operations/under-lock.js';
