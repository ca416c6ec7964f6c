// The users screen's leaver process (decision 0039): deactivating a user (a reason, then a confirmation naming the
// cases that go back to their queues) and reactivating one (a reason and a new initial passphrase).
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { FormEvent, ReactElement } from 'react';
import { QUEUE_LABEL } from '../../app/labels.ts';
import { MIN_REASON } from './users-form.ts';
import { InitialPassphraseForm } from './InitialPassphraseForm.tsx';
import type { UserFormProps } from './InitialPassphraseForm.tsx';
import { useUsers } from './users-store.ts';
import { pendingNotice } from '../approvals/approvals-store.ts';
import type { ClaimedCaseView, SetActiveView, UserView } from './users-store.ts';

const caseLine = (kase: ClaimedCaseView): string =>
  `${kase.id} · ${QUEUE_LABEL[kase.type]} · lead ${kase.leadId} (${kase.productId})`;

const ClaimedCases = ({ cases, who }: { cases: readonly ClaimedCaseView[]; who: string }): ReactElement =>
  cases.length === 0 ? (
    <p>{who} holds no cases claimed: none will be released.</p>
  ) : (
    <>
      <p>
        {cases.length === 1 ? 'This case' : `These ${cases.length} cases`} claimed by {who} will be released to{' '}
        {cases.length === 1 ? 'its queue' : 'their queues'}:
      </p>
      <ul className="released-cases">
        {cases.map((kase) => (
          <li key={kase.id}>{caseLine(kase)}</li>
        ))}
      </ul>
    </>
  );

const deactivatedMessage = (userId: string, result: Exclude<SetActiveView, { pending: unknown }>): string =>
  [
    `${userId} was deactivated (audit entry ${result.sequence}): they can no longer sign in`,
    result.releasedCases.length === 0
      ? 'no claimed cases to release'
      : `${result.releasedCases.join(', ')} released to ${result.releasedCases.length === 1 ? 'its queue' : 'their queues'}`,
    result.keySlotChanged ? 'their key slot was removed' : 'they had no key slot',
    ...(result.keychainSlotRemoved ? ['their OS keychain sign-in on this device was forgotten'] : []),
  ].join('; ') + (result.warnings.length > 0 ? `. Note: ${result.warnings.join('; ')}.` : '.');

/** Deactivate a user: what happens, the claimed cases, a reason; then a confirmation dialog naming the cases. */
export const DeactivateForm = ({
  user,
  onDone,
  onCancel,
}: {
  user: UserView;
  onDone: (message: string) => void;
  onCancel: () => void;
}): ReactElement => {
  const { busy, claimedCases, setActive } = useUsers();
  const [cases, setCases] = useState<readonly ClaimedCaseView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => titleRef.current?.focus(), []);
  useEffect(() => {
    let current = true;
    void claimedCases(user.id).then((found) => {
      if (!current) return;
      if (typeof found === 'string') setLoadError(found);
      else setCases(found);
    });
    return () => {
      current = false;
    };
  }, [claimedCases, user.id]);

  const valid = reason.trim().length >= MIN_REASON && cases !== null;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!valid || busy) return;
    setError(null);
    setConfirming(true);
  };
  const back = (): void => {
    setConfirming(false);
    openerRef.current?.focus();
  };
  const confirm = async (): Promise<void> => {
    const outcome = await setActive(user.id, false, reason);
    if (typeof outcome === 'string' || 'pending' in outcome) {
      // Deactivation never waits for a second approval (it takes rights away); a pending answer would be a bug.
      setError(typeof outcome === 'string' ? outcome : pendingNotice(outcome.pending));
      back();
      return;
    }
    onDone(deactivatedMessage(user.id, outcome));
  };

  return (
    <section className="user-change" aria-labelledby="deactivate-title">
      <h2 id="deactivate-title" ref={titleRef} tabIndex={-1}>
        Deactivate {user.name} ({user.id})
      </h2>
      <form onSubmit={submit} className="user-form">
        <ul className="deactivate-consequences">
          <li>{user.id} can no longer sign in; a session of theirs still open stops at its next action.</li>
          <li>Their passphrase key slot is removed, and their OS keychain sign-in on this device if there is one.</li>
          <li>Their decisions and the audit log stay as they are. An operations admin can reactivate them later.</li>
        </ul>
        {cases === null && loadError === null && <p className="muted">Looking for cases {user.id} holds claimed…</p>}
        {loadError !== null && (
          <p role="alert" className="error">
            The claimed cases could not be listed: {loadError}
          </p>
        )}
        {cases !== null && <ClaimedCases cases={cases} who={user.id} />}
        <div className="field">
          <label htmlFor="deactivate-reason">Reason (required, at least {MIN_REASON} characters)</label>
          <textarea
            id="deactivate-reason"
            rows={2}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        {error !== null && (
          <p role="alert" className="error">
            Not deactivated: {error}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="danger" ref={openerRef} disabled={!valid || busy}>
            Deactivate…
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
        <p className="muted">The deactivation, the releases and your reason are recorded in the audit log.</p>
      </form>
      {confirming &&
        cases !== null &&
        createPortal(
          <ConfirmDeactivation user={user} cases={cases} busy={busy} onConfirm={confirm} onBack={back} />,
          document.body,
        )}
    </section>
  );
};

const ConfirmDeactivation = (props: {
  readonly user: UserView;
  readonly cases: readonly ClaimedCaseView[];
  readonly busy: boolean;
  readonly onConfirm: () => Promise<void>;
  readonly onBack: () => void;
}): ReactElement => {
  const backRef = useRef<HTMLButtonElement>(null);
  // The least harmful choice has the focus: Enter on a dialog that opened by mistake changes nothing.
  useEffect(() => backRef.current?.focus(), []);
  return (
    <div className="overlay">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-deactivate-title"
        aria-describedby="confirm-deactivate-body"
        className="dialog confirm-deactivate"
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !props.busy) {
            event.stopPropagation();
            props.onBack();
          }
        }}
      >
        <h2 id="confirm-deactivate-title">
          Deactivate {props.user.name} ({props.user.id})?
        </h2>
        <div id="confirm-deactivate-body">
          <p>{props.user.id} will no longer be able to sign in to this workstation.</p>
          <ClaimedCases cases={props.cases} who={props.user.id} />
        </div>
        <div className="buttons">
          <button type="button" className="danger" disabled={props.busy} onClick={() => void props.onConfirm()}>
            {props.busy ? 'Deactivating…' : `Deactivate ${props.user.id}`}
          </button>
          <button type="button" ref={backRef} disabled={props.busy} onClick={props.onBack}>
            Go back
          </button>
        </div>
      </div>
    </div>
  );
};

/** Reactivate a user: a reason and a new initial passphrase (their old slot was removed when they left). */
export const ReactivateForm = ({ user, onDone, onCancel }: UserFormProps): ReactElement => {
  const { setActive } = useUsers();
  return (
    <InitialPassphraseForm
      user={user}
      idPrefix="reactivate"
      verb="Reactivate"
      done="reactivated"
      noun="Reactivation"
      intro={`${user.id} keeps their roles and markets. Their old passphrase no longer works: give them a new initial passphrase.`}
      send={async (passphrase, reason) => {
        const outcome = await setActive(user.id, true, reason, passphrase);
        return typeof outcome === 'string'
          ? { error: outcome }
          : 'pending' in outcome
            ? { message: pendingNotice(outcome.pending) }
            : {
                message: `${user.id} was reactivated (audit entry ${outcome.sequence}) and can sign in with the initial passphrase you gave.`,
              };
      }}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
};
