// The form that lets a user sign in again under an initial passphrase the admin gives them, with a reason: re-enrolment
// after a key rotation (decision 0037) and reactivation after a deactivation (decision 0039) both use it.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement, ReactNode } from 'react';
import { passphraseLength } from '../../../../core/access/passphrase.ts';
import { MIN_PASSPHRASE, MIN_REASON } from './users-form.ts';
import { useUsers } from './users-store.ts';
import type { UserView } from './users-store.ts';

/** What a form below the users table takes: its user, and what to do when done or cancelled. */
export type UserFormProps = {
  readonly user: UserView;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
};

export type InitialPassphraseFormProps = UserFormProps & {
  /** Distinguishes the form's element ids ("re-enrol", "reactivate"). */
  readonly idPrefix: string;
  /** The action as a verb ("Re-enrol", "Reactivate") and as a past participle ("re-enrolled", "reactivated"). */
  readonly verb: string;
  readonly done: string;
  /** The action as a noun, for the audit-log sentence ("Re-enrolment", "Reactivation"). */
  readonly noun: string;
  readonly intro?: ReactNode;
  /** Sends the request: an error message, or the message for the screen on success. */
  readonly send: (
    passphrase: string,
    reason: string,
  ) => Promise<{ readonly error: string } | { readonly message: string }>;
};

export const InitialPassphraseForm = (props: InitialPassphraseFormProps): ReactElement => {
  const { busy } = useUsers();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), []);
  const id = (part: string): string => `${props.idPrefix}-${part}`;

  const problem =
    passphrase.length > 0 && passphraseLength(passphrase) < MIN_PASSPHRASE
      ? `The initial passphrase needs at least ${MIN_PASSPHRASE} characters.`
      : confirmation.length > 0 && confirmation !== passphrase
        ? 'The two passphrases differ.'
        : null;
  const valid =
    problem === null &&
    passphraseLength(passphrase) >= MIN_PASSPHRASE &&
    confirmation === passphrase &&
    reason.trim().length >= MIN_REASON;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!valid || busy) return;
    setError(null);
    const outcome = await props.send(passphrase, reason);
    if ('error' in outcome) setError(outcome.error);
    else props.onDone(outcome.message);
  };

  return (
    <section className="user-change" aria-labelledby={id('title')}>
      <h2 id={id('title')} ref={titleRef} tabIndex={-1}>
        {props.verb} {props.user.name} ({props.user.id})
      </h2>
      <form onSubmit={(event) => void submit(event)} className="user-form">
        {props.intro && <p>{props.intro}</p>}
        <div className="field">
          <label htmlFor={id('passphrase')}>Initial passphrase</label>
          <input
            id={id('passphrase')}
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
            aria-describedby={id('passphrase-hint')}
          />
          <span id={id('passphrase-hint')} className="muted">
            At least {MIN_PASSPHRASE} characters. Give it to the person privately; they can change it after signing in.
          </span>
        </div>
        <div className="field">
          <label htmlFor={id('confirmation')}>Confirm passphrase</label>
          <input
            id={id('confirmation')}
            type="password"
            autoComplete="new-password"
            value={confirmation}
            onChange={(event) => setConfirmation(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={id('reason')}>Reason (required, at least {MIN_REASON} characters)</label>
          <textarea id={id('reason')} rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
        </div>
        {(problem ?? error) !== null && (
          <p role="alert" className="error">
            {problem ?? `Not ${props.done}: ${error}`}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="primary" disabled={!valid || busy}>
            {props.verb}
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
        <p className="muted">{props.noun} and your reason are recorded in the audit log (never the passphrase).</p>
      </form>
    </section>
  );
};
