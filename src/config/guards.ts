/**
 * Limits that keep a hostile or broken file from crashing or hanging the loader. Each trips a
 * located diagnostic instead: size (checked before parsing), nesting depth (a cheap scan before
 * parsing catches pathological flow/compact nesting that would exhaust the parser; the exact
 * depth is checked on the parsed tree), alias expansion (yaml's maxAliasCount) and keys that could
 * tamper with JavaScript prototypes.
 */
import { yamlLib } from './yaml-lib.js';

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIAS_COUNT = 100;
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The offset where nesting first exceeds `limit` through flow brackets or same-line `- `/`? `
 * indicators, or undefined. A character scan gives an upper bound for free; only when it exceeds
 * the limit does yaml's lexer (which knows quotes, comments and block scalars) give the exact answer.
 */
export function findExcessiveNesting(text: string, limit = MAX_DEPTH): number | undefined {
  if (!roughNestingExceeds(text, limit)) return undefined;
  const { CST, Lexer } = yamlLib();
  let offset = 0;
  let flow = 0;
  let indicators = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'flow-seq-start' || type === 'flow-map-start') {
      if (++flow > limit) return offset;
    } else if (type === 'flow-seq-end' || type === 'flow-map-end') {
      flow = Math.max(0, flow - 1);
    } else if (type === 'seq-item-ind' || type === 'explicit-key-ind') {
      if (++indicators + flow > limit) return offset;
    } else if (token.includes('\n')) {
      indicators = 0;
    }
    if (!isLexerMarker(type, token)) offset += token.length;
  }
  return undefined;
}

/** Zero-width markers the lexer yields that are not source text. */
function isLexerMarker(type: string | null, token: string): boolean {
  return token.length === 1 && (type === 'doc-mode' || type === 'flow-error-end' || type === 'scalar');
}

function roughNestingExceeds(text: string, limit: number): boolean {
  let flow = 0;
  let indicators = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) {
      if (++flow > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) {
      if (flow > 0) flow--;
    } else if (ch === 0x0a) {
      indicators = 0;
    } else if ((ch === 0x2d || ch === 0x3f) && (text.charCodeAt(i + 1) === 0x20 || text.charCodeAt(i + 1) === 0x0a)) {
      if (++indicators > limit) return true;
    }
  }
  return false;
}

/** 1-based line and column of an offset (only used on the rare guard paths). */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
