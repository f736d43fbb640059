/**
 * The recipe `send` and `trigger` share (they differ only in the contract kind, the endpoint's
 * identity keys and the default key): read identities and data, check them against the contract
 * (nothing is sent on any problem), print the bodies for --dry-run, else send in batches, write
 * the failed and unknown identities to files that read back with --to-file, print the summary.
 * Exit 0 only when every identity was sent.
 */
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { renderContext } from '../../apply/desired.js';
import { createTemplateEngine } from '../../templates/engine.js';
import { diagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import type { ExternalTriggerResource, MessageResource } from '../../model/specs.js';
import { EXTERNAL_TRIGGER_ENDPOINT } from '../../render/trigger.js';
import { messageEndpoint } from '../../render/message.js';
import { executeSend, prepareMessage, prepareTrigger, type IdentityKey, type PreparedSend, type Recipients } from '../../runtime/index.js';
import { IDENTITY_KEYS, TRIGGER_IDENTITY_KEYS } from '../../runtime/recipients.js';
import type { Output } from '../context.js';
import { readDataInput } from './data-input.js';
import { formatRecipientsFile, readRecipients } from './identities.js';
import { collect } from './option-values.js';
import { commandTarget, loadProjectFor, printDiagnostics } from './project.js';
import { commandLine, type CommandTarget } from '../../diagnostics/command-line.js';
import { findContract, interruptOnSignal, openRuntime } from './runtime-session.js';
import { failWith } from '../views/state-common.js';
import { sendDryRunJson, sendDryRunText, sendJson, sendSummaryText, type WrittenFiles } from '../views/runtime-send.js';
import { now as clockNow } from '../../time/clock.js';

export interface SendFlags {
  to: string[];
  toFile?: string;
  data?: string;
  set: string[];
  dryRun?: boolean;
  recordIdentities?: boolean;
  outDir?: string;
}

export type SendKind = 'message' | 'trigger';

/** The identity keys each command takes: its help lists exactly these, and its input checks refuse the others. */
export const SEND_KEYS: Record<SendKind, readonly IdentityKey[]> = { message: IDENTITY_KEYS, trigger: TRIGGER_IDENTITY_KEYS };

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

export function triggerDefaultKey(identity: string | undefined): IdentityKey {
  return identity === 'email' ? 'Email' : identity === 'objectId' ? 'objectId' : 'Identity';
}

export async function runSendCommand(kind: SendKind, name: string, flags: SendFlags, out: Output): Promise<number> {
  const command = kind === 'message' ? 'send' : 'trigger';
  const now = clockNow();
  const project = await loadProjectFor(out, { now });
  const found =
    kind === 'message'
      ? findContract<MessageResource['spec']>(project, 'Message', name)
      : findContract<ExternalTriggerResource['spec']>(project, 'ExternalTrigger', name);
  if (!found.ok) return failWith(out, project.root, found.diagnostics);
  const message = kind === 'message' ? (found.value as MessageResource) : undefined;
  const trigger = kind === 'trigger' ? (found.value as ExternalTriggerResource) : undefined;

  const input = await readInputs(flags, {
    defaultKey: trigger ? triggerDefaultKey(trigger.spec.identity) : 'Identity',
    allowedKeys: SEND_KEYS[kind],
    endpoint: trigger ? EXTERNAL_TRIGGER_ENDPOINT : messageEndpoint(message!.spec.target_mode),
    schema: trigger ? trigger.spec.payload : message!.spec.data,
  });
  if (!input.ok) return failWith(out, project.root, input.diagnostics);
  if (input.duplicates > 0) out.debug(`${input.duplicates} repeated id(s) dropped: each identity is sent once`);

  const render = renderContext(project, createTemplateEngine({ partials: project.partials }), now);
  const prepared: PreparedSend = message
    ? prepareMessage(render, message, { to: input.to, data: input.data })
    : prepareTrigger(trigger!, { to: input.to, data: input.data });
  if (hasErrors(prepared.diagnostics)) return failWith(out, project.root, prepared.diagnostics);

  if (flags.dryRun) {
    if (out.opts.json) out.json(sendDryRunJson(prepared, prepared.diagnostics));
    else {
      printDiagnostics(out, project.root, prepared.diagnostics);
      out.print(sendDryRunText(prepared, out.c));
    }
    return 0;
  }

  const interrupt = interruptOnSignal(out, 'calls');
  const opened = await openRuntime(project, command, {
    now,
    commandTarget: commandTarget(out, project),
    signal: interrupt.signal,
    hooks: { onBatch: (b, done, total) => out.debug(`call ${done}/${total} (batch ${b.index + 1}): ${b.status}, ${b.count} identities`) },
  });
  if (!opened.ok) {
    interrupt.dispose();
    return failWith(out, project.root, opened.diagnostics);
  }
  const session = opened.value;
  try {
    if (session.connection.isSandbox) out.debug(`sending to ${session.connection.describe}`);
    const report = await executeSend(session.ctx, prepared, { recordIdentities: flags.recordIdentities === true });
    const stem = `${command}-${found.value.name}`;
    const written = [
      await writeRecipients(flags.outDir ?? '.', stem, 'failed', report.failedRecipients, now),
      await writeRecipients(flags.outDir ?? '.', stem, 'unknown', report.unknownRecipients, now),
    ];
    const files: WrittenFiles = { failed: written[0]!.file, unknown: written[1]!.file };
    const retry = files.failed === null ? null : await retryCommand(commandTarget(out, project), command, found.value.name, flags, input.data, files.failed, stem, now);
    const diagnostics = [...prepared.diagnostics, ...report.diagnostics, ...written.flatMap((w) => w.diagnostics), ...(retry?.diagnostics ?? [])];
    if (out.opts.json) {
      out.json({
        ...sendJson(report, files, diagnostics),
        sandbox: session.connection.isSandbox,
        failedRecipients: report.failedRecipients,
        unknownRecipients: report.unknownRecipients,
      });
    } else {
      printDiagnostics(out, project.root, diagnostics);
      const text = sendSummaryText(report, files, { c: out.c, retry: retry?.command ?? null, sandbox: session.connection.isSandbox });
      if (report.outcome === 'succeeded') out.info(text);
      else out.error(text);
    }
    return report.outcome === 'succeeded' ? 0 : 1;
  } finally {
    interrupt.dispose();
    await session.close();
  }
}

type Inputs = { ok: true; to: Recipients; data: Record<string, unknown>; duplicates: number } | { ok: false; diagnostics: Diagnostic[] };

async function readInputs(
  flags: SendFlags,
  o: { defaultKey: IdentityKey; allowedKeys: readonly IdentityKey[]; endpoint: string; schema: unknown },
): Promise<Inputs> {
  if (flags.toFile === '-' && flags.data === '-') {
    return { ok: false, diagnostics: [diagnostic('input.invalid', { option: '--to-file - --data -', detail: 'standard input can feed only one of them', hint: 'put the data or the identities in a file' })] };
  }
  const recipients = await readRecipients({ to: flags.to, toFile: flags.toFile, defaultKey: o.defaultKey, allowedKeys: o.allowedKeys, endpoint: o.endpoint });
  const data = await readDataInput({ dataFile: flags.data, sets: flags.set, schema: o.schema });
  const diagnostics = [...recipients.diagnostics, ...data.diagnostics];
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, to: recipients.recipients, data: data.value ?? {}, duplicates: recipients.duplicates };
}

/**
 * The command that sends to the failed identities again, as this run did: same environment and
 * project, the data flags as given (shell-quoted). Data read from stdin can not be given again, so
 * it is written to a file beside the failed identities and named with --data instead.
 */
async function retryCommand(
  target: CommandTarget,
  command: string,
  name: string,
  flags: SendFlags,
  data: Record<string, unknown>,
  failedFile: string,
  stem: string,
  now: Date,
): Promise<{ command: string | null; diagnostics: Diagnostic[] }> {
  const words = [command, name];
  if (flags.data === '-') {
    const written = await writePrivate(flags.outDir ?? '.', stem, 'data', 'json', JSON.stringify(data, null, 2) + '\n', now);
    if (written.file === null) return { command: null, diagnostics: written.diagnostics };
    words.push('--data', written.file);
  } else {
    if (flags.data !== undefined) words.push('--data', flags.data);
    for (const set of flags.set) words.push('--set', set);
  }
  words.push('--to-file', failedFile);
  return { command: commandLine(target, words), diagnostics: [] };
}

/** A CSV that reads back with --to-file (null when there is nobody to write). */
async function writeRecipients(
  dir: string,
  stem: string,
  what: 'failed' | 'unknown',
  r: Recipients,
  now: Date,
): Promise<{ file: string | null; diagnostics: Diagnostic[] }> {
  if (!Object.values(r).some((ids) => ids && ids.length > 0)) return { file: null, diagnostics: [] };
  return writePrivate(dir, stem, what, 'csv', formatRecipientsFile(r), now);
}

/**
 * Writes `<stem>-<time>.<what>.<ext>` into dir, never overwriting. Identities and their data are
 * personal: readable by the owner only, as plan files are. A file that can not be written is a
 * warning: the send already happened, and --json carries the identities too.
 */
async function writePrivate(
  dir: string,
  stem: string,
  what: 'failed' | 'unknown' | 'data',
  ext: string,
  text: string,
  now: Date,
): Promise<{ file: string | null; diagnostics: Diagnostic[] }> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  try {
    await mkdir(dir, { recursive: true });
    for (let i = 1; ; i++) {
      const file = path.join(dir, `${stem}-${stamp}${i > 1 ? `-${i}` : ''}.${what}.${ext}`);
      try {
        writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
        return { file, diagnostics: [] };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { file: null, diagnostics: [diagnostic('runtime.file-not-written', { what, dir, detail: e.code ?? e.message })] };
  }
}
