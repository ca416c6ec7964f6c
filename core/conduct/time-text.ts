// Instants as the lifecycle writes them: ISO 8601 in UTC for machines, "2026-12-08 14:02:17 UTC" for people.

const SECOND_MS = 1_000;

/** Milliseconds since the epoch of an ISO 8601 instant (the lifecycle's times all end in Z). */
export const msOf = (instant: string): number => Date.parse(instant);

/** The ISO 8601 UTC text of an instant: 2026-12-08T14:02:00.000Z. */
export const isoOf = (instantMs: number): string => new Date(instantMs).toISOString();

/**
 * "2026-12-08 14:02:17 UTC", or "2026-12-08 14:02 UTC" when the seconds are zero: to the second, as the countdown beside
 * it counts (decision 0237). A fraction of a second is rounded up, so a person who acts at the time shown is never early.
 */
export const utcText = (instantMs: number): string => {
  const iso = isoOf(Math.ceil(instantMs / SECOND_MS) * SECOND_MS);
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`} UTC`;
};

/**
 * "2 h 05 min 17 s", "4 min 09 s", "17 s": what is left, to the second (a fraction rounded up), the same text in a
 * refusal, a due-soon line and the workstation's live countdown (decision 0237).
 */
export const durationText = (ms: number): string => {
  const total = Math.max(0, Math.ceil(ms / SECOND_MS));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (hours > 0) return `${hours} h ${pad(minutes)} min ${pad(seconds)} s`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
  return `${seconds} s`;
};

/** "24 hours", "1.5 hours": a period from the policy, as the rule states it. */
export const hoursText = (hours: number): string => `${hours} ${hours === 1 ? 'hour' : 'hours'}`;

/** "24-hour", as an adjective: "the 24-hour cooling-off". */
export const hoursAdjective = (hours: number): string => `${hours}-hour`;
