/**
 * The quick lane of the per-file pipeline. yaml's parseDocument builds a node tree with the source
 * span of every node, which is what located diagnostics need, but it is ~10x slower than js-yaml's
 * loadAll on campaign files, and a file that is valid needs no position at all. So a file is first
 * read with js-yaml, under a schema that resolves plain scalars exactly as yaml's core schema does;
 * if it is one ordinary document that passes its schema, that is the result. Anything else, every
 * file with a problem and every file using a YAML feature where the two libraries could disagree
 * (tags, anchors and aliases, complex or null keys, directives, several documents, tabs, CR, BOM,
 * control characters), takes the full lane (./check-file.ts), which reports with yaml's positions.
 * Declining only costs time: the full lane is always right.
 *
 * The quick lane records no positions; `locate` parses a file with yaml the first time a
 * diagnostic needs one of its positions (./locator.ts). test/config/quick-parse.test.ts checks that
 * both lanes agree on every YAML file of the repository.
 */
import { FAILSAFE_SCHEMA, Type, loadAll } from 'js-yaml';
import type { CheckedFile } from './check-file.js';
import { KINDS, type Kind } from '../model/resource.js';
import { resourceOf } from './documents.js';
import { FORBIDDEN_KEYS, MAX_DEPTH, MAX_FILE_BYTES } from './guards.js';
import type { IsValid } from './quick-validators.js';
import { isRecord } from '../model/record.js';

/**
 * yaml's core schema (yaml/dist/schema/core): the test of each implicit tag. Constants, not literals
 * inside the resolvers: a regular expression literal makes a new RegExp object each time it is
 * evaluated, and the resolvers run for every plain scalar of every file (about 3 million calls on
 * the bench's 10,000 files: ~150 MB of RegExp objects for the collector, out of ~890 MB a cold
 * plan allocated in all).
 */
const CORE_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const CORE_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const CORE_INT = /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const CORE_FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * Whether a plain scalar could be a number of the core schema: each numeric pattern above starts
 * with a digit, a sign or a dot. js-yaml offers every plain scalar, keys included, to every
 * implicit tag in turn; looking at one character (and, below, at the length) first leaves most of
 * them, words such as `push` or `title`, without running any pattern (~10% of js-yaml's time on
 * the bench's 10,000 files).
 */
function mayBeNumber(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b /* + */ || c === 0x2d /* - */ || c === 0x2e /* . */;
}

/** yaml's core schema, the tests above and the values of each implicit tag. */
const CORE_AS_YAML = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      // '', '~' or null/Null/NULL: lengths 0, 1 and 4 only.
      resolve: (s: string | null) => s === null || ((s.length <= 1 || s.length === 4) && CORE_NULL.test(s)),
      construct: () => null,
    }),
    new Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      // true/True/TRUE or false/False/FALSE: lengths 4 and 5 only.
      resolve: (s: string | null) => s !== null && (s.length === 4 || s.length === 5) && CORE_BOOL.test(s),
      construct: (s: string) => s[0] === 't' || s[0] === 'T',
    }),
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (s: string | null) => s !== null && mayBeNumber(s) && CORE_INT.test(s),
      construct: (s: string) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
    }),
    new Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (s: string | null) => s !== null && mayBeNumber(s) && (CORE_FLOAT_SPECIAL.test(s) || CORE_FLOAT_EXP.test(s) || CORE_FLOAT.test(s)),
      construct: (s: string) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s.slice(-3).toLowerCase() === 'inf' ? (s[0] === '-' ? -Infinity : Infinity) : parseFloat(s)),
    }),
  ],
});

/**
 * Text the quick lane leaves to yaml: tags, anchors/aliases, explicit `? ` keys, flow collections
 * used as keys, directives, tabs, CR, a BOM, control characters. Deliberately broad (`a: *bold*`
 * in a message declines too): a false alarm costs a slower parse, never a wrong result.
 *
 * A tag, anchor or alias can only start where a node starts: at the start of a line (after its
 * indentation), after `-` (a sequence entry, `---`), `:` (a value, also `"a":*x` in flow), `?` (an
 * explicit key, also inside a flow collection), or `[`, `{` and `,` (flow entries), each with
 * optional spaces. Looking only there keeps quoted cron expressions such as `"30 18 * * *"` in the
 * quick lane (a third of the Schedules of the mixed bench corpus declined before): their `*`
 * follows a space inside a scalar, where no node starts.
 */
const DECLINE: [needs: string, pattern: RegExp][] = [
  ['!&*', /(?:^|[-:?[{,])[ ]*(?:!|[&*]\S)/m], // tag (a bare `!` too), anchor, alias
  ['?', /^[ ]*(?:- +)*\?(?: |$)/m], // explicit key
  [']', /\]\s*:/], // [a]: b (a flow mapping as a key shows as '[object Object]', see plainTree)
  ['%', /^%/m], // directive
  // eslint-disable-next-line no-control-regex -- finding control characters is what this pattern is for
  ['', /[\t\r\uFEFF\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/], // tab, CR, BOM, control characters
];

/**
 * True when a DECLINE pattern matches. Each pattern is tried only when the text holds one of the
 * characters it can not match without (`needs`; empty: always tried): a search for one character
 * is much cheaper than a pattern that may start anywhere, and most files hold none (~20 ms of a
 * 10,000-file cold load, in process).
 */
function declined(text: string): boolean {
  for (const [needs, pattern] of DECLINE) {
    if (needs !== '' && !holdsAny(text, needs)) continue;
    if (pattern.test(text)) return true;
  }
  return false;
}

function holdsAny(text: string, chars: string): boolean {
  for (let i = 0; i < chars.length; i++) if (text.includes(chars[i]!)) return true;
  return false;
}
const MARKER = /^(?:---|\.\.\.)(?=\s|$)/gm;
const LEADING_MARKER = /^--- *(?:#[^\n]*)?(?:\n|$)/;

/**
 * The checked file, or undefined when the full lane must decide. `jsonExact`: JSON gives every
 * value of it back as it is (no NaN, infinity or -0 in it: see plainTree), so the cache's encoding
 * need not walk it again to find out (./cache-blob.ts, knownJsonExact).
 */
export function quickCheck(file: string, text: string, isValid: IsValid): (CheckedFile & { jsonExact: boolean }) | undefined {
  const parsed = quickParse(text);
  if (!parsed) return undefined;
  const value = parsed.value;
  if (!isRecord(value) || typeof value.kind !== 'string' || !(KINDS as readonly string[]).includes(value.kind)) return undefined;
  if (!isValid(value.kind as Kind, value)) return undefined;
  const resource = resourceOf(file, { index: 0, line: parsed.line, column: parsed.column }, value);
  return resource ? { file, resources: [resource], diagnostics: [], positions: new Map(), jsonExact: parsed.jsonExact } : undefined;
}

/**
 * The one document of `text` as yaml's `toJS()` gives it, and where its content starts; undefined
 * when the text is not for the quick lane (see DECLINE) or js-yaml finds a problem.
 */
export function quickParse(text: string): { value: unknown; line: number; column: number; jsonExact: boolean } | undefined {
  if (text.length * 3 > MAX_FILE_BYTES && Buffer.byteLength(text, 'utf8') > MAX_FILE_BYTES) return undefined;
  if (declined(text)) return undefined;
  // Most files hold neither: a search for the text is much cheaper than the multiline pattern.
  const markers = text.includes('---') || text.includes('...') ? text.match(MARKER) : null;
  if (markers && (markers.length > 1 || !LEADING_MARKER.test(text))) return undefined;
  const start = contentStart(text);
  if (!start) return undefined;
  let documents: unknown[];
  let warned = false;
  try {
    documents = loadAll(text, undefined, { schema: CORE_AS_YAML, onWarning: () => (warned = true) });
  } catch {
    return undefined;
  }
  // Only an anchor (`&`) lets two places hold one object; without one in the text there is nothing to meet twice.
  const walk: TreeWalk = { seen: text.includes('&') ? new Set() : undefined, jsonExact: true };
  if (warned || documents.length !== 1 || !plainTree(documents[0], 1, walk)) return undefined;
  return { value: documents[0], ...start, jsonExact: walk.jsonExact };
}

/**
 * Where yaml's document contents begin: the first line that is not blank, a comment or the
 * leading `---` (1-based line and column).
 */
export function contentStart(text: string): { line: number; column: number } | undefined {
  let line = 0;
  let pos = 0;
  while (pos < text.length) {
    line++;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let first = pos;
    while (first < end && text.charCodeAt(first) === 0x20) first++;
    const blank = first === end || text.charCodeAt(first) === 0x23; /* # */
    if (!blank && !(line === 1 && LEADING_MARKER.test(text))) return { line, column: first - pos + 1 };
    pos = end + 1;
  }
  return undefined;
}

/**
 * What plainTree found so far: the objects met (an alias would meet one twice; undefined when the
 * text defines no anchor, so none can be met twice), and whether JSON keeps every value.
 */
interface TreeWalk {
  seen: Set<object> | undefined;
  jsonExact: boolean;
}

/**
 * The guards of the full lane (depth, prototype keys) plus what yaml would turn into another key
 * (a null key is '' for yaml, 'null' for js-yaml; a mapping as a key is '{ a: 1 }' for yaml,
 * '[object Object]' for js-yaml) or a shared object (an alias): true when none.
 */
function plainTree(value: unknown, depth: number, walk: TreeWalk): boolean {
  if (typeof value !== 'object' || value === null) {
    // The only values of this schema JSON would change: .nan, .inf, -.inf and -0 (not a reason to decline).
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) walk.jsonExact = false;
    return true;
  }
  const { seen } = walk;
  if (depth > MAX_DEPTH || seen?.has(value)) return false;
  seen?.add(value);
  if (Array.isArray(value)) return value.every((v) => plainTree(v, depth + 1, walk));
  for (const key of Object.keys(value)) {
    if (key === '' || key === 'null' || key.length > 1024 || key.includes('[object Object]') || FORBIDDEN_KEYS.has(key)) return false;
    if (!plainTree((value as Record<string, unknown>)[key], depth + 1, walk)) return false;
  }
  return true;
}
