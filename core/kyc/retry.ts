// When a failed KYC delivery is tried again: exponential backoff with jitter, and the limit after which it is a dead
// letter (decision 0211). Pure: the random draw is passed in.

export type RetrySchedule = {
  /** The delay after the first failure, before jitter. */
  readonly baseMs: number;
  /** Each further failure multiplies the delay by this. */
  readonly factor: number;
  /** No delay exceeds this, before jitter. */
  readonly capMs: number;
  /** After this many failed attempts the event is dead-lettered. */
  readonly maxAttempts: number;
};

/**
 * 10 s, 20 s, 40 s … doubling to a cap of 6 h, 12 attempts (about 11 hours in all): past the Standard Webhooks
 * suggestion of retrying over a working day, short enough that a KYC desk learns of a dead endpoint the same day.
 */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  baseMs: 10_000,
  factor: 2,
  capMs: 6 * 60 * 60 * 1000,
  maxAttempts: 12,
};

/**
 * The delay before attempt `failures + 1`, after `failures` (≥ 1) failed attempts: "equal jitter", half the backoff
 * fixed and half drawn from `random` ∈ [0, 1), so many events failing together do not retry in step, and none retries
 * at once.
 */
export const retryDelayMs = (
  failures: number,
  random: number,
  schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE,
): number => {
  const backoff = Math.min(schedule.capMs, schedule.baseMs * schedule.factor ** Math.max(0, failures - 1));
  return Math.round(backoff / 2 + (backoff / 2) * Math.min(Math.max(random, 0), 1));
};

/** Whether an event that has failed `failures` times is given up. */
export const isExhausted = (failures: number, schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): boolean =>
  failures >= schedule.maxAttempts;
