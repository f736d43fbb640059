/**
 * Reading a file the YAML names by a project path (an email's `body_file`), one reader for
 * validate, plan, apply and render. A path that leaves the project root, directly or through a
 * symbolic link, is refused: a campaign must never mail out a file from elsewhere on the machine.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FileRead } from '../render/context.js';
import { MAX_FILE_BYTES } from './guards.js';

export function readProjectFile(root: string, projectPath: string): FileRead {
  try {
    const real = realpathSync(path.join(root, projectPath));
    const inside = path.relative(realpathSync(root), real);
    if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
      return { ok: false, detail: 'it resolves outside the project (through a symbolic link); keep the file inside the project' };
    }
    if (statSync(real).size > MAX_FILE_BYTES) return { ok: false, detail: `larger than ${MAX_FILE_BYTES} bytes` };
    return { ok: true, text: readFileSync(real, 'utf8') };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ok: false, detail: e.code === 'ENOENT' ? 'no such file' : `can not read it (${e.code ?? e.message})` };
  }
}

/** What reading a project file gives, as one digest (its content, or why it can not be read): what a cache keyed on it compares. */
export function projectFileDigest(root: string, projectPath: string): string {
  const read = readProjectFile(root, projectPath);
  return createHash('sha256').update(read.ok ? `ok\0${read.text}` : `unreadable\0${read.detail}`, 'utf8').digest('hex');
}
