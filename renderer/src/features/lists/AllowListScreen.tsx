// The allow-list (compliance and senior officers; decision 0195): each false positive cleared by a decision, by lead and
// listed entry at the content version the officer saw. Re-screening does not raise these again until the entry
// changes; the table says how often each held a hit back.
import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime } from '../../app/labels.ts';

type AllowList = ApiResponse<'screening.allowList'>;

export const AllowListScreen = (): ReactElement => {
  const [list, setList] = useState<AllowList | null>(null);
  const [error, setError] = useState<string | null>(null);
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
        the entry (any field). Every hit held back is recorded in the audit log. Leads of your markets only.
      </p>
      <button type="button" onClick={() => void load()}>
        Refresh
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
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
              </tr>
            </thead>
            <tbody>
              {list.rows.map((row) => (
                <tr key={`${row.leadId}-${row.listId}-${row.entryId}-${row.entryVersion}`}>
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
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </main>
  );
};
