// "Erase personal data" on the lead: a reason, a confirmation, and the outcome (erased; refused with the date the
// required retention period ends, where a senior officer may request an override; or an override to approve).
import { useEffect, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse, UserDto } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime } from '../../app/labels.ts';

type Status = ApiResponse<'leads.erasureStatus'>;
type Outcome = ApiResponse<'leads.erase'>;

const outcomeText = (outcome: Outcome): string => {
  if (outcome.outcome === 'erased')
    return `Erased: ${outcome.records} record(s) of lead ${outcome.leadId} deleted beside the log and from every list; tombstone entry ${outcome.tombstone}.`;
  if (outcome.outcome === 'refused') return `Refused: ${outcome.message}.`;
  return `Override ${outcome.requestId} requested: a second senior officer must approve it before anything is erased.`;
};

export const LeadErasure = ({
  leadId,
  user,
  onErased,
}: {
  leadId: string;
  user: UserDto;
  onErased: () => void;
}): ReactElement => {
  const [status, setStatus] = useState<Status | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = (): void => {
    void call('leads.erasureStatus', { leadId }).then((reply) => {
      if (reply.ok) setStatus(reply.value);
      else setError(reply.error.message);
    });
  };
  useEffect(refresh, [leadId]);

  const finish = (reply: Awaited<ReturnType<typeof call<'leads.erase'>>>): void => {
    setBusy(false);
    setConfirming(false);
    if (!reply.ok) return setError(reply.error.message);
    setOutcome(reply.value);
    setReason('');
    refresh();
    if (reply.value.outcome === 'erased') onErased();
  };
  const erase = (override: boolean): void => {
    setBusy(true);
    setError(null);
    void call('leads.erase', { leadId, reason: reason.trim(), override }).then(finish);
  };
  const approve = (requestId: string): void => {
    setBusy(true);
    setError(null);
    void call('leads.approveErasureOverride', { requestId, reason: reason.trim() }).then(finish);
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setConfirming(true);
  };

  const pending = status?.pendingOverride ?? null;
  const reasonOk = reason.trim().length >= 5;
  const senior = user.roles.includes('senior_officer');
  return (
    <section aria-labelledby="erasure-title" className="erasure">
      <h3 id="erasure-title">Erase personal data</h3>
      {outcome && (
        <p role="status" className={outcome.outcome === 'refused' ? 'error' : 'notice'}>
          {outcomeText(outcome)}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {status === null ? (
        <p className="muted">Checking retention…</p>
      ) : status.erased ? (
        <p className="muted">The personal data of this lead has been erased.</p>
      ) : (
        <form onSubmit={submit} className="purpose" aria-label="Erase personal data">
          {status.hold && (
            <p className="notice" role="note">
              Kept under {status.hold.regime} for {status.hold.years} years
              {status.hold.basis ? ` (${status.hold.basis})` : ''}: erasable from {status.hold.erasableFrom}. An erasure
              now is refused unless two senior officers override it.
            </p>
          )}
          {pending && (
            <p className="notice" role="note">
              Override {pending.requestId} requested by {pending.requestedBy} at {formatTime(pending.requestedAt)}:{' '}
              {pending.requestedBy === user.id
                ? 'a second senior officer must approve it.'
                : 'you may approve it as the second senior officer.'}
            </p>
          )}
          <div className="field">
            <label htmlFor="erasure-reason">Reason (the request and its reference; kept beside the log)</label>
            <input
              id="erasure-reason"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              placeholder="e.g. GDPR art. 17 request R-2026-114"
            />
          </div>
          {!confirming ? (
            <button type="submit" disabled={busy || !reasonOk}>
              Erase personal data…
            </button>
          ) : (
            <div className="confirm" role="group" aria-label="Confirm the erasure">
              <p>
                This deletes the lead&apos;s personal data beside the audit log and replaces it everywhere with
                “[erased] {leadId}”. It cannot be undone.
              </p>
              {pending && pending.requestedBy !== user.id && senior ? (
                <button type="button" disabled={busy} onClick={() => approve(pending.requestId)}>
                  Approve override {pending.requestId} and erase
                </button>
              ) : (
                <button type="button" disabled={busy} onClick={() => erase(false)}>
                  Confirm erasure
                </button>
              )}
              {status.hold && senior && !pending && (
                <button type="button" disabled={busy} onClick={() => erase(true)}>
                  Request an override
                </button>
              )}
              <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
};
