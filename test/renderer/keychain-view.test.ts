// What the unlock screen and the header say about the OS keychain, without a browser.
import { describe, expect, it } from 'vitest';
import {
  keychainRefusal,
  keychainUnlockFailure,
  offersKeychain,
  rememberedNotice,
} from '../../renderer/src/features/session/keychain-view.ts';

describe('the keychain controls', () => {
  it('offer the keychain only when the transport says it is available', () => {
    expect(offersKeychain(null)).toBe(false);
    expect(offersKeychain({ available: false, message: 'only in the desktop app' })).toBe(false);
    expect(offersKeychain({ available: true, message: null })).toBe(true);
  });

  it('say why the desktop app offers none, and say nothing about it in the browser host', () => {
    const plaintext = { available: false, message: 'No secure keychain was found ("basic_text")' };
    expect(keychainRefusal(plaintext, true)).toContain('basic_text');
    expect(keychainRefusal(plaintext, false)).toBeNull();
    expect(keychainRefusal({ available: true, message: null }, true)).toBeNull();
    expect(keychainRefusal(null, true)).toBeNull();
  });

  it("show the keychain's own refusals as they are and a wrong key as a plain sentence", () => {
    const plaintext = 'No secure keychain was found: the keychain is refused. Sign in with your passphrase instead.';
    expect(keychainUnlockFailure({ code: 'keychain-plaintext', message: plaintext })).toBe(plaintext);
    expect(keychainUnlockFailure({ code: 'unauthenticated', message: '/tmp/x.keys.json: no key slot' })).toBe(
      "This device's keychain does not open the workstation for that user id. Sign in with your passphrase.",
    );
    expect(keychainUnlockFailure({ code: 'transport', message: 'gone' })).toMatch(/gone.*passphrase/);
    expect(rememberedNotice('kwallet5')).toMatch(/kwallet5.*passphrase still works/);
  });
});
