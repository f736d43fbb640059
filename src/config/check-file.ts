/**
 * The per-file pipeline: parse, then schema-check each document. A pure function of
 * (path, text) given the compiled schemas: the unit a later content-hash cache or worker pool
 * runs, and the reason its output is plain data.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Resource } from '../model/resource.js';
import { checkResourceDocument } from './documents.js';
import { parseFile } from './parse.js';
import type { PositionIndex } from './positions.js';
import type { SchemaSet } from './schemas.js';

export interface CheckedFile {
  file: string;
  resources: Resource[];
  diagnostics: Diagnostic[];
  /** Node positions per document index. */
  positions: Map<number, PositionIndex>;
}

export function checkFile(file: string, text: string, schemas: SchemaSet): CheckedFile {
  const parsed = parseFile(file, text);
  const out: CheckedFile = { file, resources: [], diagnostics: [...parsed.diagnostics], positions: new Map() };
  for (const doc of parsed.documents) {
    out.positions.set(doc.index, doc.positions);
    const checked = checkResourceDocument(file, doc, schemas);
    out.diagnostics.push(...checked.diagnostics);
    if (checked.resource) out.resources.push(checked.resource);
  }
  return out;
}
