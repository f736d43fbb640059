/**
 * What a send leaves behind for the person who runs it: the identities of failed calls (safe to
 * send again) and of calls of unknown outcome (check before sending again), each as a CSV that
 * reads back with `--to-file`, and the command that sends to the failed ones again. Identities and
 * their data are personal: every file is readable by its owner only, as plan files are, and never
 * overwrites another. A file that can not be written is a warning: the send already happened, and
 * the result carries the identities too.
 */
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { commandLine, type CommandTarget } from '../diagnostics/command-line.js';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { IDENTITY_KEYS, type Recipients } from '../runtime/recipients.js';

/** Where a send wrote its failed and unknown identities (null: nobody to write, or not written). */
export interface WrittenFiles {
  failed: string | null;
  unknown: string | null;
}

export type Written = { file: string | null; diagnostics: Diagnostic[] };

/** CSV with a header of the keys present, one id per row in its key's column; reads back with --to-file. */
export function formatRecipientsFile(recipients: Recipients): string {
  const keys = IDENTITY_KEYS.filter((k) => recipients[k]?.length);
  const lines = [keys.join(',')];
  keys.forEach((key, column) => {
    for (const id of recipients[key]!) {
      const cells = keys.map((_, i) => (i === column ? csvCell(id) : ''));
      lines.push(cells.join(','));
    }
  });
  return lines.join('\n') + '\n';
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `<stem>-<time>.<what>.csv` in dir (null when there is nobody to write). */
export async function writeRecipients(dir: string, stem: string, what: 'failed' | 'unknown', r: Recipients, now: Date): Promise<Written> {
  if (!Object.values(r).some((ids) => ids && ids.length > 0)) return { file: null, diagnostics: [] };
  return writePrivate(dir, stem, what, 'csv', formatRecipientsFile(r), now);
}

/** How the data was given, for the retry: as the caller's own words, or only as values. */
export type DataSource = { words: readonly string[] } | { values: Record<string, unknown> };

/**
 * The command that sends to the failed identities again, as this run did: same environment and
 * project, the data as given (`words`, shell-quoted). Data given only as values (standard input,
 * a program) can not be given again that way, so it is written to a file beside the failed
 * identities and named with --data instead.
 */
export async function retryCommand(
  target: CommandTarget,
  words: readonly string[],
  data: DataSource,
  failedFile: string,
  where: { dir: string; stem: string; now: Date },
): Promise<{ command: string | null; diagnostics: Diagnostic[] }> {
  const all = [...words];
  if ('values' in data) {
    const written = await writePrivate(where.dir, where.stem, 'data', 'json', JSON.stringify(data.values, null, 2) + '\n', where.now);
    if (written.file === null) return { command: null, diagnostics: written.diagnostics };
    all.push('--data', written.file);
  } else all.push(...data.words);
  all.push('--to-file', failedFile);
  return { command: commandLine(target, all), diagnostics: [] };
}

/** Writes `<stem>-<time>.<what>.<ext>` into dir, never overwriting, readable by the owner only. */
async function writePrivate(dir: string, stem: string, what: 'failed' | 'unknown' | 'data', ext: string, text: string, now: Date): Promise<Written> {
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
