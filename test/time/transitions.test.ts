/**
 * zoneTransitions answers from transitions kept per zone and 28-day span, each sampled with one
 * Intl `format` call: the answer must be the one the plain path gives (sampling the request itself
 * every 6 hours with offsetMsAt), whatever the range and however the spans were filled before.
 */
import { describe, expect, it } from 'vitest';
import { zoneTransitions, type ZoneTransition } from '../../src/time/transitions.js';
import { offsetMsAt } from '../../src/time/zone.js';

/** The plain path: the request sampled every 6 hours with offsetMsAt, each change narrowed to the second. */
function plain(zone: string, from: number, until: number): ZoneTransition[] {
  const step = 6 * 3_600_000;
  const out: ZoneTransition[] = [];
  let t = from;
  let offset = offsetMsAt(t, zone);
  while (t < until) {
    const next = Math.min(t + step, until);
    const nextOffset = offsetMsAt(next, zone);
    if (nextOffset !== offset) {
      let a = Math.floor(t / 1000);
      let b = Math.ceil(next / 1000);
      while (b - a > 1) {
        const mid = Math.floor((a + b) / 2);
        if (offsetMsAt(mid * 1000, zone) === nextOffset) b = mid;
        else a = mid;
      }
      out.push({ at: b * 1000, offsetBefore: offset, offsetAfter: nextOffset });
    }
    t = next;
    offset = nextOffset;
  }
  return out;
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Europe/London', 'Australia/Lord_Howe', 'Africa/Casablanca', 'America/Santiago', 'Pacific/Chatham', 'Africa/Monrovia', 'Asia/Calcutta', 'UTC'];

describe('zoneTransitions', () => {
  it('gives what sampling the request itself gives, for odd ranges in many zones', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const zone of ZONES) {
      for (let k = 0; k < 4; k++) {
        // Whole seconds and odd milliseconds, from 1968 (Monrovia's -00:44:30) to 2040.
        const from = Date.UTC(1968, 0, 1) + Math.floor(random() * 72 * 365 * 86_400_000);
        const until = from + Math.floor(random() * 3 * 365 * 86_400_000);
        expect(zoneTransitions(zone, from, until), `${zone} ${new Date(from).toISOString()}`).toEqual(plain(zone, from, until));
      }
    }
  });

  it('a range that starts or ends exactly on a transition, or is empty', () => {
    const spring = Date.UTC(2027, 2, 28, 1); // Berlin's clocks go forward
    const autumn = Date.UTC(2026, 9, 25, 1);
    const z = 'Europe/Berlin';
    for (const [from, until] of [[spring, spring + 86_400_000], [spring - 86_400_000, spring], [autumn - 1, spring + 1], [spring, spring], [spring + 5, spring - 5], [autumn - 999, autumn + 1]]) {
      expect(zoneTransitions(z, from!, until!)).toEqual(plain(z, from!, until!));
    }
    expect(zoneTransitions(z, spring - 1000, spring).map((t) => t.at)).toEqual([spring]);
    expect(zoneTransitions(z, spring, spring + 1000)).toEqual([]);
  });

  it('an unknown zone throws as offsetMsAt does', () => {
    expect(() => zoneTransitions('Mars/Olympus', 0, 86_400_000)).toThrow(RangeError);
  });
});
