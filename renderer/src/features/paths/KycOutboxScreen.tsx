// The KYC outbox (operations admins; decision 0210): every initiation event with its state, attempts, last error and
// the outcome that came back; a dead letter can be sent again (audited as kyc.delivery_retried).
import { useCallback, useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime, humanise } from '../../app/labels.ts';

type Outbox = ApiResponse<'kyc.outbox'>;
type Filter = '' | 'pending' | 'delivered' | 'dead';

export const KycOutboxScreen = (): ReactElement => {
  const [outbox, setOutbox] = useState<Outbox | null>(null);
  const [filter, setFilter] = useState<Filter>('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useCallback(async (): Promise<void> => {
    const reply = await call('kyc.outbox', filter === '' ? {} : { state: filter });
    if (reply.ok) {
      setOutbox(reply.value);
      setError(null);
    } else setError(reply.error.message);
  }, [filter]);
  useEffect(() => {
    void load();
  }, [load]);
  const retry = async (eventId: string): Promise<void> => {
    const reply = await call('kyc.retry', { eventId });
    if (reply.ok) {
      setDone(`${eventId} is back in the outbox: it will be sent with the next delivery.`);
      setError(null);
    } else {
      setError(reply.error.message);
      setDone(null);
    }
    await load();
  };
  return (
    <main className="page" aria-labelledby="outbox-title">
      <h1 id="outbox-title">KYC outbox</h1>
      <p className="muted">
        A KYC initiation is queued when a product path reaches Qualified, in the same transaction, and delivered by the
        configured connector (webhook or file drop). An event given up after its attempts is a dead letter: send it
        again once the cause is fixed. No personal data is shown here.
      </p>
      <div className="filters">
        <label className="field">
          State
          <select value={filter} onChange={(event) => setFilter(event.target.value as Filter)}>
            <option value="">All</option>
            <option value="pending">Pending</option>
            <option value="delivered">Delivered</option>
            <option value="dead">Dead letters</option>
          </select>
        </label>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {outbox && (
        <p>
          {outbox.counts.pending} pending · {outbox.counts.delivered} delivered · {outbox.counts.dead} dead letters
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {done && (
        <p role="status" className="notice">
          {done}
        </p>
      )}
      {outbox !== null &&
        (outbox.events.length === 0 ? (
          <p className="muted">No event{filter === '' ? '' : ` in state ${filter}`}.</p>
        ) : (
          <table className="data outbox">
            <caption className="sr-only">KYC initiation events</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Lead · product</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Queued</th>
                <th scope="col">Last attempt / error</th>
                <th scope="col">Outcome</th>
                <th scope="col">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outbox.events.map((event) => (
                <tr key={event.eventId} data-event={event.eventId} data-state={event.state}>
                  <td>
                    <code>{event.eventId}</code>
                  </td>
                  <td>
                    <code>{event.leadId}</code> · {event.productId} ({event.jurisdiction})
                  </td>
                  <td>
                    <span
                      className={`gate-status gate-${event.state === 'dead' ? 'blocked' : event.state === 'delivered' ? 'met' : 'pending'}`}
                    >
                      {event.state === 'dead' ? 'dead letter' : event.state}
                    </span>
                    {event.state === 'delivered' && event.deliveredAt && (
                      <div className="muted">{formatTime(event.deliveredAt)}</div>
                    )}
                    {event.state === 'pending' && event.nextAttemptAt && (
                      <div className="muted">next {formatTime(event.nextAttemptAt)}</div>
                    )}
                  </td>
                  <td>{event.attempts}</td>
                  <td>{formatTime(event.queuedAt)}</td>
                  <td>
                    {event.lastAttemptAt ? formatTime(event.lastAttemptAt) : '—'}
                    {event.lastError && <div className="muted">{event.lastError}</div>}
                  </td>
                  <td>
                    {event.outcome ? humanise(event.outcome) : '—'}
                    {event.outcomeAt && <div className="muted">{formatTime(event.outcomeAt)}</div>}
                  </td>
                  <td>
                    {event.state === 'dead' && (
                      <button type="button" onClick={() => void retry(event.eventId)}>
                        Retry {event.eventId.slice(0, 12)}…
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
