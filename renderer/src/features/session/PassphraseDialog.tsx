// "Passphrase": the signed-in user changes their own passphrase. Only their key slot is re-wrapped (decision 0036);
// the current passphrase is asked again, and the service checks it.
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { FormEvent, ReactElement } from 'react';
import { call } from '../../api/client.ts';
import { MIN_PASSPHRASE_LENGTH, passphraseLength } from '../../../../core/access/passphrase.ts';

export const PassphraseButton = (): ReactElement => {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button type="button" ref={opener} onClick={() => setOpen(true)}>
        Passphrase
      </button>
      {/* Rendered at the end of the body, not inside the header whose colours it would inherit. */}
      {open &&
        createPortal(
          <PassphraseDialog
            onClose={() => {
              setOpen(false);
              opener.current?.focus();
            }}
          />,
          document.body,
        )}
    </>
  );
};

const PassphraseDialog = (props: { readonly onClose: () => void }): ReactElement => {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const problem =
    next.length > 0 && passphraseLength(next) < MIN_PASSPHRASE_LENGTH
      ? `The new passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`
      : again.length > 0 && again !== next
        ? 'The two new passphrases differ.'
        : null;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (problem !== null || current === '' || next === '' || again !== next) return;
    setBusy(true);
    const reply = await call('users.changeOwnPassphrase', { current, next });
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error.message);
      return;
    }
    setCurrent('');
    setNext('');
    setAgain('');
    setError(null);
    setDone(true);
  };

  return (
    <div className="overlay">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="passphrase-title"
        className="dialog"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            props.onClose();
          }
        }}
      >
        <h2 id="passphrase-title">Change your passphrase</h2>
        <p>Your next sign-in on this workstation uses the new passphrase. Other users are not affected.</p>
        <form onSubmit={(event) => void submit(event)} className="passphrase-form">
          <label>
            Current passphrase
            <input
              ref={first}
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          </label>
          <label>
            New passphrase (at least {MIN_PASSPHRASE_LENGTH} characters)
            <input
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(event) => setNext(event.target.value)}
            />
          </label>
          <label>
            New passphrase again
            <input
              type="password"
              autoComplete="new-password"
              value={again}
              onChange={(event) => setAgain(event.target.value)}
            />
          </label>
          <div aria-live="polite">
            {(problem ?? error) !== null && (
              <p className="error" role="alert">
                {problem ?? error}
              </p>
            )}
            {done && (
              <p className="notice" role="status">
                Your passphrase was changed.
              </p>
            )}
          </div>
          <div className="actions">
            <button
              type="submit"
              disabled={busy || problem !== null || current === '' || next === '' || again !== next}
            >
              Change passphrase
            </button>
            <button type="button" onClick={props.onClose}>
              Close
            </button>
          </div>
        </form>
      </div>
    </div>
  );
};
