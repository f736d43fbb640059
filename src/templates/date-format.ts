/**
 * The `date` helper's formatter: a small moment-style token set, rendered in an IANA zone.
 * Tokens: YYYY YY MMMM MMM MM M DD D dddd ddd HH H hh h mm ss A a Z (+02:00) ZZ (+0200) W (ISO week);
 * text in [brackets] is literal.
 */
import { MONTH_NAMES, WEEKDAY_NAMES, isoWeek, pad } from '../time/calendar.js';
import { formatOffset, offsetMinutes, zonedParts } from '../time/zone.js';

const TOKEN = /\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|ss|A|a|ZZ|Z|W/g;

export function formatDate(instant: Date, format: string, zone: string): string {
  const p = zonedParts(instant, zone);
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return format.replace(TOKEN, (token: string, literal: string | undefined) => {
    if (literal !== undefined) return literal;
    switch (token) {
      case 'YYYY': return pad(p.year, 4);
      case 'YY': return pad(p.year % 100);
      case 'MMMM': return MONTH_NAMES[p.month - 1];
      case 'MMM': return MONTH_NAMES[p.month - 1].slice(0, 3);
      case 'MM': return pad(p.month);
      case 'M': return String(p.month);
      case 'DD': return pad(p.day);
      case 'D': return String(p.day);
      case 'dddd': return WEEKDAY_NAMES[p.weekday];
      case 'ddd': return WEEKDAY_NAMES[p.weekday].slice(0, 3);
      case 'HH': return pad(p.hour);
      case 'H': return String(p.hour);
      case 'hh': return pad(h12);
      case 'h': return String(h12);
      case 'mm': return pad(p.minute);
      case 'ss': return pad(p.second);
      case 'A': return p.hour < 12 ? 'AM' : 'PM';
      case 'a': return p.hour < 12 ? 'am' : 'pm';
      case 'Z': return formatOffset(offsetMinutes(instant, zone));
      case 'ZZ': return formatOffset(offsetMinutes(instant, zone), false);
      case 'W': return String(isoWeek(p));
      default: return token;
    }
  });
}

/**
 * Reads the `date` helper's input: a Date, epoch milliseconds, or an ISO 8601 string (a bare
 * `YYYY-MM-DD` is that calendar date at midnight UTC, so it formats as the same date in UTC).
 * Returns undefined when the value is not a date, so the helper can say so.
 */
export function toInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
    if (!m) return undefined;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    // Date.parse rolls 2026-02-31 over to March 3rd; an impossible date must stay an error.
    if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
    if (m[4] !== undefined && m[7] === undefined) return undefined; // a time without a zone is ambiguous
    const t = Date.parse(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : value.replace(' ', 'T'));
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  return undefined;
}
