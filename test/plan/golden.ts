/**
 * Golden files for the plan views. `UPDATE_GOLDEN=1 npx vitest run test/plan` rewrites them;
 * review the diff before committing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export function expectGolden(name: string, actual: string): void {
  const path = fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file test/plan/golden/${name} is missing; run UPDATE_GOLDEN=1 npx vitest run test/plan`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
