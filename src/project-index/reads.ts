/**
 * What a resource's findings and spec hash read from outside its own document, as tokens the
 * project index marks dependents by: `p:<name>` for a partial its templates call (directly or
 * through another partial, existing or not), `p:*` when a partial name is computed at render time,
 * `f:<path>` for an email's `body_file` (a data file, usually under a `_` folder). The partial calls
 * are found as ../apply/desired.ts finds them for the hash, so both always agree.
 */
import { PARTIAL_CALL, walkStrings } from '../apply/desired.js';
import { readProjectFile } from '../config/project-file.js';
import { bodyFileOf } from '../config/rules/body-files.js';
import type { Resource } from '../model/resource.js';
import { bodyFilePath } from '../render/content.js';

const DYNAMIC_PARTIAL = /\{\{~?#?>\s*\(/;

export function readsOf(root: string, resource: Resource, partials: Readonly<Record<string, string>>): string[] {
  const reads = new Set<string>();
  const scan = (text: string) => {
    // A partial call holds `>` (PARTIAL_CALL, DYNAMIC_PARTIAL): most template strings have none,
    // and matchAll copies its pattern on every call.
    if (!text.includes('{{') || !text.includes('>')) return;
    if (DYNAMIC_PARTIAL.test(text)) reads.add('p:*');
    for (const m of text.matchAll(PARTIAL_CALL)) {
      const token = `p:${m[1]!}`;
      if (reads.has(token)) continue;
      reads.add(token);
      const source = partials[m[1]!];
      if (source !== undefined) scan(source);
    }
  };
  walkStrings(resource.spec, scan);
  const bodyFile = bodyFileOf(resource);
  const file = bodyFile && bodyFilePath(resource.source.file, bodyFile.value);
  if (file) {
    reads.add(`f:${file}`);
    const read = readProjectFile(root, file);
    if (read.ok) scan(read.text);
  }
  return [...reads];
}
