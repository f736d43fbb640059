/**
 * The invalid-fixture corpus (test/fixtures/invalid, see its README): each file's header and the
 * project a fixture is loaded as, shared by the golden corpus test and the validate-vs-plan test.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/invalid');
/** The harness clock (for `when` in the past and `{ daysAgo: N }`). */
export const NOW = new Date('2026-06-15T12:00:00Z');

export function invalidFixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

export function header(text: string) {
  const expected = [...text.matchAll(/^# expect: (\S+) (?:(\S+) )?(\d+):(\d+)\s*$/gm)].map((m) => ({ code: m[1]!, file: m[2], at: `${m[3]}:${m[4]}` }));
  const pad = /^# pad-bytes: (\d+)\s*$/m.exec(text);
  const files = [...text.matchAll(/^# with-file: (\S+) (.*)$/gm)].map((m) => ({ path: m[1]!, text: m[2]!.replace(/\\n/g, '\n') + '\n' }));
  const links = [...text.matchAll(/^# with-symlink: (\S+) -> (\S+)\s*$/gm)].map((m) => ({ path: m[1]!, target: m[2]! }));
  return { expected, padBytes: pad ? Number(pad[1]) : 0, files, links };
}

/** A fresh project under `root` holding the fixture (padded, with its extra files), as the folder's README describes. */
export function writeFixtureProject(root: string, name: string, source: string): void {
  const { files, links, padBytes } = header(source);
  const text = padBytes ? source + '#' + 'x'.repeat(padBytes) + '\n' : source;
  mkdirSync(path.join(root, 'campaigns'), { recursive: true });
  if (name.endsWith('.config.yaml')) writeFileSync(path.join(root, 'campaignctl.yaml'), text);
  else writeFileSync(path.join(root, 'campaigns', name), text);
  for (const f of files) writeFileSync(path.join(root, f.path), f.text);
  for (const l of links) symlinkSync(l.target, path.join(root, l.path));
}

