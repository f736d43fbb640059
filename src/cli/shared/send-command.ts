/**
 * The command-line recipe `send` and `trigger` share (they differ only in the contract kind, the
 * endpoint's identity keys and the default key): read identities (--to, --to-file) and data
 * (--data, --set) as the contract types them, then the operation (src/operations/send.ts,
 * trigger.ts) checks, sends and writes the files of failed and unknown identities; this prints its
 * result. The state and CleverTap are opened only once the input passed its checks and it is not
 * a dry run. Exit 0 only when every identity was sent.
 */
import type { Command } from 'commander';
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Project } from '../../config/project.js';
import { sendContract, SEND_KEYS, type RecipientRules, type SendKind } from '../../operations/runtime-contract.js';
import type { RuntimeSendCheck, RuntimeSendOptions, RuntimeSendResult } from '../../operations/runtime-send.js';
import { checkSend, send } from '../../operations/send.js';
import { checkTrigger, trigger } from '../../operations/trigger.js';
import type { OperationContext } from '../../operations/context.js';
import type { Recipients } from '../../runtime/recipients.js';
import { now as clockNow } from '../../time/clock.js';
import type { Output } from '../context.js';
import { failWith } from '../views/state-common.js';
import { sendDryRunJson, sendDryRunText, sendJson, sendSummaryText } from '../views/runtime-send.js';
import { readDataInput } from './data-input.js';
import { readRecipients } from './identities.js';
import { collect } from './option-values.js';
import { loadProjectFor, printDiagnostics } from './project.js';
import { commandEvents, openRuntimeCommand } from './command-context.js';
import { interruptOnSignal } from './interrupt.js';

export interface SendFlags {
  to: string[];
  toFile?: string;
  data?: string;
  set: string[];
  dryRun?: boolean;
  recordIdentities?: boolean;
  outDir?: string;
}

type Check = (ctx: Pick<OperationContext, 'project' | 'events' | 'clock'>, options: RuntimeSendOptions) => RuntimeSendCheck;
type Operation = (ctx: OperationContext, options: RuntimeSendOptions) => Promise<RuntimeSendResult>;

const OPERATIONS: Record<SendKind, { check: Check; run: Operation }> = {
  message: { check: checkSend, run: send },
  trigger: { check: checkTrigger, run: trigger },
};

/** The options both commands take. */
export function addSendOptions(cmd: Command, kind: SendKind): Command {
  const keys = SEND_KEYS[kind];
  const defaultKeyText = kind === 'message' ? 'Identity' : "the contract's `identity` key";
  return cmd
    .option('--to <key:ids>', `recipients, KEY:ID[,ID...] (repeatable); KEY is ${keys.slice(0, -1).join(', ')} or ${keys.at(-1)} in any case; without a key: ${defaultKeyText}`, collect, [])
    .option('--to-file <file>', 'recipients from a file: one id per line, or CSV with a header naming the key columns; - for stdin')
    .option('--data <file>', 'the data, JSON or YAML; - for stdin')
    .option('--set <key=value>', 'one data value, dotted keys for nesting (repeatable; applied over --data)', collect, [])
    .option('--dry-run', 'print the request bodies (identities elided) and the number of calls; send nothing')
    .option('--record-identities', 'keep the identities in the audit history (default: counts only)')
    .option('--out-dir <dir>', 'where the files of failed and unknown identities go', '.')
    .addHelpText('after', '\nExit codes: 0 every identity was sent; 1 on a problem before sending (nothing sent), or when any call failed or its outcome is unknown.');
}

export async function runSendCommand(kind: SendKind, name: string, flags: SendFlags, out: Output): Promise<number> {
  const project = await loadProjectFor(out, { now: clockNow() });
  const found = sendContract(project, kind, name);
  if (!found.ok) return failWith(out, project.root, found.diagnostics);
  const input = await readInputs(flags, found.value);
  if (!input.ok) return failWith(out, project.root, input.diagnostics);
  if (input.duplicates > 0) out.debug(`${input.duplicates} repeated id(s) dropped: each identity is sent once`);

  const options: RuntimeSendOptions = {
    contract: name,
    to: input.to,
    data: input.data,
    recordIdentities: flags.recordIdentities === true,
    outDir: flags.outDir ?? '.',
    // Data read from stdin can not be given again: the operation writes it to a file for the retry.
    dataWords: flags.data === '-' ? undefined : [...(flags.data !== undefined ? ['--data', flags.data] : []), ...flags.set.flatMap((s) => ['--set', s])],
  };
  const { check, run } = OPERATIONS[kind];
  const checked = check({ project, events: commandEvents(out), clock: clockNow }, options);
  if (checked.status === 'refused') return failWith(out, project.root, checked.diagnostics);
  if (flags.dryRun) {
    if (out.opts.json) out.json(sendDryRunJson(checked.prepared, checked.prepared.diagnostics));
    else {
      printDiagnostics(out, project.root, checked.prepared.diagnostics);
      out.print(sendDryRunText(checked.prepared, out.c));
    }
    return 0;
  }

  const interrupt = interruptOnSignal(out, 'calls');
  const opened = await openRuntimeCommand(out, project);
  if (!opened.ok) {
    interrupt.dispose();
    return failWith(out, project.root, opened.diagnostics);
  }
  const ctx = opened.value;
  try {
    return report(out, project, await run(ctx, { ...options, signal: interrupt.signal }));
  } finally {
    interrupt.dispose();
    await ctx.close();
  }
}

function report(out: Output, project: Project, result: RuntimeSendResult): number {
  if (result.status === 'refused') return failWith(out, project.root, result.diagnostics);
  if (result.status === 'dry-run') throw new Error('send: a dry run reached the sending path');
  const { report: r, files, diagnostics, sandbox } = result;
  if (out.opts.json) {
    out.json({ ...sendJson(r, files, diagnostics), sandbox, failedRecipients: r.failedRecipients, unknownRecipients: r.unknownRecipients });
  } else {
    printDiagnostics(out, project.root, diagnostics);
    const text = sendSummaryText(r, files, { c: out.c, retry: result.retry, sandbox });
    if (r.outcome === 'succeeded') out.info(text);
    else out.error(text);
  }
  return r.outcome === 'succeeded' ? 0 : 1;
}

type Inputs = { ok: true; to: Recipients; data: Record<string, unknown>; duplicates: number } | { ok: false; diagnostics: Diagnostic[] };

async function readInputs(flags: SendFlags, rules: RecipientRules & { schema: unknown }): Promise<Inputs> {
  if (flags.toFile === '-' && flags.data === '-') {
    return { ok: false, diagnostics: [diagnostic('input.invalid', { option: '--to-file - --data -', detail: 'standard input can feed only one of them', hint: 'put the data or the identities in a file' })] };
  }
  const recipients = await readRecipients({ to: flags.to, toFile: flags.toFile, defaultKey: rules.defaultKey, allowedKeys: rules.allowedKeys, endpoint: rules.endpoint });
  const data = await readDataInput({ dataFile: flags.data, sets: flags.set, schema: rules.schema });
  const diagnostics = [...recipients.diagnostics, ...data.diagnostics];
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, to: recipients.recipients, data: data.value ?? {}, duplicates: recipients.duplicates };
}
