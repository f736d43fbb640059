/**
 * campaignctl as a library: `import { loadProject, openContext, plan } from 'campaignctl'`. The same
 * operations the CLI runs (the CLI only parses flags and renders what they return), for a daemon,
 * CI scripts and tests. Operations never print: progress comes as events (ContextOptions.events),
 * refusals come back as data, and nothing is written into the project's cache unless the context
 * is opened with `cache: true`.
 */
export { loadProject } from './config/project.js';
export type { LoadOptions, LoadReport, Project, ProjectHead, Range, ResolvedEnvironment } from './config/project.js';
export { openContext } from './operations/context.js';
export type { ContextOptions, OperationContext, Opened } from './operations/context.js';
export type { EventSink, OperationEvent, SavedPlanFacts } from './operations/events.js';
export { plan } from './operations/plan.js';
export type { PlanFileSave, PlanOperationOptions, PlanRefusal, PlanResult, ShownPlan } from './operations/plan.js';
export { apply } from './operations/apply.js';
export type { ApplyControls, ApplyOperationOptions, ApplyOutcome, ApplyRefusal } from './operations/apply.js';
export { drift } from './operations/drift.js';
export type { DriftOperationOptions, DriftRefusal, DriftResult } from './operations/drift.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export type { DriftEntry, Plan, PlanChange, PlanOptions } from './plan/types.js';
export type { ApplyResult, ChangeOutcome } from './apply/types.js';
