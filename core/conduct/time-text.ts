// Instants as the lifecycle writes them: ISO 8601 in UTC for machines, "2026-12-08 14:02 UTC" for people.

const MINUTE_MS = 60_000;

/** Milliseconds since the epoch of an ISO 8601 instant (the lifecycle's times all end in Z). */
export const msOf = (instant: string): number => Date.parse(instant);

/** The ISO 8601 UTC text of an instant: 2026-12-08T14:02:00.000Z. */
export const isoOf = (instantMs: number): string => new Date(instantMs).toISOString();

/**
 * "2026-12-08 14:02 UTC". A time with seconds is rounded up to the next minute, so a person told "ends 14:02" who acts
 * at 14:02 is never early.
 */
export const utcText = (instantMs: number): string => {
  const iso = isoOf(Math.ceil(instantMs / MINUTE_MS) * MINUTE_MS);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
};

/** "23 h 59 min", "2 days 3 h 5 min" (rounded up to the minute), for countdowns. */
export const durationText = (ms: number): string => {
  const minutes = Math.max(0, Math.ceil(ms / MINUTE_MS));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days > 0 ? `${days} ${days === 1 ? 'day' : 'days'}` : '',
    hours > 0 ? `${hours} h` : '',
    rest > 0 || (days === 0 && hours === 0) ? `${rest} min` : '',
  ];
  return parts.filter((part) => part !== '').join(' ');
};

/** "24 hours", "1.5 hours": a period from the policy, as the rule states it. */
export const hoursText = (hours: number): string => `${hours} ${hours === 1 ? 'hour' : 'hours'}`;

/** "24-hour", as an adjective: "the 24-hour cooling-off". */
export const hoursAdjective = (hours: number): string => `${hours}-hour`;
