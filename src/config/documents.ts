/**
 * One parsed YAML document -> a Resource, or the diagnostics saying why not. The schema is picked
 * by `kind`; an unknown kind is itself a located error that lists the kinds.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { KINDS, addressOf } from '../model/resource.js';
import type { Kind, Resource } from '../model/resource.js';
import { independentProblems } from './independent-checks.js';
import type { ParsedDocument } from './parse.js';
import { lookup } from './positions.js';
import { schemaDiagnostics, typeOf } from './schema-diagnostics.js';
import type { SchemaSet } from './schemas.js';
import { closest } from '../diagnostics/suggest.js';
import { isRecord } from '../model/record.js';

export interface CheckedDocument {
  resource?: Resource;
  diagnostics: Diagnostic[];
}

export function checkResourceDocument(file: string, doc: ParsedDocument, schemas: SchemaSet): CheckedDocument {
  if (!doc.ok) return { diagnostics: [] };
  const value = doc.value;
  if (!isRecord(value)) {
    const s = lookup(doc.positions, '')?.spans.value;
    const where = s ? { file, line: s[0], column: s[1], endLine: s[0], endColumn: s[2] === s[0] ? s[3] : s[1] + 1 } : startOf(file, doc);
    return { diagnostics: [diagnostic('schema.type', { path: '', expected: ['mapping'], actual: typeOf(value) }, where)] };
  }
  if (!Object.hasOwn(value, 'kind')) {
    return { diagnostics: [diagnostic('schema.required', { key: 'kind', path: '' }, startOf(file, doc))] };
  }
  const kind = value.kind;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    const s = lookup(doc.positions, '/kind')?.spans.value;
    const where = s ? { file, line: s[0], column: s[1], endLine: s[2], endColumn: s[3] } : startOf(file, doc);
    const suggestion = typeof kind === 'string' ? closest(kind, KINDS) : undefined;
    return { diagnostics: [diagnostic('schema.unknown-kind', { kind: String(kind), kinds: KINDS, suggestion }, where)] };
  }
  const metadata = value.metadata;
  const name = isRecord(metadata) && typeof metadata.name === 'string' ? metadata.name : undefined;
  const address = name !== undefined ? addressOf(kind as Kind, name) : undefined;
  const diagnostics = schemaDiagnostics(kind as Kind, value, schemas, { file, positions: doc.positions, address });
  if (diagnostics.length) {
    const also = independentProblems(file, kind as Kind, value, diagnostics, schemas, { positions: doc.positions, address }, resourceOf(file, doc, value));
    return { diagnostics: [...diagnostics, ...also] };
  }
  const resource = resourceOf(file, doc, value);
  return resource ? { resource, diagnostics: [] } : { diagnostics };
}

/** The Resource of a document whose value passed its schema (undefined if it has no name after all). */
export function resourceOf(file: string, doc: Pick<ParsedDocument, 'index' | 'line' | 'column'>, value: Record<string, unknown>): Resource | undefined {
  const metadata = value.metadata;
  if (!isRecord(metadata) || typeof metadata.name !== 'string') return undefined;
  const kind = value.kind as Kind;
  return {
    kind,
    address: addressOf(kind, metadata.name),
    name: metadata.name,
    labels: (metadata.labels as Record<string, string> | undefined) ?? {},
    protect: metadata.protect === true,
    spec: (value.spec as Record<string, unknown> | undefined) ?? {},
    source: { file, documentIndex: doc.index, line: doc.line, column: doc.column },
  };
}

function startOf(file: string, doc: ParsedDocument) {
  return { file, line: doc.line, column: doc.column, endLine: doc.line, endColumn: doc.column + 1 };
}

