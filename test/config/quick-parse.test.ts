/**
 * The quick lane (js-yaml) must give exactly what the full lane (yaml) gives, or decline. Checked
 * on every YAML file in the repository (the example project, fixture projects, the invalid corpus)
 * and on snippets where the two libraries are known to differ or could.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../src/config/check-file.js';
import { checkConfigFile } from '../../src/config/config-file.js';
import { configPositions } from '../../src/config/locator.js';
import { parseFile } from '../../src/config/parse.js';
import { contentStart, quickCheck, quickParse } from '../../src/config/quick-parse.js';
import { quickValidators } from '../../src/config/quick-validators.js';
import { schemasDigest } from '../../src/config/schemas-digest.js';
import { loadSchemas, packageSchemasDir } from '../../src/config/schemas.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(e.name)) out.push(full);
  }
  return out;
}

const files = [...yamlFiles(path.join(ROOT, 'campaigns')), ...yamlFiles(path.join(ROOT, 'test/fixtures'))];

describe('quick lane against the full lane, on every YAML file of the repository', () => {
  const schemas = loadSchemas();
  const isValid = quickValidators(packageSchemasDir());
  const read = (f: string) => ({ rel: path.relative(ROOT, f), text: readFileSync(f, 'utf8') });
  // The files the quick lane takes; each must give exactly what the full lane gives.
  const taken = files.map(read).filter(({ rel, text }) => quickCheck(rel, text, isValid) !== undefined);

  it.each(taken.map(({ rel }) => [rel]))('%s', (rel) => {
    const text = readFileSync(path.join(ROOT, rel), 'utf8');
    const fast = quickCheck(rel, text, isValid)!;
    const full = checkFile(rel, text, schemas);
    expect(full.diagnostics).toEqual([]);
    expect(fast.resources).toEqual(full.resources);
    expect(fast.diagnostics).toEqual([]);
  });

  it('takes the quick lane for most of them (the example project is plain YAML)', () => {
    const examples = yamlFiles(path.join(ROOT, 'campaigns'));
    const takenExamples = examples.map(read).filter(({ rel, text }) => quickCheck(rel, text, isValid) !== undefined);
    expect(takenExamples.length).toBeGreaterThan(examples.length / 2);
    expect(taken.length).toBeGreaterThan(0);
  });

  it('never takes a file of the invalid corpus with a YAML, guard or schema problem', () => {
    // (rule-, template- and liquid- files are schema-valid: their problems are found by the rules,
    // after either lane; guard-too-large is padded past the limit by its harness.)
    const invalid = yamlFiles(path.join(ROOT, 'test/fixtures/invalid')).filter((f) => /\/(yaml|guard|schema)-/.test(f) && !f.endsWith('guard-too-large.yaml'));
    expect(invalid.length).toBeGreaterThan(40);
    for (const f of invalid) expect(quickCheck(path.relative(ROOT, f), readFileSync(f, 'utf8'), isValid), f).toBeUndefined();
  });

  it('never takes a file over the size limit', () => {
    const text = readFileSync(path.join(ROOT, 'test/fixtures/invalid/guard-too-large.yaml'), 'utf8') + `# ${'x'.repeat(1_100_000)}\n`;
    expect(quickCheck('big.yaml', text, isValid)).toBeUndefined();
  });
});

describe('the standalone validators the build generates', () => {
  const generated = createRequire(import.meta.url)(path.join(ROOT, 'dist/src/config/schema-validators.cjs')) as Record<string, (v: unknown) => boolean> & { schemasDigest: string };
  const schemas = loadSchemas();

  it('were made from the schemas of this tree', () => {
    expect(generated.schemasDigest).toBe(schemasDigest(packageSchemasDir()));
  });

  it('say yes or no exactly as the compiled schemas do, on every document of the repository', () => {
    let rejected = 0;
    for (const f of files) {
      const parsed = parseDocument(readFileSync(f, 'utf8').replace(/^# pad-bytes.*$/m, ''), { uniqueKeys: false });
      const value = parsed.toJS({ maxAliasCount: -1 }) as Record<string, unknown> | null;
      const kind = value && typeof value === 'object' && typeof value.kind === 'string' ? value.kind : null;
      const which = kind && kind in generated ? kind : f.endsWith('.config.yaml') ? 'config' : 'Campaign';
      const compiled = schemas.validator(which as 'Campaign')(value) === true;
      expect(generated[which]!(value), f).toBe(compiled);
      if (!compiled) rejected++;
    }
    expect(rejected).toBeGreaterThan(30);
  });
});

/** yaml's reading of a one-document text, as the full lane turns it into values. */
function viaYaml(text: string): { value: unknown; line: number; column: number } {
  const lines = { line: 0, column: 0 };
  const doc = parseDocument(text, { uniqueKeys: true, logLevel: 'error' });
  expect(doc.errors).toEqual([]);
  expect(doc.warnings).toEqual([]);
  const start = doc.contents?.range?.[0] ?? 0;
  const before = text.slice(0, start).split('\n');
  lines.line = before.length;
  lines.column = before[before.length - 1]!.length + 1;
  return { value: doc.toJS(), ...lines };
}

describe('quickParse gives what yaml gives', () => {
  const same = {
    'core-schema numbers': 'a: 0o17\nb: 0x1F\nc: +12\nd: -0\ne: 1e3\nf: .5\ng: 1.50\nh: .inf\ni: -.Inf\nk: 012\nl: 1_000\nm: 0b101\nn: 12345678901234567890\no: 1.\np: -1E-2\n',
    'booleans and nulls': 'a: true\nb: True\nc: TRUE\nd: tRue\ne: yes\nf: no\ng: on\nh: off\ni: ~\nj: null\nk: Null\nl: NULL\nm:\nn: nUll\n',
    'dates stay strings': 'a: 2026-01-01\nb: 2026-12-10 06:26\nc: 2026-12-10T06:26:00Z\nd: 12:30\n',
    'plain multi-line': 'a: one\n  two\n\n  three\nb: x # comment\n',
    'double quotes': 'a: "tab\\there \\x41 \\u263A \\N \\_ end"\nb: "folded\n  line\n\n  para"\nc: "cont\\\n  inued"\n',
    'single quotes': "a: 'it''s'\nb: 'multi\n  line'\n",
    'block scalars': 'a: |\n  keep\n    indented\n\n\nb: |-\n  strip\n\nc: |+\n  keep all\n\n\nd: >\n  folded\n  text\n\n  para\n    more\ne: >-\n  x\n  y\nf: |2\n    two extra\n',
    'flow collections': 'a: { x: 1, y: [a, "b", c d] }\nb: [ ]\nc: {}\nd: [1, {e: f}]\n',
    'templates and liquid': 'a: "{{vars.shopName}}: deals"\nb: \'{% if x %}y{% endif %}\'\nc: {{ "{{x}}" }}\n',
    'leading marker, comments, indented start': '---\n# head\n\n  a: 1\n  b: 2\n',
    'numeric and odd keys': '1: a\n1.5: b\ntrue: c\n.inf: d\n"x y": e\n',
    // The resolvers look at the length and first character before any pattern: near misses.
    'near-miss scalars': 'a: nulls\nb: truex\nc: Falsey\nd: ~x\ne: +\nf: .\ng: -x\nh: .5e\ni: 0x\nj: x1\nk: " 1"\nl: TRUE1\nm: nul\nn: fals\no: -.5\np: +.inf\nq: .NaN\nFalse: t\n',
    'unicode': 'a: "é ü 😀"\nb: naïve\n',
    // A `*` or `!` inside a scalar, where no node starts: cron expressions must not decline.
    'stars and bangs inside scalars': 'a: "30 18 * * *"\nb: "*/30 9-17 * * 1-5"\nc: \'0 9 * * MON\'\nd: Hi !\ne: 5 * 3\n',
  };
  for (const [name, text] of Object.entries(same)) {
    it(name, () => {
      const quick = quickParse(text);
      const full = viaYaml(text);
      if (name === 'templates and liquid') {
        // `c: {{ ... }}` is a flow mapping as a key for yaml: the quick lane must decline it.
        expect(quick).toBeUndefined();
        return;
      }
      expect(quick).toBeDefined();
      const { jsonExact, ...parsed } = quick!;
      expect(parsed).toEqual(full);
      // Whether JSON gives the value back as it is, worked out independently of the walk.
      expect(jsonExact, name).toBe(isDeepStrictEqual(JSON.parse(JSON.stringify(full.value)), full.value));
    });
  }

  it('says a value with -0, .nan or an infinity is not JSON-exact, and still takes it', () => {
    expect(quickParse('a: -0\n')).toMatchObject({ value: { a: -0 }, jsonExact: false });
    expect(quickParse('a: [1, .nan]\n')).toMatchObject({ jsonExact: false });
    expect(quickParse('a: {b: -.inf}\n')).toMatchObject({ jsonExact: false });
    expect(quickParse('a: [0, -1.5, 1e3]\n')).toMatchObject({ jsonExact: true });
  });

  const declined = {
    'a flow sequence as a key': '[a]: b\n',
    'a flow mapping as a key': '{a: 1}: 2\n',
    'a flow sequence as a key inside a flow mapping': 'x: {[a]: 1}\n',
    'an explicit key': '? a\n: b\n',
    'a null key': '~: x\n',
    'an empty key': '"": x\n',
    'an anchor and alias': 'a: &x [1]\nb: *x\n',
    'a tag': 'a: !!str 12\n',
    'a custom tag': 'a: !secret x\n',
    'a non-specific tag': 'a: ! 12\n',
    'a tag after a sequence dash': 'a:\n  - !!str 1\n',
    'a tag on its own line': 'a:\n  !!str 1\n',
    'a tag in a flow sequence': 'a: [1, !!str 2]\n',
    'a tag right after a flow bracket': 'a: [!!str 2]\n',
    'a tag after a JSON-like key in flow': 'a: {"b":!!str 1}\n',
    'an alias after a document marker': '--- *x\n',
    'a tag on an explicit key inside a flow mapping': 'b: {? !!str x : y}\n',
    'a directive': '%YAML 1.2\n---\na: 1\n',
    'two documents': 'a: 1\n---\nb: 2\n',
    'a document end marker': 'a: 1\n...\n',
    'a marker after a comment': '# head\n---\na: 1\n',
    'a tab': 'a:\tb\n',
    'CRLF': 'a: b\r\nc: d\r\n',
    'a BOM': '\uFEFFa: b\n',
    'a duplicate key': 'a: 1\na: 2\n',
    'a prototype key': '__proto__: {x: 1}\n',
    'only comments': '# nothing\n',
    'a syntax error': 'a: [1, 2\n',
    'nesting deeper than the limit': 'a: ' + '['.repeat(70) + ']'.repeat(70) + '\n',
  };
  for (const [name, text] of Object.entries(declined)) {
    it(`declines ${name}`, () => expect(quickParse(text)).toBeUndefined());
  }

  it('finds where the content starts as yaml does', () => {
    for (const text of ['a: 1\n', '\n\n# c\n  a: 1\n', '---\n# c\nkind: X\n', '--- # start\nkind: X\n']) {
      const doc = parseDocument(text);
      const before = text.slice(0, doc.contents!.range![0]).split('\n');
      expect(contentStart(text)).toEqual({ line: before.length, column: before[before.length - 1]!.length + 1 });
    }
  });
});

describe('campaignctl.yaml through the quick lane', () => {
  const isValid = quickValidators(packageSchemasDir());
  const configs = [path.join(ROOT, 'campaignctl.yaml'), ...yamlFiles(path.join(ROOT, 'test/fixtures')).filter((f) => f.endsWith('campaignctl.yaml') || f.endsWith('.config.yaml'))];
  const noSchemas = () => {
    throw new Error('the schemas were compiled for a config the quick lane should take');
  };

  it('gives the config the full lane gives, with its positions parsed when first asked', () => {
    let quick = 0;
    for (const f of configs) {
      const text = readFileSync(f, 'utf8');
      let checked: ReturnType<typeof checkConfigFile>;
      try {
        checked = checkConfigFile(text, noSchemas, isValid);
      } catch {
        continue; // a config with a schema problem: the full lane's, compiled schemas and all
      }
      if (checked.positions !== undefined) continue;
      quick++;
      expect(checked.valid, f).toBe(true);
      expect(checked.config, f).toEqual(parseDocument(text).toJS());
      expect(configPositions(null, text)(), f).toEqual(parseFile('campaignctl.yaml', text).documents[0]!.positions);
    }
    expect(quick).toBeGreaterThanOrEqual(3);
  });

  it('leaves a config with a problem to yaml, positions and all', () => {
    const text = 'environments:\n  prod:\n    provider: clevertap\n    accountTimezone: Europe/Berlinn\n';
    const checked = checkConfigFile(text, loadSchemas, isValid);
    expect(checked.positions).toBeDefined();
    expect(checked.diagnostics.map((d) => [d.code, d.line])).toEqual([['time.invalid-zone', 4]]);
  });
});
