// "Awaiting my approval" for operations admins: the meta-actions (users, grants, reactivations, policy publication)
// another admin requested, with approve and reject (with a reason). Beside the four-eyes cases in the queue screen.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import { awaitingMine, useApprovals } from './approvals-store.ts';
import type { MetaRequestView } from './approvals-store.ts';

const MIN_REASON = 5;

const RequestItem = ({
  request,
  onDecided,
}: {
  request: MetaRequestView;
  onDecided: (message: string, ok: boolean) => void;
}): ReactElement => {
  const { busy, approve, reject } = useApprovals();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = `reject-reason-${request.id}`;
  const submitReject = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (reason.trim().length < MIN_REASON || busy) return;
    const outcome = await reject(request.id, reason);
    onDecided(outcome.message, outcome.ok);
  };
  return (
    <li className="meta-request" data-request-id={request.id}>
      <p className="meta-summary">
        <strong>{request.summary}</strong>
      </p>
      <p className="muted">
        {request.id} · requested by {request.requestedBy} at {request.requestedAt.replace('T', ' ').slice(0, 16)} UTC
        {request.reason ? ` · reason: ${request.reason}` : ''}
      </p>
      {rejecting ? (
        <form className="meta-reject" onSubmit={(event) => void submitReject(event)}>
          <label htmlFor={reasonId}>
            Reason for rejecting {request.id} (at least {MIN_REASON} characters)
          </label>
          <textarea id={reasonId} rows={2} value={reason} onChange={(event) => setReason(event.target.value)} />
          <div className="buttons">
            <button type="submit" disabled={busy || reason.trim().length < MIN_REASON}>
              Reject {request.id}
            </button>
            <button type="button" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="buttons">
          <button
            type="button"
            className="primary"
            disabled={busy}
            aria-label={`Approve ${request.id}`}
            onClick={() => void approve(request.id).then((outcome) => onDecided(outcome.message, outcome.ok))}
          >
            Approve
          </button>
          <button type="button" disabled={busy} aria-label={`Reject ${request.id}`} onClick={() => setRejecting(true)}>
            Reject…
          </button>
        </div>
      )}
    </li>
  );
};

export const MetaApprovals = (): ReactElement => {
  const { requests, loaded, error, load } = useApprovals();
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const messageRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (message !== null) messageRef.current?.focus();
  }, [message]);
  const mine = awaitingMine(requests);
  const others = requests.filter((request) => request.status === 'pending' && !request.mayApprove);
  return (
    <section className="meta-approvals" aria-labelledby="meta-approvals-title">
      <h2 id="meta-approvals-title">User and policy changes awaiting my approval</h2>
      {message && (
        <p
          role={message.ok ? 'status' : 'alert'}
          className={message.ok ? 'notice' : 'error'}
          ref={messageRef}
          tabIndex={-1}
        >
          {message.text}
        </p>
      )}
      {error !== null && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {loaded && mine.length === 0 && <p className="muted">No user or policy change awaits your approval.</p>}
      {mine.length > 0 && (
        <ul className="meta-list" aria-label="Changes awaiting my approval">
          {mine.map((request) => (
            <RequestItem key={request.id} request={request} onDecided={(text, ok) => setMessage({ text, ok })} />
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <details className="meta-others">
          <summary>
            {others.length} other pending {others.length === 1 ? 'change' : 'changes'} you cannot approve
          </summary>
          <ul>
            {others.map((request) => (
              <li key={request.id}>
                {request.id}: {request.summary} (
                {request.needsAnotherAdmin ? 'a second operations admin is needed' : request.whyNot})
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
};
