/**
 * Adopting an existing CleverTap campaign for a Campaign resource of the YAML: under the apply
 * lock, the id is looked for with `targets/list.json` (over `window`, else the `when` date, then a
 * wide range around today) and recorded in state with the resource's spec hash, so the next plan
 * shows no change for it. Nothing is sent to CleverTap but those reads (../apply/import.ts). One
 * `import.searched` event per date window read.
 */
import { importCampaign as adoptCampaign, importMessages } from '../apply/import.js';
import type { AppliedResource, RemoteCampaign } from '../model/applied.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { JournalWindow } from '../state/store.js';
import type { OperationContext } from './context.js';
import { connectedUnderLock, problems, type Locked, type Problems } from './under-lock.js';

export interface ImportOptions {
  /** The Campaign resource, e.g. `campaign.winter-sale-push`. */
  address: string;
  /** The CleverTap campaign id. */
  remoteId: number;
  /** Search only campaigns starting on these dates (YYYYMMDD numbers, inclusive). */
  window?: JournalWindow;
}

export interface Imported {
  ok: true;
  /** The row now in state. */
  record: AppliedResource;
  /** The campaign as CleverTap listed it. */
  remote: RemoteCampaign;
  /** The date windows read, in order. */
  searched: JournalWindow[];
  warnings: Diagnostic[];
  sandbox: boolean;
  /** Where the reads went, without credentials. */
  against: string;
}

/** Refused after searching: what was searched comes with the problems. */
export interface ImportRefused extends Problems {
  searched: JournalWindow[];
}

export async function importCampaign(ctx: OperationContext, options: ImportOptions): Promise<Imported | ImportRefused | Locked | Problems> {
  const invalid: Diagnostic[] = [];
  if (!Number.isSafeInteger(options.remoteId) || options.remoteId <= 0) invalid.push(importMessages.badId(String(options.remoteId)));
  if (options.window && options.window.from > options.window.to) invalid.push(importMessages.badRange(options.window.from, options.window.to));
  if (invalid.length > 0) return problems(invalid);

  const { address, remoteId, window } = options;
  return connectedUnderLock(ctx, `import ${address} ${remoteId}`, 'import', async ({ connection, provenance }) => {
    const result = await adoptCampaign({
      address,
      remoteId,
      project: ctx.project,
      store: ctx.store,
      client: connection.client,
      provenance,
      commandTarget: ctx.target,
      now: ctx.clock(),
      ...(window ? { window } : {}),
      onWindow: (w, rows) => ctx.events({ kind: 'import.searched', window: w, campaigns: rows }),
    });
    if (!result.ok) return { ...problems(result.diagnostics), searched: result.searched };
    return { ok: true, record: result.record, remote: result.remote, searched: result.searched, warnings: result.warnings, sandbox: connection.isSandbox, against: connection.describe };
  });
}
