// The unlock screen: a user id and passphrase open the workstation (session.unlock); shown again after Lock. Where the
// OS keychain is available (Electron, remembered on this device) a second button unlocks from it; the passphrase always
// works.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import { hasLaunchToken, runsInDesktopApp } from '../../api/client.ts';
import { keychainRefusal, offersKeychain } from './keychain-view.ts';
import { useSession } from './session-store.ts';

export const UnlockScreen = (): ReactElement => {
  const { busy, error, lastUserId, unlock, keychain, loadKeychainStatus, unlockWithKeychain } = useSession();
  const [userId, setUserId] = useState(lastUserId);
  const [passphrase, setPassphrase] = useState('');
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    (lastUserId ? passRef : userRef).current?.focus();
  }, [lastUserId]);

  useEffect(() => {
    if (hasLaunchToken()) void loadKeychainStatus();
  }, [loadKeychainStatus]);

  const refusal = keychainRefusal(keychain, runsInDesktopApp());
  const unlockFromKeychain = (): void => {
    void unlockWithKeychain(userId.trim()).then((ok) => {
      if (!ok) passRef.current?.focus();
    });
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void unlock(userId.trim(), passphrase).then((ok) => {
      if (!ok) {
        setPassphrase('');
        passRef.current?.focus();
      }
    });
  };

  return (
    <main className="unlock" aria-labelledby="unlock-title">
      <form className="unlock-card" onSubmit={submit} noValidate>
        <h1 id="unlock-title">Perimeter workstation</h1>
        <p className="muted">Sign in to unlock the encrypted workstation.</p>
        {!hasLaunchToken() && (
          <p role="alert" className="error">
            This page was opened without its launch token. Open the address printed by <code>perimeter serve</code>.
          </p>
        )}
        <label htmlFor="unlock-user">User id</label>
        <input
          id="unlock-user"
          ref={userRef}
          name="username"
          autoComplete="username"
          value={userId}
          onChange={(event) => setUserId(event.target.value)}
          required
        />
        <label htmlFor="unlock-passphrase">Passphrase</label>
        <input
          id="unlock-passphrase"
          ref={passRef}
          name="password"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
          required
        />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || userId.trim() === '' || passphrase === ''}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
        {offersKeychain(keychain) && (
          <div className="keychain-unlock">
            <button type="button" onClick={unlockFromKeychain} disabled={busy || userId.trim() === ''}>
              Unlock with OS keychain
            </button>
            <p className="muted">Works once you have chosen “Remember on this device” after a passphrase sign-in.</p>
          </div>
        )}
        {refusal !== null && <p className="muted keychain-refusal">{refusal}</p>}
      </form>
    </main>
  );
};
