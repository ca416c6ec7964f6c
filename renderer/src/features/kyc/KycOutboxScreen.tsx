// The KYC outbox (decision 0210): every initiation event of the user's markets with its state (waiting, delivered,
// dead letter), attempts, next attempt, last error and the last KYC outcome; a dead letter can be sent again. Ids and
// codes only: no personal data is shown here.
import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime } from '../../app/labels.ts';

type Outbox = ApiResponse<'kyc.outbox'>;
type State = 'pending' | 'delivered' | 'dead';

const STATE_LABEL: Readonly<Record<State, string>> = {
  pending: 'waiting',
  delivered: 'delivered',
  dead: 'dead letter',
};

export const KycOutboxScreen = (): ReactElement => {
  const [outbox, setOutbox] = useState<Outbox | null>(null);
  const [filter, setFilter] = useState<State | 'all'>('all');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = async (state: State | 'all' = filter): Promise<void> => {
    const reply = await call('kyc.outbox', state === 'all' ? {} : { state });
    if (reply.ok) {
      setOutbox(reply.value);
      setError(null);
    } else setError(reply.error.message);
  };
  useEffect(() => {
    void load();
  }, []);
  const retry = async (eventId: string): Promise<void> => {
    const reply = await call('kyc.retry', { eventId });
    if (reply.ok) {
      setNotice(`${eventId} is waiting again: it will be sent with the next delivery pass.`);
      await load();
    } else setError(reply.error.message);
  };
  return (
    <main className="page" aria-labelledby="kyc-outbox-title">
      <h1 id="kyc-outbox-title">KYC outbox</h1>
      <p className="muted">
        A KYC initiation is queued when a product path reaches QUALIFIED and delivered to the KYC system by the
        connector (signed webhook or file drop), retried with backoff, and given up as a dead letter after its last
        attempt. Events of your markets only.
      </p>
      {outbox !== null && (
        <p aria-label="Outbox counts">
          {outbox.counts.pending} waiting · {outbox.counts.delivered} delivered · {outbox.counts.dead} dead letters
        </p>
      )}
      <label>
        Show{' '}
        <select
          value={filter}
          onChange={(event) => {
            const next = event.target.value as State | 'all';
            setFilter(next);
            void load(next);
          }}
        >
          <option value="all">all events</option>
          <option value="pending">waiting</option>
          <option value="delivered">delivered</option>
          <option value="dead">dead letters</option>
        </select>
      </label>{' '}
      <button type="button" onClick={() => void load()}>
        Refresh
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      {outbox !== null &&
        (outbox.events.length === 0 ? (
          <p className="muted">No KYC event here.</p>
        ) : (
          <table className="data kyc-outbox">
            <caption>{outbox.events.length === 1 ? '1 event' : `${outbox.events.length} events`}</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Lead</th>
                <th scope="col">Product</th>
                <th scope="col">Jurisdiction</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Next or last attempt</th>
                <th scope="col">Last error</th>
                <th scope="col">KYC outcome</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outbox.events.map((event) => (
                <tr key={event.eventId}>
                  <td>
                    <code>{event.eventId}</code>
                  </td>
                  <td>
                    <code>{event.leadId}</code>
                  </td>
                  <td>{event.productId}</td>
                  <td>{event.jurisdiction}</td>
                  <td>{STATE_LABEL[event.state]}</td>
                  <td>{event.attempts}</td>
                  <td>
                    {event.state === 'pending' && event.nextAttemptAt !== null
                      ? `next ${formatTime(event.nextAttemptAt)}`
                      : event.lastAttemptAt !== null
                        ? formatTime(event.lastAttemptAt)
                        : '—'}
                  </td>
                  <td>{event.lastError ?? '—'}</td>
                  <td>{event.outcome === null ? '—' : event.outcome.replace('_', ' ')}</td>
                  <td>
                    {event.state === 'dead' && (
                      <button type="button" onClick={() => void retry(event.eventId)}>
                        Send again
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
