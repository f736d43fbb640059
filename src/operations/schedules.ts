/**
 * The applied Schedules at the context's clock: cron, zone, enabled, the next fires, the last run
 * and the counts per status, from state (../schedule/listing.ts), and the sent/clicked figures of
 * the campaigns their ticks created. CleverTap is connected only when some figure is not yet final
 * in state (../schedule/results.ts): a listing whose figures are all kept needs no credentials.
 */
import { listSchedules, type ScheduleListing } from '../schedule/listing.js';
import type { OpenReader } from '../schedule/results.js';
import type { OperationContext } from './context.js';

export interface Schedules {
  /** The moment the next fires count from (ISO, UTC). */
  now: string;
  schedules: ScheduleListing[];
}

export async function schedules(ctx: OperationContext): Promise<Schedules> {
  const now = ctx.clock();
  return { now: now.toISOString(), schedules: await listSchedules(ctx.store, now, { reports: reportsOf(ctx) }) };
}

/** CleverTap's report reader through the context's connection (closed with the context). */
function reportsOf(ctx: OperationContext): OpenReader {
  return async () => {
    const connected = await ctx.connect();
    if (!connected.ok) return { ok: false, reason: `could not connect to CleverTap: ${connected.diagnostics.map((d) => d.message).join('; ')}` };
    return { ok: true, reader: connected.value.client, close: async () => undefined };
  };
}
