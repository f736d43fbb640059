#!/usr/bin/env node
/**
 * Writes dist/build-id.json: the digest of the built code (all of dist/src), the JSON Schemas and
 * the lockfile, which the persisted project index is keyed by (src/config/build-id.ts).
 * Run last in `npm run build`, after every generated file is in place.
 *   node scripts/write-build-id.mjs [distDir]   (default: dist/ of this package)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const { computeBuildId } = await import(path.join(root, 'dist', 'src', 'config', 'build-id.js'));
const buildId = computeBuildId({ code: path.join(dist, 'src'), schemas: path.join(root, 'schemas'), lockfile: path.join(root, 'package-lock.json') });
writeFileSync(path.join(dist, 'build-id.json'), JSON.stringify({ buildId }) + '\n');
