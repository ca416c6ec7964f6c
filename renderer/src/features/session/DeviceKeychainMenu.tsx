// The header's "This device" menu (desktop app only): remember the signed-in user's key in the OS keychain of this
// device, or forget it; or, where the keychain is missing or plaintext, say why it is not offered.
import { useEffect } from 'react';
import type { ReactElement } from 'react';
import { runsInDesktopApp } from '../../api/client.ts';
import { keychainRefusal, offersKeychain } from './keychain-view.ts';
import { useSession } from './session-store.ts';

export const DeviceKeychainMenu = (): ReactElement | null => {
  const { keychain, busy, deviceNotice, loadKeychainStatus, rememberOnThisDevice, forgetOnThisDevice } = useSession();
  const desktop = runsInDesktopApp();

  useEffect(() => {
    if (desktop && keychain === null) void loadKeychainStatus();
  }, [desktop, keychain, loadKeychainStatus]);

  if (!desktop || keychain === null) return null;
  const refusal = keychainRefusal(keychain, desktop);
  return (
    <details className="device-menu">
      <summary>This device</summary>
      <div className="device-menu-panel">
        {offersKeychain(keychain) ? (
          <>
            <p>Unlock this workstation from this device&apos;s OS keychain, without typing your passphrase.</p>
            <div className="device-menu-actions">
              <button type="button" onClick={() => void rememberOnThisDevice()} disabled={busy}>
                Remember on this device
              </button>
              <button type="button" onClick={() => void forgetOnThisDevice()} disabled={busy}>
                Forget on this device
              </button>
            </div>
          </>
        ) : (
          <p>{refusal}</p>
        )}
        {deviceNotice?.kind === 'ok' && <p role="status">{deviceNotice.text}</p>}
        {deviceNotice?.kind === 'error' && (
          <p role="alert" className="error">
            {deviceNotice.text}
          </p>
        )}
      </div>
    </details>
  );
};
