/**
 * The floor S of a plan that finds nothing changed, run as its own process: start node, read
 * campaignctl.yaml, then find every file under campaigns/ (partials and `_` files included, since
 * they matter too) and stat each one, one after the other. The least any tool must do to notice
 * that no file changed since it last looked. Prints `files <n>` on stdout.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

let files = 0;
function walk(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (statSync(full).size >= 0) files++;
  }
}

const root = process.argv[2]!;
readFileSync(path.join(root, 'campaignctl.yaml'), 'utf8');
walk(path.join(root, 'campaigns'));
process.stdout.write(`files ${files}\n`);
