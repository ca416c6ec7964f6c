// "Held and waiting" (operations and compliance; issue 14): paths held at routing (KYC or AML), paths whose engagement
// is held after assignment, and paths waiting for a rep with capacity, oldest first, with what each waits for. A fact
// update, a KYC outcome or freed capacity takes a path off this list.
import { useCallback, useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse, UserDto } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime, may } from '../../app/labels.ts';
import { PathTimeline } from './PathTimeline.tsx';

type Held = ApiResponse<'paths.heldAndWaiting'>;

const KIND_LABEL: Readonly<Record<Held['rows'][number]['kind'], string>> = {
  held: 'Held at routing',
  waiting_for_capacity: 'Waiting for capacity',
  engagement_held: 'Engagement held',
};

export const HeldScreen = ({ user }: { user: UserDto }): ReactElement => {
  const [held, setHeld] = useState<Held | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<{ leadId: string; productId: string } | null>(null);
  const load = useCallback(async (): Promise<void> => {
    const reply = await call('paths.heldAndWaiting', { pageSize: 200 });
    if (reply.ok) {
      setHeld(reply.value);
      setError(null);
    } else setError(reply.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <main className={shown === null ? 'paths single' : 'paths'} aria-label="Held and waiting">
      <section className="path-list" aria-labelledby="held-title">
        <h1 id="held-title">Held and waiting</h1>
        <p className="muted">
          Product paths that cannot go on yet, oldest first: held for KYC or AML documentation, or waiting for a rep
          with capacity. Each leaves this list by itself when what it waits for happens. Leads of your markets only.
        </p>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {held !== null &&
          (held.rows.length === 0 ? (
            <p className="muted">Nothing is held or waiting.</p>
          ) : (
            <table className="data held">
              <caption>{held.total === 1 ? '1 path held or waiting' : `${held.total} paths held or waiting`}</caption>
              <thead>
                <tr>
                  <th scope="col">Lead</th>
                  <th scope="col">Product</th>
                  <th scope="col">State</th>
                  <th scope="col">Since</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Waits for</th>
                </tr>
              </thead>
              <tbody>
                {held.rows.map((row) => (
                  <tr key={`${row.leadId}/${row.productId}`} data-path={`${row.leadId}/${row.productId}`}>
                    <td>
                      {row.kind === 'engagement_held' ? (
                        <button type="button" className="link" onClick={() => setShown(row)}>
                          {row.leadId}
                        </button>
                      ) : (
                        <code>{row.leadId}</code>
                      )}
                    </td>
                    <td>{row.productId}</td>
                    <td>{KIND_LABEL[row.kind]}</td>
                    <td>{formatTime(row.since)}</td>
                    <td>{row.owner ?? '—'}</td>
                    <td>{row.waitsFor.join('; ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
      </section>
      {shown !== null && (may(user, 'path.supervise') || may(user, 'lead.update_facts')) && (
        <PathTimeline
          key={`${shown.leadId}/${shown.productId}`}
          user={user}
          leadId={shown.leadId}
          productId={shown.productId}
          onChanged={() => void load()}
        />
      )}
    </main>
  );
};
