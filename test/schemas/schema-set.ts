/**
 * Test helper: every schemas/*.schema.json compiled with the options the brief fixes for the
 * project (ajv draft 2020-12, strict, allErrors, ajv-formats), independent of the loader.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMAS_DIR = path.join(REPO_ROOT, 'schemas');
export const SCHEMA_BASE = 'https://campaignctl.dev/schemas/';

export const FILE_BY_KIND: Record<string, string> = {
  Campaign: 'campaign.schema.json',
  Message: 'message.schema.json',
  ExternalTrigger: 'external-trigger.schema.json',
  Bulletin: 'bulletin.schema.json',
  Schedule: 'schedule.schema.json',
};

export type JsonObject = Record<string, unknown>;

export function schemaFiles(): string[] {
  return readdirSync(SCHEMAS_DIR)
    .filter((f) => f.endsWith('.schema.json'))
    .sort();
}

export function readSchema(file: string): JsonObject {
  return JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), 'utf8')) as JsonObject;
}

export function strictAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const file of schemaFiles()) ajv.addSchema(readSchema(file));
  return ajv;
}

/** Validates `doc` against schemas/<file>; returns ajv's errors as `instancePath message` lines. */
export function validateWith(ajv: Ajv2020, file: string, doc: unknown): string[] {
  const validate = ajv.getSchema(SCHEMA_BASE + file);
  if (!validate) throw new Error(`no schema ${file}`);
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}
