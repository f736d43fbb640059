#!/usr/bin/env node
/**
 * tsc writes dist/src/main.js without the executable bit, and npm only sets it on a bin that
 * exists when the package is linked, which the bin of a fresh clone does not (it is built by
 * `prepare` afterwards). Without it `npx campaignctl` in the project fails with "Permission denied".
 */
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { bin } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
for (const file of Object.values(bin)) chmodSync(path.join(root, file), 0o755);
