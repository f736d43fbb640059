import { describe, expect, it } from 'vitest';
import { FILE_BY_KIND, SCHEMA_BASE, readSchema, schemaFiles, strictAjv, type JsonObject } from './schema-set.js';

/** Calls `visit(properties, path, inBranch)` for every `properties` map in a schema tree. */
function eachPropertiesMap(
  node: unknown,
  path: string,
  inBranch: boolean,
  visit: (props: JsonObject, path: string, inBranch: boolean) => void,
): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => eachPropertiesMap(n, `${path}/${i}`, inBranch, visit));
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as JsonObject)) {
    const branch = inBranch || ['oneOf', 'anyOf', 'allOf', 'if', 'then', 'else', 'not'].includes(key);
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      visit(value as JsonObject, `${path}/properties`, inBranch);
      for (const [name, sub] of Object.entries(value as JsonObject)) {
        eachPropertiesMap(sub, `${path}/properties/${name}`, false, visit);
      }
    } else {
      eachPropertiesMap(value, `${path}/${key}`, branch, visit);
    }
  }
}

/** Every schema object that declares `properties` (a fixed shape), with its path. */
function eachShapedObject(node: unknown, path: string, visit: (schema: JsonObject, path: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => eachShapedObject(n, `${path}/${i}`, visit));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonObject;
  if (schema.type === 'object' && schema.properties) visit(schema, path);
  for (const [key, value] of Object.entries(schema)) eachShapedObject(value, `${path}/${key}`, visit);
}

describe('schemas/', () => {
  it('holds one schema per kind, the config schema and the shared definitions', () => {
    expect(schemaFiles()).toEqual(
      [...Object.values(FILE_BY_KIND), 'config.schema.json', 'defs.schema.json'].sort(),
    );
  });

  it('compiles every schema under ajv strict mode (draft 2020-12, allErrors, ajv-formats)', () => {
    const ajv = strictAjv();
    for (const file of schemaFiles()) {
      expect(() => ajv.getSchema(SCHEMA_BASE + file), file).not.toThrow();
      expect(ajv.getSchema(SCHEMA_BASE + file), file).toBeTypeOf('function');
    }
  });

  it('declares draft 2020-12 and an $id under https://campaignctl.dev/schemas/', () => {
    for (const file of schemaFiles()) {
      const schema = readSchema(file);
      expect(schema.$schema, file).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id, file).toBe(SCHEMA_BASE + file);
    }
  });

  it('describes every property (editors show it on hover)', () => {
    const missing: string[] = [];
    for (const file of schemaFiles()) {
      eachPropertiesMap(readSchema(file), file + '#', false, (props, path, inBranch) => {
        // Branches of oneOf/if-then restate keys described on the object itself.
        if (inBranch) return;
        for (const [name, sub] of Object.entries(props)) {
          const description = (sub as JsonObject).description;
          if (typeof description !== 'string' || description.length < 10) missing.push(`${path}/${name}`);
        }
      });
    }
    expect(missing).toEqual([]);
  });

  it('closes every fixed-shape object except platform_specific platforms and wire', () => {
    const open: string[] = [];
    for (const file of schemaFiles()) {
      eachShapedObject(readSchema(file), file + '#', (schema, path) => {
        if (schema.additionalProperties !== false) open.push(path);
      });
    }
    expect(open.sort()).toEqual(
      ['defs.schema.json#/$defs/androidOptions', 'defs.schema.json#/$defs/iosOptions'].sort(),
    );
  });

  it('keeps the scheduled campaign spec equal to the campaign spec without `when` (and `allowQuietHours`, which qualifies it)', () => {
    const defs = readSchema('campaign.schema.json').$defs as Record<string, JsonObject>;
    const campaign = structuredClone(defs.campaignSpec);
    const scheduled = structuredClone(defs.scheduledCampaignSpec);
    delete (campaign.properties as JsonObject).when;
    // A scheduled campaign starts at its Schedule's tick: the Schedule's own allowQuietHours decides.
    delete (campaign.properties as JsonObject).allowQuietHours;
    campaign.required = (campaign.required as string[]).filter((k) => k !== 'when');
    for (const key of ['title', 'description']) {
      delete campaign[key];
      delete scheduled[key];
    }
    expect(scheduled).toEqual(campaign);
    expect((defs.scheduledCampaignSpec.properties as JsonObject).when).toBeUndefined();
    expect((defs.scheduledCampaignSpec.properties as JsonObject).allowQuietHours).toBeUndefined();
  });
});
