/**
 * Reading one project file: refused (without reading) over the size limit, and a file that can not
 * be read is a located diagnostic, not an exception. Shared by the loader and its worker threads.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { stampOf, type FileStamp } from './file-stamp.js';
import { MAX_FILE_BYTES } from './guards.js';

/** `stamp` is the file's stat taken on the open handle, `readAt` the clock just before the open. */
export type Read = { text: string; stamp: FileStamp; readAt: number } | { problem: Diagnostic; missing: boolean };

export async function readSource(root: string, file: string): Promise<Read> {
  const full = path.join(root, file);
  try {
    const readAt = Date.now();
    const handle = await open(full, 'r');
    try {
      const info = await handle.stat();
      if (info.size > MAX_FILE_BYTES) {
        return {
          problem: diagnostic('file.too-large', { size: info.size, limit: MAX_FILE_BYTES }, { file, line: 1, column: 1, endLine: 1, endColumn: 2 }),
          missing: false,
        };
      }
      return { text: await handle.readFile('utf8'), stamp: stampOf(info), readAt };
    } finally {
      await handle.close();
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!e.code) throw err;
    return { problem: diagnostic('file.unreadable', { detail: `${e.code}: ${e.message}` }, { file }), missing: e.code === 'ENOENT' };
  }
}
