// A sync conflict (decisions 0244, 0266-0268): every decision in it with its entry (origin, sequence, actor, time, the
// case version it saw, reason), what was recorded on the lead since, resolutions that lost; and for a senior officer
// the resolution: one decision stands, or none (the case is open again), with a reason.
import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse, UserDto } from '../../../../core/api/contract.ts';
import { DISPOSITION, formatTime, humanise, may } from '../../app/labels.ts';
import { call } from '../../api/client.ts';

type Conflict = ApiResponse<'cases.conflict'>;

const REOPEN = 'reopen';
const keyOf = (ref: { origin: string; seq: number }): string => `${ref.origin}#${ref.seq}`;
const dispositionLabel = (decision: string | null): string =>
  decision === null
    ? '—'
    : decision in DISPOSITION
      ? DISPOSITION[decision as keyof typeof DISPOSITION].label
      : humanise(decision);
const EVENT_LABEL: Readonly<Record<string, string>> = {
  'case.decided': 'decision',
  'case.approved': 'approval',
  'case.returned': 'return for rework',
};

export const SyncConflictPanel = ({
  conflictId,
  user,
  onResolved,
}: {
  conflictId: string;
  user: UserDto;
  onResolved: () => void;
}): ReactElement => {
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<string>('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    setConflict(null);
    setChoice('');
    void call('cases.conflict', { conflictId }).then((reply) => {
      if (!live) return;
      if (reply.ok) setConflict(reply.value);
      else setError(reply.error.message);
    });
    return () => {
      live = false;
    };
  }, [conflictId]);
  if (conflict === null)
    return (
      <section aria-label="Sync conflict" className="sync-conflict">
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : (
          <p className="muted">Loading the conflict…</p>
        )}
      </section>
    );
  const mayResolve = may(user, 'case.resolve_conflict') && conflict.status === 'open';
  const choosable = conflict.decisions.filter((decision) => decision.caseVersion === conflict.seenVersion);
  const resolve = (): void => {
    const chosen = choice === REOPEN ? null : (choosable.find((decision) => keyOf(decision) === choice) ?? null);
    setBusy(true);
    setError(null);
    void call('cases.resolveConflict', {
      conflictId,
      chosen: chosen && { origin: chosen.origin, seq: chosen.seq },
      reason: reason.trim(),
    }).then((reply) => {
      setBusy(false);
      if (!reply.ok) return setError(reply.error.message);
      setConflict(reply.value);
      setReason('');
      onResolved();
    });
  };
  return (
    <section aria-labelledby="conflict-title" className="sync-conflict">
      <h3 id="conflict-title">Sync conflict on case {conflict.caseId}</h3>
      <p>
        {conflict.reason === 'superseded_resolution'
          ? `Decided on case version ${conflict.seenVersion} after a resolution that was superseded by an earlier one.`
          : `Decisions taken on two devices on the same case version (${conflict.seenVersion}). The case is held until a senior officer resolves it.`}
      </p>
      {/* Focusable: the table may scroll sideways within the case panel. */}
      <div className="conflict-scroll" tabIndex={0} role="region" aria-label="Decisions in conflict, scrollable">
        <table className="data conflict-decisions">
          <caption>Decisions in conflict</caption>
          <thead>
            <tr>
              <th scope="col">Device log</th>
              <th scope="col">Entry</th>
              <th scope="col">Officer</th>
              <th scope="col">Time</th>
              <th scope="col">Act</th>
              <th scope="col">Decision</th>
              <th scope="col">Version seen</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {conflict.decisions.map((decision) => (
              <tr key={keyOf(decision)}>
                <td>{decision.origin}</td>
                <td>{decision.seq}</td>
                <td>{decision.actor.replace(/^user:/u, '')}</td>
                <td>{formatTime(decision.time)}</td>
                <td>{EVENT_LABEL[decision.type] ?? decision.type}</td>
                <td>{dispositionLabel(decision.decision)}</td>
                <td>{decision.caseVersion ?? '—'}</td>
                <td>{decision.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {conflict.followUps.length > 0 && (
        <>
          <h4>Recorded on the lead since (kept)</h4>
          <ul className="follow-ups">
            {conflict.followUps.map((followUp) => (
              <li key={followUp.sequence}>
                {followUp.type} by {followUp.actor.replace(/^user:/u, '')} at {formatTime(followUp.time)}
              </li>
            ))}
          </ul>
        </>
      )}
      {conflict.status === 'resolved' && (
        <p role="status" className="notice">
          Resolved by {conflict.resolvedBy} at {formatTime(conflict.resolvedAt ?? '')}:{' '}
          {conflict.chosen
            ? `the decision ${keyOf(conflict.chosen)} stands`
            : 'no decision stands; the case is open again'}
          .
        </p>
      )}
      {conflict.superseded.map((lost) => (
        <p key={keyOf(lost)} className="muted">
          Superseded: a later resolution by {lost.by} at {formatTime(lost.at)}{' '}
          {lost.chosen ? `chose ${keyOf(lost.chosen)}` : 'reopened the case'}.
        </p>
      ))}
      {mayResolve && (
        <form
          className="resolve-conflict"
          aria-label="Resolve the conflict"
          onSubmit={(event) => event.preventDefault()}
        >
          <fieldset>
            <legend>Which decision stands?</legend>
            {choosable.map((decision) => (
              <label key={keyOf(decision)}>
                <input
                  type="radio"
                  name="chosen"
                  value={keyOf(decision)}
                  checked={choice === keyOf(decision)}
                  onChange={() => setChoice(keyOf(decision))}
                />
                {dispositionLabel(decision.decision)} by {decision.actor.replace(/^user:/u, '')} ({decision.origin} #
                {decision.seq})
              </label>
            ))}
            <label>
              <input
                type="radio"
                name="chosen"
                value={REOPEN}
                checked={choice === REOPEN}
                onChange={() => setChoice(REOPEN)}
              />
              Neither: open the case again for a new decision
            </label>
          </fieldset>
          <label>
            Reason for the resolution
            <textarea value={reason} onChange={(event) => setReason(event.target.value)} rows={3} />
          </label>
          <button type="button" disabled={busy || choice === '' || reason.trim().length < 5} onClick={resolve}>
            Resolve conflict
          </button>
        </form>
      )}
      {!may(user, 'case.resolve_conflict') && conflict.status === 'open' && (
        <p className="notice" role="note">
          Only a senior officer may resolve a sync conflict.
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
};
