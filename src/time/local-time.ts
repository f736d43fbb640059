/** How fire times read to people: local wall-clock time with its offset, beside the UTC instant. */
import { pad, WEEKDAY_NAMES } from './calendar.js';
import { formatOffset, offsetMinutes, zonedParts } from './zone.js';

/** `09:00`, or `09:00:15` when the seconds are not zero. */
export function clockText(hour: number, minute: number, second: number): string {
  return `${pad(hour)}:${pad(minute)}${second ? `:${pad(second)}` : ''}`;
}

/** `Mon 2026-03-09 03:00 -04:00`: the instant as `zone`'s clocks show it, with the offset. */
export function localFireText(t: Date, zone: string): string {
  const p = zonedParts(t, zone);
  const date = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  return `${WEEKDAY_NAMES[p.weekday]!.slice(0, 3)} ${date} ${clockText(p.hour, p.minute, p.second)} ${formatOffset(offsetMinutes(t, zone))}`;
}

/** `03:00 -04:00`: the local time and offset only. */
export function localClockText(t: Date, zone: string): string {
  const p = zonedParts(t, zone);
  return `${clockText(p.hour, p.minute, p.second)} ${formatOffset(offsetMinutes(t, zone))}`;
}

/** `2026-03-09T07:00:00Z`: the UTC instant without milliseconds (fires are whole seconds). */
export function utcText(t: Date): string {
  const iso = t.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
