// Local time in an IANA time zone, through the runtime's Intl data: pure for a given instant, no dependency.
import { minutesOfDay } from '../policy/conduct.ts';
import type { OutreachHours, Weekday } from '../policy/conduct.ts';

export type LocalTime = {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: Weekday;
};

const MINUTE_MS = 60_000;
const UTC_DAY_TO_WEEKDAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;

// Building a formatter is slow and its answers never change: one per zone, made on first use.
const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat | undefined => {
  const known = formatters.get(timeZone);
  if (known) return known;
  try {
    const formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
    return formatter;
  } catch {
    // Intl refuses a zone it does not know with a RangeError.
    return undefined;
  }
};

/** Whether the runtime knows the zone: an IANA name such as Europe/London, America/New_York, Asia/Dubai or UTC. */
export const isTimeZone = (timeZone: string): boolean => timeZone.trim() !== '' && formatterFor(timeZone) !== undefined;

const WEEKDAY_OF: Readonly<Record<string, Weekday>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** The wall-clock time at an instant (milliseconds since the epoch) in a zone. Throws for a zone Intl does not know. */
export const localTimeOf = (instantMs: number, timeZone: string): LocalTime => {
  const formatter = formatterFor(timeZone);
  if (formatter === undefined) throw new RangeError(`unknown time zone "${timeZone}"`);
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(instantMs)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAY_OF[parts.weekday ?? ''] ?? 'mon',
  };
};

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
const offsetMsAt = (instantMs: number, timeZone: string): number => {
  const local = localTimeOf(instantMs, timeZone);
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return wall - Math.floor(instantMs / 1000) * 1000;
};

/**
 * The instant a wall-clock time of a local date has in a zone. In the hour a clock skips (spring forward) there is
 * no such instant: the answer then lies after the jump, and callers check what they got.
 */
const instantOfLocal = (year: number, month: number, day: number, minutes: number, timeZone: string): number => {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const first = wall - offsetMsAt(wall, timeZone);
  return wall - offsetMsAt(first, timeZone);
};

const minutesInto = (local: LocalTime): number => local.hour * 60 + local.minute + local.second / 60;

/** Whether an instant falls inside any of the hours (days and from–to, `to` exclusive) in the zone's local time. */
export const isInsideHours = (instantMs: number, timeZone: string, hours: readonly OutreachHours[]): boolean => {
  const local = localTimeOf(instantMs, timeZone);
  const minutes = minutesInto(local);
  return hours.some(
    (window) =>
      window.days.includes(local.weekday) && minutes >= minutesOfDay(window.from) && minutes < minutesOfDay(window.to),
  );
};

/**
 * The first instant at or after `instantMs` inside the hours: `instantMs` itself when it is inside. Looks a week and a
 * day ahead, which every window with at least one day reaches; undefined only for hours that never open.
 */
export const nextOpening = (
  instantMs: number,
  timeZone: string,
  hours: readonly OutreachHours[],
): number | undefined => {
  if (isInsideHours(instantMs, timeZone, hours)) return instantMs;
  const today = localTimeOf(instantMs, timeZone);
  let best: number | undefined;
  for (let offset = 0; offset <= 8; offset += 1) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day) + offset * DAY_MS);
    const weekday = UTC_DAY_TO_WEEKDAY[date.getUTCDay()] ?? 'mon';
    for (const window of hours) {
      if (!window.days.includes(weekday)) continue;
      let candidate = instantOfLocal(
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        minutesOfDay(window.from),
        timeZone,
      );
      // A window that opens inside a skipped hour opens when the clock lands: walk forward to the first inside minute.
      for (let step = 0; step < 180 && !isInsideHours(candidate, timeZone, [window]); step += 1)
        candidate = (Math.floor(candidate / MINUTE_MS) + 1) * MINUTE_MS;
      if (candidate < instantMs || !isInsideHours(candidate, timeZone, [window])) continue;
      if (best === undefined || candidate < best) best = candidate;
    }
    if (best !== undefined) return best;
  }
  return best;
};

/** "08:00–21:00 Mon–Fri" style text of hours, for messages. */
export const outreachHoursText = (hours: readonly OutreachHours[]): string =>
  hours.map((window) => `${window.from}–${window.to}${daysText(window.days)}`).join(', ');

const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const daysText = (days: readonly Weekday[]): string => {
  if (days.length === 7) return '';
  const key = days.join(',');
  if (key === 'mon,tue,wed,thu,fri') return ' Mon–Fri';
  return ` ${days.map((day) => DAY_NAMES[day]).join(', ')}`;
};

/** "HH:MM" of a local time, for messages. */
export const localClockText = (local: LocalTime): string =>
  `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
