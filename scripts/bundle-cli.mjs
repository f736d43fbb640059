#!/usr/bin/env node
/**
 * Bundles the CLI that package.json's `bin` runs, dist/src/bin/campaignctl.cjs, from tsc's output
 * (dist/src/main.js and what it imports): a command's modules come in a few files instead of ~130,
 * and on a no-change `plan` of 10,000 files loading modules is most of what the main thread does
 * (once the files are scanned, src/cli/scan-ahead.ts). Every dynamic import stays
 * a chunk of its own, so a command still loads only its own code. Packages stay in node_modules.
 * The bundle keeps none of the comments (a quarter of the source): every start reads and parses
 * that much less, ~30 ms of a 0.38 s no-change plan. They stay in src/ and tsc's output.
 *
 * The bundle sits one folder below dist/src like dist/src/config, so what the code finds next to
 * itself (dist/build-id.json two folders up, the generated validators in ../config) is found the
 * same from either. The checking pool's worker script is bundled beside it.
 * The library (`import ... from 'campaignctl'`) stays tsc's modules, dist/src/index.js.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const BUNDLED = /^(commander|picocolors|fastest-levenshtein)(\/|$)/;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'src', 'bin');
rmSync(out, { recursive: true, force: true });
await build({
  // The checking pool's worker script too, under its own name: src/config/worker-script.ts finds
  // it next to the module that starts it.
  input: {
    campaignctl: path.join(root, 'dist', 'src', 'main.js'),
    'check-worker': path.join(root, 'dist', 'src', 'config', 'check-worker.js'),
  },
  platform: 'node',
  // node: built-ins and packages are imported at run time, not bundled; but for the small
  // pure-JavaScript CommonJS ones every command loads, which would otherwise go through Node's
  // CommonJS loader and its export scan on every start.
  external: (id) => !id.startsWith('.') && !path.isAbsolute(id) && !BUNDLED.test(id),
  // CommonJS: Node 20 loads it with require(), which costs less per chunk than its ES module loader
  // (resolving URLs, linking module jobs): a repeated no-change plan was 0.26 against 0.28 s and
  // 0.28 against 0.32 s, 15 alternated runs each. `.cjs`, since package.json says "type": "module".
  output: { dir: out, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs', comments: false },
  logLevel: 'warn',
});
