// The allow-list (compliance and senior officers; decision 0195): each false positive cleared by a decision, by lead and
// listed entry at the content version the officer saw. Re-screening does not raise these again until the entry
// changes; the table says how often each held a hit back and until when (the policy's review period, decision 0197).
// An officer can take a row off with a reason: re-screening raises the hit again.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime } from '../../app/labels.ts';

type AllowList = ApiResponse<'screening.allowList'>;
type AllowRow = AllowList['rows'][number];

/** As the services require (commands/allow-list.ts). */
const MIN_REMOVAL_REASON = 10;

const rowKey = (row: AllowRow): string => `${row.leadId}-${row.listId}-${row.entryId}-${row.entryVersion}`;

/** The reason prompt for taking one row off the allow-list. */
const RemoveForm = ({
  row,
  onDone,
  onCancel,
}: {
  row: AllowRow;
  onDone: (message: string) => void;
  onCancel: () => void;
}): ReactElement => {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => reasonRef.current?.focus(), []);
  const valid = reason.trim().length >= MIN_REMOVAL_REASON;
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    const reply = await call('screening.removeFromAllowList', {
      leadId: row.leadId,
      listId: row.listId,
      entryId: row.entryId,
      entryVersion: row.entryVersion,
      reason: reason.trim(),
    });
    setBusy(false);
    if (reply.ok)
      onDone(
        `${row.listId} ${row.entryId} taken off the allow-list for lead ${row.leadId} (audit entry ${reply.value.sequence}): re-screening raises it again.`,
      );
    else setError(reply.error.message);
  };
  return (
    <form
      className="allow-remove"
      aria-label={`Take ${row.listId} ${row.entryId} off the allow-list for lead ${row.leadId}`}
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <p>
        Taking this row off means the next re-screening that finds {row.listId} {row.entryId} for {row.subject} raises
        it again for review. The case that cleared it ({row.caseId}) stays as it was.
      </p>
      <div className="field">
        <label htmlFor="allow-remove-reason">Reason (required, at least {MIN_REMOVAL_REASON} characters)</label>
        <textarea
          id="allow-remove-reason"
          ref={reasonRef}
          rows={2}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
        />
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={!valid || busy}>
        Take off the allow-list
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
};

export const AllowListScreen = (): ReactElement => {
  const [list, setList] = useState<AllowList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = async (): Promise<void> => {
    const reply = await call('screening.allowList', {});
    if (reply.ok) {
      setList(reply.value);
      setError(null);
    } else setError(reply.error.message);
  };
  useEffect(() => {
    void load();
  }, []);
  return (
    <main className="page" aria-labelledby="allow-title">
      <h1 id="allow-title">Allow-list: cleared false positives</h1>
      <p className="muted">
        When a screening case is closed as a false positive, the lead and the listed entry, at the version the officer
        saw, go on this list: re-screening after a list update does not raise that hit again until the publisher changes
        the entry (any field), or until its review date ({list?.reviewDays ?? '…'} days after the clearance, as the
        policy says), when the next re-screening raises it again. Every hit held back is recorded in the audit log.
        Leads of your markets only.
      </p>
      <button type="button" onClick={() => void load()}>
        Refresh
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {list !== null &&
        (list.rows.length === 0 ? (
          <p className="muted">No false positive has been cleared yet.</p>
        ) : (
          <table className="data allow-list">
            <caption>{list.rows.length === 1 ? '1 cleared hit' : `${list.rows.length} cleared hits`}</caption>
            <thead>
              <tr>
                <th scope="col">Lead</th>
                <th scope="col">Subject</th>
                <th scope="col">List</th>
                <th scope="col">Entry</th>
                <th scope="col">Entry version</th>
                <th scope="col">Cleared by</th>
                <th scope="col">Cleared</th>
                <th scope="col">Held back</th>
                <th scope="col">Review by</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((row) => (
                <tr key={rowKey(row)}>
                  <td>
                    <code>{row.leadId}</code>
                  </td>
                  <td>{row.subject}</td>
                  <td>
                    {row.listId} <code>{row.listVersion}</code>
                  </td>
                  <td>
                    <code>{row.entryId}</code> {row.entryName ?? ''}
                  </td>
                  <td>
                    <code title={row.entryVersion}>{row.entryVersion.slice(0, 12)}…</code>
                  </td>
                  <td>{row.caseId}</td>
                  <td>{formatTime(row.clearedAt)}</td>
                  <td>
                    {row.suppressed === 0
                      ? 'not yet'
                      : `${row.suppressed} ${row.suppressed === 1 ? 'time' : 'times'}, last ${formatTime(row.lastSuppressedAt ?? row.clearedAt)}`}
                  </td>
                  <td>{formatTime(row.reviewBy)}</td>
                  <td>
                    {removing === rowKey(row) ? (
                      <RemoveForm
                        row={row}
                        onCancel={() => setRemoving(null)}
                        onDone={(message) => {
                          setRemoving(null);
                          setNotice(message);
                          void load();
                        }}
                      />
                    ) : (
                      <button
                        type="button"
                        onClick={() => {
                          setNotice(null);
                          setRemoving(rowKey(row));
                        }}
                      >
                        Take off
                        <span className="visually-hidden">
                          {' '}
                          the allow-list: {row.listId} {row.entryId}, lead {row.leadId}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </main>
  );
};
