/**
 * Calendar and time-zone primitives, as render (and code written against render) imports them.
 * They live in src/time/, shared with the planner, the config rules and the sandbox.
 */
export {
  MONTH_NAMES,
  WEEKDAY_NAMES,
  addDays,
  daysInMonth,
  isValidClock,
  isValidDate,
  isoWeek,
  pad,
} from '../time/calendar.js';
export {
  formatOffset,
  isValidTimeZone,
  isoInZone,
  localToInstant,
  offsetMinutes,
  zoneOffsetMs,
  zonedParts,
  type LocalDateTime,
  type LocalResolution,
  type ZonedParts,
} from '../time/zone.js';
