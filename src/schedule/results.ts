/**
 * Sent and clicked for the campaigns scheduled ticks created, from CleverTap's report
 * (`targets/result.json`). A report is final once CleverTap says the campaign completed: it is then
 * kept on the run (state's `runs.report`) and never asked for again. Until then every listing asks
 * once more, and says why a figure is missing.
 *
 * The connection is opened only when some run still needs asking, so listing schedules whose
 * figures are all kept (or that created no campaign) needs no credentials and makes no call.
 */
import type { CampaignReport } from '../clevertap/wire.js';
import { CleverTapError } from '../clevertap/errors.js';
import type { RunRecord, StateStore } from '../state/store.js';

/** `final`: CleverTap's completed report; `not-completed`: the campaign has not completed yet; `not-fetched`: could not ask (detail says why). */
export type ResultState = 'final' | 'not-completed' | 'not-fetched';

export type CampaignFigures =
  | { result: 'final'; sent: number; clicked: number; fetchedAt: string }
  | { result: Exclude<ResultState, 'final'>; detail: string };

export interface ReportReader {
  campaignReport(id: number): Promise<CampaignReport>;
}

export type OpenedReader = { ok: true; reader: ReportReader; close(): Promise<void> } | { ok: false; reason: string };
/** Opens the connection the reports are read through; called at most once per listing, and only when needed. */
export type OpenReader = () => Promise<OpenedReader>;

/** The campaign a `done` tick created, if any. */
export function campaignIdOf(run: RunRecord): number | null {
  const id = run.detail?.campaignId;
  return run.status === 'done' && typeof id === 'number' ? id : null;
}

function runId(run: RunRecord): string {
  return `${run.subject}#${run.key}`;
}

/**
 * The figures of each run that created a campaign, keyed `subject#key`: kept ones as they are; the
 * others asked for now, and kept when final. Without `open`, nothing is asked.
 */
export async function campaignFigures(store: StateStore, runs: readonly RunRecord[], open?: OpenReader): Promise<Map<string, CampaignFigures>> {
  const figures = new Map<string, CampaignFigures>();
  const toAsk: { run: RunRecord; id: number }[] = [];
  for (const run of runs) {
    const id = campaignIdOf(run);
    if (id === null) continue;
    if (run.report) figures.set(runId(run), { result: 'final', ...run.report });
    else toAsk.push({ run, id });
  }
  if (toAsk.length === 0) return figures;
  const opened: OpenedReader = open ? await open() : { ok: false, reason: 'CleverTap was not asked' };
  if (!opened.ok) {
    for (const { run } of toAsk) figures.set(runId(run), { result: 'not-fetched', detail: opened.reason });
    return figures;
  }
  try {
    // The client keeps to CleverTap's concurrency limit; the asks may all start at once.
    await Promise.all(toAsk.map(async ({ run, id }) => figures.set(runId(run), await ask(store, opened.reader, run, id))));
  } finally {
    await opened.close();
  }
  return figures;
}

async function ask(store: StateStore, reader: ReportReader, run: RunRecord, id: number): Promise<CampaignFigures> {
  let report: CampaignReport;
  try {
    report = await reader.campaignReport(id);
  } catch (err) {
    if (!(err instanceof CleverTapError)) throw err;
    return { result: 'not-fetched', detail: `CleverTap's report for campaign ${id} failed: ${err.message}` };
  }
  if (!report.completed) return { result: 'not-completed', detail: `campaign ${id} has not completed yet (${report.message})` };
  const kept = await store.runs.keepReport(run, { sent: report.sent, clicked: report.clicked });
  return { result: 'final', ...kept.report! };
}

/** A reader over the project environment's CleverTap connection (embedded sandbox or a real account). */
