/**
 * Splits a template string into the parts campaignctl renders (Handlebars) and the parts CleverTap
 * renders (Liquid), by the rule in DESIGN.md section 1. Liquid is:
 *   - any `{% ... %}` tag (a `{% raw %}` / `{% comment %}` block is one segment up to its end tag);
 *   - any `{{ ... }}` whose first path segment is a CleverTap namespace (Profile, Event, ...);
 *   - any `{{ ... }}` holding a `|` filter (outside quotes);
 *   - any `{{- ... -}}` (whitespace control with `-` exists only in Liquid; Handlebars uses `~`);
 *   - any `{{ x ... }}` where `x` was bound by a Liquid tag earlier in the string (`for x in`,
 *     `tablerow x in`, `assign x =`, `capture x`, and `forloop` / `tablerowloop`): without this the
 *     documented loop `{% for p in ExternalTrigger.items %}{{ p.name }}{% endfor %}` would be read as
 *     Handlebars.
 * Everything else, including `{{{ }}}`, `{{# }}`/`{{/ }}` blocks, `{{> }}` partials and `{{! }}`
 * comments, is Handlebars. The scanner only locates segments; it never changes a byte.
 */

export const LIQUID_NAMESPACES = [
  'Profile',
  'Event',
  'ExternalTrigger',
  'Linked',
  'Campaign',
  'Catalog',
  'Recommendation',
] as const;

const NAMESPACES: ReadonlySet<string> = new Set(LIQUID_NAMESPACES);

export interface LiquidSegment {
  /** Offset of the first character (`{`) in the source. */
  start: number;
  /** Offset just past the last character. */
  end: number;
  kind: 'output' | 'tag' | 'block';
  /** For tags and blocks: the tag name (`if`, `endfor`, `raw`, ...). */
  tag?: string;
}

/** A problem found while scanning or balancing Liquid; offsets are into the source string. */
export interface LiquidProblem {
  start: number;
  end: number;
  /** The tag at fault (`if`, `endfor`, `{%`). */
  tag: string;
  /** What is wrong with it, for the catalogue's `liquid.unbalanced` message. */
  detail: string;
}

export interface SplitTemplate {
  liquid: LiquidSegment[];
  /** True when some `{{` outside Liquid remains, i.e. Handlebars has work to do. */
  hasHandlebars: boolean;
  problems: LiquidProblem[];
}

/**
 * Finds `close` from `from`, skipping quoted strings (so `"}}"` inside a filter argument does not
 * end it). An unbalanced quote must not swallow the rest of the string: when the quote-aware end
 * lies beyond the next opening delimiter, the plain first `close` wins.
 */
function findClose(src: string, from: number, close: string): number {
  const quoted = findCloseQuoted(src, from, close);
  const plain = src.indexOf(close, from);
  if (quoted === plain) return plain;
  const nextOpen = Math.min(...['{{', '{%'].map((o) => src.indexOf(o, from)).filter((i) => i >= 0), Infinity);
  return quoted < 0 || (quoted > nextOpen && plain < nextOpen) ? plain : quoted;
}

function findCloseQuoted(src: string, from: number, close: string): number {
  let quote: string | undefined;
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    if (src.startsWith(close, i)) return i;
  }
  return -1;
}

function hasPipeOutsideQuotes(text: string): boolean {
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '|') return true;
  }
  return false;
}

/** `{%- if x -%}` -> `if`. */
function tagName(inner: string): string {
  const m = /^-?\s*([A-Za-z_]\w*)/.exec(inner);
  return m ? m[1] : '';
}

const END_TAG = /\{%-?\s*end(raw|comment)\s*-?%\}/g;

/** Names a Liquid tag binds, so later `{{ name.x }}` is Liquid. */
function boundNames(tag: string, inner: string): string[] {
  const body = inner.replace(/^-?\s*/, '');
  let m: RegExpExecArray | null;
  if ((tag === 'for' || tag === 'tablerow') && (m = /^\w+\s+([A-Za-z_]\w*)\s+in\b/.exec(body))) {
    return [m[1], tag === 'for' ? 'forloop' : 'tablerowloop'];
  }
  if ((tag === 'assign' || tag === 'capture' || tag === 'increment' || tag === 'decrement') &&
      (m = /^\w+\s+([A-Za-z_]\w*)/.exec(body))) {
    return [m[1]];
  }
  return [];
}

function isHandlebarsSigil(inner: string): boolean {
  // Block open/close, inverse, partial, comment, unescaped `&`, decorator, `else`.
  return /^[#/^>!&*]/.test(inner) || /^else(\s|$)/.test(inner);
}

function firstPathSegment(inner: string): string {
  const m = /^([A-Za-z_][\w]*)/.exec(inner);
  return m ? m[1] : '';
}

/** Classifies the inside of a `{{ ... }}` (without the braces). */
function isLiquidOutput(rawInner: string, bound: ReadonlySet<string>): boolean {
  if (rawInner.startsWith('-') || rawInner.endsWith('-')) return true;
  if (rawInner.startsWith('~') || rawInner.endsWith('~')) return false;
  const inner = rawInner.trim();
  if (isHandlebarsSigil(inner)) return false;
  if (hasPipeOutsideQuotes(inner)) return true;
  const first = firstPathSegment(inner);
  return NAMESPACES.has(first) || bound.has(first);
}

/** Number of backslashes right before `at`: odd means `\{{` (Handlebars' literal mustache). */
function escapedAt(src: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= 0 && src[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

export function splitTemplate(src: string): SplitTemplate {
  const liquid: LiquidSegment[] = [];
  const problems: LiquidProblem[] = [];
  const bound = new Set<string>();
  let hasHandlebars = false;
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{', i);
    if (open < 0 || open + 1 >= src.length) break;
    const next = src[open + 1];
    if (next === '%') {
      const close = findClose(src, open + 2, '%}');
      if (close < 0) {
        problems.push({
          start: open,
          end: src.length,
          tag: '{%',
          detail: 'the tag is never closed with `%}`',
        });
        break;
      }
      const inner = src.slice(open + 2, close);
      const tag = tagName(inner);
      let end = close + 2;
      if (tag === 'raw' || tag === 'comment') {
        END_TAG.lastIndex = end;
        let m: RegExpExecArray | null;
        let found = -1;
        while ((m = END_TAG.exec(src))) {
          if (m[1] === tag) {
            found = m.index + m[0].length;
            break;
          }
        }
        if (found < 0) {
          problems.push({
            start: open,
            end: close + 2,
            tag,
            detail: `no matching \`{% end${tag} %}\``,
          });
          end = src.length;
        } else end = found;
        liquid.push({ start: open, end, kind: 'block', tag });
      } else {
        liquid.push({ start: open, end, kind: 'tag', tag });
        for (const name of boundNames(tag, inner)) bound.add(name);
      }
      i = end;
      continue;
    }
    if (next !== '{') {
      i = open + 1;
      continue;
    }
    if (escapedAt(src, open)) {
      // `\{{` is Handlebars' literal mustache: Handlebars must run to drop the backslash.
      hasHandlebars = true;
      i = open + 2;
      continue;
    }
    // `{{{ ... }}}` and `{{! ... }}` comments belong to Handlebars.
    if (src[open + 2] === '{') {
      hasHandlebars = true;
      const close = src.indexOf('}}}', open + 3);
      i = close < 0 ? src.length : close + 3;
      continue;
    }
    if (src.startsWith('{{!--', open)) {
      hasHandlebars = true;
      const close = src.indexOf('--}}', open + 5);
      i = close < 0 ? src.length : close + 4;
      continue;
    }
    if (src[open + 2] === '!') {
      hasHandlebars = true;
      const close = src.indexOf('}}', open + 3);
      i = close < 0 ? src.length : close + 2;
      continue;
    }
    const close = findClose(src, open + 2, '}}');
    if (close < 0) {
      // Unterminated: leave it to Handlebars, whose parser reports it with a position.
      hasHandlebars = true;
      break;
    }
    const inner = src.slice(open + 2, close);
    if (isLiquidOutput(inner, bound)) liquid.push({ start: open, end: close + 2, kind: 'output' });
    else hasHandlebars = true;
    i = close + 2;
  }
  return { liquid, hasHandlebars, problems };
}

/** Liquid block tags and the tags allowed directly inside them. */
const BLOCKS: Record<string, readonly string[]> = {
  if: ['elsif', 'else'],
  unless: ['elsif', 'else'],
  case: ['when', 'else'],
  for: ['else', 'break', 'continue'],
  tablerow: ['break', 'continue'],
  capture: [],
};

const MIDDLE_TAGS = new Set(['elsif', 'else', 'when']);

/**
 * Checks that Liquid block tags open and close in order. CleverTap rejects unbalanced Liquid only
 * after the request is sent (or worse, renders it wrong), so it is an error here.
 */
export function checkLiquidBalance(src: string, segments: readonly LiquidSegment[]): LiquidProblem[] {
  const problems: LiquidProblem[] = [];
  const stack: LiquidSegment[] = [];
  for (const seg of segments) {
    if (seg.kind !== 'tag' || !seg.tag) continue;
    const tag = seg.tag;
    if (tag in BLOCKS) {
      stack.push(seg);
    } else if (tag.startsWith('end') && tag.slice(3) in BLOCKS) {
      const opener = tag.slice(3);
      const top = stack[stack.length - 1];
      if (top && top.tag === opener) {
        stack.pop();
      } else if (stack.some((s) => s.tag === opener)) {
        // Closes an outer block while an inner one is still open: blame the inner one.
        const inner = top as LiquidSegment;
        problems.push({
          start: inner.start,
          end: inner.end,
          tag: inner.tag as string,
          detail: `not closed before \`{% ${tag} %}\``,
        });
        while (stack.length && stack[stack.length - 1].tag !== opener) stack.pop();
        stack.pop();
      } else {
        problems.push({
          start: seg.start,
          end: seg.end,
          tag,
          detail: `no matching \`{% ${opener} %}\` before it`,
        });
      }
    } else if (MIDDLE_TAGS.has(tag)) {
      const top = stack[stack.length - 1];
      if (!top || !(BLOCKS[top.tag as string] ?? []).includes(tag)) {
        problems.push({
          start: seg.start,
          end: seg.end,
          tag,
          detail: tag === 'when' ? 'outside `{% case %}`' : 'outside any `{% if %}`, `{% unless %}`, `{% case %}` or `{% for %}`',
        });
      }
    }
  }
  for (const open of stack) {
    problems.push({
      start: open.start,
      end: open.end,
      tag: open.tag as string,
      detail: `no matching \`{% end${open.tag} %}\``,
    });
  }
  return problems.sort((a, b) => a.start - b.start);
}
