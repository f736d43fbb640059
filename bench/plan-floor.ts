/**
 * The floor F of the plan benchmark, run as its own process: find every campaign file the way the
 * loader does (campaigns/**\/*.y(a)ml, `_` and `.` names skipped), read each and give it to
 * yaml's `parseDocument`, one after the other on one thread. No schema, no rules, no state: the
 * least any YAML-reading tool does for these files. Prints `files <n> documents <n>` on stdout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('_') || e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(full);
  }
}

const files: string[] = [];
walk(path.join(process.argv[2]!, 'campaigns'), files);
let documents = 0;
for (const f of files) {
  const doc = parseDocument(readFileSync(f, 'utf8'));
  if (doc.contents) documents++;
}
process.stdout.write(`files ${files.length} documents ${documents}\n`);
