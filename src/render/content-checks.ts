/**
 * Content checks on a rendered body, reported as warnings: push title/body lengths devices show,
 * and SMS size (encoding, characters, segments). Counts are of the text campaignctl sends; Liquid
 * is filled in later by CleverTap, so a text holding Liquid is counted as written and flagged
 * `approximate`.
 */
import { diagnostic } from '../diagnostics/catalogue.js';
import type { PathProblem } from '../time/when.js';

export const PUSH_TITLE_LIMIT = 65;
export const PUSH_BODY_LIMIT = 240;

// GSM 03.38 basic character set (the escape 0x1B excluded) and its extension table, whose
// characters take two septets (escape + character).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export interface SmsStats {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  characters: number;
  segments: number;
  /** Capacity of each segment: 160/153 (GSM-7) or 70/67 (UCS-2), single/multi-part. */
  perSegment: number;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return false;
  return true;
}

/**
 * Segments of an SMS. A multi-part message carries a header, leaving 153 septets (GSM-7) or 67
 * UTF-16 units (UCS-2) per part, and a two-unit character (an extension character, a surrogate
 * pair) is never split between parts, so parts are packed one character at a time.
 */
export function smsStats(text: string): SmsStats {
  const gsm = isGsm7(text);
  const cost = (ch: string) => (gsm ? (GSM_EXTENSION.has(ch) ? 2 : 1) : ch.length);
  // UCS-2 counts UTF-16 units: the string's own length. GSM-7 counts septets.
  let characters = gsm ? 0 : text.length;
  if (gsm) for (const ch of text) characters += cost(ch);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  if (characters <= single) return { encoding: gsm ? 'GSM-7' : 'UCS-2', characters, segments: characters === 0 ? 0 : 1, perSegment: single };
  let segments = 1;
  let used = 0;
  for (const ch of text) {
    const c = cost(ch);
    if (used + c > multi) {
      segments++;
      used = 0;
    }
    used += c;
  }
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', characters, segments, perSegment: multi };
}

function hasLiquid(text: string): boolean {
  return text.includes('{{') || text.includes('{%');
}

/** Characters as people count them (code points, so an emoji is one). */
function length(text: string): number {
  return [...text].length;
}

/**
 * True when `text` is longer than `limit` characters. A string has no more code points than
 * UTF-16 units, so one within the limit in units is within it in characters: only a longer one is
 * counted (10,000 campaigns' titles and bodies were each spread into an array to be counted).
 */
function longerThan(text: string, limit: number): boolean {
  return text.length > limit && length(text) > limit;
}

export interface ContentReport {
  warnings: PathProblem[];
  /** For `render` to print: the SMS size even when it fits one segment. */
  sms?: SmsStats & { approximate: boolean };
}

/** Checks rendered `content` of a channel. Paths are relative to `content`. */
export function checkContent(targetMode: string, content: Record<string, unknown>): ContentReport {
  const warnings: PathProblem[] = [];
  const report: ContentReport = { warnings };
  if (targetMode === 'push') {
    const { title, body } = content;
    if (typeof title === 'string' && longerThan(title, PUSH_TITLE_LIMIT)) {
      warnings.push({
        path: ['title'],
        diagnostic: diagnostic('content.push-title-too-long', { length: length(title), limit: PUSH_TITLE_LIMIT, approximate: hasLiquid(title) }),
      });
    }
    if (typeof body === 'string' && longerThan(body, PUSH_BODY_LIMIT)) {
      warnings.push({
        path: ['body'],
        diagnostic: diagnostic('content.push-body-too-long', { length: length(body), limit: PUSH_BODY_LIMIT, approximate: hasLiquid(body) }),
      });
    }
  }
  if (targetMode === 'sms' && typeof content.body === 'string') {
    const stats = smsStats(content.body);
    const approximate = hasLiquid(content.body);
    report.sms = { ...stats, approximate };
    if (stats.segments > 1) {
      warnings.push({ path: ['body'], diagnostic: diagnostic('content.sms-segments', { ...stats, approximate }) });
    }
  }
  return report;
}
