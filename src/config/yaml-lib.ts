/**
 * yaml, loaded on first use and synchronously. Most runs never need it: the quick lane
 * (./quick-parse.ts) reads campaign files with js-yaml, and a warm run reads none. But `locate`
 * (sync, called while building a diagnostic) may need yaml's node positions for a file the quick
 * lane read, so a dynamic import() will not do. yaml's Node entry point is CommonJS, the same file
 * an `import ... from 'yaml'` loads, so this is one module instance either way.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return lib;
}
