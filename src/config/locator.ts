/**
 * Where a node of a resource's document is, for diagnostics and `locate`: from the positions its
 * file's check kept (decoded on first use, ./positions-codec.ts), or, for a file the quick lane read
 * (no positions kept), parsed with yaml once when first asked.
 */
import type { Resource } from '../model/resource.js';
import { parseFile } from './parse.js';
import { decodePositions } from './positions-codec.js';
import { lookup, pointerOf, type PositionIndex } from './positions.js';
import type { Range } from '../diagnostics/diagnostic.js';
import type { Project } from './project.js';
import { readSource } from './read-source.js';
import { CONFIG_FILE } from './root.js';
import type { RuleContext } from './rules/index.js';
import { sha256, type StoredCheck } from './stored-check.js';

/** `locate` and `locateIn` over these resources (see the file comment). */
export function locator(
  root: string,
  resources: readonly Resource[],
  files: Project['files'],
  storedCheck: (file: string) => StoredCheck | undefined,
): { locate: Project['locate']; locateIn: RuleContext['locateIn'] } {
  // The maps by file and by address are made on first need: the project index makes a locator
  // per change, and rules (locateIn) need neither.
  let shaOf: Map<string, string> | undefined;
  const positions = new Map<string, PositionIndex | undefined>();
  const fromDisk = new Set<string>();
  const positionsOf = (file: string, index: number): PositionIndex | undefined => {
    const key = documentKey(file, index);
    if (positions.has(key)) return positions.get(key);
    const encoded = storedCheck(file)?.positions.find(([i]) => i === index)?.[1];
    if (encoded !== undefined) {
      positions.set(key, decodePositions(encoded));
    } else {
      const sha = (shaOf ??= new Map(files.map((f) => [f.path, f.sha256]))).get(file);
      if (sha !== undefined && !fromDisk.has(file)) {
        fromDisk.add(file);
        for (const [i, p] of positionsFromDisk(root, file, sha)) if (!positions.has(documentKey(file, i))) positions.set(documentKey(file, i), p);
      }
      if (!positions.has(key)) positions.set(key, undefined);
    }
    return positions.get(key);
  };
  let byAddress: Map<string, Resource> | undefined;
  const locateIn: RuleContext['locateIn'] = (r, nodePath, part = 'value') => {
    const index = positionsOf(r.source.file, r.source.documentIndex);
    const found = index && lookup(index, pointerOf(nodePath));
    if (!found) return undefined;
    const s = part === 'key' && found.exact && found.spans.key ? found.spans.key : found.spans.value;
    return { file: r.source.file, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } satisfies Range;
  };
  const locate: Project['locate'] = (address, nodePath) => {
    if (!byAddress) {
      byAddress = new Map();
      for (const r of resources) if (!byAddress.has(r.address)) byAddress.set(r.address, r);
    }
    const r = byAddress.get(address);
    return r ? locateIn(r, nodePath) : undefined;
  };
  return { locate, locateIn };
}

/**
 * campaignctl.yaml's positions, made when a diagnostic first needs one: those its check kept
 * (`stored`), else, when the quick lane read it (null), parsed from `text` (the content checked).
 */
export function configPositions(stored: string | null, text: string): () => PositionIndex {
  let positions: PositionIndex | undefined;
  return () => (positions ??= stored !== null ? decodePositions(stored) : (parseFile(CONFIG_FILE, text).documents[0]?.positions ?? new Map()));
}

/** Node positions per document of a file, when its content is still the one that was loaded. */
function positionsFromDisk(root: string, file: string, expectedSha: string): Map<number, PositionIndex> {
  const read = readSource(root, file);
  if (!('text' in read) || sha256(read.text) !== expectedSha) return new Map();
  return new Map(parseFile(file, read.text).documents.map((d) => [d.index, d.positions]));
}

function documentKey(file: string, index: number): string {
  return `${file}\u0000${index}`;
}

