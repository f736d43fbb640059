/**
 * The committed src/model/generated/*.ts are exactly what `npm run gen:types` produces from the
 * current schemas: a schema change without regenerating fails here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './schema-set.js';

interface GenTypes {
  generateTypes(schemasDir?: string): Promise<Map<string, string>>;
}

describe('generated types', () => {
  it('match the schemas', async () => {
    // A computed specifier: the generator is plain JavaScript run by node, not part of the TS build.
    const script = pathToFileURL(path.join(REPO_ROOT, 'scripts', 'gen-types.mjs')).href;
    const { generateTypes } = (await import(script)) as GenTypes;
    const generated = await generateTypes();
    const dir = path.join(REPO_ROOT, 'src', 'model', 'generated');
    expect(readdirSync(dir).sort()).toEqual([...generated.keys()].sort());
    for (const [file, source] of generated) {
      expect(readFileSync(path.join(dir, file), 'utf8'), `${file} is stale: run npm run gen:types`).toBe(source);
    }
  });
});
