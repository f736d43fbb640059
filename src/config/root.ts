/**
 * The project root: --dir when given, else the nearest folder from cwd upward that holds
 * campaignctl.yaml or a campaigns/ folder (so every command works from anywhere inside).
 */
import { statSync } from 'node:fs';
import path from 'node:path';

export const CONFIG_FILE = 'campaignctl.yaml';
export const CAMPAIGNS_DIR = 'campaigns';

export function isProjectRoot(dir: string): boolean {
  return kindOf(path.join(dir, CONFIG_FILE)) === 'file' || kindOf(path.join(dir, CAMPAIGNS_DIR)) === 'dir';
}

/** The absolute project root, or undefined when there is none. */
export function findProjectRoot(opts: { dir?: string; cwd: string }): string | undefined {
  if (opts.dir !== undefined) {
    const dir = path.resolve(opts.cwd, opts.dir);
    return isProjectRoot(dir) ? dir : undefined;
  }
  let dir = path.resolve(opts.cwd);
  for (;;) {
    if (isProjectRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function kindOf(p: string): 'file' | 'dir' | undefined {
  try {
    const s = statSync(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : undefined;
  } catch {
    return undefined;
  }
}
