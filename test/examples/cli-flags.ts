/**
 * What the example checks read from the code: a command's declared options and a command line's
 * flags. Shared by the deployment and GitHub Actions example tests, so a renamed flag fails both.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../cli/cli-run.js';

/** Source text without comments, so a name only mentioned in a comment does not count as used. */
export function code(file: string): string {
  return readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The options a command takes: its own (src/cli/<command>.ts) and the global ones (src/main.ts). */
export function optionsOf(command: string): Set<string> {
  const text = code(path.join(REPO, 'src', 'cli', `${command}.ts`)) + code(path.join(REPO, 'src', 'main.ts'));
  return new Set([...text.matchAll(/\.option\(\s*'(?:-\w, )?(--[a-z-]+)/g)].map((m) => m[1]!));
}

/** `--flag value` pairs of an argument list (a flag followed by another flag, or last, is a switch). */
export function flagsOf(args: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  args.forEach((a, i) => {
    if (a.startsWith('--')) out.set(a, args[i + 1] !== undefined && !args[i + 1]!.startsWith('--') ? args[i + 1]! : true);
  });
  return out;
}
