// The users screen's key parts (decision 0037): rotating the database key (a dialog that says who will need
// re-enrolment and that the OS keychain sign-in is forgotten) and re-enrolling a user whose key slot was dropped.
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { FormEvent, ReactElement } from 'react';
import { MIN_REASON } from './users-form.ts';
import { InitialPassphraseForm } from './InitialPassphraseForm.tsx';
import type { UserFormProps } from './InitialPassphraseForm.tsx';
import { useUsers } from './users-store.ts';
import type { RotationView } from './users-store.ts';

const list = (ids: readonly string[]): string => (ids.length === 0 ? 'nobody' : ids.join(', '));

/** "Database key" section: what rotation does, and the button that opens its dialog. */
export const DatabaseKey = ({ me, onRotated }: { me: string; onRotated: (message: string) => void }): ReactElement => {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <section className="user-key" aria-labelledby="user-key-title">
      <h2 id="user-key-title">Database key</h2>
      <p className="muted">
        Rotate the key when a passphrase, a device or the key itself may be compromised: the database is re-encrypted
        under a new random key, and only your own key slot is kept. Everyone else must be re-enrolled by an operations
        admin before they can sign in again.
      </p>
      <button type="button" ref={opener} onClick={() => setOpen(true)}>
        Rotate database key…
      </button>
      {open &&
        createPortal(
          <RotateKeyDialog
            me={me}
            onRotated={onRotated}
            onClose={() => {
              setOpen(false);
              opener.current?.focus();
            }}
          />,
          document.body,
        )}
    </section>
  );
};

const RotateKeyDialog = (props: {
  readonly me: string;
  readonly onRotated: (message: string) => void;
  readonly onClose: () => void;
}): ReactElement => {
  const { busy, keySlots, rotateKey, users } = useUsers();
  const [reason, setReason] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<RotationView | null>(null);
  const first = useRef<HTMLTextAreaElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    if (result !== null) statusRef.current?.focus();
  }, [result]);

  const dropped = (keySlots?.withSlot ?? []).filter((id) => id !== props.me);
  // Deactivated users have no slot either, but they come back by reactivation, not re-enrolment (decision 0039).
  const inactive = new Set(users.filter((user) => !user.active).map((user) => user.id));
  const already = (keySlots?.withoutSlot ?? []).filter((id) => !inactive.has(id));
  const valid = reason.trim().length >= MIN_REASON && passphrase !== '';

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!valid || busy) return;
    setError(null);
    const outcome = await rotateKey(passphrase, reason);
    setPassphrase('');
    if (typeof outcome === 'string') {
      setError(outcome);
      return;
    }
    setResult(outcome);
  };
  // Closing after a rotation leaves its summary on the page (read out there, once the dialog is gone).
  const close = (): void => {
    if (result !== null)
      props.onRotated(
        `The database key was rotated (audit entry ${result.sequence}). Needs re-enrolment: ${list(result.droppedSlots)}.`,
      );
    props.onClose();
  };

  return (
    <div className="overlay">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="rotate-key-title"
        className="dialog rotate-key"
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !busy) {
            event.stopPropagation();
            close();
          }
        }}
      >
        <h2 id="rotate-key-title">Rotate the database key</h2>
        {result === null ? (
          <form onSubmit={(event) => void submit(event)} className="user-form">
            <p>
              A new random key will encrypt this workstation&apos;s database. Only your key slot ({props.me}) is kept.
            </p>
            <ul className="rotate-consequences">
              <li>
                <strong>Will need re-enrolment:</strong> {list(dropped)}. Their passphrases stop working; give each a
                new initial passphrase with &ldquo;Re-enrol&rdquo; afterwards.
              </li>
              {already.length > 0 && <li>Already waiting for re-enrolment: {list(already)}.</li>}
              <li>
                Any OS keychain sign-in saved on this device is forgotten
                {keySlots?.keychainSlot ? ' (one is saved now)' : ' (none is saved now)'}.
              </li>
              <li>Other sessions or processes using this database must be closed first.</li>
            </ul>
            <div className="field">
              <label htmlFor="rotate-reason">Reason (required, at least {MIN_REASON} characters)</label>
              <textarea
                id="rotate-reason"
                ref={first}
                rows={2}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor="rotate-passphrase">Your passphrase</label>
              <input
                id="rotate-passphrase"
                type="password"
                autoComplete="current-password"
                value={passphrase}
                onChange={(event) => setPassphrase(event.target.value)}
              />
            </div>
            {error !== null && (
              <p role="alert" className="error">
                Not rotated: {error}
              </p>
            )}
            <div className="buttons">
              <button type="submit" className="primary" disabled={!valid || busy}>
                {busy ? 'Rotating…' : 'Rotate key'}
              </button>
              <button type="button" onClick={props.onClose} disabled={busy}>
                Cancel
              </button>
            </div>
            <p className="muted">The rotation and your reason are recorded in the audit log; no key is.</p>
          </form>
        ) : (
          <div className="user-form">
            <p role="status" ref={statusRef} tabIndex={-1}>
              The database key was rotated (audit entry {result.sequence}).
            </p>
            <ul className="rotate-consequences">
              <li>Key slot kept: {list(result.keptSlots)}.</li>
              <li>Needs re-enrolment: {list(result.droppedSlots)}.</li>
              <li>
                {result.keychainSlotRemoved
                  ? 'The OS keychain sign-in saved on this device was forgotten.'
                  : 'No OS keychain sign-in was saved on this device.'}
              </li>
            </ul>
            <div className="buttons">
              <button type="button" className="primary" onClick={close}>
                Close
              </button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
};

/** Gives a user without a key slot a new one under an initial passphrase (the service refuses users with a slot). */
export const ReEnrolForm = ({ user, onDone, onCancel }: UserFormProps): ReactElement => {
  const { reEnrol } = useUsers();
  return (
    <InitialPassphraseForm
      user={user}
      idPrefix="re-enrol"
      verb="Re-enrol"
      done="re-enrolled"
      noun="Re-enrolment"
      send={async (passphrase, reason) => {
        const outcome = await reEnrol(user.id, passphrase, reason);
        return outcome !== null
          ? { error: outcome }
          : { message: `${user.id} was re-enrolled and can sign in with the initial passphrase you gave.` };
      }}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
};
