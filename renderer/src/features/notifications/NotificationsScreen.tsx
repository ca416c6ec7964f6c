// Notifications for operations admins: every refusal, and expansion demand where no entity is licensed.
import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime, humanise } from '../../app/labels.ts';

type Notification = ApiResponse<'notifications.list'>[number];

export const NotificationsScreen = (): ReactElement => {
  const [items, setItems] = useState<Notification[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('notifications.list', { limit: 200 }).then((reply) => {
      if (reply.ok) setItems(reply.value);
      else setError(reply.error.message);
    });
  }, []);
  return (
    <main className="page" aria-labelledby="notifications-title">
      <h1 id="notifications-title">Notifications</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items === null && !error && <p className="muted">Loading…</p>}
      {items !== null && items.length === 0 && <p className="muted">No notifications.</p>}
      {items !== null && items.length > 0 && (
        <table className="data notifications">
          <caption>Latest {items.length} notifications, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Kind</th>
              <th scope="col">Lead</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>{formatTime(item.at)}</td>
                <td>
                  <span className={`kind kind-${item.kind}`}>{humanise(item.kind)}</span>
                </td>
                <td>{item.leadId ?? '—'}</td>
                <td>{item.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
};
