// What the OS-keychain controls say: pure, so Node tests check the wording the unlock screen and header show.
import type { ApiError } from '../../../../core/api/envelope.ts';

export type KeychainStatus = { readonly available: boolean; readonly message: string | null };

/** The keychain button exists only where the transport says the keychain can be used (never in the browser host). */
export const offersKeychain = (status: KeychainStatus | null): boolean => status?.available === true;

/**
 * Why the desktop app offers no keychain (none, or a plaintext one that counts as none), or null. The browser host
 * never has one, so it says nothing about it there.
 */
export const keychainRefusal = (status: KeychainStatus | null, desktop: boolean): string | null =>
  desktop && status !== null && !status.available ? status.message : null;

/**
 * A failed keychain sign-in, in words a person can act on. The keychain's own refusals (no keychain, a plaintext
 * backend, no slot for this user, a damaged slot) already say so and that the passphrase still works.
 */
export const keychainUnlockFailure = (error: ApiError): string => {
  if (error.code === 'unauthenticated')
    return "This device's keychain does not open the workstation for that user id. Sign in with your passphrase.";
  if (error.code === 'transport' || error.code === 'invalid_response' || error.code === 'internal')
    return `The keychain sign-in failed: ${error.message}. Sign in with your passphrase.`;
  return error.message;
};

/** The header's answer after "Remember on this device" or "Forget on this device". */
export const rememberedNotice = (backend: string): string =>
  `This device now unlocks the workstation for you from its OS keychain (${backend}). Your passphrase still works.`;
export const FORGOTTEN_NOTICE = 'This device no longer remembers you: sign in with your passphrase next time.';
