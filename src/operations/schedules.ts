/**
 * The applied Schedules at the context's clock: cron, zone, enabled, the next fires, the last run
 * and the counts per status, all from state (../schedule/listing.ts). Never talks to CleverTap.
 */
import { listSchedules, type ScheduleListing } from '../schedule/listing.js';
import type { OperationContext } from './context.js';

export interface Schedules {
  /** The moment the next fires count from (ISO, UTC). */
  now: string;
  schedules: ScheduleListing[];
}

export async function schedules(ctx: OperationContext): Promise<Schedules> {
  const now = ctx.clock();
  return { now: now.toISOString(), schedules: await listSchedules(ctx.store, now) };
}
