// Wrong passphrases, throttled per user and for the whole workstation (decision 0126): a few mistakes cost nothing,
// then each further attempt for that user waits twice as long as the last, and a burst of failures across all users
// stops every passphrase attempt for a while. A refused attempt runs no key derivation and changes no session.

export type PassphraseThrottleLimits = {
  /** After this many wrong passphrases in a row for one user, each attempt waits. */
  readonly failuresBeforeWait: number;
  /** The wait after that many; it doubles with each further wrong one. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** At most this many wrong passphrases (all users together) within globalWindowMs. */
  readonly globalFailures: number;
  readonly globalWindowMs: number;
};

export const PASSPHRASE_THROTTLE: PassphraseThrottleLimits = {
  failuresBeforeWait: 5,
  firstDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  globalFailures: 30,
  globalWindowMs: 5 * 60_000,
};

/** Users remembered at most (a flood of made-up ids must not grow memory); the global limit still holds. */
const USERS_REMEMBERED = 1_000;

export type PassphraseThrottle = {
  /** Null when an attempt for `userId` may go ahead now, else the message that refuses it. */
  readonly refusal: (userId: string, nowMs: number) => string | null;
  readonly failed: (userId: string, nowMs: number) => void;
  readonly succeeded: (userId: string) => void;
};

const seconds = (ms: number): string => `${Math.max(1, Math.ceil(ms / 1000))} s`;

export const createPassphraseThrottle = (limits: Partial<PassphraseThrottleLimits> = {}): PassphraseThrottle => {
  const rules = { ...PASSPHRASE_THROTTLE, ...limits };
  const users = new Map<string, { failures: number; waitUntil: number }>();
  let recent: number[] = [];

  const refusal = (userId: string, nowMs: number): string | null => {
    recent = recent.filter((at) => at > nowMs - rules.globalWindowMs);
    if (recent.length >= rules.globalFailures)
      return `too many wrong passphrases on this workstation: try again in ${seconds(recent[0]! + rules.globalWindowMs - nowMs)}`;
    const user = users.get(userId);
    if (user && user.waitUntil > nowMs)
      return `too many wrong passphrases for ${userId}: try again in ${seconds(user.waitUntil - nowMs)}`;
    return null;
  };

  const failed = (userId: string, nowMs: number): void => {
    recent.push(nowMs);
    const user = users.get(userId) ?? { failures: 0, waitUntil: 0 };
    user.failures += 1;
    const beyond = user.failures - rules.failuresBeforeWait;
    user.waitUntil =
      beyond >= 0 ? nowMs + Math.min(rules.maxDelayMs, rules.firstDelayMs * 2 ** Math.min(beyond, 30)) : 0;
    users.delete(userId);
    users.set(userId, user);
    if (users.size > USERS_REMEMBERED) users.delete(users.keys().next().value!);
  };

  return { refusal, failed, succeeded: (userId) => void users.delete(userId) };
};
