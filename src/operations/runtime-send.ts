/**
 * The recipe `send` (Message via Identity) and `trigger` (External Trigger) share; they differ
 * only in the contract's kind, the keys its endpoint takes and the key of ids given without one.
 * The input is checked against the contract first (nothing is sent on any problem); a dry run
 * stops there. Then the batches go out, one `send.batch` event each; the identities of failed and
 * unknown calls are written to files that read back with --to-file (when the caller names a
 * folder), with the command that sends to the failed ones again.
 */
import { renderContext } from '../apply/desired.js';
import { createTemplateEngine } from '../templates/engine.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { executeSend, prepareMessage, prepareTrigger, type PreparedSend, type SendReport } from '../runtime/send.js';
import type { OperationContext } from './context.js';
import { sendContract, type SendContract, type SendKind } from './runtime-contract.js';
import { openRuntimeContext } from './runtime-context.js';
import { retryCommand, writeRecipients, type DataSource, type WrittenFiles } from './runtime-files.js';
import { checkData, checkRecipients, type RecipientLists } from './runtime-input.js';

export interface RuntimeSendOptions {
  /** The contract: `order-shipped` or `message.order-shipped` (`trigger.x` for a trigger). */
  contract: string;
  /** Who to send to: ids per identity key, the key in any case. */
  to: RecipientLists;
  /** The Message's data or the trigger's payload, checked against its schema; absent means `{}`. */
  data?: Record<string, unknown>;
  /** Check and render only: nothing is connected, sent or recorded. */
  dryRun?: boolean;
  /** Keep the identities in the audit record (off by default: they are personal data). */
  recordIdentities?: boolean;
  /**
   * The folder for the files of failed and unknown identities (relative to the process's working
   * folder); absent: none are written (the report lists the identities).
   */
  outDir?: string;
  /**
   * How the caller gave the data, as command words (`--data F`, `--set k=v`), for the retry
   * command. Absent: the data is written to a file beside the failed identities and named there.
   */
  dataWords?: readonly string[];
  /** Stops starting new batches; those in flight finish, the rest are reported failed (not attempted). */
  signal?: AbortSignal;
}

export type RuntimeSendCheck =
  | { status: 'refused'; diagnostics: Diagnostic[] }
  /** Error-free: `prepared.diagnostics` holds only warnings (content checks). */
  | { status: 'ready'; contract: SendContract; prepared: PreparedSend; duplicates: number };

export type RuntimeSendResult =
  /** Nothing was sent: the contract, the input, the connection or the state refused it. */
  | { status: 'refused'; diagnostics: Diagnostic[] }
  | { status: 'dry-run'; prepared: PreparedSend }
  | {
      status: 'done';
      prepared: PreparedSend;
      /** `report.outcome` says whether every identity was sent. */
      report: SendReport;
      /** True for the embedded emulator: nothing reached CleverTap. */
      sandbox: boolean;
      files: WrittenFiles;
      /** The command that sends to the failed identities again (null: none failed, or no file). */
      retry: string | null;
      /** Warnings of the whole run: content checks, the audit record, files not written. */
      diagnostics: Diagnostic[];
      /** CleverTap refused the credentials (every later call was refused without being sent); null when it did not. */
      credentialsRefused: Diagnostic | null;
    };

/** The command each kind is run as: what the audit, the files and the retry name. */
const COMMAND: Record<SendKind, string> = { message: 'send', trigger: 'trigger' };

/** The first half: contract, identities and data checked, the bodies rendered at `now`. No state, no network. */
export function checkRuntimeSend(kind: SendKind, ctx: Pick<OperationContext, 'project' | 'events'>, options: RuntimeSendOptions, now: Date): RuntimeSendCheck {
  const project = ctx.project;
  const found = sendContract(project, kind, options.contract);
  if (!found.ok) return { status: 'refused', diagnostics: found.diagnostics };
  const contract = found.value;
  const to = checkRecipients(options.to, contract);
  const diagnostics = [...to.diagnostics, ...checkData(options.data, 'data')];
  if (diagnostics.length > 0) return { status: 'refused', diagnostics };
  if (to.duplicates > 0) ctx.events({ kind: 'debug', text: `${to.duplicates} repeated id(s) dropped: each identity is sent once` });
  const input = { to: to.recipients, data: options.data ?? {} };
  const prepared =
    contract.kind === 'message'
      ? prepareMessage(renderContext(project, createTemplateEngine({ partials: project.partials }), now), contract.resource, input)
      : prepareTrigger(contract.resource, input);
  if (hasErrors(prepared.diagnostics)) return { status: 'refused', diagnostics: prepared.diagnostics };
  return { status: 'ready', contract, prepared, duplicates: to.duplicates };
}

export async function runtimeSend(kind: SendKind, ctx: OperationContext, options: RuntimeSendOptions): Promise<RuntimeSendResult> {
  const now = ctx.clock();
  const checked = checkRuntimeSend(kind, ctx, options, now);
  if (checked.status === 'refused') return checked;
  const { prepared, contract } = checked;
  if (options.dryRun) return { status: 'dry-run', prepared };

  const command = COMMAND[kind];
  const opened = await openRuntimeContext(ctx, command, {
    now,
    signal: options.signal,
    hooks: {
      onBatch: (b, done, total) =>
        ctx.events({ kind: 'send.batch', address: prepared.address, batch: b.index + 1, status: b.status, identities: b.count, done, total }),
    },
  });
  if (!opened.ok) return { status: 'refused', diagnostics: opened.diagnostics };
  const { runtime, connection } = opened.value;
  if (connection.isSandbox) ctx.events({ kind: 'debug', text: `sending to ${connection.describe}` });
  const report = await executeSend(runtime, prepared, { recordIdentities: options.recordIdentities === true });

  const diagnostics = [...prepared.diagnostics, ...report.diagnostics];
  const files: WrittenFiles = { failed: null, unknown: null };
  let retry: string | null = null;
  if (options.outDir !== undefined) {
    const where = { dir: options.outDir, stem: `${command}-${contract.resource.name}`, now };
    const failed = await writeRecipients(where.dir, where.stem, 'failed', report.failedRecipients, now);
    const unknown = await writeRecipients(where.dir, where.stem, 'unknown', report.unknownRecipients, now);
    files.failed = failed.file;
    files.unknown = unknown.file;
    diagnostics.push(...failed.diagnostics, ...unknown.diagnostics);
    if (files.failed !== null) {
      const made = await retryCommand(ctx.target, [command, contract.resource.name], dataSource(options), files.failed, where);
      retry = made.command;
      diagnostics.push(...made.diagnostics);
    }
  }
  return { status: 'done', prepared, report, sandbox: connection.isSandbox, files, retry, diagnostics, credentialsRefused: connection.auth.refusal() };
}

function dataSource(options: RuntimeSendOptions): DataSource {
  if (options.dataWords !== undefined) return { words: options.dataWords };
  return options.data === undefined ? { words: [] } : { values: options.data };
}
